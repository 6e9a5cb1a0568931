// The experiments' behaviour beside their data (experiments-catalogue.js): what a page looks at
// after the requests (after), the facts of their own they read (observe), and running one
// experiment in this page. Used by the experiments page, the index, and the frame that runs
// experiments on the other page origin.
import { apiUrl, getJson, readLog } from '../core/api.js';
import { el, nextMessage } from '../core/dom.js';
import { loadJsonp, send, sendXhr } from '../core/transport.js';
import { SAFELISTED_RESPONSE_HEADERS } from '../model/fetch-rules.js';
import { isPreflight, splitWire } from '../model/wire.js';
import { BREAK_DATA, BREAK_SECTIONS } from './experiments-breaks.js';
import { EXPERIMENT_DATA, PAGE_COOKIE, SAFELISTED_REQUEST_HEADERS, SECTIONS } from './experiments-catalogue.js';

// The visible cookie's value names the API host that set it (see api_server/credentials.py).
const setBy = (origin) => `set-by-${new URL(origin).host.replace(/[^A-Za-z0-9.]/g, '-')}`;
const hasCookie = (documentCookie, name) => documentCookie.split('; ').some((cookie) => cookie.startsWith(`${name}=`));
const readCookies = async () => ({ documentCookie: document.cookie });
// The page's own cookie, on the page's host (Lax: it goes to the same site).
const setPageCookie = () => {
  document.cookie = `${PAGE_COOKIE}=set-by-the-page; Path=/; Max-Age=600; SameSite=Lax`;
};

