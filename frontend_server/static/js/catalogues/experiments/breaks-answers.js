// Where real CORS breaks (docs/browser-facts.md): the actual answer apart from its preflight, redirects.
import { apiUrl } from '../../core/api.js';
import { BLOCKED_AFTER_PREFLIGHT, HELLO, JSON_TYPE, at, inSection, request, response } from './helpers.js';

const PUT_ALLOWED_BY_PREFLIGHT_ONLY = { pf_acao: 'echo', pf_acam: 'PUT' };
// A /lab URL for a redirect's location: the next hop's policy in its own query.
const labHop = (origin, params) => apiUrl(origin, '/lab', params);
// A PUT with a text body: only its method needs the preflight's permission.
const put = (ctx, params) => ({ method: 'PUT', url: at(ctx, '/lab', params), body: HELLO });
const getLab = (ctx, params) => [{ method: 'GET', url: at(ctx, '/lab', params) }];

const ACTUAL_ANSWER = inSection('actual-answer', [
  {
    id: 'preflight-passes-answer-lacks-allow-origin',
    symptom: 'preflight-passes-request-blocked',
    steps: (ctx) => [put(ctx, PUT_ALLOWED_BY_PREFLIGHT_ONLY)],
    wire: 'OPTIONS 204, PUT 200',
    headers: () => [response(0, 'access-control-allow-methods', 'PUT')],
    expected: (ctx) => ({ ...BLOCKED_AFTER_PREFLIGHT, preflightAllowOrigin: ctx.pageOrigin, allowOrigin: null }),
  },
  ...[401, 404, 500].map((status) => ({
    id: `error-${status}-without-cors`,
    text: ['error-without-cors', { status }],
    steps: (ctx) => [put(ctx, { ...PUT_ALLOWED_BY_PREFLIGHT_ONLY, status })],
    wire: `OPTIONS 204, PUT ${status}`,
    expected: (ctx) => ({
      ...BLOCKED_AFTER_PREFLIGHT,
      preflightAllowOrigin: ctx.pageOrigin,
      serverStatus: status,
      statusSeen: 0,
      allowOrigin: null,
    }),
  })),
  {
    id: 'error-500-with-cors',
    steps: (ctx) => [put(ctx, { acao: 'echo', acam: 'PUT', status: 500 })],
    wire: 'OPTIONS 204, PUT 500',
    expected: (ctx) => ({ ...BLOCKED_AFTER_PREFLIGHT, readable: true, serverStatus: 500, statusSeen: 500, allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'allow-origin-twice',
    symptom: 'multiple-values',
    steps: (ctx) => [{ method: 'GET', url: `${at(ctx, '/lab', { acao: '*' })}&acao=*` }],
    wire: 'GET 200',
    expected: () => ({ readable: false, preflights: 0, actuals: 1, allowOrigin: '*, *' }),
  },
]);

const REDIRECTS = inSection('redirects', [
  {
    id: 'redirect-on-preflight',
    symptom: 'preflight-redirect',
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
    wire: 'OPTIONS 308',
    expected: (ctx) => ({ readable: false, preflights: 1, actuals: 0, preflightStatus: 308, preflightAllowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'redirect-same-origin',
    steps: (ctx) => getLab(ctx, { acao: 'echo', redirect: 302, location: labHop(ctx.api, { acao: 'echo' }) }),
    wire: 'GET 302, GET 200',
    headers: (ctx) => [response(0, 'access-control-allow-origin', ctx.pageOrigin)],
    expected: (ctx) => ({ readable: true, preflights: 0, actuals: 2, actualOrigin: ctx.pageOrigin, allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'redirect-cross-origin-page-origin',
    steps: (ctx) => getLab(ctx, { acao: 'echo', redirect: 302, location: labHop(ctx.alias, { acao: ctx.pageOrigin }) }),
    wire: 'GET 302, GET 200',
    // Chromium's Sec-Fetch-Site; WebKitGTK 2.50 sends none on the redirected request.
    headers: () => [request(1, 'sec-fetch-site', 'cross-site')],
    expected: (ctx) => ({ readable: false, preflights: 0, actuals: 2, actualOrigin: 'null', allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'redirect-cross-origin-null',
    steps: (ctx) => getLab(ctx, { acao: 'echo', redirect: 302, location: labHop(ctx.alias, { acao: '*' }) }),
    wire: 'GET 302, GET 200',
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
    wire: 'POST 301, GET 200, POST 302, GET 200, POST 307, POST 200',
    headers: () => [request(1, 'content-type', null)],
    expected: () => ({
      readable: true,
      preflights: 0,
      actuals: 6,
      methodsArrived: ['POST', 'GET', 'POST', 'GET', 'POST', 'POST'],
      contentTypeArrived: 'text/plain',
    }),
  },
  {
    id: 'redirect-needs-allow-origin',
    steps: (ctx) => getLab(ctx, { redirect: 302, location: labHop(ctx.api, { acao: 'echo' }) }),
    wire: 'GET 302',
    expected: () => ({ readable: false, preflights: 0, actuals: 1, serverStatus: 302, allowOrigin: null }),
  },
]);

export const BREAKING_ANSWERS = [...ACTUAL_ANSWER, ...REDIRECTS];
