// The playground's form as a request and a /lab policy, checked before anything is predicted.
// Two kinds of trouble, kept apart:
//   errors:  what the lab cannot take: a malformed line, a status out of range, and what its servers
//            refuse (gunicorn's request-line and header-field limits, the API's body limit, a /lab
//            value too long or not printable ASCII), each as { field, text } naming the limit;
//   refusal: what the browser itself refuses: an invalid or forbidden method, a header value it
//            cannot send (an exception before anything is sent), a forbidden header name (dropped).
// The limits come from the lab contract (config.contract.limits).
import { t } from '../core/i18n.js';
import { isForbiddenHeader, isForbiddenMethod } from '../model/fetch-rules.js';
import { labUrl } from '../model/hops.js';

let config;
let headerName;
let policyFields;
// The longest run id a run gets (newRunId), for the length of the request line.
const RUN_PLACEHOLDER = 'x'.repeat(32);
// The /lab parameters that are not header values (location is checked as a URL).
const NOT_HEADER_VALUES = ['status', 'preflight_status', 'redirect', 'redirect_on', 'location'];
const bytes = (text) => new TextEncoder().encode(text).length;
// XHR and fetch accept a header value only in Latin-1 and without NUL, CR or LF.
const notLatin1 = (value) => /[^\u0000-\u00ff]/.test(value);
const notFieldValue = (value) => /[\0\r\n]/.test(value);

export function configureForm(labConfig, fields) {
  config = labConfig;
  policyFields = fields;
  headerName = new RegExp(config.contract.header_name_pattern);
}

function parseHeaderLines(text, errors) {
  const headers = {};
  const { header_field_bytes: limit } = config.contract.limits;
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!headerName.test(name)) {
      errors.push({ field: 'headers', text: t('play.error.header-line', { line: line.slice(0, 60) }) });
      continue;
    }
    headers[name] = line.slice(colon + 1).trim();
    const size = bytes(`${name}: ${headers[name]}`);
    if (size > limit) errors.push({ field: 'headers', text: t('play.error.header-too-long', { name, size, limit }) });
  }
  return headers;
}

function isStatus(value) {
  const [lowest, highest] = config.contract.status_range;
  return /^\d+$/.test(value) && Number(value) >= lowest && Number(value) <= highest;
}

function redirectErrors(policy, errors) {
  if (policy.redirect === undefined) {
    delete policy.location;
    delete policy.redirect_on;
    return;
  }
  const labs = ['', config.api_origin, config.api_alias_origin].map((origin) => `${origin}/lab`);
  const location = policy.location ?? '';
  if (!labs.some((lab) => location === lab || location.startsWith(`${lab}?`))) {
    errors.push({ field: 'location', text: t('play.error.location', { example: `${config.api_alias_origin}/lab?acao=*` }) });
  }
}

// What /lab refuses of one value (a 400), and a body over the API's limit (a 413).
function serverLimitErrors(setup, errors) {
  const { lab_value_chars: chars, body_bytes: bodyLimit } = config.contract.limits;
  for (const [field, value] of Object.entries(setup.policy)) {
    if (NOT_HEADER_VALUES.includes(field)) continue;
    const tooLong = { field, length: value.length, limit: chars };
    if (value.length > chars) errors.push({ field, text: t('play.error.lab-value-too-long', tooLong) });
    else if (/[^\x20-\x7e\t]/.test(value)) errors.push({ field, text: t('play.error.lab-value-ascii', { field }) });
  }
  const body = setup.request.body;
  if (body !== null && bytes(body) > bodyLimit) {
    errors.push({ field: 'body', text: t('play.error.body-too-large', { size: bytes(body), limit: bodyLimit }) });
  }
}

// A request line longer than gunicorn takes: it answers 400 before the API sees (or logs) anything.
function requestLineError(setup, errors) {
  const limit = config.contract.limits.request_line_bytes;
  const url = new URL(labUrl(setup.target, setup.policy, RUN_PLACEHOLDER));
  const size = bytes(`${setup.method} ${url.pathname}${url.search} HTTP/1.1`);
  if (size <= limit) return;
  const length = (name) => String(setup.policy[name]).length;
  const longest = Object.keys(setup.policy).sort((a, b) => length(b) - length(a))[0] ?? 'method';
  errors.push({ field: longest, text: t('play.error.url-too-long', { size, limit }) });
}

