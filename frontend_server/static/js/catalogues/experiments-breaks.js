// Where real CORS breaks, as data (same shape as experiments-catalogue.js): the actual answer
// apart from its preflight, error answers, a header sent twice, redirects, HTTP authentication.
// Expected facts are written by hand, as Chromium 156 was seen to behave (docs/browser-facts.md, "Where real CORS breaks").
import { apiUrl } from '../core/api.js';

export const BREAK_SECTIONS = [
  { id: 'actual-answer' },
  { id: 'redirects', quote: false },
  { id: 'auth' },
  { id: 'baseline' },
];

// The requests of the same-origin baseline: the API's /baseline.js (api_server/baseline.py) sends
// these very requests to its own origin; the page sends them cross-origin. The same code.
export const baselineRequests = (base, run) => {
  const lab = `${base}/lab?acao=echo&acam=PUT&acah=content-type&run=${run}`;
  return [
    { method: 'GET', url: lab },
    { method: 'PUT', url: lab, headers: { 'Content-Type': 'application/json' }, body: '{"hello":"cors"}' },
  ];
};

const at = (ctx, path, params = {}) => apiUrl(ctx.api, path, { ...params, run: ctx.run });
const inSection = (section, experiments) => experiments.map((experiment) => ({ ...experiment, section }));
const PUT_ALLOWED_BY_PREFLIGHT_ONLY = { pf_acao: 'echo', pf_acam: 'PUT' };
const HELLO = '{"hello":"cors"}';
const JSON_TYPE = { 'Content-Type': 'application/json' };
// A /lab URL for a redirect's location: the next hop's policy in its own query.
const labHop = (origin, params) => apiUrl(origin, '/lab', params);
const basicToken = (ctx) => `Basic ${btoa(`${ctx.basicAuth.user}:${ctx.basicAuth.password}`)}`;
// A PUT with a text body: only its method needs the preflight's permission.
const put = (ctx, params) => ({ method: 'PUT', url: at(ctx, '/lab', params), body: HELLO });
const getLab = (ctx, params) => [{ method: 'GET', url: at(ctx, '/lab', params) }];
const blockedAfterPreflight = { readable: false, preflights: 1, actuals: 1 };

