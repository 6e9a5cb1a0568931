// Every claim of the note as an experiment, as data: { id, section, runsOn?, noteDiffers?, text?,
//   setup?(ctx): XHRs sent first (tagged `${run}-setup`), steps(ctx): requests (or { jsonp }),
//   expected(ctx): { fact: value }, shows?: facts shown but not predicted }.
// What an experiment does beyond its requests (after, observe) is in experiment-runner.js.
// ctx: { api, alias, pageOrigin, run, transport, cookies }. Words: messages exp.<id>.title,
// .rule, .differs.
import { apiUrl } from '../core/api.js';
import { t } from '../core/i18n.js';

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
  { id: 'meaning', points: 4 },
  { id: 'preflight' },
  { id: 'jsonp' },
];

// The cookie the page sets for itself (document.cookie), to see where it goes.
export const PAGE_COOKIE = 'lab_page';

const at = (ctx, path, params = {}) => apiUrl(ctx.api, path, { ...params, run: ctx.run });
const setupRun = (ctx) => `${ctx.run}-setup`;
const JSON_WITH_TOKEN = { 'Content-Type': 'application/json', 'X-Lab-Token': 'lab' };
const HELLO = '{"hello":"cors"}';
const MULTIPART = '--lab\r\nContent-Disposition: form-data; name="greeting"\r\n\r\nhello\r\n--lab--\r\n';

// Log out, then log in afresh on `origin` (an API host) with the given SameSite.
const freshLogin = (ctx, origin, samesite) => [
  { method: 'POST', url: apiUrl(origin, '/credentials/logout', { run: setupRun(ctx) }), withCredentials: true },
  { method: 'POST', url: apiUrl(origin, '/credentials/login', { samesite, run: setupRun(ctx) }), withCredentials: true },
];

export const SAFELISTED_REQUEST_HEADERS = [
  ['Accept', 'application/json'],
  ['Accept-Language', 'zh-CN'],
  ['Content-Language', 'zh-CN'],
  ['Content-Type', 'text/plain'],
];
const inSection = (section, experiments) => experiments.map((experiment) => ({ ...experiment, section }));
const getting = (path, params) => (ctx) => [{ method: 'GET', url: at(ctx, path, params) }];
const whoami = (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }];
const aliasWhoami = (ctx) => [
  { method: 'GET', url: apiUrl(ctx.alias, '/credentials/whoami', { run: ctx.run }), withCredentials: true },
];
const jsonpCallback = (ctx) => `cb_${ctx.run.replace(/-/g, '_')}`;
const jsonPut = (ctx, body) => ({ method: 'PUT', url: at(ctx, '/preflight'), headers: JSON_WITH_TOKEN, body });

// One request, no preflight: read by JavaScript, or blocked.
const SIMPLE_READ = { readable: true, preflights: 0, actuals: 1 };
const SIMPLE_BLOCKED = { ...SIMPLE_READ, readable: false };
const blockedAtPreflight = { readable: false, preflights: 1, actuals: 0 };

