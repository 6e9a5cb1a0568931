// The note's first claims: simple requests, and what a refused origin still does.
import { splitWire } from '../../model/wire.js';
import { readEffects } from './preparations.js';
import { HELLO, SIMPLE_BLOCKED, SIMPLE_READ, at, getting, inSection, request } from './helpers.js';

export const SAFELISTED_REQUEST_HEADERS = [
  ['Accept', 'application/json'],
  ['Accept-Language', 'zh-CN'],
  ['Content-Language', 'zh-CN'],
  ['Content-Type', 'text/plain'],
];
const MULTIPART = '--lab\r\nContent-Disposition: form-data; name="greeting"\r\n\r\nhello\r\n--lab--\r\n';
const textPost = (ctx, path, body) => ({ method: 'POST', url: at(ctx, path), headers: { 'Content-Type': 'text/plain' }, body });

const SIMPLE = inSection('simple', [
  {
    id: 'simple-get',
    indexCheck: true,
    steps: getting('/simple'),
    wire: 'GET 200',
    expected: (ctx) => ({ ...SIMPLE_READ, allowOrigin: ctx.pageOrigin }),
  },
  {
    id: 'simple-head',
    steps: (ctx) => [{ method: 'HEAD', url: at(ctx, '/simple') }],
    wire: 'HEAD 200',
    expected: (ctx) => ({ ...SIMPLE_READ, allowOrigin: ctx.pageOrigin }),
  },
  ...[
    ['text-plain', 'text/plain', 'hello'],
    ['form-urlencoded', 'application/x-www-form-urlencoded', 'greeting=hello'],
    ['multipart', 'multipart/form-data; boundary=lab', MULTIPART],
  ].map(([slug, contentType, body]) => ({
    id: `simple-post-${slug}`,
    text: ['simple-post', { type: contentType.split(';')[0] }],
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/simple'), headers: { 'Content-Type': contentType }, body }],
    wire: 'POST 200',
    expected: () => ({ ...SIMPLE_READ, contentTypeArrived: contentType }),
  })),
  {
    id: 'safelisted-request-headers',
    steps: (ctx) =>
      SAFELISTED_REQUEST_HEADERS.map(([name, value]) => ({ method: 'GET', url: at(ctx, '/simple'), headers: { [name]: value } })),
    wire: 'GET 200, GET 200, GET 200, GET 200',
    headers: () => SAFELISTED_REQUEST_HEADERS.map(([name, value], index) => request(index, name.toLowerCase(), value)),
    expected: () => ({ ...SIMPLE_READ, actuals: 4, headersArrived: SAFELISTED_REQUEST_HEADERS.map(([name]) => name) }),
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
    wire: 'OPTIONS 200, GET 200',
    headers: () => [request(1, 'last-event-id', '42')],
    expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'last-event-id' }),
  },
  {
    id: 'json-content-type',
    steps: (ctx) => [{ method: 'POST', url: at(ctx, '/simple'), headers: { 'Content-Type': 'application/json' }, body: HELLO }],
    wire: 'OPTIONS 200, POST 200',
    expected: () => ({ readable: true, preflights: 1, actuals: 1, requestHeadersAsked: 'content-type' }),
  },
]);

const REFUSED = inSection('refused', [
  {
    id: 'refused-origin',
    symptom: 'no-allow-origin',
    runsOn: 'untrusted',
    steps: getting('/simple'),
    wire: 'GET 200',
    expected: (ctx) => ({ ...SIMPLE_BLOCKED, serverStatus: 200, allowOrigin: null, actualOrigin: ctx.pageOrigin }),
  },
  {
    id: 'no-cors-post-takes-effect',
    steps: (ctx) => [textPost(ctx, '/no-cors', 'transfer=100')],
    after: readEffects,
    wire: 'POST 200',
    expected: () => ({ ...SIMPLE_BLOCKED, allowOrigin: null, effectRecorded: true }),
    observe: (outcome) => ({ effectRecorded: outcome.extra.effects.includes('transfer=100') }),
  },
  {
    id: 'fetch-no-cors-opaque',
    steps: (ctx) => [{ ...textPost(ctx, '/no-cors', 'opaque=1'), mode: 'no-cors', transport: 'fetch' }],
    wire: 'POST 200',
    expected: () => ({ ...SIMPLE_BLOCKED, fetchMode: 'no-cors', responseType: 'opaque', statusSeen: 0 }),
    observe: (outcome) => ({ responseType: outcome.results[0].type ?? null, statusSeen: outcome.results[0].status }),
  },
]);

export const SIMPLE_AND_REFUSED = [...SIMPLE, ...REFUSED];
