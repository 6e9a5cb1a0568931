// For a recognised CORS error (explain-error.js): the playground configuration that reproduces it and
// the fix (raw headers, flask-cors configuration, and which answers must carry them). Pure.
import { PREFLIGHT_KINDS } from './explain-patterns.js';
import { SAFELISTED_METHODS } from './fetch-rules.js';

const PREFLIGHTED = { method: 'PUT', acam: 'PUT' };
const REDIRECTS = [301, 302, 303, 307, 308];
// /lab gives these values of acao a meaning of their own: a literal one cannot be sent through it.
const ACAO_WORDS = ['none', 'echo', '*'];

const onPreflight = (result, extra = {}) => (result.preflight ? { ...PREFLIGHTED, ...extra } : extra);

function literalOrigin(value, fallback) {
  if (value === null || value === undefined || ACAO_WORDS.includes(value) || /[\r\n]/.test(value)) return fallback;
  return value;
}

function credentialsValue(value) {
  return value ? { acac: value } : {};
}

function headerConfig(header) {
  if (!header) return null;
  if (header === 'content-type') return { method: 'POST', ctype: 'application/json' };
  return { headers: `${header}: 1` };
}

function preflightStatus(status) {
  if (!status || status < 300 || status > 599 || REDIRECTS.includes(status)) return '403';
  return String(status);
}

// The playground's query for the error's kind (its parameter names: pages/playground.js), or null
// when the lab cannot build it (credentials in a URL) or the message lacks what it needs.
export function playgroundFor(result) {
  const { kind } = result;
  const transport = result.transport === 'fetch' ? { transport: 'fetch' } : {};
  const actualStatus = !result.preflight && result.status >= 200 && result.status <= 599;
  const status = actualStatus ? { status: String(result.status) } : {};
  const build = {
    'missing-allow-origin': () => ({ ...onPreflight(result), acao: 'none', ...status }),
    // Safari's one message for a missing, another or an invalid Allow-Origin: the commonest, missing.
    'safari-origin-not-allowed': () => ({ ...onPreflight(result), acao: 'none', ...status }),
    'wildcard-origin-not-allowed': () => ({ ...onPreflight(result), cred: '1', acao: '*', acac: 'true' }),
    'multiple-allow-origin-values': () =>
      ({ ...onPreflight(result), acao: literalOrigin(result.value, 'https://a.example, https://b.example') }),
    'invalid-allow-origin-value': () => ({ ...onPreflight(result), acao: literalOrigin(result.value, 'not-an-origin') }),
    'allow-origin-mismatch': () => ({ ...onPreflight(result), acao: literalOrigin(result.value, 'https://other.example') }),
    'invalid-allow-credentials': () => ({ ...onPreflight(result), cred: '1', acao: 'echo', ...credentialsValue(result.value) }),
    'preflight-invalid-status': () => ({ ...PREFLIGHTED, acao: 'echo', preflight_status: preflightStatus(result.status) }),
    'preflight-disallowed-redirect': () =>
      ({ ...PREFLIGHTED, acao: 'echo', redirect: '307', redirect_on: 'preflight', location: '/lab?acao=echo&acam=PUT' }),
    'method-disallowed-by-preflight-response': () =>
      ({ method: result.method ?? 'PUT', acao: 'echo' }),
    'header-disallowed-by-preflight-response': () => {
      const config = headerConfig(result.header) ?? { headers: 'X-Lab-Token: 1' };
      return { ...config, acao: 'echo' };
    },
    'invalid-allow-methods-preflight-response': () => ({ method: 'PUT', acao: 'echo', acam: 'PUT GET' }),
    'invalid-allow-headers-preflight-response': () => ({ headers: 'X-Lab-Token: 1', acao: 'echo', acah: 'X Lab Token' }),
  }[kind];
  return build ? { ...build(), ...transport } : null;
}

