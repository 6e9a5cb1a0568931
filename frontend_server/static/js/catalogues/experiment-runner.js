// The experiments' behaviour beside their data (experiments-catalogue.js): what a page looks at
// after the requests (after), the facts of their own they read (observe), and running one
// experiment in this page. Used by the experiments page, the index, and the frame that runs
// experiments on the other page origin.
import { apiUrl, getJson, readLog } from '../core/api.js';
import { el, nextMessage } from '../core/dom.js';
import { loadJsonp, send, sendXhr } from '../core/transport.js';
import { SAFELISTED_RESPONSE_HEADERS } from '../model/fetch-rules.js';
import { isPreflight, splitWire } from '../model/wire.js';
import { withEngine } from './engine-expectations.js';
import { BREAK_DATA, BREAK_SECTIONS } from './experiments-breaks.js';
import { EXPERIMENT_DATA, PAGE_COOKIE, SAFELISTED_REQUEST_HEADERS, SECTIONS } from './experiments-catalogue.js';

// The visible cookie's value names the API host that set it (see api_server/credentials.py).
const setBy = (origin) => `set-by-${new URL(origin).host.replace(/[^A-Za-z0-9.]/g, '-')}`;
const hasCookie = (documentCookie, name) => documentCookie.split('; ').some((cookie) => cookie.startsWith(`${name}=`));
const readCookies = async () => ({ documentCookie: document.cookie });
readCookies.code = (ctx, say) => [`console.log(document.cookie); // ${say('read-cookies', 'then: which cookies this page can read')}`];
// The page's own cookie, on the page's host (Lax: it goes to the same site).
const PAGE_COOKIE_LINE = `${PAGE_COOKIE}=set-by-the-page; Path=/; Max-Age=600; SameSite=Lax`;
const setPageCookie = () => {
  document.cookie = PAGE_COOKIE_LINE;
};
setPageCookie.code = (ctx, say) => [
  `// ${say('page-cookie', 'First, the page sets a cookie of its own, on its own host:')}`,
  `document.cookie = ${JSON.stringify(PAGE_COOKIE_LINE)};`,
];
// Which cookies this page can keep, probed at run time with document.cookie: SameSite=Lax ones
// (none in a frame of another site) and SameSite=None ones (none where the browser blocks
// third-party cookies; held HTTP credentials are withheld there too).
function cookieSupport() {
  const keeps = (name, attributes) => {
    document.cookie = `${name}=1; Path=/; Max-Age=60; ${attributes}`;
    const kept = hasCookie(document.cookie, name);
    document.cookie = `${name}=; Path=/; Max-Age=0; ${attributes}`;
    return kept;
  };
  return { lax: keeps('lab_probe_lax', 'SameSite=Lax'), thirdParty: keeps('lab_probe_none', 'SameSite=None; Secure') };
}
// What a cookie experiment expects where the page keeps no Lax cookie (`lax`) or no third-party one.
const withheld = (when, facts) => (ctx) => (ctx.cookieSupport?.[when] === false ? facts : {});
const LAX_COOKIE_WITHHELD = { withheld: withheld('lax', { cookieSent: false }) };

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
holdBasicCredentials.code = (ctx, say) => {
  const url = new URL(apiUrl(ctx.api, '/auth/basic', { run: `${ctx.run}-visit` }));
  Object.assign(url, { username: ctx.basicAuth.user, password: ctx.basicAuth.password });
  return [
    `// ${say('hold-credentials', 'First, the browser comes to hold the API\'s Basic credentials as a user\'s would: a window visits')}`,
    `// ${say('hold-credentials-how', 'the API with them in the URL; the browser answers the 401 with them and keeps them for /auth/.')}`,
    `const visit = window.open(${JSON.stringify(url.href)}, '_blank', 'popup');`,
    `visit.close(); // ${say('hold-credentials-close', 'once the API\'s log shows the visit authenticated')}`,
  ];
};
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
runBaseline.code = (ctx, say) => [
  `// ${say('baseline', 'First, the same code same-origin: the API\'s page /baseline, in a hidden frame, sends it to its own origin.')}`,
  `const frame = Object.assign(document.createElement('iframe'), { hidden: true, src: ${JSON.stringify(`${ctx.api}/baseline`)} });`,
  'document.body.append(frame);',
  `// ${say('baseline-ready', 'once it says it is ready:')}`,
  `frame.contentWindow.postMessage({ type: 'run', run: ${JSON.stringify(ctx.run)} }, ${JSON.stringify(ctx.api)});`,
];
// The wire of one side of the baseline: its actual requests' Origin headers and its preflights.
const onSide = (wire, sameOrigin) =>
  wire.filter((entry) => (entry.request_headers['sec-fetch-site'] === 'same-origin') === sameOrigin);
