// What the experiments' entries share (experiments-catalogue.js says what an entry holds).
import { apiUrl } from '../../core/api.js';

// The cookie the page sets for itself (document.cookie), to see where it goes.
export const PAGE_COOKIE = 'lab_page';

export const at = (ctx, path, params = {}) => apiUrl(ctx.api, path, { ...params, run: ctx.run });
export const inSection = (section, experiments) => experiments.map((experiment) => ({ ...experiment, section }));
export const HELLO = '{"hello":"cors"}';
export const JSON_TYPE = { 'Content-Type': 'application/json' };
export const JSON_WITH_TOKEN = { ...JSON_TYPE, 'X-Lab-Token': 'lab' };

// Log out, then log in afresh on `origin` (an API host) with the given SameSite.
export const freshLogin = (ctx, origin, samesite) =>
  ['logout', 'login'].map((step) => ({
    method: 'POST',
    url: apiUrl(origin, `/credentials/${step}`, { ...(step === 'login' && { samesite }), run: `${ctx.run}-setup` }),
    withCredentials: true,
  }));
export const getting = (path, params) => (ctx) => [{ method: 'GET', url: at(ctx, path, params) }];
export const whoami = (ctx) => [{ method: 'GET', url: at(ctx, '/credentials/whoami'), withCredentials: true }];
export const aliasWhoami = (ctx) => [
  { method: 'GET', url: apiUrl(ctx.alias, '/credentials/whoami', { run: ctx.run }), withCredentials: true },
];

// One request, no preflight: read by JavaScript, or blocked.
export const SIMPLE_READ = { readable: true, preflights: 0, actuals: 1 };
export const SIMPLE_BLOCKED = { ...SIMPLE_READ, readable: false };
export const BLOCKED_AT_PREFLIGHT = { readable: false, preflights: 1, actuals: 0 };
export const BLOCKED_AFTER_PREFLIGHT = { readable: false, preflights: 1, actuals: 1 };

// Header expectations: [wire index, 'request' | 'response', name, value (null: absent)].
export const request = (index, name, value) => [index, 'request', name, value];
export const response = (index, name, value) => [index, 'response', name, value];
// How the API's log records an Authorization header.
export const PRESENT = '(present, value not recorded)';

// The facts where the page keeps no Lax (`lax`) or no third-party cookie (ctx.cookieSupport).
export const withheld = (when, facts) => (ctx) => (ctx.cookieSupport?.[when] === false ? facts : {});
export const LAX_COOKIE_WITHHELD = { withheld: withheld('lax', { cookieSent: false }) };
export const COOKIE_GOES_WHERE_ALLOWED = { allowed: { cookieSent: true }, blocked: { cookieSent: false } };

// Run in a frame of another site than the page's (loopback names compare by host).
export const inCrossSiteFrame = (ctx) => new URL(ctx.pageOrigin).hostname !== new URL(globalThis.location.origin).hostname;
