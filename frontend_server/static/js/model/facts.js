// An experiment's facts: those observed in one run (JavaScript's results and the wire) against
// those its catalogue entry expects of today's Chromium. Pure: no page, no request.
//
//   outcome: { results: [transport results], extra: { what the page saw } }
//   ctx: the experiment's context; ctx.cookies names the API's cookies (from the lab contract)
import { couldRead, verdictOf } from './verdict.js';
import { firstPreflight, lastActual, requestHeader, responseHeader, splitWire } from './wire.js';

const cookieSent = (wire, outcome, ctx) =>
  splitWire(wire).actuals.some((entry) => (entry.request_headers.cookie ?? []).includes(ctx.cookies.session));

// Facts read the same way for every experiment that expects them: (wire, outcome, ctx) -> value.
export const COMMON_FACTS = {
  allowOrigin: (wire) => responseHeader(lastActual(wire), 'access-control-allow-origin'),
  allowCredentials: (wire) => responseHeader(lastActual(wire), 'access-control-allow-credentials'),
  contentTypeArrived: (wire) => requestHeader(lastActual(wire), 'content-type'),
  actualOrigin: (wire) => requestHeader(lastActual(wire), 'origin'),
  fetchSite: (wire) => requestHeader(lastActual(wire), 'sec-fetch-site'),
  fetchMode: (wire) => requestHeader(lastActual(wire), 'sec-fetch-mode'),
  serverStatus: (wire) => lastActual(wire)?.status ?? null,
  requestMethodAsked: (wire) => requestHeader(firstPreflight(wire), 'access-control-request-method'),
  requestHeadersAsked: (wire) => requestHeader(firstPreflight(wire), 'access-control-request-headers'),
  preflightAllowOrigin: (wire) => responseHeader(firstPreflight(wire), 'access-control-allow-origin'),
  preflightStatus: (wire) => firstPreflight(wire)?.status ?? null,
  cookieSent,
  pageCookieSent: (wire, outcome, ctx) =>
    splitWire(wire).actuals.some((entry) => (entry.request_headers.cookie ?? []).includes(ctx.cookies.page)),
  authorizationSent: (wire) => splitWire(wire).actuals.some((entry) => 'authorization' in entry.request_headers),
  methodsArrived: (wire) => splitWire(wire).actuals.map((entry) => entry.method),
  // The status JavaScript got: 0 where it got none (XHR's error event, fetch's TypeError).
  statusSeen: (wire, outcome) => outcome.results.at(-1)?.status ?? 0,
  loggedIn: (wire, outcome) => {
    try {
      return JSON.parse(outcome.results.at(-1).responseText).logged_in === true;
    } catch {
      return false;
    }
  },
};

// Facts every experiment has (from JavaScript's last result and the wire), the common facts it
// expects or shows, then its own (experiment.observe).
export function observeFacts(experiment, outcome, wire, expected, ctx) {
  const { preflights, actuals } = splitWire(wire);
  const facts = { preflights: preflights.length, actuals: actuals.length };
  if (outcome.results.length) facts.readable = couldRead(outcome.results.at(-1));
  for (const key of [...Object.keys(expected), ...(experiment.shows ?? [])]) {
    if (Object.hasOwn(COMMON_FACTS, key)) facts[key] = COMMON_FACTS[key](wire, outcome, ctx);
  }
  return { ...facts, ...(experiment.observe?.(outcome, wire, ctx) ?? {}) };
}

export const sameFact = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Every expected fact observed as expected (facts shown but not expected do not count).
export const factsMatch = (expected, observed) => Object.keys(expected).every((key) => sameFact(expected[key], observed[key]));

// One run judged: what was expected, what was observed, whether they match, and the verdict.
export function judge(experiment, outcome, wire, ctx) {
  const expected = experiment.expected(ctx);
  const observed = observeFacts(experiment, outcome, wire, expected, ctx);
  return { expected, observed, match: factsMatch(expected, observed), verdict: verdictOf(outcome.results.at(-1)) };
}