// The request's own method and header, or words that name them: never a value the request did not ask for.
const YOUR_METHOD = '<your method>';
const YOUR_HEADER = '<your header>';
const methodOf = (result) => result.method ?? YOUR_METHOD;
const headerOf = (result) => result.header ?? YOUR_HEADER;
// Allow-Methods, where the method needs it: not for GET, HEAD or POST; named when the message did not say it.
const allowMethods = (result) => (SAFELISTED_METHODS.includes(result.method) ? [] : [`Access-Control-Allow-Methods: ${methodOf(result)}`]);
const flaskMethods = (result) => (SAFELISTED_METHODS.includes(result.method) ? '' : `, methods=["${methodOf(result)}"]`);

function flaskFor(kind, origin, result) {
  const origins = `origins=["${origin}"]`;
  return {
    'missing-allow-origin': `CORS(app, ${origins})  # intercept_exceptions=True (the default) covers error responses`,
    'safari-origin-not-allowed': `CORS(app, ${origins})  # intercept_exceptions=True (the default) covers error responses`,
    'wildcard-origin-not-allowed': `CORS(app, ${origins}, supports_credentials=True)`,
    'multiple-allow-origin-values': `CORS(app, ${origins})  # and remove add_header Access-Control-Allow-Origin from the proxy`,
    'invalid-allow-origin-value': `CORS(app, ${origins})`,
    'allow-origin-mismatch': `CORS(app, ${origins})`,
    'invalid-allow-credentials': `CORS(app, ${origins}, supports_credentials=True)`,
    'preflight-invalid-status':
      `CORS(app, ${origins}${flaskMethods(result)})  # responds to OPTIONS itself: let it through before any login check`,
    'preflight-disallowed-redirect': `CORS(app, ${origins})  # and call the final URL (e.g. with its trailing slash)`,
    'method-disallowed-by-preflight-response': `CORS(app, ${origins}, methods=["${methodOf(result)}"])`,
    'header-disallowed-by-preflight-response': `CORS(app, ${origins}, allow_headers=["${headerOf(result)}"])`,
    'invalid-allow-methods-preflight-response': `CORS(app, ${origins}, methods=["${methodOf(result)}"])`,
    'invalid-allow-headers-preflight-response': `CORS(app, ${origins}, allow_headers=["${headerOf(result)}"])`,
  }[kind] ?? null;
}

function headersFor(kind, origin, result) {
  const allowOrigin = [`Access-Control-Allow-Origin: ${origin}`, 'Vary: Origin'];
  const credentials = [...allowOrigin, 'Access-Control-Allow-Credentials: true'];
  return {
    'missing-allow-origin': allowOrigin,
    'safari-origin-not-allowed': allowOrigin,
    'wildcard-origin-not-allowed': credentials,
    'multiple-allow-origin-values': allowOrigin,
    'invalid-allow-origin-value': allowOrigin,
    'allow-origin-mismatch': allowOrigin,
    'invalid-allow-credentials': credentials,
    'preflight-invalid-status': ['HTTP/1.1 204 No Content', ...allowOrigin, ...allowMethods(result)],
    'method-disallowed-by-preflight-response': [...allowOrigin, `Access-Control-Allow-Methods: ${methodOf(result)}`],
    'header-disallowed-by-preflight-response': [...allowOrigin, `Access-Control-Allow-Headers: ${headerOf(result)}`],
    'invalid-allow-methods-preflight-response': [...allowOrigin, `Access-Control-Allow-Methods: ${methodOf(result)}`],
    'invalid-allow-headers-preflight-response': [...allowOrigin, `Access-Control-Allow-Headers: ${headerOf(result)}`],
  }[kind] ?? [];
}

// Which answers must carry the headers: a preflight-only kind concerns the OPTIONS answer; the
// Allow-Origin and credentials headers belong on the preflight, the actual answer and error answers.
export function fixFor(result, pageOrigin) {
  const { kind } = result;
  if (!kind) return null;
  const origin = result.origin ?? pageOrigin;
  // Where the actual response failed, it comes first; the preflight's response only where there was one.
  const where = PREFLIGHT_KINDS.has(kind)
    ? ['preflight']
    : result.preflight === false ? ['actual', 'errors', 'preflight-if-any'] : ['preflight', 'actual', 'errors'];
  const failedOn = result.preflight === null ? null : result.preflight ? 'preflight' : 'actual';
  return { where, failedOn, headers: headersFor(kind, origin, result), flask: flaskFor(kind, origin, result) };
}