// What the browser does before sending: { exception: name, text } when open(), setRequestHeader()
// or fetch() throws, else { dropped: [names] } for forbidden header names it leaves out silently.
function browserRefusal(method, headers, transport) {
  const threw = (xhrName, key, params) => {
    const exception = transport === 'fetch' ? 'TypeError' : xhrName;
    return { exception, text: t(key, { ...params, exception, call: transport === 'fetch' ? 'fetch()' : 'XMLHttpRequest' }) };
  };
  if (!headerName.test(method)) return threw('SyntaxError', 'play.refused.method', { method });
  if (isForbiddenMethod(method)) return threw('SecurityError', 'play.refused.forbidden-method', { method });
  for (const [name, value] of Object.entries(headers)) {
    if (notLatin1(value)) return threw('TypeError', 'play.refused.latin1', { name });
    if (notFieldValue(value)) return threw('SyntaxError', 'play.refused.field-value', { name });
  }
  const dropped = Object.keys(headers).filter(isForbiddenHeader);
  return dropped.length ? { dropped, text: t('play.refused.dropped', { names: dropped.join(', ') }) } : null;
}

export function configuration(state) {
  const errors = [];
  const headers = parseHeaderLines(state.headers, errors);
  if (state.ctype) headers['Content-Type'] = state.ctype;
  const method = state.method.trim() || 'GET';
  const [lowest, highest] = config.contract.status_range;
  for (const name of ['status', 'preflight_status']) {
    if (state[name] !== '' && !isStatus(state[name])) errors.push({ field: name, text: t(`play.error.${name}`, { lowest, highest }) });
  }
  const policy = Object.fromEntries(policyFields.filter((name) => state[name] !== '').map((name) => [name, state[name]]));
  redirectErrors(policy, errors);
  const hasBody = !['GET', 'HEAD'].includes(method.toUpperCase()) && state.body !== '';
  const request = { method, headers, body: hasBody ? state.body : null, withCredentials: state.cred === '1' };
  const target = state.host === 'alias' ? config.api_alias_origin : config.api_origin;
  const setup = { errors, method, headers, policy, request, target, transport: state.transport };
  serverLimitErrors(setup, errors);
  if (state.twice && policy[state.twice] !== undefined) policy[state.twice] = [policy[state.twice], policy[state.twice]];
  requestLineError(setup, errors);
  setup.refusal = browserRefusal(method, headers, state.transport);
  return setup;
}

// The prediction when the browser throws before sending: nothing on the wire, nothing to read.
export const exceptionPrediction = (refusal) => ({
  preflight: false, sent: false, allowed: false, exposedHeaders: [], cacheSeconds: 0, wire: [], reasons: [refusal.text],
  exception: refusal.exception,
});

// Whether the browser threw before sending: XHR reports an exception; fetch() rejects with nothing on the wire.
export const threwBeforeSending = (result, wire) =>
  result.outcome === 'exception' || (result.outcome === 'rejected' && wire.length === 0 && /TypeError/.test(result.error ?? ''));

// Why the observation differs from the prediction: 'model' only when nothing else explains it.
export function mismatchCause(prediction, wire, policy) {
  const asked = [policy.status, policy.preflight_status].filter(Boolean).map(Number);
  const refused = wire.find((entry) => [400, 413, 414, 431].includes(entry.status) && !asked.includes(entry.status));
  if (refused) return ['play.mismatch.server', { status: refused.status }];
  if (wire.length === 0 && (prediction.preflight || prediction.sent)) return ['play.mismatch.unlogged', {}];
  return ['play.mismatch', {}];
}

// The configuration as a query string, keeping only what fits in a URL; `dropped` names what did not.
export function query(state, language, defaults, dropped = []) {
  const params = new URLSearchParams({ lang: language });
  let room = Math.floor(config.contract.limits.request_line_bytes / 2);
  for (const [name, value] of Object.entries(state)) {
    if (value === '' || value === defaults[name]) continue;
    const size = encodeURIComponent(value).length + name.length + 2;
    if (size > room) {
      dropped.push(name);
      continue;
    }
    room -= size;
    params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