function side(wire, sameOrigin) {
  const entries = onSide(wire, sameOrigin);
  return {
    origins: entries.filter((entry) => !isPreflight(entry)).map((entry) => entry.request_headers.origin ?? null),
    preflights: entries.filter(isPreflight).length,
  };
}
const authorizationOnWire = (wire) => splitWire(wire).actuals.map((entry) => 'authorization' in entry.request_headers);

// id -> { prepare?(ctx): what the page does before its setup,
// after?(ctx): what the page sees after, observe?(outcome, wire, ctx): facts of its own,
// expected?(ctx) where it needs the model, withheld?(ctx): the facts that differ where this page
// keeps no Lax or no third-party cookie (ctx.cookieSupport) }.
const BEHAVIOUR = {
  'safelisted-request-headers': {
    observe: (outcome, wire) => ({
      headersArrived: SAFELISTED_REQUEST_HEADERS.filter(([name, value]) =>
        splitWire(wire).actuals.some((entry) => entry.request_headers[name.toLowerCase()] === value),
      ).map(([name]) => name),
    }),
  },
  'no-cors-post-takes-effect': {
    after: Object.assign(
      async (ctx) => {
        const answer = await getJson(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }));
        return { effects: answer.effects.map((effect) => effect.body) };
      },
      {
        code: (ctx, say) => [
          `fetch(${JSON.stringify(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }))})`,
          `  // ${say('effects', 'then: what the server did')}`,
          '  .then((response) => response.json()).then((answer) => console.log(answer.effects));',
        ],
      },
    ),
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
    withheld: withheld('lax', { visibleCookieReadable: false }),
    after: readCookies,
    observe: (outcome, wire, ctx) => ({
      visibleCookieReadable: outcome.extra.documentCookie.includes(`${ctx.cookies.visible}=${setBy(ctx.api)}`),
      sessionCookieReadable: hasCookie(outcome.extra.documentCookie, ctx.cookies.session),
    }),
  },
  'held-credentials-need-with-credentials': {
    prepare: holdBasicCredentials,
    withheld: withheld('thirdParty', { authorizationOnWire: [false, false], serverStatus: 401 }),
    observe: (outcome, wire) => ({ authorizationOnWire: authorizationOnWire(wire) }),
  },
  'held-credentials-need-allow-credentials': {
    prepare: holdBasicCredentials,
    withheld: withheld('thirdParty', { authorizationSent: false, serverStatus: 401 }),
  },
  'cookies-sent-with-credentials': { withheld: withheld('lax', { cookieSent: false, loggedIn: false }) },
  'credentials-refused-with-wildcard': LAX_COOKIE_WITHHELD,
  'credentials-refused-without-allow-credentials': LAX_COOKIE_WITHHELD,
  'samesite-same-site': LAX_COOKIE_WITHHELD,
  'page-cookie-stays-home': { prepare: setPageCookie },
  'same-origin-baseline': {
    prepare: runBaseline,
    // Its two wires, shown side by side: [side, its entries].
    wireSides: (wire) => [
      ['same-origin', onSide(wire, true)],
      ['cross-origin', onSide(wire, false)],
    ],
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
  'page-cookie-same-host': { prepare: setPageCookie, withheld: withheld('lax', { pageCookieSent: false }) },
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
// A cookie experiment expects, where this page keeps fewer cookies, what the browser does there.
const withCookieRules = (experiment) =>
  experiment.withheld ? { ...experiment, expected: (ctx) => ({ ...experiment.expected(ctx), ...experiment.withheld(ctx) }) } : experiment;
// Then what this engine does where it differs from Chromium (engine-expectations.js).
export const EXPERIMENTS = [...EXPERIMENT_DATA, ...BREAK_DATA].map((experiment) =>
  withEngine(withCookieRules({ ...experiment, ...BEHAVIOUR[experiment.id] })),
);
export const findExperiment = (id) => EXPERIMENTS.find((experiment) => experiment.id === id);

// Runs one experiment in this page: its setup, its requests, its in-page observations.
// `cookies`: which cookies this page keeps (cookieSupport()), for ctx.cookieSupport when judged;
// probed only for an experiment whose expectations depend on it (`withheld`), else null.
export async function runExperiment(experiment, ctx) {
  const cookies = experiment.withheld ? cookieSupport() : null;
  await experiment.prepare?.(ctx);
  for (const request of experiment.setup?.(ctx) ?? []) await sendXhr(request);
  const results = [];
  for (const step of experiment.steps(ctx)) {
    results.push(step.jsonp ? await loadJsonp(step.jsonp, step.callback) : await send(step, ctx.transport));
  }
  const extra = experiment.after ? await experiment.after(ctx) : {};
  return { results, extra, cookies };
}

// The context an experiment runs in, on this page's origin.
export function experimentContext(config, run, transport) {
  const { session_cookie: session, visible_cookie: visible, basic_auth: basicAuth } = config.contract;
  const pageOrigin = window.location.origin;
  const cookies = { session, visible, page: PAGE_COOKIE };
  return { api: config.api_origin, alias: config.api_alias_origin, pageOrigin, run, transport, cookies, basicAuth };
}
