// A model of the browser's CORS decisions, as Chromium makes them (docs/browser-facts.md).
// predict(request, policy): is a preflight sent, does the request reach the server, may
// JavaScript read the answer, and why. Where Chromium departs from the standard, a reason says so.
//
//   configure(contract): the lab contract (config.contract of /config.json), once, first
//   request: { pageOrigin, method, headers: { name: value }, credentials: bool, target?: API origin,
//              url?: the URL requested (default: target's /lab with the policy and run=RUN_ID),
//              transport?: 'xhr' (default) | 'fetch', engine?: 'chromium' (default) | 'firefox' | 'webkit', body?: bool }
//   policy:  the /lab parameters as strings (absent ones omitted); a list of strings for a parameter
//            given more than once (pf_* for the preflight alone; redirect, location, redirect_on)
//   translate: the pages' t(), for the reason.* messages (default: the bare keys)
//   returns: { preflight, sent, allowed, reasons: [string], exposedHeaders: [string], cacheSeconds,
//              wire: [{ method, hop, origin, cacheSeconds? }] (what the server sees, in order),
//              console: [string] (the line(s) Chromium prints for a blocked request; none if nothing is) }
import {
  REASON_FACTS,
  SAFELISTED_METHODS,
  SAFELISTED_RESPONSE_HEADERS,
  cacheSeconds,
  isChromiumHint,
  isForbiddenHeader,
  isForbiddenMethod,
  normalizeHeaderValue,
  normalizeMethod,
  unsafeHeaderReason,
} from './fetch-rules.js';
import { allowOrigin, configureParameters, follow, hasPreflightPolicy, labUrl, nextUrl, redirectOf, responseSide } from './hops.js';
import { allowOriginKind, consoleLine } from './chromium-messages.js';
import { chromiumWalk } from './header-order.js';
export { SAFELISTED_RESPONSE_HEADERS, cacheSeconds };

let token = null;

