// A model of the browser's CORS decisions, as Chromium makes them today (see BROWSER-FACTS in
// the lab's shared notes). predict(request, policy) says whether a preflight is sent, whether
// the actual request reaches the server, whether JavaScript may read the answer, and why.
// Where Chromium departs from the Fetch standard, the reason says so.
//
//   request: { pageOrigin, method, headers: { name: value }, credentials: bool }
//   policy:  the /lab parameters as strings: acao, acac, acam, acah, aceh, max_age, status,
//            preflight_status (absent ones omitted)
//   translate: the pages' t(), for the reason.* messages (default: the bare keys)
//   returns: { preflight, sent, allowed, reasons: [string], exposedHeaders: [string], cacheSeconds }

const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];
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
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DEFAULT_CACHE_SECONDS = 5;
const CHROMIUM_MAX_CACHE_SECONDS = 7200;

function normalizeMethod(method) {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.includes(upper) ? upper : method;
}

function isForbiddenMethod(method) {
  return FORBIDDEN_METHODS.includes(method.toUpperCase());
}

function isForbiddenHeader(name) {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
}

const hasUnsafeByte = (value) => [...value].some((char) => {
  const code = char.charCodeAt(0);
  return (code < 0x20 && code !== 0x09) || code === 0x7f || '"():<>?@[\\]{}'.includes(char);
});

