// A model of the browser's CORS decisions, as Chromium makes them today (see BROWSER-FACTS in
// the lab's shared notes). predict(request, policy) says whether a preflight is sent, whether
// the actual request reaches the server, whether JavaScript may read the answer, and why.
// Where Chromium departs from the Fetch standard, the reason says so.
//
//   request: { pageOrigin, method, headers: { name: value }, credentials: bool }
//   policy:  the /lab parameters as strings: acao, acac, acam, acah, aceh, max_age, status,
//            preflight_status (absent ones omitted)
//   returns: { preflight, sent, allowed, reasons: [string], exposedHeaders: [string], cacheSeconds }

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
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DEFAULT_CACHE_SECONDS = 5;
const CHROMIUM_MAX_CACHE_SECONDS = 7200;

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

const hasUnsafeByte = (value) => [...value].some((char) => {
  const code = char.charCodeAt(0);
  return (code < 0x20 && code !== 0x09) || code === 0x7f || '"():<>?@[\\]{}'.includes(char);
});

// Why `name: value` is not a CORS-safelisted request header, or null if it is.
export function unsafeHeaderReason(name, value) {
  const lower = name.toLowerCase();
  if (value.length > 128) return `${name} is longer than 128 bytes`;
  switch (lower) {
    case 'accept':
      return hasUnsafeByte(value) ? `${name} contains a CORS-unsafe byte` : null;
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value) ? null : `${name} may hold only 0-9 A-Z a-z space * , - . ; =`;
    case 'content-type': {
      if (hasUnsafeByte(value)) return `${name} contains a CORS-unsafe byte`;
      const essence = value.split(';')[0].trim().toLowerCase();
      return SIMPLE_CONTENT_TYPES.includes(essence)
        ? null
        : `Content-Type ${essence || '(empty)'} is not one of ${SIMPLE_CONTENT_TYPES.join(', ')}`;
    }
    case 'range': {
      const range = /^bytes=(\d+)-(\d+)?$/.exec(value);
      return range && (range[2] === undefined || Number(range[1]) <= Number(range[2]))
        ? null
        : `Range ${value} is not a single bytes=N- or bytes=N-M range`;
    }
    default:
      return `${name} is not a CORS-safelisted request header`;
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

// The CORS check, on the preflight and on the actual response alike. Returns a failure reason or null.
function corsCheckFailure(request, policy, which) {
  const allowOrigin = allowOriginValue(policy, request.pageOrigin);
  if (allowOrigin === undefined) {
    return `The ${which} has no Access-Control-Allow-Origin: the browser refuses it, whatever its status.`;
  }
  const value = allowOrigin.trim();
  if (value === '*') {
    if (request.credentials) {
      return `The ${which} says Access-Control-Allow-Origin: *, which a credentialed request (withCredentials) may not use: it needs the exact origin.`;
    }
  } else if (value !== request.pageOrigin) {
    return `The ${which}'s Access-Control-Allow-Origin "${allowOrigin}" is not this page's origin "${request.pageOrigin}": it must match byte for byte.`;
  }
  if (request.credentials && (policy.acac ?? '').trim() !== 'true') {
    return policy.acac === undefined
      ? `The ${which} has no Access-Control-Allow-Credentials: true, which a credentialed request needs.`
      : `The ${which}'s Access-Control-Allow-Credentials "${policy.acac}" is not exactly "true" (case matters).`;
  }
  return null;
}

function preflightFailure(request, policy, method, unsafeHeaders, reasons) {
  const status = Number(policy.preflight_status ?? '204');
  const cors = corsCheckFailure(request, policy, 'preflight answer');
  if (cors) return cors;
  if (status < 200 || status > 299) return `The preflight was answered ${status}: a preflight needs an ok (2xx) status.`;

  const methods = parseList(policy.acam);
  if (methods === null) return `Access-Control-Allow-Methods "${policy.acam}" cannot be parsed as a list of method names.`;
  const methodWildcard = methods.includes('*') && !request.credentials;
  if (!SAFELISTED_METHODS.includes(method) && !methods.includes(method) && !methodWildcard) {
    const listed = methods.length ? methods.join(', ') : 'nothing';
    const hint = methods.some((m) => m.toLowerCase() === method.toLowerCase())
      ? ' Methods compare case-sensitively, and the browser upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT.'
      : methods.includes('*') ? ' "*" counts only for requests without credentials.' : '';
    return `The method ${method} is not in Access-Control-Allow-Methods (${listed}).${hint}`;
  }

  const allowed = parseList(policy.acah);
  if (allowed === null) return `Access-Control-Allow-Headers "${policy.acah}" cannot be parsed as a list of header names.`;
  const allowedLower = allowed.map((name) => name.toLowerCase());
  const headerWildcard = allowedLower.includes('*') && !request.credentials;
  for (const name of unsafeHeaders) {
    if (allowedLower.includes(name)) continue;
    if (headerWildcard) {
      if (name === 'authorization') {
        reasons.push('Chromium lets Authorization through "*" in Access-Control-Allow-Headers; the Fetch standard requires it to be listed by name.');
      }
      continue;
    }
    const hint = allowedLower.includes('*') ? ' "*" counts only for requests without credentials.' : '';
    return `The header ${name} is not in Access-Control-Allow-Headers (${allowed.length ? allowed.join(', ') : 'nothing'}).${hint}`;
  }
  return null;
}

function exposedHeaders(request, policy) {
  const listed = parseList(policy.aceh) ?? [];
  const lower = listed.map((name) => name.toLowerCase());
  if (lower.includes('*') && !request.credentials) return ['*'];
  return lower.filter((name) => name !== '*');
}

export function predict(request, policy) {
  const reasons = [];
  const method = normalizeMethod(request.method);
  if (isForbiddenMethod(method)) {
    return { preflight: false, sent: false, allowed: false, reasons: [`${method} is a forbidden method: the browser refuses to send it at all.`], exposedHeaders: [], cacheSeconds: 0 };
  }
  if (method !== request.method) reasons.push(`The browser sends the method as ${method}.`);

  const unsafe = [];
  let safelistedBytes = 0;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (isForbiddenHeader(name)) {
      reasons.push(`${name} is a forbidden request header: the browser drops it silently.`);
      continue;
    }
    const why = unsafeHeaderReason(name, value);
    if (why) {
      unsafe.push(name.toLowerCase());
      reasons.push(`${why}: the request is not simple.`);
    } else {
      safelistedBytes += value.length;
    }
  }
  if (safelistedBytes > 1024) {
    for (const name of Object.keys(request.headers)) if (!unsafe.includes(name.toLowerCase()) && !isForbiddenHeader(name)) unsafe.push(name.toLowerCase());
    reasons.push('The safelisted headers add up to more than 1024 bytes: the request is not simple.');
  }
  const simpleMethod = SAFELISTED_METHODS.includes(method);
  if (!simpleMethod) reasons.push(`${method} is not a simple method (GET, HEAD, POST): the request is not simple.`);

  const preflight = !simpleMethod || unsafe.length > 0;
  const seconds = cacheSeconds(policy.max_age);
  if (!preflight) {
    reasons.push('A simple request: the browser sends it at once, with an Origin header, and no preflight.');
  } else {
    reasons.push(`The browser first sends an OPTIONS preflight (Access-Control-Request-Method: ${method}${unsafe.length ? `, Access-Control-Request-Headers: ${[...unsafe].sort().join(',')}` : ''}).`);
    const failure = preflightFailure(request, policy, method, unsafe, reasons);
    if (failure) {
      reasons.push(failure, 'The preflight failed, so the actual request is never sent, and JavaScript sees only a network error.');
      return { preflight, sent: false, allowed: false, reasons, exposedHeaders: [], cacheSeconds: 0 };
    }
    reasons.push('The preflight answer allows the origin, the method and the headers: the browser sends the actual request.');
    if (policy.max_age !== undefined && policy.max_age.trim().startsWith('-')) {
      reasons.push(`Access-Control-Max-Age ${policy.max_age}: Chromium caches the preflight for 0 s; the Fetch standard would use the default of 5 s.`);
    } else {
      reasons.push(`The preflight answer may be cached for ${seconds} s${policy.max_age === undefined ? ' (no Max-Age: the default)' : ''}${Number(policy.max_age) > CHROMIUM_MAX_CACHE_SECONDS ? ' (Chromium caps Max-Age at 7200)' : ''}.`);
    }
  }

  const failure = corsCheckFailure(request, policy, 'response');
  if (failure) {
    reasons.push(failure, 'The request reached the server, but JavaScript gets only a network error (XHR: status 0 and the error event; fetch: TypeError).');
    return { preflight, sent: true, allowed: false, reasons, exposedHeaders: [], cacheSeconds: preflight ? seconds : 0 };
  }
  reasons.push(
    `The response allows this origin: JavaScript can read it${policy.status && policy.status !== '200' ? `, status ${policy.status} included (the actual response's status does not matter to CORS)` : ''}.`,
  );
  return { preflight, sent: true, allowed: true, reasons, exposedHeaders: exposedHeaders(request, policy), cacheSeconds: preflight ? seconds : 0 };
}

// Whether JavaScript can read response header `name` given a prediction.
export function isReadable(name, prediction) {
  if (!prediction.allowed) return false;
  const lower = name.toLowerCase();
  return SAFELISTED_RESPONSE_HEADERS.includes(lower) || prediction.exposedHeaders.includes('*') || prediction.exposedHeaders.includes(lower);
}
