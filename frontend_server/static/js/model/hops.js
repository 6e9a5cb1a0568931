// The policy of one /lab URL as the model reads it, response by response, and where a redirect
// leads: a policy value is a string, or a list of strings for a parameter given more than once
// (one header line each: the browser reads them as one value joined with ", "). See cors-model.js.

// The headers that describe a request's body: dropped when a redirect turns the request into a GET.
const BODY_HEADERS = ['content-type', 'content-language', 'content-encoding', 'content-location'];
// Chromium's client hints that a script set: dropped on every redirect, same-origin too (Save-Data
// and Intervention stay), so the next hop may need no preflight for them (Chromium 156).
const DROPPED_HINTS = ['dpr', 'width', 'viewport-width', 'device-memory', 'rtt', 'downlink', 'ect'];

// The /lab parameters that set a header ({ parameter: header name }), and those the preflight may
// override (pf_*): from the lab contract.
let headerNames = {};
let headerParameters = [];
let preflightOverrides = [];

export function configureParameters(contract) {
  headerNames = contract.lab_parameter_headers;
  headerParameters = Object.keys(headerNames);
  preflightOverrides = contract.lab_preflight_parameters.map((name) => name.replace(/^pf_/, ''));
}

const lines = (value) => (value === undefined ? [] : [].concat(value));
const joined = (value) => (lines(value).length ? lines(value).join(', ') : undefined);

// The headers one response carries (the preflight's: each pf_* given replaces its own), as the
// browser reads them: { acao: [lines], acac, acam, acah, aceh, max_age (joined strings), doubled: [...] }.
export function responseSide(policy, preflight) {
  const overrides = (name) => preflight && preflightOverrides.includes(name) && policy[`pf_${name}`] !== undefined;
  const pick = (name) => (overrides(name) ? policy[`pf_${name}`] : policy[name]);
  const side = { doubled: [] };
  for (const name of headerParameters) side[name] = joined(pick(name));
  side.acao = lines(pick('acao'));
  for (const name of headerParameters) {
    const values = lines(pick(name));
    if (values.length > 1) side.doubled.push({ header: headerNames[name], count: values.length, value: values.join(', ') });
  }
  return side;
}

// The response header a /lab parameter sets, and every such parameter (the lab contract's map).
export const headerOf = (parameter) => headerNames[parameter];
export const headerParameterNames = () => headerParameters;

export const hasPreflightPolicy = (policy) => preflightOverrides.some((name) => policy[`pf_${name}`] !== undefined);

// The Allow-Origin value a request from `origin` receives: its lines (`echo` = the request's Origin,
// `none` = no line) joined, or undefined without any.
export function allowOrigin(side, origin) {
  const values = side.acao.filter((value) => value !== 'none').map((value) => (value === 'echo' ? origin : value));
  return values.length ? { value: values.join(', '), count: values.length } : undefined;
}

// The redirect this response answers with, or null: { status, location }.
export function redirectOf(policy, preflight) {
  if (policy.redirect === undefined || policy.location === undefined) return null;
  const on = policy.redirect_on ?? 'actual';
  if (on !== 'both' && on !== (preflight ? 'preflight' : 'actual')) return null;
  return { status: Number(policy.redirect), location: policy.location };
}

// The method after following a redirect of `status`: 301/302 turn POST into GET, 303 turns
// everything but GET and HEAD into GET; 307/308 keep it (and the body).
function methodAfter(status, method) {
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  if (status === 303 && method !== 'GET' && method !== 'HEAD') return 'GET';
  return method;
}

const without = (headers, names) => Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
const withoutBodyHeaders = (headers) => without(headers, BODY_HEADERS);
const droppedHints = (headers) => Object.keys(headers).filter((name) => DROPPED_HINTS.includes(name.toLowerCase()));
const withoutHints = (headers) => without(headers, DROPPED_HINTS);

// Where `location` leads from a URL on `current` (an origin, or undefined when unknown): the
// next hop's origin and its policy (repeated query parameters as lists; the run id left out).
function nextHop(location, current) {
  const base = current ?? 'http://current.invalid';
  const url = new URL(location, base);
  const policy = {};
  for (const [name, value] of url.searchParams) {
    if (name === 'run') continue;
    policy[name] = name in policy ? lines(policy[name]).concat(value) : value;
  }
  const origin = url.origin === 'http://current.invalid' ? current : url.origin;
  return { origin, policy, url: `${url.pathname}${url.search}` };
}

// The /lab URL of a policy on `target` as the playground writes it (a list value once per parameter), with the run id.
export function labUrl(target, policy, run = 'RUN_ID') {
  const url = new URL('/lab', target ?? 'http://api.invalid');
  for (const [name, value] of Object.entries(policy)) for (const item of lines(value)) url.searchParams.append(name, item);
  url.searchParams.set('run', run);
  return url.href;
}

// Python's urlencode (quote_plus), as the lab writes a Location.
const formEncode = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');

// The URL a redirect of the lab leads to from `current`: the lab re-encodes the location's query and
// carries the run id along (api_server/lab.py check_location).
export function nextUrl(location, current) {
  const url = new URL(location, current);
  const pairs = [...url.searchParams];
  const run = new URL(current).searchParams.get('run');
  if (run !== null && !pairs.some(([name]) => name === 'run')) pairs.push(['run', run]);
  const query = pairs.map(([name, value]) => `${formEncode(name)}=${formEncode(value)}`).join('&');
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}

// Follows a redirect: the next request's method, headers, Origin and policy, with the reasons.
export function follow(current, redirect, reasons) {
  const next = nextHop(redirect.location, current.target);
  reasons.push(['reason.redirect.followed', { status: redirect.status, location: next.url }]);
  const method = methodAfter(redirect.status, current.method);
  let headers = withoutHints(current.headers);
  const hints = droppedHints(current.headers);
  if (hints.length) reasons.push(['reason.redirect.hints-dropped', { names: hints.join(', ') }]);
  if (method !== current.method) {
    headers = withoutBodyHeaders(headers);
    reasons.push(['reason.redirect.method-changed', { status: redirect.status, from: current.method }]);
  }
  let origin = current.origin;
  if (next.origin !== current.target && origin !== 'null') {
    origin = 'null';
    reasons.push(['reason.redirect.origin-null', { origin: next.origin }]);
  }
  return { request: { ...current, method, headers, origin, target: next.origin }, policy: next.policy };
}
