// A model of the browser's CORS decisions, as Chromium makes them today (see docs/browser-facts.md
// in the repository). predict(request, policy) says whether a preflight is sent, whether
// the actual request reaches the server, whether JavaScript may read the answer, and why.
// Where Chromium departs from the Fetch standard, the reason says so.
//
//   configure(contract): the lab contract (config.contract of /config.json), once, first
//   request: { pageOrigin, method, headers: { name: value }, credentials: bool }
//   policy:  the /lab parameters as strings (absent ones omitted)
//   translate: the pages' t(), for the reason.* messages (default: the bare keys)
//   returns: { preflight, sent, allowed, reasons: [string], exposedHeaders: [string], cacheSeconds }
import {
  CHROMIUM_MAX_CACHE_SECONDS,
  SAFELISTED_METHODS,
  SAFELISTED_RESPONSE_HEADERS,
  cacheSeconds,
  isForbiddenHeader,
  isForbiddenMethod,
  normalizeMethod,
  unsafeHeaderReason,
} from './fetch-rules.js';

export { SAFELISTED_RESPONSE_HEADERS, cacheSeconds };

let token = null;

// Takes what the model needs of the lab contract: the pattern of a header name (a token).
export function configure(contract) {
  token = new RegExp(contract.header_name_pattern);
}

function requireContract() {
  if (token === null) throw new Error('cors-model.js: call configure(contract) first');
}

// A comma-separated header list as Chromium parses it: empty elements are skipped (the
// standard would fail on them), any other non-token is a parse failure (null).
export function parseList(value) {
  requireContract();
  if (value === undefined) return [];
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.every((item) => token.test(item)) ? items : null;
}

function allowOriginValue(policy, pageOrigin) {
  if (policy.acao === undefined || policy.acao === 'none') return undefined;
  return policy.acao === 'echo' ? pageOrigin : policy.acao;
}

// The CORS check, on the preflight and on the actual response alike: a failure reason or null.
function corsCheckFailure(request, policy, which) {
  const allowOrigin = allowOriginValue(policy, request.pageOrigin);
  if (allowOrigin === undefined) return [`reason.${which}.no-acao`];
  const value = allowOrigin.trim();
  if (value === '*') {
    if (request.credentials) return [`reason.${which}.star-with-credentials`];
  } else if (value !== request.pageOrigin) {
    return [`reason.${which}.acao-mismatch`, { value: allowOrigin, origin: request.pageOrigin }];
  }
  if (request.credentials && (policy.acac ?? '').trim() !== 'true') {
    return policy.acac === undefined ? [`reason.${which}.no-acac`] : [`reason.${which}.acac-not-true`, { value: policy.acac }];
  }
  return null;
}

function methodFailure(request, policy, method) {
  const methods = parseList(policy.acam);
  if (methods === null) return ['reason.preflight.acam-unparsable', { value: policy.acam }];
  const methodWildcard = methods.includes('*') && !request.credentials;
  if (SAFELISTED_METHODS.includes(method) || methods.includes(method) || methodWildcard) return null;
  const listed = methods.length ? methods.join(', ') : '-';
  if (methods.some((m) => m.toLowerCase() === method.toLowerCase())) return ['reason.preflight.method-case', { method, listed }];
  return [methods.includes('*') ? 'reason.preflight.method-star-credentials' : 'reason.preflight.method', { method, listed }];
}

function headerFailure(request, policy, unsafeHeaders, reasons) {
  const allowed = parseList(policy.acah);
  if (allowed === null) return ['reason.preflight.acah-unparsable', { value: policy.acah }];
  const allowedLower = allowed.map((name) => name.toLowerCase());
  const headerWildcard = allowedLower.includes('*') && !request.credentials;
  for (const name of unsafeHeaders) {
    if (allowedLower.includes(name)) continue;
    if (headerWildcard) {
      if (name === 'authorization') reasons.push(['reason.chromium.authorization-star']);
      continue;
    }
    const listed = allowed.length ? allowed.join(', ') : '-';
    return [allowedLower.includes('*') ? 'reason.preflight.header-star-credentials' : 'reason.preflight.header', { name, listed }];
  }
  return null;
}

function preflightFailure(request, policy, method, unsafeHeaders, reasons) {
  const status = Number(policy.preflight_status ?? '204');
  const cors = corsCheckFailure(request, policy, 'preflight');
  if (cors) return cors;
  if (status < 200 || status > 299) return ['reason.preflight.status', { status }];
  return methodFailure(request, policy, method) ?? headerFailure(request, policy, unsafeHeaders, reasons);
}

function exposedHeaders(request, policy) {
  const listed = parseList(policy.aceh) ?? [];
  const lower = listed.map((name) => name.toLowerCase());
  if (lower.includes('*') && !request.credentials) return ['*'];
  return lower.filter((name) => name !== '*');
}

// The request headers that make a preflight necessary (lower case), with the reasons.
function unsafeHeaders(headers, reasons) {
  const unsafe = [];
  let safelistedBytes = 0;
  for (const [name, value] of Object.entries(headers)) {
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
    for (const name of Object.keys(headers)) {
      if (!unsafe.includes(name.toLowerCase()) && !isForbiddenHeader(name)) unsafe.push(name.toLowerCase());
    }
    reasons.push(['reason.header.total-too-long']);
  }
  return unsafe;
}

function maxAgeReason(maxAge, seconds) {
  if (maxAge !== undefined && maxAge.trim().startsWith('-')) return ['reason.chromium.negative-max-age', { value: maxAge }];
  if (maxAge === undefined) return ['reason.max-age.default', { seconds }];
  return [Number(maxAge) > CHROMIUM_MAX_CACHE_SECONDS ? 'reason.max-age.capped' : 'reason.max-age', { seconds }];
}

export function predict(request, policy, translate = (key) => key) {
  requireContract();
  const reasons = [];
  const method = normalizeMethod(request.method);
  const result = (outcome) => ({ ...outcome, reasons: reasons.map(([key, params]) => translate(key, params)) });
  if (isForbiddenMethod(method)) {
    reasons.push(['reason.forbidden-method', { method }]);
    return result({ preflight: false, sent: false, allowed: false, exposedHeaders: [], cacheSeconds: 0 });
  }
  if (method !== request.method) reasons.push(['reason.method-normalized', { method }]);

  const unsafe = unsafeHeaders(request.headers ?? {}, reasons);
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
    reasons.push(['reason.preflight.passed'], maxAgeReason(policy.max_age, seconds));
  }

  const failure = corsCheckFailure(request, policy, 'response');
  const cached = preflight ? seconds : 0;
  if (failure) {
    reasons.push(failure, ['reason.response.refused']);
    return result({ preflight, sent: true, allowed: false, exposedHeaders: [], cacheSeconds: cached });
  }
  const status = policy.status && policy.status !== '200' ? policy.status : null;
  reasons.push(status ? ['reason.response.allowed-status', { status }] : ['reason.response.allowed']);
  return result({ preflight, sent: true, allowed: true, exposedHeaders: exposedHeaders(request, policy), cacheSeconds: cached });
}

// Whether JavaScript can read response header `name` given a prediction.
export function isReadable(name, prediction) {
  if (!prediction.allowed) return false;
  const lower = name.toLowerCase();
  const exposed = prediction.exposedHeaders;
  return SAFELISTED_RESPONSE_HEADERS.includes(lower) || exposed.includes('*') || exposed.includes(lower);
}
