// Every claim of the note as an experiment: the requests it sends, the facts it expects from
// today's Chromium, and where that differs from the note.
//
// An experiment: { id, section, title, rule, runsOn ('trusted' | 'untrusted'), noteDiffers?,
//   setup?(ctx) -> XHR requests sent first (their traffic is tagged `${run}-setup`),
//   steps(ctx) -> requests sent with the chosen transport (or { jsonp, callback }),
//   after?(ctx) -> extra observations made in the page (e.g. document.cookie),
//   expected(ctx) -> { fact: value }, observe?(outcome, wire, ctx) -> extra facts }
// ctx: { api, alias, pageOrigin, run, transport }.
import { apiUrl } from './api.js';
import { splitWire } from './narrate.js';

export const SECTIONS = [
  {
    id: 'simple',
    title: '1. Simple requests',
    quote: '请求方法是以下三种方法之一：head get post；请求头信息不超过以下字段：Accept、Accept-Language、Content-Language、Last-Event-ID、Content-Type：只限于三个值application/x-www-form-urlencoded、multipart/form-data、text/plain',
    gist: 'A request is simple when its method is HEAD, GET or POST and it sets only safelisted headers; a simple request goes out at once, with an Origin header.',
  },
  {
    id: 'refused',
    title: '2. The refused origin',
    quote: '如果Origin指定的源，不在许可范围内，服务器会返回一个正常的HTTP回应。浏览器发现，这个回应的头信息没有包含Access-Control-Allow-Origin字段，就知道出错了，从而抛出一个错误，被XMLHttpRequest的onerror回调函数捕获。注意，这种错误无法通过状态码识别，因为HTTP回应的状态码有可能是200。',
    gist: 'The server answers an origin it does not trust normally; the browser, finding no Access-Control-Allow-Origin, hides the answer and fires error. The status may well be 200.',
  },
  {
    id: 'headers',
    title: '3. Response headers',
    quote: '如果Origin指定的域名在许可范围内，服务器返回的响应，会多出几个头信息字段。Access-Control-Allow-Origin、Access-Control-Allow-Credentials、Access-Control-Expose-Headers',
    gist: 'For an allowed origin the answer carries Access-Control-Allow-Origin, and may carry -Allow-Credentials and -Expose-Headers.',
  },
  {
    id: 'credentials',
    title: '4. withCredentials and cookies',
    quote: 'CORS请求默认不发送Cookie和HTTP认证信息。如果要把Cookie发到服务器，一方面要服务器同意，指定Access-Control-Allow-Credentials；另一方面，开发者必须在AJAX请求中打开withCredentials属性。如果要发送Cookie，Access-Control-Allow-Origin就不能设为星号，必须指定明确的、与请求网页一致的域名。',
    gist: 'Cookies go only with withCredentials, and the answer is readable only with Allow-Credentials: true and the exact origin, never *.',
  },
  {
    id: 'preflight',
    title: '5. Preflighted requests',
    quote: '非简单请求的CORS请求，会在正式通信之前，增加一次HTTP查询请求，称为"预检"请求（preflight）。……只有得到肯定答复，浏览器才会发出正式的XMLHttpRequest请求，否则就报错。',
    gist: 'A non-simple request is preceded by an OPTIONS preflight; only if the answer allows the origin, method and headers does the browser send the request itself.',
  },
  {
    id: 'jsonp',
    title: '6. JSONP against CORS',
    quote: 'JSONP只支持GET请求，CORS支持所有类型的HTTP请求。JSONP的优势在于支持老式浏览器，以及可以向不支持CORS的网站请求数据。',
    gist: 'JSONP works without CORS, through a script tag, but only for GET; CORS works for every method.',
  },
];

const SESSION = 'lab_session';
const at = (ctx, path, params = {}) => apiUrl(ctx.api, path, { ...params, run: ctx.run });
const setupRun = (ctx) => `${ctx.run}-setup`;
const JSON_PUT = { 'Content-Type': 'application/json', 'X-Lab-Token': 'lab' };

