// The note on CORS's response headers, and on credentials.
import { LAX_COOKIE_WITHHELD, SIMPLE_BLOCKED, SIMPLE_READ, aliasWhoami, at, freshLogin, getting } from './helpers.js';
import { inCrossSiteFrame, inSection, response, whoami, withheld } from './helpers.js';

// The response headers JavaScript may always read (the Fetch standard's safelist).
const SAFELISTED = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'];
const loginHere = (ctx) => freshLogin(ctx, ctx.api, 'Lax');
const withCredentials = (ctx, path) => [{ method: 'GET', url: at(ctx, path), withCredentials: true }];

const HEADERS = inSection('headers', [
  {
    id: 'allow-origin-must-match',
    symptom: 'origin-not-equal',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/lab', { acao: `${ctx.pageOrigin}/` }) }],
    wire: 'GET 200',
    expected: (ctx) => ({ ...SIMPLE_BLOCKED, allowOrigin: `${ctx.pageOrigin}/` }),
  },
  {
    id: 'allow-credentials-header',
    setup: loginHere,
    steps: whoami,
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_READ, allowCredentials: 'true', cookieSent: true }),
    ...LAX_COOKIE_WITHHELD,
  },
  {
    id: 'expose-headers',
    symptom: 'header-unreadable',
    steps: getting('/expose'),
    wire: 'GET 200',
    headers: () => [response(0, 'access-control-expose-headers', 'X-Lab-Exposed')],
    saw: [[0, 'header', 'x-lab-exposed', 'readable: listed in Access-Control-Expose-Headers']],
    expected: () => ({ ...SIMPLE_READ, exposedReadable: true, hiddenReadable: false }),
    observe: (outcome) => {
      const headers = outcome.results[0].responseHeaders;
      return { exposedReadable: 'x-lab-exposed' in headers, hiddenReadable: 'x-lab-hidden' in headers };
    },
  },
  {
    id: 'safelisted-response-headers',
    steps: getting('/expose'),
    wire: 'GET 200',
    saw: [[0, 'header', 'last-modified', 'Thu, 01 Jan 1970 00:00:00 GMT']],
    expected: () => ({ ...SIMPLE_READ, safelistedReadable: SAFELISTED }),
    observe: (outcome) => ({
      safelistedReadable: SAFELISTED.filter((name) => name in outcome.results[0].responseHeaders),
    }),
  },
]);

const CREDENTIALS = inSection('credentials', [
  {
    id: 'cookies-not-sent-by-default',
    symptom: 'cookie-not-sent',
    setup: loginHere,
    steps: getting('/credentials/whoami'),
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_READ, cookieSent: false, loggedIn: false }),
  },
  {
    id: 'cookies-sent-with-credentials',
    setup: loginHere,
    steps: whoami,
    wire: 'GET 200',
    expected: (ctx) => ({ ...SIMPLE_READ, cookieSent: true, loggedIn: true, allowOrigin: ctx.pageOrigin }),
    withheld: withheld('lax', { cookieSent: false, loggedIn: false }),
  },
  {
    id: 'credentials-refused-with-wildcard',
    symptom: 'wildcard-with-credentials',
    setup: loginHere,
    steps: (ctx) => withCredentials(ctx, '/credentials/wildcard'),
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_BLOCKED, cookieSent: true, allowOrigin: '*', allowCredentials: 'true' }),
    ...LAX_COOKIE_WITHHELD,
  },
  {
    id: 'credentials-refused-without-allow-credentials',
    symptom: 'allow-credentials-missing',
    setup: loginHere,
    steps: (ctx) => withCredentials(ctx, '/credentials/no-allow-credentials'),
    wire: 'GET 200',
    expected: (ctx) => ({ ...SIMPLE_BLOCKED, cookieSent: true, allowOrigin: ctx.pageOrigin, allowCredentials: null }),
    ...LAX_COOKIE_WITHHELD,
  },
  {
    id: 'samesite-same-site',
    setup: loginHere,
    steps: whoami,
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_READ, cookieSent: true, fetchSite: 'same-site' }),
    ...LAX_COOKIE_WITHHELD,
  },
  {
    id: 'samesite-lax-cross-site',
    setup: (ctx) => freshLogin(ctx, ctx.alias, 'Lax'),
    steps: aliasWhoami,
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_READ, cookieSent: false, fetchSite: 'cross-site' }),
    engines: {
      // WebKit compares a cookie's SameSite with the top-level site only: from a frame on localhost
      // under a page on 127.0.0.1, a request to 127.0.0.1 carries the Lax cookie.
      webkit: (ctx) => (inCrossSiteFrame(ctx) ? { cookieSent: true } : null),
    },
  },
]);

export const HEADERS_AND_CREDENTIALS = [...HEADERS, ...CREDENTIALS];
