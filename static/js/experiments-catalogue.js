// Every claim of the note as an experiment: { id, section, runsOn?, noteDiffers?, text?,
//   setup?(ctx): XHRs sent first (tagged `${run}-setup`), steps(ctx): requests (or { jsonp }),
//   after?(ctx): what the page sees after, expected(ctx): { fact: value }, shows?: facts shown
//   but not predicted, observe?(outcome, wire, ctx): facts of its own }.
// ctx: { api, alias, pageOrigin, run, transport }. Words: messages exp.<id>.title, .rule, .differs.
import { apiUrl } from './api.js';
import { SAFELISTED_RESPONSE_HEADERS } from './cors-model.js';
import { t } from './i18n.js';
import { splitWire } from './narrate.js';

// An experiment's own words: exp.<id>.title and .rule, or those of its family.
export function words(experiment, part) {
  const [id, params] = experiment.text ?? [experiment.id, {}];
  return t(`exp.${id}.${part}`, params);
}

export const SECTIONS = [
  { id: 'simple' },
  { id: 'refused' },
  { id: 'headers' },
  { id: 'credentials' },
  { id: 'preflight' },
  { id: 'jsonp' },
];

const SESSION = 'lab_session';
const at = (ctx, path, params = {}) => apiUrl(ctx.api, path, { ...params, run: ctx.run });
const setupRun = (ctx) => `${ctx.run}-setup`;
const JSON_WITH_TOKEN = { 'Content-Type': 'application/json', 'X-Lab-Token': 'lab' };
const HELLO = '{"hello":"cors"}';

// Log out, then log in afresh on `origin` (an API host) with the given SameSite.
const freshLogin = (ctx, origin, samesite) => [
  { method: 'POST', url: apiUrl(origin, '/credentials/logout', { run: setupRun(ctx) }), withCredentials: true },
  { method: 'POST', url: apiUrl(origin, '/credentials/login', { samesite, run: setupRun(ctx) }), withCredentials: true },
];

const firstPreflight = (wire) => splitWire(wire).preflights[0];
const lastActual = (wire) => splitWire(wire).actuals.at(-1);
const requestHeader = (entry, name) => entry?.request_headers[name] ?? null;
const responseHeader = (entry, name) => entry?.response_headers[name] ?? null;
// lab_visible's value names the API host that set it (see credentials.py).
const setBy = (origin) => `set-by-${new URL(origin).host.replace(/[^A-Za-z0-9.]/g, '-')}`;
const cookieSent = (wire) => splitWire(wire).actuals.some((entry) => (entry.request_headers.cookie ?? []).includes(SESSION));

// Facts read the same way for every experiment that expects them: (wire, outcome) -> value.
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
  loggedIn: (wire, outcome) => {
    try {
      return JSON.parse(outcome.results.at(-1).responseText).logged_in === true;
    } catch {
      return false;
    }
  },
};

const SAFELISTED_REQUEST_HEADERS = [
  ['Accept', 'application/json'],
  ['Accept-Language', 'zh-CN'],
  ['Content-Language', 'zh-CN'],
  ['Content-Type', 'text/plain'],
];
const inSection = (section, experiments) => experiments.map((experiment) => ({ ...experiment, section }));
const getting = (path, params) => (ctx) => [{ method: 'GET', url: at(ctx, path, params) }];

// One request, no preflight: read by JavaScript, or blocked.
const SIMPLE_READ = { readable: true, preflights: 0, actuals: 1 };
const SIMPLE_BLOCKED = { ...SIMPLE_READ, readable: false };
const blockedAtPreflight = { readable: false, preflights: 1, actuals: 0 };