// Log out, then log in afresh on `origin` (an API host) with the given SameSite.
const freshLogin = (ctx, origin, samesite) => [
  { method: 'POST', url: apiUrl(origin, '/credentials/logout', { run: setupRun(ctx) }), withCredentials: true },
  { method: 'POST', url: apiUrl(origin, '/credentials/login', { samesite, run: setupRun(ctx) }), withCredentials: true },
];

const cookieSent = (wire) => splitWire(wire).actuals.some((entry) => (entry.request_headers.cookie ?? []).includes(SESSION));
const lastActual = (wire) => splitWire(wire).actuals.at(-1);
const allowOriginOf = (wire) => lastActual(wire)?.response_headers['access-control-allow-origin'] ?? null;
const loggedIn = (outcome) => {
  try {
    return JSON.parse(outcome.results.at(-1).responseText).logged_in === true;
  } catch {
    return false;
  }
};

const SAFELISTED_REQUEST_HEADERS = [
  ['Accept', 'application/json'],
  ['Accept-Language', 'zh-CN'],
  ['Content-Language', 'zh-CN'],
  ['Content-Type', 'text/plain'],
];
const readableSimple = { readable: true, preflights: 0, actuals: 1 };
const blockedAtPreflight = { readable: false, preflights: 1, actuals: 0 };

