// What the note's sentence on credentials means: which cookies go where, who reads them.
import { apiUrl } from '../../core/api.js';
import { forgetReadableCookies, hasCookie, readCookies, setBy, setPageCookie } from './preparations.js';
import { COOKIE_GOES_WHERE_ALLOWED, SIMPLE_BLOCKED, SIMPLE_READ, aliasWhoami, freshLogin, inSection, whoami, withheld } from './helpers.js';

const loginOnAlias = (ctx) => freshLogin(ctx, ctx.alias, 'None');

export const MEANING = inSection('meaning', [
  {
    id: 'samesite-none-cross-site',
    setup: loginOnAlias,
    steps: aliasWhoami,
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_READ, fetchSite: 'cross-site' }),
    // Whether the cookie goes depends on the browser's third-party cookie setting: shown, not predicted.
    shows: ['cookieSent'],
    thirdPartyCookies: COOKIE_GOES_WHERE_ALLOWED,
    // The note's claim this card shows: where the cookie did not go, the card says so, loudly.
    claim: 'cookieSent',
  },
  {
    id: 'wildcard-cross-site',
    setup: loginOnAlias,
    steps: (ctx) => [{ method: 'GET', url: apiUrl(ctx.alias, '/credentials/wildcard', { run: ctx.run }), withCredentials: true }],
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_BLOCKED, allowOrigin: '*' }),
    // Where third-party cookies are allowed the cookie goes, and the answer is refused all the same.
    shows: ['cookieSent'],
    thirdPartyCookies: COOKIE_GOES_WHERE_ALLOWED,
  },
  {
    id: 'other-host-cookie',
    prepare: forgetReadableCookies,
    setup: loginOnAlias,
    steps: () => [],
    after: readCookies,
    wire: '',
    expected: () => ({ preflights: 0, actuals: 0, otherHostCookieReadable: false }),
    observe: (outcome, wire, ctx) => ({ otherHostCookieReadable: outcome.extra.documentCookie.includes(setBy(ctx.alias)) }),
  },
  {
    id: 'page-cookie-stays-home',
    prepare: setPageCookie,
    steps: aliasWhoami,
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_READ, fetchSite: 'cross-site', pageCookieSent: false }),
  },
  {
    id: 'httponly-and-ports',
    noteImprecise: true,
    setup: (ctx) => freshLogin(ctx, ctx.api, 'Lax'),
    steps: () => [],
    after: readCookies,
    wire: '',
    expected: () => ({ preflights: 0, actuals: 0, visibleCookieReadable: true, sessionCookieReadable: false }),
    withheld: withheld('lax', { visibleCookieReadable: false }),
    observe: (outcome, wire, ctx) => ({
      visibleCookieReadable: outcome.extra.documentCookie.includes(`${ctx.cookies.visible}=${setBy(ctx.api)}`),
      sessionCookieReadable: hasCookie(outcome.extra.documentCookie, ctx.cookies.session),
    }),
  },
  {
    id: 'page-cookie-same-host',
    noteImprecise: true,
    prepare: setPageCookie,
    steps: whoami,
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_READ, fetchSite: 'same-site', pageCookieSent: true }),
    withheld: withheld('lax', { pageCookieSent: false }),
  },
]);
