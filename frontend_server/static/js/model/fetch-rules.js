// The Fetch standard's fixed lists and rules for requests, as Chromium applies them today: which
// methods and request headers are safelisted, forbidden or normalized, which response headers
// JavaScript may always read, and how long a preflight is cached. See cors-model.js.
import { VERIFIED } from './verified.js';

export const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];
// The only methods the browser upper-cases; `patch` stays lowercase on the wire.
const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
const FORBIDDEN_METHODS = ['CONNECT', 'TRACE', 'TRACK'];
const FORBIDDEN_HEADERS = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
]);
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
export const SAFELISTED_RESPONSE_HEADERS = [
  'cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma',
];
const DEFAULT_CACHE_SECONDS = 5;
const CHROMIUM_MAX_CACHE_SECONDS = 7200;
// Max-Age caps by engine, from their sources (docs/browser-facts.md): a run would take hours.
const MAX_CACHE_SECONDS = { chromium: CHROMIUM_MAX_CACHE_SECONDS, firefox: 86400, webkit: 600 };
const { chromium, firefox, webkit } = MAX_CACHE_SECONDS;
export const REASON_FACTS = {
  ...VERIFIED, default: DEFAULT_CACHE_SECONDS, chromium_cap: chromium, firefox_cap: firefox, webkit_cap: webkit,
};

export function normalizeMethod(method) {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.includes(upper) ? upper : method;
}

export function isForbiddenMethod(method) {
  return FORBIDDEN_METHODS.includes(method.toUpperCase());
}

export function isForbiddenHeader(name) {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
}

const hasUnsafeByte = (value) =>
  [...value].some((char) => {
    const code = char.charCodeAt(0);
    return (code < 0x20 && code !== 0x09) || code === 0x7f || '"():<>?@[\\]{}'.includes(char);
  });

// Chromium's own request headers (client hints and Intervention) that it safelists beyond the
// Fetch standard, each with the values it accepts (services/network/public/cpp/cors/cors.cc;
// checked in Chromium 156, see docs/browser-facts.md): name -> [test, the rule as written].
const DECIMAL = [(v) => /^\d+(\.\d+)?$/.test(v), '1*DIGIT ["." 1*DIGIT]'];
const INTEGER = [(v) => /^\d+$/.test(v), '1*DIGIT'];
const CHROMIUM_HINT_RULES = {
  'save-data': [(v) => v.toLowerCase() === 'on', 'on'],
  dpr: DECIMAL,
  'device-memory': DECIMAL,
  downlink: DECIMAL,
  width: INTEGER,
  'viewport-width': INTEGER,
  rtt: INTEGER,
  ect: [(v) => ['slow-2g', '2g', '3g', '4g'].includes(v), 'slow-2g | 2g | 3g | 4g'],
  intervention: [() => true, '*'],
};

export const isChromiumHint = (name) => name.toLowerCase() in CHROMIUM_HINT_RULES;

// A header value as the browser normalizes it before any check: leading and trailing HTTP
// whitespace removed (`DPR: " 2"` goes out as `2`, without a preflight).
export const normalizeHeaderValue = (value) => value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

// Why `name: value` is not a CORS-safelisted request header ([message key, params]), or null.
// engine: 'chromium' (the default), 'firefox', 'webkit': only Chromium safelists its client hints.
export function unsafeHeaderReason(name, value, engine = 'chromium') {
  const lower = name.toLowerCase();
  if (value.length > 128) return ['reason.header.too-long', { name }];
  if (lower in CHROMIUM_HINT_RULES && engine !== 'chromium' && engine !== 'other') return ['reason.header.chromium-only-hint', { name }];
  if (lower in CHROMIUM_HINT_RULES) {
    const [test, rule] = CHROMIUM_HINT_RULES[lower];
    return test(value) ? null : ['reason.header.hint-value', { name, value, rule }];
  }
  switch (lower) {
    case 'accept':
      return hasUnsafeByte(value) ? ['reason.header.unsafe-byte', { name }] : null;
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value) ? null : ['reason.header.language', { name }];
    case 'content-type': {
      if (hasUnsafeByte(value)) return ['reason.header.unsafe-byte', { name }];
      const essence = value.split(';')[0].trim().toLowerCase();
      return SIMPLE_CONTENT_TYPES.includes(essence)
        ? null
        : ['reason.header.content-type', { type: essence, types: SIMPLE_CONTENT_TYPES.join(', ') }];
    }
    case 'range': {
      const range = /^bytes=(\d+)-(\d+)?$/.exec(value);
      return range && (range[2] === undefined || Number(range[1]) <= Number(range[2]))
        ? null
        : ['reason.header.range', { value }];
    }
    default:
      return ['reason.header.not-safelisted', { name }];
  }
}

// How long a passed preflight is cached, from Access-Control-Max-Age as Chromium reads it (the
// other two engines too, negative values included), capped as `engine` caps it.
export function cacheSeconds(maxAge, engine = 'chromium') {
  if (maxAge === undefined) return DEFAULT_CACHE_SECONDS;
  const trimmed = maxAge.trim();
  if (!/^-?\d+$/.test(trimmed)) return DEFAULT_CACHE_SECONDS;
  return Math.min(Math.max(Number(trimmed), 0), MAX_CACHE_SECONDS[engine] ?? CHROMIUM_MAX_CACHE_SECONDS);
}