// The browser comes to hold the API's Basic credentials as a user's would: a window visits
// http://user:password@API/auth/basic (Chromium answers the 401 with the URL's credentials and
// remembers them for /auth/), then closes once the wire log shows the visit authenticated.
async function holdBasicCredentials(ctx) {
  const run = `${ctx.run}-visit`;
  const url = new URL(apiUrl(ctx.api, '/auth/basic', { run }));
  Object.assign(url, { username: ctx.basicAuth.user, password: ctx.basicAuth.password });
  const visit = window.open(url.href, '_blank', 'popup,width=320,height=200');
  for (let attempt = 0; visit && attempt < 50; attempt += 1) {
    if ((await readLog(ctx.api, run)).some((entry) => entry.status === 200)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  visit?.close();
}
// The same-origin baseline: the API's /baseline page, in a hidden frame, sends the experiment's
// requests to its own origin (api_server/baseline.py); it answers only its parent, by exact origin.
async function runBaseline(ctx) {
  const frame = el('iframe', { src: `${ctx.api}/baseline`, title: 'baseline', hidden: true });
  const from = (type) => (event) => event.source === frame.contentWindow && event.data?.type === type;
  const silent = new Error(`${ctx.api}/baseline did not answer`);
  const ready = nextMessage(ctx.api, from('baseline-ready'), 10000, silent);
  document.body.append(frame);
  try {
    await ready;
    const done = nextMessage(ctx.api, from('baseline-done'), 10000, silent);
    frame.contentWindow.postMessage({ type: 'run', run: ctx.run }, ctx.api);
    await done;
  } finally {
    frame.remove();
  }
}
// The wire of one side of the baseline: its actual requests' Origin headers and its preflights.
function side(wire, sameOrigin) {
  const entries = wire.filter((entry) => (entry.request_headers['sec-fetch-site'] === 'same-origin') === sameOrigin);
  return {
    origins: entries.filter((entry) => !isPreflight(entry)).map((entry) => entry.request_headers.origin ?? null),
    preflights: entries.filter(isPreflight).length,
  };
}
const authorizationOnWire = (wire) => splitWire(wire).actuals.map((entry) => 'authorization' in entry.request_headers);

// id -> { prepare?(ctx): what the page does before its setup,
// after?(ctx): what the page sees after, observe?(outcome, wire, ctx): facts of its own,
// expected?(ctx) where it needs the model }.
const BEHAVIOUR = {
  'safelisted-request-headers': {
    observe: (outcome, wire) => ({
      headersArrived: SAFELISTED_REQUEST_HEADERS.filter(([name, value]) =>
        splitWire(wire).actuals.some((entry) => entry.request_headers[name.toLowerCase()] === value),
      ).map(([name]) => name),
    }),
  },
  'no-cors-post-takes-effect': {
    after: async (ctx) => {
      const answer = await getJson(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }));
      return { effects: answer.effects.map((effect) => effect.body) };
    },
    observe: (outcome) => ({ effectRecorded: outcome.extra.effects.includes('transfer=100') }),
  },
  'fetch-no-cors-opaque': {
    observe: (outcome) => ({ responseType: outcome.results[0].type ?? null, statusSeen: outcome.results[0].status }),
  },
  'expose-headers': {
    observe: (outcome) => {
      const headers = outcome.results[0].responseHeaders;
      return { exposedReadable: 'x-lab-exposed' in headers, hiddenReadable: 'x-lab-hidden' in headers };
    },
  },
  'safelisted-response-headers': {
    expected: () => ({ readable: true, preflights: 0, actuals: 1, safelistedReadable: SAFELISTED_RESPONSE_HEADERS }),
    observe: (outcome) => ({
      safelistedReadable: SAFELISTED_RESPONSE_HEADERS.filter((name) => name in outcome.results[0].responseHeaders),
    }),
  },
  'httponly-and-ports': {
    after: readCookies,
    observe: (outcome, wire, ctx) => ({
      visibleCookieReadable: outcome.extra.documentCookie.includes(`${ctx.cookies.visible}=${setBy(ctx.api)}`),
      sessionCookieReadable: hasCookie(outcome.extra.documentCookie, ctx.cookies.session),
    }),
  },
  'held-credentials-need-with-credentials': {
    prepare: holdBasicCredentials,
    observe: (outcome, wire) => ({ authorizationOnWire: authorizationOnWire(wire) }),
  },
  'held-credentials-need-allow-credentials': { prepare: holdBasicCredentials },
  'page-cookie-stays-home': { prepare: setPageCookie },
  'same-origin-baseline': {
    prepare: runBaseline,
    observe: (outcome, wire) => {
      const [same, cross] = [side(wire, true), side(wire, false)];
      return {
        sameOriginOrigins: same.origins,
        sameOriginPreflights: same.preflights,
        crossOriginOrigins: cross.origins,
        crossOriginPreflights: cross.preflights,
      };
    },
  },
  'page-cookie-same-host': { prepare: setPageCookie },
  'basic-401-cross-origin': {
    observe: (outcome) => ({ wwwAuthenticateReadable: 'www-authenticate' in outcome.results[0].responseHeaders }),
  },
  'jsonp-only-get': { observe: (outcome) => ({ scriptSaw: outcome.results.map((result) => result.outcome) }) },
  'other-host-cookie': {
    after: readCookies,
    observe: (outcome, wire, ctx) => ({ otherHostCookieReadable: outcome.extra.documentCookie.includes(setBy(ctx.alias)) }),
  },
};

// Every section of the experiments page, the note's first, then where real CORS breaks.
export const ALL_SECTIONS = [...SECTIONS, ...BREAK_SECTIONS];
export const EXPERIMENTS = [...EXPERIMENT_DATA, ...BREAK_DATA].map((experiment) => ({ ...experiment, ...BEHAVIOUR[experiment.id] }));
export const findExperiment = (id) => EXPERIMENTS.find((experiment) => experiment.id === id);

// Runs one experiment in this page: its setup, its requests, its in-page observations.
export async function runExperiment(experiment, ctx) {
  await experiment.prepare?.(ctx);
  for (const request of experiment.setup?.(ctx) ?? []) await sendXhr(request);
  const results = [];
  for (const step of experiment.steps(ctx)) {
    results.push(step.jsonp ? await loadJsonp(step.jsonp, step.callback) : await send(step, ctx.transport));
  }
  const extra = experiment.after ? await experiment.after(ctx) : {};
  return { results, extra };
}

// The context an experiment runs in, on this page's origin.
export function experimentContext(config, run, transport) {
  const { session_cookie: session, visible_cookie: visible, basic_auth: basicAuth } = config.contract;
  const pageOrigin = window.location.origin;
  const cookies = { session, visible, page: PAGE_COOKIE };
  return { api: config.api_origin, alias: config.api_alias_origin, pageOrigin, run, transport, cookies, basicAuth };
}