// Takes what the model needs of the lab contract: the pattern of a header name (a token), the /lab parameters.
export function configure(contract) {
  token = new RegExp(contract.header_name_pattern);
  configureParameters(contract);
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

// The CORS check, on the preflight and on the actual response alike: a failure reason or null.
function corsCheckFailure(request, side, which) {
  const allowed = allowOrigin(side, request.origin);
  if (allowed === undefined) return [`reason.${which}.no-acao`, {}, { kind: 'missing-allow-origin' }];
  const value = allowed.value.trim();
  const chromium = { kind: allowOriginKind(value), detail: value };
  if (value === '*') {
    if (request.credentials) return [`reason.${which}.star-with-credentials`, {}, { kind: 'wildcard-origin-not-allowed' }];
  } else if (allowed.count > 1) {
    return [`reason.${which}.acao-multiple`, { value: allowed.value }, chromium];
  } else if (value !== request.origin) {
    return [`reason.${which}.acao-mismatch`, { value: allowed.value, origin: request.origin }, chromium];
  }
  if (request.credentials && (side.acac ?? '').trim() !== 'true') {
    const credentials = { kind: 'invalid-allow-credentials', detail: side.acac ?? '' };
    return [`reason.${which}.${side.acac === undefined ? 'no-acac' : 'acac-not-true'}`, { value: side.acac }, credentials];
  }
  return null;
}

function methodFailure(request, side, method) {
  const methods = parseList(side.acam);
  const chromium = { kind: 'method-disallowed-by-preflight-response', detail: method };
  const methodWildcard = methods.includes('*') && !request.credentials;
  if (SAFELISTED_METHODS.includes(method) || methods.includes(method) || methodWildcard) return null;
  const listed = methods.length ? methods.join(', ') : '-';
  if (methods.some((m) => m.toLowerCase() === method.toLowerCase())) return ['reason.preflight.method-case', { method, listed }, chromium];
  return [methods.includes('*') ? 'reason.preflight.method-star-credentials' : 'reason.preflight.method', { method, listed }, chromium];
}

function headerFailure(request, side, unsafeHeaders, reasons) {
  const allowed = parseList(side.acah);
  const allowedLower = allowed.map((name) => name.toLowerCase());
  const headerWildcard = allowedLower.includes('*') && !request.credentials;
  for (const name of chromiumWalk(unsafeHeaders, request)) {
    if (allowedLower.includes(name)) continue;
    if (headerWildcard) {
      if (name === 'authorization') reasons.push(['reason.chromium.authorization-star', REASON_FACTS]);
      continue;
    }
    const listed = allowed.length ? allowed.join(', ') : '-';
    const key = allowedLower.includes('*') ? 'reason.preflight.header-star-credentials' : 'reason.preflight.header';
    return [key, { name, listed }, { kind: 'header-disallowed-by-preflight-response', detail: name }];
  }
  return null;
}

// A redirect fails a preflight before anything else is looked at (Chromium 156).
function preflightFailure(request, policy, side, unsafeHeaders, reasons) {
  const redirect = redirectOf(policy, true);
  if (redirect) return ['reason.preflight.redirect', { status: redirect.status }, { kind: 'preflight-disallowed-redirect' }];
  const status = Number(policy.preflight_status ?? '204');
  const cors = corsCheckFailure(request, side, 'preflight');
  if (cors) return cors;
  if (status < 200 || status > 299) return ['reason.preflight.status', { status }, { kind: 'preflight-invalid-status' }];
  // Both lists are parsed before either is looked at.
  if (parseList(side.acam) === null) {
    return ['reason.preflight.acam-unparsable', { value: side.acam }, { kind: 'invalid-allow-methods-preflight-response' }];
  }
  if (parseList(side.acah) === null) {
    return ['reason.preflight.acah-unparsable', { value: side.acah }, { kind: 'invalid-allow-headers-preflight-response' }];
  }
  return methodFailure(request, side, request.method) ?? headerFailure(request, side, unsafeHeaders, reasons);
}

function exposedHeaders(request, side) {
  const listed = parseList(side.aceh) ?? [];
  const lower = listed.map((name) => name.toLowerCase());
  if (lower.includes('*') && !request.credentials) return ['*'];
  return lower.filter((name) => name !== '*');
}

// The request headers that make a preflight necessary (lower case), with the reasons.
function unsafeHeaders(headers, reasons, engine) {
  const unsafe = [];
  let safelistedBytes = 0;
  for (const [name, raw] of Object.entries(headers)) {
    if (isForbiddenHeader(name)) {
      reasons.push(['reason.forbidden-header', { name }]);
      continue;
    }
    const value = normalizeHeaderValue(raw);
    const why = unsafeHeaderReason(name, value, engine);
    if (why) {
      unsafe.push(name.toLowerCase());
      reasons.push(why);
    } else {
      if (isChromiumHint(name)) reasons.push(['reason.chromium.extra-safelisted', { name }]);
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
  if (maxAge?.trim().startsWith('-')) return ['reason.chromium.negative-max-age', { value: maxAge, ...REASON_FACTS }];
  if (maxAge === undefined) return ['reason.max-age.default', { seconds }];
  if (!/^\d+$/.test(maxAge.trim())) return ['reason.max-age.unreadable', { value: maxAge, seconds }]; // 10.5, +10: the default
  return [Number(maxAge) > seconds ? 'reason.max-age.capped' : 'reason.max-age', { seconds, ...REASON_FACTS }];
}

const doubledReasons = (side) => side.doubled.map((line) => ['reason.header.doubled', line]);
// One request to one URL (one hop): its preflight if it needs one, then the request itself.
// Returns { end: 'preflight-failed' | 'refused' | 'allowed' | 'redirect', ... }.
function hop(request, policy, number, reasons, wire) {
  const unsafe = unsafeHeaders(request.headers, reasons, request.engine);
  const simpleMethod = SAFELISTED_METHODS.includes(request.method);
  if (!simpleMethod) reasons.push(['reason.method-not-simple', { method: request.method }]);
  const preflight = !simpleMethod || unsafe.length > 0;
  let seconds = 0;
  if (!preflight) {
    reasons.push(['reason.simple']);
  } else {
    const headers = unsafe.length ? [...unsafe].sort().join(',') : '';
    reasons.push([headers ? 'reason.preflight.sent-with-headers' : 'reason.preflight.sent', { method: request.method, headers }]);
    const side = responseSide(policy, true);
    if (hasPreflightPolicy(policy)) reasons.push(['reason.preflight.own-policy']);
    reasons.push(...doubledReasons(side));
    const entry = { method: 'OPTIONS', hop: number, origin: request.origin, cacheSeconds: 0 };
    wire.push(entry);
    const failure = preflightFailure(request, policy, side, unsafe, reasons);
    if (failure) {
      reasons.push(failure, ['reason.preflight.failed']);
      return { end: 'preflight-failed', preflight, chromium: { ...failure[2], onPreflight: true } };
    }
    seconds = cacheSeconds(side.max_age, request.engine);
    entry.cacheSeconds = seconds;
    reasons.push(['reason.preflight.passed'], maxAgeReason(side.max_age, seconds));
  }
  wire.push({ method: request.method, hop: number, origin: request.origin });
  const side = responseSide(policy, false);
  reasons.push(...doubledReasons(side));
  const failure = corsCheckFailure(request, side, 'response');
  const redirect = redirectOf(policy, false);
  if (failure) {
    reasons.push(failure, [redirect ? 'reason.redirect.not-followed' : 'reason.response.refused']);
    return { end: 'refused', preflight, seconds, chromium: { ...failure[2], onPreflight: false } };
  }
  if (redirect) return { end: 'redirect', preflight, seconds, redirect };
  const status = policy.status !== undefined && policy.status !== '200' ? policy.status : null;
  reasons.push(status ? ['reason.response.allowed-status', { status }] : ['reason.response.allowed']);
  return { end: 'allowed', preflight, seconds, exposed: exposedHeaders(request, side) };
}

const MAX_HOPS = 10;

export function predict(request, policy, translate = (key) => key) {
  requireContract();
  const reasons = [];
  const wire = [];
  const method = normalizeMethod(request.method);
  const initialUrl = request.url ?? labUrl(request.target, policy);
  let url = initialUrl;
  const result = (outcome, chromium = null) => ({
    preflight: wire.some((entry) => entry.method === 'OPTIONS'),
    sent: wire.some((entry) => entry.method !== 'OPTIONS'),
    ...outcome,
    wire,
    reasons: reasons.map(([key, params]) => translate(key, params)),
    console: chromium ? [consoleLine({ ...chromium, transport: request.transport, url, initialUrl, origin: request.pageOrigin })] : [],
  });
  if (isForbiddenMethod(method)) {
    reasons.push(['reason.forbidden-method', { method }]);
    return result({ allowed: false, exposedHeaders: [], cacheSeconds: 0 });
  }
  if (method !== request.method) reasons.push(['reason.method-normalized', { method }]);
  let current = { ...request, method, headers: request.headers ?? {}, origin: request.pageOrigin };
  let currentPolicy = policy;
  let first = null;
  for (let number = 0; number < MAX_HOPS; number += 1) {
    if (number > 0) reasons.push(['reason.redirect.hop', { number }]);
    const outcome = hop(current, currentPolicy, number, reasons, wire);
    first ??= outcome;
    const cached = first.preflight && first.end !== 'preflight-failed' ? first.seconds : 0;
    if (outcome.end !== 'redirect') {
      const allowed = outcome.end === 'allowed';
      return result({ allowed, exposedHeaders: allowed ? outcome.exposed : [], cacheSeconds: cached }, outcome.chromium);
    }
    url = nextUrl(outcome.redirect.location, url);
    ({ request: current, policy: currentPolicy } = follow(current, outcome.redirect, reasons));
  }
  reasons.push(['reason.redirect.too-many']);
  return result({ allowed: false, exposedHeaders: [], cacheSeconds: 0 });
}

// Whether JavaScript can read response header `name` given a prediction.
export function isReadable(name, prediction) {
  if (!prediction.allowed) return false;
  const lower = name.toLowerCase();
  const exposed = prediction.exposedHeaders;
  return SAFELISTED_RESPONSE_HEADERS.includes(lower) || exposed.includes('*') || exposed.includes(lower);
}