// Why `name: value` is not a CORS-safelisted request header ([message key, params]), or null.
function unsafeHeaderReason(name, value) {
  const lower = name.toLowerCase();
  if (value.length > 128) return ['reason.header.too-long', { name }];
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

// A comma-separated header list as Chromium parses it: empty elements are skipped (the
// standard would fail on them), any other non-token is a parse failure (null).
export function parseList(value) {
  if (value === undefined) return [];
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.every((item) => TOKEN.test(item)) ? items : null;
}

export function cacheSeconds(maxAge) {
  if (maxAge === undefined) return DEFAULT_CACHE_SECONDS;
  const trimmed = maxAge.trim();
  if (!/^-?\d+$/.test(trimmed)) return DEFAULT_CACHE_SECONDS;
  return Math.min(Math.max(Number(trimmed), 0), CHROMIUM_MAX_CACHE_SECONDS);
}

function allowOriginValue(policy, pageOrigin) {
  if (policy.acao === undefined || policy.acao === 'none') return undefined;
  return policy.acao === 'echo' ? pageOrigin : policy.acao;
}

// The CORS check, on the preflight and on the actual response alike: a failure reason or null.
function corsCheckFailure(request, policy, which) {
  const allowOrigin = allowOriginValue(policy, request.pageOrigin);
  if (allowOrigin === undefined) {
    return [`reason.${which}.no-acao`];
  }
  const value = allowOrigin.trim();
  if (value === '*') {
    if (request.credentials) {
      return [`reason.${which}.star-with-credentials`];
    }
  } else if (value !== request.pageOrigin) {
    return [`reason.${which}.acao-mismatch`, { value: allowOrigin, origin: request.pageOrigin }];
  }
  if (request.credentials && (policy.acac ?? '').trim() !== 'true') {
    return policy.acac === undefined
      ? [`reason.${which}.no-acac`]
      : [`reason.${which}.acac-not-true`, { value: policy.acac }];
  }
  return null;
}

function preflightFailure(request, policy, method, unsafeHeaders, reasons) {
  const status = Number(policy.preflight_status ?? '204');
  const cors = corsCheckFailure(request, policy, 'preflight');
  if (cors) return cors;
  if (status < 200 || status > 299) return ['reason.preflight.status', { status }];

  const methods = parseList(policy.acam);
  if (methods === null) return ['reason.preflight.acam-unparsable', { value: policy.acam }];
  const methodWildcard = methods.includes('*') && !request.credentials;
  if (!SAFELISTED_METHODS.includes(method) && !methods.includes(method) && !methodWildcard) {
    const listed = methods.length ? methods.join(', ') : '-';
    if (methods.some((m) => m.toLowerCase() === method.toLowerCase())) return ['reason.preflight.method-case', { method, listed }];
    return [methods.includes('*') ? 'reason.preflight.method-star-credentials' : 'reason.preflight.method', { method, listed }];
  }

  const allowed = parseList(policy.acah);
  if (allowed === null) return ['reason.preflight.acah-unparsable', { value: policy.acah }];
  const allowedLower = allowed.map((name) => name.toLowerCase());
  const headerWildcard = allowedLower.includes('*') && !request.credentials;
  for (const name of unsafeHeaders) {
    if (allowedLower.includes(name)) continue;
    if (headerWildcard) {
      if (name === 'authorization') {
        reasons.push(['reason.chromium.authorization-star']);
      }
      continue;
    }
    const listed = allowed.length ? allowed.join(', ') : '-';
    return [allowedLower.includes('*') ? 'reason.preflight.header-star-credentials' : 'reason.preflight.header', { name, listed }];
  }
  return null;
}

function exposedHeaders(request, policy) {
  const listed = parseList(policy.aceh) ?? [];
  const lower = listed.map((name) => name.toLowerCase());
  if (lower.includes('*') && !request.credentials) return ['*'];
  return lower.filter((name) => name !== '*');
}

export function predict(request, policy, translate = (key) => key) {
  const reasons = [];
  const method = normalizeMethod(request.method);
  const result = (outcome) => ({ ...outcome, reasons: reasons.map(([key, params]) => translate(key, params)) });
  if (isForbiddenMethod(method)) {
    reasons.push(['reason.forbidden-method', { method }]);
    return result({ preflight: false, sent: false, allowed: false, exposedHeaders: [], cacheSeconds: 0 });
  }
  if (method !== request.method) reasons.push(['reason.method-normalized', { method }]);

  const unsafe = [];
  let safelistedBytes = 0;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (isForbiddenHeader(name)) {
      reasons.push(['reason.forbidden-header', { name }]);
      continue;
    }
    const why = unsafeHeaderReason(name, value);
    if (why) {
      unsafe.push(name.toLowerCase());
      reasons.push(why);
    } else {
      safelistedBytes += value.length;
    }
  }
  if (safelistedBytes > 1024) {
    for (const name of Object.keys(request.headers)) if (!unsafe.includes(name.toLowerCase()) && !isForbiddenHeader(name)) unsafe.push(name.toLowerCase());
    reasons.push(['reason.header.total-too-long']);
  }
  const simpleMethod = SAFELISTED_METHODS.includes(method);
  if (!simpleMethod) reasons.push(['reason.method-not-simple', { method }]);

  const preflight = !simpleMethod || unsafe.length > 0;
  const seconds = cacheSeconds(policy.max_age);
  if (!preflight) {
    reasons.push(['reason.simple']);
  } else {
    const headers = unsafe.length ? [...unsafe].sort().join(',') : '';
    reasons.push([headers ? 'reason.preflight.sent-with-headers' : 'reason.preflight.sent', { method, headers }]);
    const failure = preflightFailure(request, policy, method, unsafe, reasons);
    if (failure) {
      reasons.push(failure, ['reason.preflight.failed']);
      return result({ preflight, sent: false, allowed: false, exposedHeaders: [], cacheSeconds: 0 });
    }
    reasons.push(['reason.preflight.passed']);
    if (policy.max_age !== undefined && policy.max_age.trim().startsWith('-')) {
      reasons.push(['reason.chromium.negative-max-age', { value: policy.max_age }]);
    } else if (policy.max_age === undefined) {
      reasons.push(['reason.max-age.default', { seconds }]);
    } else {
      reasons.push([Number(policy.max_age) > CHROMIUM_MAX_CACHE_SECONDS ? 'reason.max-age.capped' : 'reason.max-age', { seconds }]);
    }
  }

  const failure = corsCheckFailure(request, policy, 'response');
  if (failure) {
    reasons.push(failure, ['reason.response.refused']);
    return result({ preflight, sent: true, allowed: false, exposedHeaders: [], cacheSeconds: preflight ? seconds : 0 });
  }
  reasons.push(policy.status && policy.status !== '200' ? ['reason.response.allowed-status', { status: policy.status }] : ['reason.response.allowed']);
  return result({ preflight, sent: true, allowed: true, exposedHeaders: exposedHeaders(request, policy), cacheSeconds: preflight ? seconds : 0 });
}

// Whether JavaScript can read response header `name` given a prediction.
export function isReadable(name, prediction) {
  if (!prediction.allowed) return false;
  const lower = name.toLowerCase();
  return SAFELISTED_RESPONSE_HEADERS.includes(lower) || prediction.exposedHeaders.includes('*') || prediction.exposedHeaders.includes(lower);
}
