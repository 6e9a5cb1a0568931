// The whole fix of one observed request (explain-observed.js), in one go: from what the browser
// received, every header each answer must carry — the preflight's (OPTIONS, with a 2xx status),
// the actual answer's and the error answers' — and the URL to call when the one called redirects;
// then the fixed exchange is checked with the lab's model ("with these changes: readable"). No
// value the request did not ask for: its own origin, method and headers. Pure: nothing is sent.
//
//   planFix(observed, preflightRequest, check): observed as explainObserved() takes it;
//     preflightRequest: { method, headers: 'a,b' } | null, the preflight the model says the browser sends;
//     check(hops): the model's verdict on other hops ({ allowed, console, reasons }).
//   returns: { origin, url, redirect: { from, to, status, on } | null, method, requestHeaders: [lower case],
//              credentials, preflight: { status, headers: [[name, value]] } | null,
//              actual: { headers }, errors: { statuses: [n], headers }, readable, console }
import { SAFELISTED_METHODS, normalizeMethod } from './fetch-rules.js';

const NOT_SENT = { sent: false, status: null, headers: {} };
const REDIRECTS = [301, 302, 303, 307, 308];
const isRedirect = (exchange) => Boolean(exchange?.sent) && REDIRECTS.includes(exchange.status);
const header = (exchange, name) =>
  Object.entries(exchange?.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1]?.split('\n')[0];

// Where the request should go: the first redirect's target, when an answer redirected (a preflight is
// never followed; a followed redirect turns the Origin into "null" across origins, or drops a POST's body).
function route(hops) {
  const [first] = hops;
  if (isRedirect(first.preflight)) {
    const to = new URL(header(first.preflight, 'location') ?? '', first.url).href;
    return { from: first.url, to, status: first.preflight.status, on: 'preflight' };
  }
  if (isRedirect(first.actual)) {
    const to = hops.length > 1 ? hops.at(-1).url : new URL(header(first.actual, 'location') ?? '', first.url).href;
    return { from: first.url, to, status: first.actual.status, on: 'actual' };
  }
  return null;
}

const withoutCors = (headers) =>
  Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !/^access-control-|^vary$/i.test(name)));

export function planFix(observed, preflightRequest, check) {
  const origin = observed.pageOrigin;
  const { hops } = observed;
  const redirect = route(hops);
  const url = redirect ? redirect.to : hops[0].url;
  const method = preflightRequest?.method ?? normalizeMethod(observed.method);
  const requestHeaders = preflightRequest?.headers ? preflightRequest.headers.split(',') : [];
  const credentials = Boolean(observed.credentials);
  const common = [['Access-Control-Allow-Origin', origin], ['Vary', 'Origin']];
  if (credentials) common.push(['Access-Control-Allow-Credentials', 'true']);
  let preflight = null;
  if (preflightRequest) {
    const asked = [];
    if (!SAFELISTED_METHODS.includes(method)) asked.push(['Access-Control-Allow-Methods', method]);
    if (requestHeaders.length) asked.push(['Access-Control-Allow-Headers', requestHeaders.join(', ')]);
    preflight = { status: 204, headers: [...common, ...asked] };
  }
  // The last answer seen (after any redirect the browser followed), its status kept: an error
  // answer needs the headers as much as a 2xx one.
  const last = [...hops].reverse().find((hop) => hop.actual?.sent && !isRedirect(hop.actual))?.actual;
  const statuses = [...new Set(hops.map((hop) => hop.actual).filter((a) => a?.sent && a.status >= 400).map((a) => a.status))];
  const fixed = {
    url,
    preflight: preflight ? { sent: true, status: preflight.status, headers: Object.fromEntries(preflight.headers) } : NOT_SENT,
    actual: { sent: true, status: last?.status ?? 200, headers: { ...withoutCors(last?.headers), ...Object.fromEntries(common) } },
  };
  const checked = check([fixed]);
  return {
    origin, url, redirect, method, requestHeaders, credentials, preflight,
    actual: { headers: common }, errors: { statuses, headers: common },
    readable: checked.allowed, console: checked.console,
  };
}