export const EXPERIMENT_DATA = [
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
      ['multipart', 'multipart/form-data; boundary=lab', MULTIPART],
    ].map(([slug, contentType, body]) => ({
      id: `simple-post-${slug}`,
      text: ['simple-post', { type: contentType.split(';')[0] }],
      steps: (ctx) => [{ method: 'POST', url: at(ctx, '/simple'), headers: { 'Content-Type': contentType }, body }],
      expected: () => ({ ...SIMPLE_READ, contentTypeArrived: contentType }),
    })),
    {
      id: 'safelisted-request-headers',
      steps: (ctx) =>
        SAFELISTED_REQUEST_HEADERS.map(([name, value]) => ({ method: 'GET', url: at(ctx, '/simple'), headers: { [name]: value } })),
      expected: () => ({
        readable: true,
        preflights: 0,
        actuals: 4,
        headersArrived: SAFELISTED_REQUEST_HEADERS.map(([name]) => name),
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
      expected: () => ({ ...SIMPLE_BLOCKED, effectRecorded: true }),
    },
    {
      id: 'fetch-no-cors-opaque',
      steps: (ctx) => [
        {
          method: 'POST',
          url: at(ctx, '/no-cors'),
          headers: { 'Content-Type': 'text/plain' },
          body: 'opaque=1',
          mode: 'no-cors',
          transport: 'fetch',
        },
      ],
      expected: () => ({ ...SIMPLE_BLOCKED, responseType: 'opaque', statusSeen: 0 }),
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
      steps: whoami,
      expected: () => ({ ...SIMPLE_READ, allowCredentials: 'true' }),
    },
    {
      id: 'expose-headers',
      steps: getting('/expose'),
      expected: () => ({ ...SIMPLE_READ, exposedReadable: true, hiddenReadable: false }),
    },
    {
      // Expects the safelisted response headers: see experiment-runner.js.
      id: 'safelisted-response-headers',
      steps: getting('/expose'),
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
      steps: whoami,
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
      id: 'samesite-same-site',
      setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
      steps: whoami,
      expected: () => ({ ...SIMPLE_READ, cookieSent: true, fetchSite: 'same-site' }),
    },
    {
      id: 'samesite-lax-cross-site',
      setup: (ctx) => freshLogin(ctx, ctx.alias, 'Lax'),
      steps: aliasWhoami,
      expected: () => ({ ...SIMPLE_READ, cookieSent: false, fetchSite: 'cross-site' }),
    },
  ]),
  ...inSection('meaning', [
    {
      id: 'samesite-none-cross-site',
      setup: (ctx) => freshLogin(ctx, ctx.alias, 'None'),
      steps: aliasWhoami,
      // Whether the cookie goes depends on the browser's third-party cookie setting: shown, not predicted.
      expected: () => ({ ...SIMPLE_READ, fetchSite: 'cross-site' }),
      shows: ['cookieSent'],
    },
    {
      id: 'wildcard-cross-site',
      setup: (ctx) => freshLogin(ctx, ctx.alias, 'None'),
      steps: (ctx) => [{ method: 'GET', url: apiUrl(ctx.alias, '/credentials/wildcard', { run: ctx.run }), withCredentials: true }],
      // Whether the cookie goes depends on the browser's third-party cookie setting: shown, not predicted.
      expected: () => ({ ...SIMPLE_BLOCKED, allowOrigin: '*' }),
      shows: ['cookieSent'],
    },
    {
      id: 'other-host-cookie',
      setup: (ctx) => freshLogin(ctx, ctx.alias, 'None'),
      steps: () => [],
      expected: () => ({ preflights: 0, actuals: 0, otherHostCookieReadable: false }),
    },
    {
      id: 'page-cookie-stays-home',
      steps: aliasWhoami,
      expected: () => ({ ...SIMPLE_READ, fetchSite: 'cross-site', pageCookieSent: false }),
    },
    {
      id: 'httponly-and-ports',
      noteImprecise: true,
      setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
      steps: () => [],
      expected: () => ({ preflights: 0, actuals: 0, visibleCookieReadable: true, sessionCookieReadable: false }),
    },
    {
      id: 'page-cookie-same-host',
      noteImprecise: true,
      steps: whoami,
      expected: () => ({ ...SIMPLE_READ, fetchSite: 'same-site', pageCookieSent: true }),
    },
  ]),
  ...inSection('preflight', [
    ...['PUT', 'PATCH', 'DELETE'].map((method) => ({
      id: `preflight-${method.toLowerCase()}`,
      text: ['preflight-method', { method }],
      steps: (ctx) => [{ method, url: at(ctx, '/preflight'), headers: JSON_WITH_TOKEN, body: HELLO }],
      expected: (ctx) => ({
        readable: true,
        preflights: 1,
        actuals: 1,
        requestMethodAsked: method,
        actualOrigin: ctx.pageOrigin,
        allowOrigin: ctx.pageOrigin,
      }),
    })),
    {
      id: 'preflight-custom-header',
      steps: (ctx) => [{ method: 'GET', url: at(ctx, '/preflight'), headers: { 'X-Lab-Token': 'lab' } }],
      expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'x-lab-token' }),
    },
    {
      id: 'preflight-refused-origin',
      runsOn: 'untrusted',
      steps: (ctx) => [jsonPut(ctx, HELLO)],
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
      steps: (ctx) => [1, 2, 3].map((n) => jsonPut(ctx, `{"n":${n}}`)),
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
      steps: (ctx) => [{ jsonp: at(ctx, '/jsonp', { callback: `labJsonp.${jsonpCallback(ctx)}` }), callback: jsonpCallback(ctx) }],
      expected: () => ({ ...SIMPLE_READ, fetchMode: 'no-cors', allowOrigin: null }),
    },
    {
      id: 'jsonp-only-get',
      steps: (ctx) => [
        { jsonp: at(ctx, '/jsonp', { callback: `labJsonp.${jsonpCallback(ctx)}` }), callback: jsonpCallback(ctx) },
        // A callback the API refuses: a 400, of which the script element reports only "error".
        { jsonp: at(ctx, '/jsonp', { callback: 'not a name' }), callback: `${jsonpCallback(ctx)}_refused` },
      ],
      expected: () => ({
        readable: false,
        preflights: 0,
        actuals: 2,
        methodsArrived: ['GET', 'GET'],
        serverStatus: 400,
        scriptSaw: ['called', 'script-error'],
      }),
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