export const EXPERIMENTS = [
  ...inSection('simple', [
  {
    id: 'simple-get',
    steps: getting('/simple'),
    expected: (ctx) => ({ ...SIMPLE_READ, allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'simple-head',
    steps: (ctx) => [{ method: 'HEAD', url: at(ctx, '/simple') }],
    expected: () => SIMPLE_READ,
  },
  ...[
    ['text-plain', 'text/plain', 'hello'],
    ['form-urlencoded', 'application/x-www-form-urlencoded', 'greeting=hello'],
    ['multipart', 'multipart/form-data; boundary=lab', '--lab\r\nContent-Disposition: form-data; name="greeting"\r\n\r\nhello\r\n--lab--\r\n'],
  ].map(([slug, contentType, body]) => ({
    id: `simple-post-${slug}`,
    text: ['simple-post', { type: contentType.split(';')[0] }],
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/simple'), headers: { 'Content-Type': contentType }, body }],
    expected: () => ({ ...SIMPLE_READ, contentTypeArrived: contentType }),
  })),
  {
    id: 'safelisted-request-headers',
    steps: (ctx) => SAFELISTED_REQUEST_HEADERS.map(([name, value]) => ({ method: 'GET', url: at(ctx, '/simple'), headers: { [name]: value } })),
    expected: () => ({ readable: true, preflights: 0, actuals: 4, headersArrived: SAFELISTED_REQUEST_HEADERS.map(([name]) => name) }),
    observe: (outcome, wire) => ({
      headersArrived: SAFELISTED_REQUEST_HEADERS.filter(([name, value]) =>
        splitWire(wire).actuals.some((entry) => entry.request_headers[name.toLowerCase()] === value),
      ).map(([name]) => name),
    }),
  },
  {
    id: 'last-event-id',
    noteDiffers: true,
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/simple'), headers: { 'Last-Event-ID': '42' } }],
    expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'last-event-id' }),
  },
  {
    id: 'json-content-type',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/simple'), headers: { 'Content-Type': 'application/json' }, body: HELLO }],
    expected: () => ({ readable: true, preflights: 1, actuals: 1 }),
  },

  ]),
  ...inSection('refused', [
  {
    id: 'refused-origin',
    runsOn: 'untrusted',
    steps: getting('/simple'),
    expected: () => ({ ...SIMPLE_BLOCKED, serverStatus: 200, allowOrigin: null }),
  },
  {
    id: 'no-cors-post-takes-effect',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/no-cors'), headers: { 'Content-Type': 'text/plain' }, body: 'transfer=100' }],
    after: async (ctx) => {
      const response = await fetch(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }), { cache: 'no-store' });
      return { effects: (await response.json()).effects.map((effect) => effect.body) };
    },
    expected: () => ({ ...SIMPLE_BLOCKED, effectRecorded: true }),
    observe: (outcome) => ({ effectRecorded: outcome.extra.effects.includes('transfer=100') }),
  },
  {
    id: 'fetch-no-cors-opaque',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/no-cors'), headers: { 'Content-Type': 'text/plain' }, body: 'opaque=1', mode: 'no-cors', transport: 'fetch' }],
    expected: () => ({ ...SIMPLE_BLOCKED, responseType: 'opaque', statusSeen: 0 }),
    observe: (outcome) => ({ responseType: outcome.results[0].type ?? null, statusSeen: outcome.results[0].status }),
  },

  ]),
  ...inSection('headers', [
  {
    id: 'allow-origin-must-match',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/lab', { acao: `${ctx.pageOrigin}/` }) }],
    expected: (ctx) => ({ ...SIMPLE_BLOCKED, allowOrigin: `${ctx.pageOrigin}/` }),
  },
  {
    id: 'allow-credentials-header',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }],
    expected: () => ({ ...SIMPLE_READ, allowCredentials: 'true' }),
  },
  {
    id: 'expose-headers',
    steps: getting('/expose'),
    expected: () => ({ ...SIMPLE_READ, exposedReadable: true, hiddenReadable: false }),
    observe: (outcome) => {
      const headers = outcome.results[0].responseHeaders;
      return { exposedReadable: 'x-lab-exposed' in headers, hiddenReadable: 'x-lab-hidden' in headers };
    },
  },
  {
    id: 'safelisted-response-headers',
    steps: getting('/expose'),
    expected: () => ({ ...SIMPLE_READ, safelistedReadable: SAFELISTED_RESPONSE_HEADERS }),
    observe: (outcome) => ({ safelistedReadable: SAFELISTED_RESPONSE_HEADERS.filter((name) => name in outcome.results[0].responseHeaders) }),
  },

  ]),
  ...inSection('credentials', [
  {
    id: 'cookies-not-sent-by-default',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: getting('/credentials/whoami'),
    expected: () => ({ ...SIMPLE_READ, cookieSent: false, loggedIn: false }),
  },
  {
    id: 'cookies-sent-with-credentials',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }],
    expected: (ctx) => ({ ...SIMPLE_READ, cookieSent: true, loggedIn: true, allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'credentials-refused-with-wildcard',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/wildcard'), withCredentials: true }],
    expected: () => ({ ...SIMPLE_BLOCKED, cookieSent: true, allowOrigin: '*' }),
  },
  {
    id: 'credentials-refused-without-allow-credentials',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/no-allow-credentials'), withCredentials: true }],
    expected: () => ({ ...SIMPLE_BLOCKED, cookieSent: true, allowCredentials: null }),
  },
  {
    id: 'httponly-and-ports',
    noteDiffers: true,
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: () => [],
    after: async () => ({ documentCookie: document.cookie }),
    expected: () => ({ preflights: 0, actuals: 0, visibleCookieReadable: true, sessionCookieReadable: false }),
    observe: (outcome, wire, ctx) => ({
      visibleCookieReadable: outcome.extra.documentCookie.includes(`lab_visible=${setBy(ctx.api)}`),
      sessionCookieReadable: /(^|; )lab_session=/.test(outcome.extra.documentCookie),
    }),
  },
  {
    id: 'other-host-cookie',
    setup: (ctx) => freshLogin(ctx, ctx.alias, 'None'),
    steps: () => [],
    after: async () => ({ documentCookie: document.cookie }),
    expected: () => ({ preflights: 0, actuals: 0, otherHostCookieReadable: false }),
    observe: (outcome, wire, ctx) => ({ otherHostCookieReadable: outcome.extra.documentCookie.includes(setBy(ctx.alias)) }),
  },
  {
    id: 'samesite-same-site',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }],
    expected: () => ({ ...SIMPLE_READ, cookieSent: true, fetchSite: 'same-site' }),
  },
  {
    id: 'samesite-lax-cross-site',
    setup: (ctx) => freshLogin(ctx, ctx.alias, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: apiUrl(ctx.alias, '/credentials/whoami', { run: ctx.run }), withCredentials: true }],
    expected: () => ({ ...SIMPLE_READ, cookieSent: false, fetchSite: 'cross-site' }),
  },
  {
    id: 'samesite-none-cross-site',
    setup: (ctx) => freshLogin(ctx, ctx.alias, 'None'),
    steps: (ctx) => [{ method: 'GET', url: apiUrl(ctx.alias, '/credentials/whoami', { run: ctx.run }), withCredentials: true }],
    // Whether the cookie goes depends on the browser's third-party cookie setting: shown, not predicted.
    expected: () => ({ ...SIMPLE_READ, fetchSite: 'cross-site' }),
    shows: ['cookieSent'],
  },

  ]),
  ...inSection('preflight', [
  ...['PUT', 'PATCH', 'DELETE'].map((method) => ({
    id: `preflight-${method.toLowerCase()}`,
    text: ['preflight-method', { method }],
    steps: (ctx) => [{ method, url: at(ctx, '/preflight'), headers: JSON_WITH_TOKEN, body: HELLO }],
    expected: (ctx) => ({ readable: true, preflights: 1, actuals: 1, requestMethodAsked: method, actualOrigin: ctx.pageOrigin, allowOrigin: ctx.pageOrigin }),
  })),
  {
    id: 'preflight-custom-header',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/preflight'), headers: { 'X-Lab-Token': 'lab' } }],
    expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'x-lab-token' }),
  },
  {
    id: 'preflight-refused-origin',
    runsOn: 'untrusted',
    steps: (ctx) => [{ method: 'PUT', url: at(ctx, '/preflight'), headers: JSON_WITH_TOKEN, body: HELLO }],
    expected: () => ({ ...blockedAtPreflight, preflightStatus: 200 }),
  },
  {
    id: 'preflight-refused-method',
    steps: (ctx) => [{ method: 'PROPFIND', url: at(ctx, '/preflight') }],
    expected: (ctx) => ({ ...blockedAtPreflight, preflightAllowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'preflight-refused-header',
    steps: (ctx) => [{ method: 'PUT', url: at(ctx, '/preflight'), headers: { 'X-Other': '1' } }],
    expected: (ctx) => ({ ...blockedAtPreflight, preflightAllowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'max-age-caches-preflight',
    steps: (ctx) => [1, 2, 3].map((n) => ({ method: 'PUT', url: at(ctx, '/preflight'), headers: JSON_WITH_TOKEN, body: `{"n":${n}}` })),
    expected: () => ({ readable: true, preflights: 1, actuals: 3 }),
  },
  {
    id: 'max-age-zero',
    steps: (ctx) =>
      [1, 2, 3].map((n) => ({
        method: 'PUT',
        url: at(ctx, '/lab', { acao: 'echo', acam: 'PUT', acah: 'content-type, x-lab-token', max_age: '0' }),
        headers: JSON_WITH_TOKEN,
        body: `{"n":${n}}`,
      })),
    expected: () => ({ readable: true, preflights: 3, actuals: 3 }),
  },

  ]),
  ...inSection('jsonp', [
  {
    id: 'jsonp-from-untrusted-origin',
    runsOn: 'untrusted',
    steps: (ctx) => {
      const callback = `cb_${ctx.run.replace(/-/g, '_')}`;
      return [{ jsonp: at(ctx, '/jsonp', { callback: `labJsonp.${callback}` }), callback }];
    },
    expected: () => ({ ...SIMPLE_READ, fetchMode: 'no-cors', allowOrigin: null }),
  },
  {
    id: 'jsonp-only-get',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/jsonp', { callback: 'handle' }), headers: { 'Content-Type': 'text/plain' }, body: 'x' }],
    expected: () => ({ ...SIMPLE_BLOCKED, serverStatus: 405 }),
  },
  {
    id: 'same-data-over-cors',
    steps: getting('/data'),
    expected: (ctx) => ({ ...SIMPLE_READ, allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'same-data-over-cors-untrusted',
    runsOn: 'untrusted',
    steps: getting('/data'),
    expected: () => ({ ...SIMPLE_BLOCKED, allowOrigin: null }),
  },
  ]),
];
