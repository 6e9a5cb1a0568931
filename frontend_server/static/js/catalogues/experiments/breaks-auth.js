// Where real CORS breaks: HTTP authentication; the same requests sent same-origin.
import { baselineRequests } from './baseline-requests.js';
import { authorizationOnWire, holdBasicCredentials, onSide, runBaseline, side } from './preparations.js';
import { PRESENT, at, inCrossSiteFrame, inSection, request, response, withheld } from './helpers.js';

const basicToken = (ctx) => `Basic ${btoa(`${ctx.basicAuth.user}:${ctx.basicAuth.password}`)}`;
const authorization = (index, value = PRESENT) => request(index, 'authorization', value);

// Firefox keeps HTTP credentials per top-level site: a frame under another site holds none, so
// the request goes without Authorization and the 401 comes back (a user would be asked).
const firefoxInAFrame = (facts) => (ctx) => (inCrossSiteFrame(ctx) ? facts : null);

const AUTH = inSection('auth', [
  {
    id: 'held-credentials-need-with-credentials',
    // The browser holds the credentials first, as after a visit.
    prepare: holdBasicCredentials,
    steps: (ctx) => [
      { method: 'GET', url: at(ctx, '/auth/basic') },
      { method: 'GET', url: at(ctx, '/auth/basic'), withCredentials: true },
    ],
    wire: 'GET 401, GET 200',
    headers: () => [authorization(1)],
    saw: [[1, 'body', '"authenticated":true']],
    expected: () => ({ readable: true, preflights: 0, actuals: 2, authorizationOnWire: [false, true], serverStatus: 200 }),
    withheld: withheld('thirdParty', { authorizationOnWire: [false, false], serverStatus: 401 }),
    observe: (outcome, wire) => ({ authorizationOnWire: authorizationOnWire(wire) }),
    engines: { firefox: firefoxInAFrame({ authorizationOnWire: [false, false], serverStatus: 401 }) },
  },
  {
    id: 'held-credentials-need-allow-credentials',
    prepare: holdBasicCredentials,
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/auth/basic-without-allow-credentials'), withCredentials: true }],
    wire: 'GET 200',
    headers: () => [authorization(0)],
    expected: (ctx) => ({
      readable: false,
      preflights: 0,
      actuals: 1,
      authorizationSent: true,
      serverStatus: 200,
      allowOrigin: ctx.pageOrigin,
      allowCredentials: null,
    }),
    withheld: withheld('thirdParty', { authorizationSent: false, serverStatus: 401 }),
    engines: { firefox: firefoxInAFrame({ authorizationSent: false, serverStatus: 401 }) },
  },
  {
    id: 'authorization-header-preflighted',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/auth/basic'), headers: { Authorization: basicToken(ctx) } }],
    wire: 'OPTIONS 200, GET 200',
    headers: () => [authorization(0, null), authorization(1)],
    expected: () => ({
      readable: true,
      preflights: 1,
      actuals: 1,
      requestHeadersAsked: 'authorization',
      authorizationSent: true,
      serverStatus: 200,
    }),
  },
  {
    id: 'authorization-header-needs-allow-headers',
    steps: (ctx) => [
      {
        method: 'GET',
        url: at(ctx, '/lab', { acao: 'echo', acac: 'true' }),
        headers: { Authorization: basicToken(ctx) },
        withCredentials: true,
      },
    ],
    wire: 'OPTIONS 204',
    headers: () => [response(0, 'access-control-allow-headers', null)],
    expected: () => ({ readable: false, preflights: 1, actuals: 0, requestHeadersAsked: 'authorization' }),
  },
  {
    id: 'basic-401-cross-origin',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/auth/basic') }],
    wire: 'GET 401',
    expected: (ctx) => ({
      readable: true,
      preflights: 0,
      actuals: 1,
      serverStatus: 401,
      statusSeen: 401,
      allowOrigin: ctx.pageOrigin,
      authorizationSent: false,
      wwwAuthenticateReadable: false,
    }),
    observe: (outcome) => ({ wwwAuthenticateReadable: 'www-authenticate' in outcome.results[0].responseHeaders }),
  },
]);

const BASELINE = inSection('baseline', [
  {
    id: 'same-origin-baseline',
    // The API's /baseline frame sends the same requests same-origin first.
    prepare: runBaseline,
    steps: (ctx) => baselineRequests(ctx.api, ctx.run),
    wire: 'GET 200, PUT 200, GET 200, OPTIONS 204, PUT 200',
    headers: () => [0, 1].map((index) => request(index, 'sec-fetch-site', 'same-origin')),
    expected: (ctx) => ({
      readable: true,
      preflights: 1,
      actuals: 4,
      requestMethodAsked: 'PUT',
      sameOriginOrigins: [null, ctx.api],
      sameOriginPreflights: 0,
      crossOriginOrigins: [ctx.pageOrigin, ctx.pageOrigin],
      crossOriginPreflights: 1,
    }),
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
]);

export const BREAKING_AUTH = [...AUTH, ...BASELINE];
