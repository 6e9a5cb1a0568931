// The note on preflights, and on JSONP, the way around CORS it replaces.
import { BLOCKED_AT_PREFLIGHT, HELLO, JSON_WITH_TOKEN, SIMPLE_BLOCKED, SIMPLE_READ, at, getting, inSection } from './helpers.js';
import { request, response } from './helpers.js';

const jsonPut = (ctx, body) => ({ method: 'PUT', url: at(ctx, '/preflight'), headers: JSON_WITH_TOKEN, body });
const jsonpCallback = (ctx) => `cb_${ctx.run.replace(/-/g, '_')}`;
const jsonp = (ctx) => ({ jsonp: at(ctx, '/jsonp', { callback: `labJsonp.${jsonpCallback(ctx)}` }), callback: jsonpCallback(ctx) });
const PUBLIC_DATA = [[0, 'body', 'Public data']];
const script = (index) => request(index, 'sec-fetch-dest', 'script');

const PREFLIGHT = inSection('preflight', [
  ...['PUT', 'PATCH', 'DELETE'].map((method) => ({
    id: `preflight-${method.toLowerCase()}`,
    text: ['preflight-method', { method }],
    indexCheck: method === 'PUT',
    steps: (ctx) => [{ method, url: at(ctx, '/preflight'), headers: JSON_WITH_TOKEN, body: HELLO }],
    wire: `OPTIONS 200, ${method} 200`,
    headers: () => [response(0, 'access-control-max-age', '600')],
    expected: (ctx) => ({
      readable: true,
      preflights: 1,
      actuals: 1,
      requestMethodAsked: method,
      requestHeadersAsked: 'content-type,x-lab-token',
      actualOrigin: ctx.pageOrigin,
      allowOrigin: ctx.pageOrigin,
    }),
  })),
  {
    id: 'preflight-custom-header',
    steps: (ctx) => [{ method: 'GET', url: at(ctx, '/preflight'), headers: { 'X-Lab-Token': 'lab' } }],
    wire: 'OPTIONS 200, GET 200',
    expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'x-lab-token' }),
  },
  {
    id: 'preflight-refused-origin',
    symptom: 'request-never-arrives',
    runsOn: 'untrusted',
    steps: (ctx) => [jsonPut(ctx, HELLO)],
    wire: 'OPTIONS 200',
    expected: () => ({ ...BLOCKED_AT_PREFLIGHT, preflightStatus: 200, preflightAllowOrigin: null }),
  },
  {
    id: 'preflight-refused-method',
    symptom: 'method-not-allowed',
    steps: (ctx) => [{ method: 'PROPFIND', url: at(ctx, '/preflight') }],
    wire: 'OPTIONS 200',
    headers: () => [response(0, 'access-control-allow-methods', null)],
    expected: (ctx) => ({ ...BLOCKED_AT_PREFLIGHT, requestMethodAsked: 'PROPFIND', preflightAllowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'preflight-refused-header',
    symptom: 'header-not-allowed',
    steps: (ctx) => [{ method: 'PUT', url: at(ctx, '/preflight'), headers: { 'X-Other': '1' } }],
    wire: 'OPTIONS 200',
    headers: () => [response(0, 'access-control-allow-headers', null)],
    expected: (ctx) => ({ ...BLOCKED_AT_PREFLIGHT, requestHeadersAsked: 'x-other', preflightAllowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'max-age-caches-preflight',
    steps: (ctx) => [1, 2, 3].map((n) => jsonPut(ctx, `{"n":${n}}`)),
    wire: 'OPTIONS 200, PUT 200, PUT 200, PUT 200',
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
    wire: 'OPTIONS 204, PUT 200, OPTIONS 204, PUT 200, OPTIONS 204, PUT 200',
    headers: () => [response(0, 'access-control-max-age', '0')],
    expected: () => ({ readable: true, preflights: 3, actuals: 3 }),
  },
]);

const JSONP = inSection('jsonp', [
  {
    id: 'jsonp-from-untrusted-origin',
    runsOn: 'untrusted',
    steps: (ctx) => [jsonp(ctx)],
    wire: 'GET 200',
    headers: () => [script(0)],
    saw: PUBLIC_DATA,
    expected: () => ({ ...SIMPLE_READ, fetchMode: 'no-cors', allowOrigin: null }),
  },
  {
    id: 'jsonp-only-get',
    steps: (ctx) => [
      jsonp(ctx),
      // A callback the API refuses: a 400, of which the script element reports only "error".
      { jsonp: at(ctx, '/jsonp', { callback: 'not a name' }), callback: `${jsonpCallback(ctx)}_refused` },
    ],
    wire: 'GET 200, GET 400',
    headers: () => [script(0), script(1), request(1, 'content-type', null)],
    expected: () => ({
      readable: false,
      preflights: 0,
      actuals: 2,
      methodsArrived: ['GET', 'GET'],
      serverStatus: 400,
      scriptSaw: ['called', 'script-error'],
    }),
    observe: (outcome) => ({ scriptSaw: outcome.results.map((result) => result.outcome) }),
  },
  {
    id: 'same-data-over-cors',
    steps: getting('/data'),
    wire: 'GET 200',
    saw: PUBLIC_DATA,
    expected: (ctx) => ({ ...SIMPLE_READ, allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'same-data-over-cors-untrusted',
    runsOn: 'untrusted',
    steps: getting('/data'),
    wire: 'GET 200',
    expected: () => ({ ...SIMPLE_BLOCKED, allowOrigin: null }),
  },
]);

export const PREFLIGHT_AND_JSONP = [...PREFLIGHT, ...JSONP];