export const BREAK_DATA = [
  ...inSection('actual-answer', [
    {
      id: 'preflight-passes-answer-lacks-allow-origin',
      steps: (ctx) => [put(ctx, PUT_ALLOWED_BY_PREFLIGHT_ONLY)],
      expected: (ctx) => ({ ...blockedAfterPreflight, preflightAllowOrigin: ctx.pageOrigin, allowOrigin: null }),
    },
    ...[401, 404, 500].map((status) => ({
      id: `error-${status}-without-cors`,
      text: ['error-without-cors', { status }],
      steps: (ctx) => [put(ctx, { ...PUT_ALLOWED_BY_PREFLIGHT_ONLY, status })],
      expected: () => ({ ...blockedAfterPreflight, serverStatus: status, statusSeen: 0, allowOrigin: null }),
    })),
    {
      id: 'error-500-with-cors',
      steps: (ctx) => [put(ctx, { acao: 'echo', acam: 'PUT', status: 500 })],
      expected: (ctx) => ({ ...blockedAfterPreflight, readable: true, serverStatus: 500, statusSeen: 500, allowOrigin: ctx.pageOrigin }),
    },
    {
      id: 'allow-origin-twice',
      steps: (ctx) => [{ method: 'GET', url: `${at(ctx, '/lab', { acao: '*' })}&acao=*` }],
      expected: () => ({ readable: false, preflights: 0, actuals: 1, allowOrigin: '*, *' }),
    },
  ]),
  ...inSection('redirects', [
    {
      id: 'redirect-on-preflight',
      steps: (ctx) => [
        {
          method: 'PUT',
          url: at(ctx, '/lab', {
            acao: 'echo',
            acam: 'PUT',
            acah: 'content-type',
            redirect: 308,
            redirect_on: 'preflight',
            location: labHop(ctx.api, { acao: 'echo', acam: 'PUT', acah: 'content-type' }),
          }),
          headers: JSON_TYPE,
          body: HELLO,
        },
      ],
      expected: (ctx) => ({ readable: false, preflights: 1, actuals: 0, preflightStatus: 308, preflightAllowOrigin: ctx.pageOrigin }),
    },
    {
      id: 'redirect-same-origin',
      steps: (ctx) => getLab(ctx, { acao: 'echo', redirect: 302, location: labHop(ctx.api, { acao: 'echo' }) }),
      expected: (ctx) => ({ readable: true, preflights: 0, actuals: 2, actualOrigin: ctx.pageOrigin, allowOrigin: ctx.pageOrigin }),
    },
    {
      id: 'redirect-cross-origin-page-origin',
      steps: (ctx) => getLab(ctx, { acao: 'echo', redirect: 302, location: labHop(ctx.alias, { acao: ctx.pageOrigin }) }),
      expected: (ctx) => ({ readable: false, preflights: 0, actuals: 2, actualOrigin: 'null', allowOrigin: ctx.pageOrigin }),
    },
    {
      id: 'redirect-cross-origin-null',
      steps: (ctx) => getLab(ctx, { acao: 'echo', redirect: 302, location: labHop(ctx.alias, { acao: '*' }) }),
      expected: () => ({ readable: true, preflights: 0, actuals: 2, actualOrigin: 'null', allowOrigin: '*' }),
    },
    {
      id: 'redirect-post-becomes-get',
      steps: (ctx) =>
        [301, 302, 307].map((redirect) => ({
          method: 'POST',
          url: at(ctx, '/lab', { acao: 'echo', redirect, location: labHop(ctx.api, { acao: 'echo' }) }),
          headers: { 'Content-Type': 'text/plain' },
          body: `sent with a ${redirect}`,
        })),
      expected: () => ({
        readable: true,
        preflights: 0,
        actuals: 6,
        methodsArrived: ['POST', 'GET', 'POST', 'GET', 'POST', 'POST'],
      }),
    },
    {
      id: 'redirect-needs-allow-origin',
      steps: (ctx) => getLab(ctx, { redirect: 302, location: labHop(ctx.api, { acao: 'echo' }) }),
      expected: () => ({ readable: false, preflights: 0, actuals: 1, serverStatus: 302, allowOrigin: null }),
    },
  ]),
  ...inSection('auth', [
    {
      // prepare (experiment-runner.js) makes the browser hold the credentials, as a visit does.
      id: 'held-credentials-need-with-credentials',
      steps: (ctx) => [
        { method: 'GET', url: at(ctx, '/auth/basic') },
        { method: 'GET', url: at(ctx, '/auth/basic'), withCredentials: true },
      ],
      expected: () => ({ readable: true, preflights: 0, actuals: 2, authorizationOnWire: [false, true], serverStatus: 200 }),
    },
    {
      id: 'held-credentials-need-allow-credentials',
      steps: (ctx) => [{ method: 'GET', url: at(ctx, '/auth/basic-without-allow-credentials'), withCredentials: true }],
      expected: (ctx) => ({
        readable: false,
        preflights: 0,
        actuals: 1,
        authorizationSent: true,
        serverStatus: 200,
        allowOrigin: ctx.pageOrigin,
        allowCredentials: null,
      }),
    },
    {
      id: 'authorization-header-preflighted',
      steps: (ctx) => [{ method: 'GET', url: at(ctx, '/auth/basic'), headers: { Authorization: basicToken(ctx) } }],
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
      expected: () => ({ readable: false, preflights: 1, actuals: 0, requestHeadersAsked: 'authorization' }),
    },
    {
      id: 'basic-401-cross-origin',
      steps: (ctx) => [{ method: 'GET', url: at(ctx, '/auth/basic') }],
      expected: () => ({
        readable: true,
        preflights: 0,
        actuals: 1,
        serverStatus: 401,
        statusSeen: 401,
        authorizationSent: false,
        wwwAuthenticateReadable: false,
      }),
    },
  ]),
  ...inSection('baseline', [
    {
      // prepare (experiment-runner.js) has the API's /baseline frame send them same-origin first.
      id: 'same-origin-baseline',
      steps: (ctx) => baselineRequests(ctx.api, ctx.run),
      expected: (ctx) => ({
        readable: true,
        preflights: 1,
        actuals: 4,
        sameOriginOrigins: [null, ctx.api],
        sameOriginPreflights: 0,
        crossOriginOrigins: [ctx.pageOrigin, ctx.pageOrigin],
        crossOriginPreflights: 1,
      }),
    },
  ]),
];