export const EXPERIMENTS = [
  // 1. Simple requests
  {
    id: 'simple-get',
    section: 'simple',
    title: 'GET is simple: no preflight',
    rule: 'GET with no custom header is a simple request: sent at once with an Origin header, readable because Access-Control-Allow-Origin names this origin.',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/simple') }],
    expected: (ctx) => ({ ...readableSimple, allowOrigin: ctx.pageOrigin }),
    observe: (outcome, wire) => ({ allowOrigin: allowOriginOf(wire) }),
  },
  {
    id: 'simple-head',
    section: 'simple',
    title: 'HEAD is simple: no preflight',
    rule: 'HEAD is one of the three simple methods.',
    steps: (ctx) => [{ method: 'HEAD', url: at(ctx, '/simple') }],
    expected: () => readableSimple,
  },
  ...[
    ['text-plain', 'text/plain', 'hello'],
    ['form-urlencoded', 'application/x-www-form-urlencoded', 'greeting=hello'],
    ['multipart', 'multipart/form-data; boundary=lab', '--lab\r\nContent-Disposition: form-data; name="greeting"\r\n\r\nhello\r\n--lab--\r\n'],
  ].map(([slug, contentType, body]) => ({
    id: `simple-post-${slug}`,
    section: 'simple',
    title: `POST with Content-Type: ${contentType.split(';')[0]}: no preflight`,
    rule: 'POST is simple when its Content-Type is one of the three the note lists (the form encodings and text/plain).',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/simple'), headers: { 'Content-Type': contentType }, body }],
    expected: () => ({ ...readableSimple, contentTypeArrived: contentType }),
    observe: (outcome, wire) => ({ contentTypeArrived: lastActual(wire)?.request_headers['content-type'] ?? null }),
  })),
  {
    id: 'safelisted-request-headers',
    section: 'simple',
    title: 'Each safelisted request header: no preflight',
    rule: 'Accept, Accept-Language, Content-Language and Content-Type (with a simple value) keep a request simple: four GETs, one header each, no OPTIONS.',
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
    section: 'simple',
    title: 'Last-Event-ID: preflighted today',
    rule: 'Last-Event-ID is not a CORS-safelisted request header, so Chromium sends a preflight asking for it.',
    noteDiffers:
      'The note lists Last-Event-ID among the simple headers. A proposal to add it to the Fetch standard was never merged: Chromium sends OPTIONS with Access-Control-Request-Headers: last-event-id.',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/simple'), headers: { 'Last-Event-ID': '42' } }],
    expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'last-event-id' }),
    observe: (outcome, wire) => ({ requestHeadersAsked: splitWire(wire).preflights[0]?.request_headers['access-control-request-headers'] ?? null }),
  },
  {
    id: 'json-content-type',
    section: 'simple',
    title: 'Content-Type: application/json: preflighted',
    rule: 'application/json is not one of the three simple Content-Types, so the POST needs a preflight.',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/simple'), headers: { 'Content-Type': 'application/json' }, body: '{"hello":"cors"}' }],
    expected: () => ({ readable: true, preflights: 1, actuals: 1 }),
  },

  // 2. The refused origin
  {
    id: 'refused-origin',
    section: 'refused',
    title: 'Untrusted origin: the server answers 200, the browser hides it',
    rule: 'Run from the untrusted origin (in a hidden frame): the API answers normally but sends no Access-Control-Allow-Origin, so the browser fires error with status 0.',
    runsOn: 'untrusted',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/simple') }],
    expected: () => ({ ...readableSimple, readable: false, serverStatus: 200, allowOrigin: null }),
    observe: (outcome, wire) => ({ serverStatus: lastActual(wire)?.status ?? null, allowOrigin: allowOriginOf(wire) }),
  },
  {
    id: 'no-cors-post-takes-effect',
    section: 'refused',
    title: 'A simple POST takes effect although the page cannot read the answer',
    rule: 'CORS protects reading, not sending: a text/plain POST goes out without preflight, and /no-cors records it. This is why CORS is no defence against CSRF.',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/no-cors'), headers: { 'Content-Type': 'text/plain' }, body: 'transfer=100' }],
    after: async (ctx) => {
      const response = await fetch(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }), { cache: 'no-store' });
      return { effects: (await response.json()).effects.map((effect) => effect.body) };
    },
    expected: () => ({ ...readableSimple, readable: false, effectRecorded: true }),
    observe: (outcome) => ({ effectRecorded: outcome.extra.effects.includes('transfer=100') }),
  },
  {
    id: 'fetch-no-cors-opaque',
    section: 'refused',
    title: "fetch with mode: 'no-cors': an opaque response",
    rule: "mode: 'no-cors' asks for no CORS at all: the request is sent (simple methods and headers only) and fetch resolves with an opaque response: type 'opaque', status 0, no headers, no body. Always fetch, whichever transport is chosen.",
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/no-cors'), headers: { 'Content-Type': 'text/plain' }, body: 'opaque=1', mode: 'no-cors', transport: 'fetch' }],
    expected: () => ({ ...readableSimple, readable: false, responseType: 'opaque', statusSeen: 0 }),
    observe: (outcome) => ({ responseType: outcome.results[0].type ?? null, statusSeen: outcome.results[0].status }),
  },

  // 3. Response headers
  {
    id: 'allow-origin-must-match',
    section: 'headers',
    title: 'Access-Control-Allow-Origin must match byte for byte',
    rule: 'The /lab endpoint sends this origin with a trailing slash: one character off, and the browser refuses the answer.',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/lab', { acao: `${ctx.pageOrigin}/` }) }],
    expected: (ctx) => ({ ...readableSimple, readable: false, allowOrigin: `${ctx.pageOrigin}/` }),
    observe: (outcome, wire) => ({ allowOrigin: allowOriginOf(wire) }),
  },
  {
    id: 'allow-credentials-header',
    section: 'headers',
    title: 'Access-Control-Allow-Credentials: true lets a credentialed answer through',
    rule: 'With withCredentials, the answer must carry Access-Control-Allow-Credentials: true and the exact origin.',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }],
    expected: () => ({ ...readableSimple, allowCredentials: 'true' }),
    observe: (outcome, wire) => ({ allowCredentials: lastActual(wire)?.response_headers['access-control-allow-credentials'] ?? null }),
  },
  {
    id: 'expose-headers',
    section: 'headers',
    title: 'Access-Control-Expose-Headers: only listed headers are readable',
    rule: 'getResponseHeader returns X-Lab-Exposed, which the API lists in Access-Control-Expose-Headers, and null for X-Lab-Hidden, which it does not.',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/expose') }],
    expected: () => ({ ...readableSimple, exposedReadable: true, hiddenReadable: false }),
    observe: (outcome) => {
      const headers = outcome.results[0].responseHeaders;
      return { exposedReadable: 'x-lab-exposed' in headers, hiddenReadable: 'x-lab-hidden' in headers };
    },
  },
  {
    id: 'safelisted-response-headers',
    section: 'headers',
    title: 'Seven response headers are readable without exposure',
    rule: 'Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified and Pragma are CORS-safelisted: readable even when not listed.',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/expose') }],
    expected: () => ({
      ...readableSimple,
      safelistedReadable: ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'],
    }),
    observe: (outcome) => ({
      safelistedReadable: ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'].filter(
        (name) => name in outcome.results[0].responseHeaders,
      ),
    }),
  },

  // 4. withCredentials and cookies
  {
    id: 'cookies-not-sent-by-default',
    section: 'credentials',
    title: 'Cookies are not sent by default',
    rule: 'After logging in, a request without withCredentials carries no cookie: whoami says logged_in false.',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami') }],
    expected: () => ({ ...readableSimple, cookieSent: false, loggedIn: false }),
    observe: (outcome, wire) => ({ cookieSent: cookieSent(wire), loggedIn: loggedIn(outcome) }),
  },
  {
    id: 'cookies-sent-with-credentials',
    section: 'credentials',
    title: 'withCredentials + Allow-Credentials + the exact origin: cookies go, the answer is readable',
    rule: 'Both sides agree: the page sets withCredentials, the API answers with Access-Control-Allow-Credentials: true and this exact origin.',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }],
    expected: (ctx) => ({ ...readableSimple, cookieSent: true, loggedIn: true, allowOrigin: ctx.pageOrigin }),
    observe: (outcome, wire) => ({ cookieSent: cookieSent(wire), loggedIn: loggedIn(outcome), allowOrigin: allowOriginOf(wire) }),
  },
  {
    id: 'credentials-refused-with-wildcard',
    section: 'credentials',
    title: 'Allow-Origin: * with credentials is refused',
    rule: 'For a credentialed request Access-Control-Allow-Origin cannot be *: the cookie was sent and the server answered, but the browser hides the answer.',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/wildcard'), withCredentials: true }],
    expected: () => ({ ...readableSimple, readable: false, cookieSent: true, allowOrigin: '*' }),
    observe: (outcome, wire) => ({ cookieSent: cookieSent(wire), allowOrigin: allowOriginOf(wire) }),
  },
  {
    id: 'credentials-refused-without-allow-credentials',
    section: 'credentials',
    title: 'No Allow-Credentials: refused',
    rule: 'The exact origin is not enough: without Access-Control-Allow-Credentials: true a credentialed answer is hidden.',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/no-allow-credentials'), withCredentials: true }],
    expected: () => ({ ...readableSimple, readable: false, cookieSent: true, allowCredentials: null }),
    observe: (outcome, wire) => ({
      cookieSent: cookieSent(wire),
      allowCredentials: lastActual(wire)?.response_headers['access-control-allow-credentials'] ?? null,
    }),
  },
  {
    id: 'httponly-and-ports',
    section: 'credentials',
    title: 'document.cookie: HttpOnly hides lab_session, and ports do not isolate cookies',
    rule: 'The note asks what its paragraph on cookies means. A cookie belongs to the host that set it: the API on localhost:8001 set lab_session (HttpOnly: never visible to scripts) and lab_visible. This page, on localhost:8000, reads lab_visible.',
    noteDiffers:
      'The note says the page\u2019s document.cookie cannot read the server\u2019s cookies. Cookies are isolated by host, not by port: a page on localhost:8000 reads a non-HttpOnly cookie set by localhost:8001.',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: () => [],
    after: async () => ({ documentCookie: document.cookie }),
    expected: () => ({ preflights: 0, actuals: 0, visibleCookieReadable: true, sessionCookieReadable: false }),
    observe: (outcome) => ({
      visibleCookieReadable: /(^|; )lab_visible=set-by-localhost-/.test(outcome.extra.documentCookie),
      sessionCookieReadable: /(^|; )lab_session=/.test(outcome.extra.documentCookie),
    }),
  },
  {
    id: 'other-host-cookie',
    section: 'credentials',
    title: 'A cookie of another host is never in document.cookie',
    rule: 'Log in on the API\u2019s other host, 127.0.0.1:8001 (SameSite=None; Secure): whatever the browser does with that cookie, it belongs to 127.0.0.1, and this page on localhost cannot read it.',
    setup: (ctx) => freshLogin(ctx, ctx.alias, 'None'),
    steps: () => [],
    after: async () => ({ documentCookie: document.cookie }),
    expected: () => ({ preflights: 0, actuals: 0, otherHostCookieReadable: false }),
    observe: (outcome) => ({ otherHostCookieReadable: outcome.extra.documentCookie.includes('set-by-127.0.0.1') }),
  },
  {
    id: 'samesite-same-site',
    section: 'credentials',
    title: 'SameSite=Lax: sent between two ports of localhost (same site)',
    rule: 'localhost:8000 and localhost:8001 are two origins but one site (Sec-Fetch-Site: same-site), so a SameSite=Lax cookie goes with a credentialed request.',
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }],
    expected: () => ({ ...readableSimple, cookieSent: true, fetchSite: 'same-site' }),
    observe: (outcome, wire) => ({ cookieSent: cookieSent(wire), fetchSite: lastActual(wire)?.request_headers['sec-fetch-site'] ?? null }),
  },
  {
    id: 'samesite-lax-cross-site',
    section: 'credentials',
    title: 'SameSite=Lax: never sent cross-site (localhost \u2192 127.0.0.1)',
    rule: 'localhost and 127.0.0.1 are different sites: a Lax cookie of 127.0.0.1 is neither stored from nor sent with a cross-site request.',
    setup: (ctx) => freshLogin(ctx, ctx.alias, 'Lax'),
    steps: (ctx) => [{ method: 'GET', url: apiUrl(ctx.alias, '/credentials/whoami', { run: ctx.run }), withCredentials: true }],
    expected: () => ({ ...readableSimple, cookieSent: false, fetchSite: 'cross-site' }),
    observe: (outcome, wire) => ({ cookieSent: cookieSent(wire), fetchSite: lastActual(wire)?.request_headers['sec-fetch-site'] ?? null }),
  },
  {
    id: 'samesite-none-cross-site',
    section: 'credentials',
    title: 'SameSite=None; Secure cross-site: sent only where third-party cookies are allowed',
    rule: 'SameSite=None lets a cookie cross sites, but browsers that block third-party cookies (Playwright\u2019s Chromium does by default) still drop it. The cookie column says what your browser did.',
    setup: (ctx) => freshLogin(ctx, ctx.alias, 'None'),
    steps: (ctx) => [{ method: 'GET', url: apiUrl(ctx.alias, '/credentials/whoami', { run: ctx.run }), withCredentials: true }],
    // Whether the cookie goes depends on the browser's third-party cookie setting: not predicted.
    expected: () => ({ ...readableSimple, fetchSite: 'cross-site' }),
    observe: (outcome, wire) => ({ cookieSent: cookieSent(wire), fetchSite: lastActual(wire)?.request_headers['sec-fetch-site'] ?? null }),
  },

  // 5. Preflighted requests
  ...['PUT', 'PATCH', 'DELETE'].map((method) => ({
    id: `preflight-${method.toLowerCase()}`,
    section: 'preflight',
    title: `${method}: OPTIONS first, then the ${method}`,
    rule: `${method} is not a simple method. The preflight carries Access-Control-Request-Method and -Headers; once allowed, the ${method} itself carries Origin and gets Access-Control-Allow-Origin, like a simple request.`,
    steps: (ctx) => [{ method, url: at(ctx, '/preflight'), headers: JSON_PUT, body: '{"hello":"cors"}' }],
    expected: (ctx) => ({ readable: true, preflights: 1, actuals: 1, requestMethodAsked: method, actualOrigin: ctx.pageOrigin, allowOrigin: ctx.pageOrigin }),
    observe: (outcome, wire) => ({
      requestMethodAsked: splitWire(wire).preflights[0]?.request_headers['access-control-request-method'] ?? null,
      actualOrigin: lastActual(wire)?.request_headers.origin ?? null,
      allowOrigin: allowOriginOf(wire),
    }),
  })),
  {
    id: 'preflight-custom-header',
    section: 'preflight',
    title: 'A custom header (X-Lab-Token) makes even a GET preflighted',
    rule: 'Any header outside the safelist makes the request non-simple; the preflight names it in Access-Control-Request-Headers.',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/preflight'), headers: { 'X-Lab-Token': 'lab' } }],
    expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'x-lab-token' }),
    observe: (outcome, wire) => ({ requestHeadersAsked: splitWire(wire).preflights[0]?.request_headers['access-control-request-headers'] ?? null }),
  },
  {
    id: 'preflight-refused-origin',
    section: 'preflight',
    title: 'Preflight refused for the origin: the PUT never leaves the browser',
    rule: 'From the untrusted origin, the API answers the OPTIONS with 200 but no Access-Control-* header: the browser reports an error and never sends the PUT.',
    runsOn: 'untrusted',
    steps: (ctx) => [{ method: 'PUT', url: at(ctx, '/preflight'), headers: JSON_PUT, body: '{"hello":"cors"}' }],
    expected: () => ({ ...blockedAtPreflight, preflightStatus: 200 }),
    observe: (outcome, wire) => ({ preflightStatus: splitWire(wire).preflights[0]?.status ?? null }),
  },
  {
    id: 'preflight-refused-method',
    section: 'preflight',
    title: 'Preflight refused for the method',
    rule: 'PROPFIND is not in the API\u2019s allowed methods: the preflight answer allows this origin but names no method, and the PROPFIND is never sent.',
    steps: (ctx) => [{ method: 'PROPFIND', url: at(ctx, '/preflight') }],
    expected: (ctx) => ({ ...blockedAtPreflight, preflightAllowOrigin: ctx.pageOrigin }),
    observe: (outcome, wire) => ({ preflightAllowOrigin: splitWire(wire).preflights[0]?.response_headers['access-control-allow-origin'] ?? null }),
  },
  {
    id: 'preflight-refused-header',
    section: 'preflight',
    title: 'Preflight refused for a header',
    rule: 'X-Other is not in Access-Control-Allow-Headers: the PUT is never sent.',
    steps: (ctx) => [{ method: 'PUT', url: at(ctx, '/preflight'), headers: { 'X-Other': '1' } }],
    expected: (ctx) => ({ ...blockedAtPreflight, preflightAllowOrigin: ctx.pageOrigin }),
    observe: (outcome, wire) => ({ preflightAllowOrigin: splitWire(wire).preflights[0]?.response_headers['access-control-allow-origin'] ?? null }),
  },
  {
    id: 'max-age-caches-preflight',
    section: 'preflight',
    title: 'Access-Control-Max-Age: 600: three PUTs, one preflight',
    rule: 'The browser caches an allowed preflight for Max-Age seconds (per URL, origin and credentials mode): the second and third PUT go without asking again.',
    steps: (ctx) => [1, 2, 3].map((n) => ({ method: 'PUT', url: at(ctx, '/preflight'), headers: JSON_PUT, body: `{"n":${n}}` })),
    expected: () => ({ readable: true, preflights: 1, actuals: 3 }),
  },
  {
    id: 'max-age-zero',
    section: 'preflight',
    title: 'Access-Control-Max-Age: 0: every PUT is preflighted',
    rule: 'Through /lab with max_age=0, nothing is cached: three PUTs, three preflights.',
    steps: (ctx) =>
      [1, 2, 3].map((n) => ({
        method: 'PUT',
        url: at(ctx, '/lab', { acao: 'echo', acam: 'PUT', acah: 'content-type, x-lab-token', max_age: '0' }),
        headers: JSON_PUT,
        body: `{"n":${n}}`,
      })),
    expected: () => ({ readable: true, preflights: 3, actuals: 3 }),
  },

  // 6. JSONP against CORS
  {
    id: 'jsonp-from-untrusted-origin',
    section: 'jsonp',
    title: 'JSONP works even from the untrusted origin',
    rule: 'A script element is not subject to CORS: from the untrusted origin the API\u2019s /jsonp answer runs and calls the page\u2019s callback. That is a trust decision: the page runs whatever the API returns, with the page\u2019s full authority.',
    runsOn: 'untrusted',
    steps: (ctx) => {
      const callback = `cb_${ctx.run.replace(/-/g, '_')}`;
      return [{ jsonp: at(ctx, '/jsonp', { callback: `labJsonp.${callback}` }), callback }];
    },
    expected: () => ({ ...readableSimple, fetchMode: 'no-cors', allowOrigin: null }),
    observe: (outcome, wire) => ({ fetchMode: lastActual(wire)?.request_headers['sec-fetch-mode'] ?? null, allowOrigin: allowOriginOf(wire) }),
  },
  {
    id: 'jsonp-only-get',
    section: 'jsonp',
    title: 'JSONP is GET only',
    rule: 'A script element can only GET. A POST to /jsonp is answered 405, and without CORS headers the page cannot even read that.',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/jsonp', { callback: 'handle' }), headers: { 'Content-Type': 'text/plain' }, body: 'x' }],
    expected: () => ({ ...readableSimple, readable: false, serverStatus: 405 }),
    observe: (outcome, wire) => ({ serverStatus: lastActual(wire)?.status ?? null }),
  },
  {
    id: 'same-data-over-cors',
    section: 'jsonp',
    title: 'The same data over CORS: readable from the trusted origin',
    rule: 'GET /data returns the JSONP payload as JSON, with CORS for allowlisted origins: the page reads it as data, and runs no code from the API.',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/data') }],
    expected: (ctx) => ({ ...readableSimple, allowOrigin: ctx.pageOrigin }),
    observe: (outcome, wire) => ({ allowOrigin: allowOriginOf(wire) }),
  },
  {
    id: 'same-data-over-cors-untrusted',
    section: 'jsonp',
    title: 'The same data over CORS from the untrusted origin: blocked',
    rule: 'Where JSONP succeeded, CORS lets the API decide: the untrusted origin gets no Access-Control-Allow-Origin.',
    runsOn: 'untrusted',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/data') }],
    expected: () => ({ ...readableSimple, readable: false, allowOrigin: null }),
    observe: (outcome, wire) => ({ allowOrigin: allowOriginOf(wire) }),
  },
];

// What each fact means, as the results table shows it.
export const FACT_LABELS = {
  readable: 'JavaScript could read the response',
  preflights: 'OPTIONS preflights that reached the API',
  actuals: 'actual requests that reached the API',
  allowOrigin: 'Access-Control-Allow-Origin on the answer',
  allowCredentials: 'Access-Control-Allow-Credentials on the answer',
  contentTypeArrived: 'Content-Type that arrived',
  headersArrived: 'safelisted headers that arrived',
  requestHeadersAsked: 'Access-Control-Request-Headers of the preflight',
  requestMethodAsked: 'Access-Control-Request-Method of the preflight',
  serverStatus: 'status the server sent',
  effectRecorded: 'the POST took effect on the server',
  responseType: 'response.type',
  statusSeen: 'status JavaScript saw',
  exposedReadable: 'X-Lab-Exposed readable',
  hiddenReadable: 'X-Lab-Hidden readable',
  safelistedReadable: 'safelisted response headers readable',
  cookieSent: 'lab_session cookie arrived at the API',
  loggedIn: 'whoami said logged_in',
  visibleCookieReadable: 'document.cookie shows lab_visible set by localhost:8001',
  sessionCookieReadable: 'document.cookie shows lab_session (HttpOnly)',
  otherHostCookieReadable: 'document.cookie shows a cookie of 127.0.0.1',
  fetchSite: 'Sec-Fetch-Site of the request',
  fetchMode: 'Sec-Fetch-Mode of the request',
  actualOrigin: 'Origin on the actual request',
  preflightStatus: 'status of the preflight',
  preflightAllowOrigin: 'Access-Control-Allow-Origin on the preflight',
};
