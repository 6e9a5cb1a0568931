// Chromium's CORS console line, the one source of its wordings: the predictor (cors-model.js) writes
// lines with it and the recogniser (explain-patterns.js, explain-error.js) reads pasted ones with it.
// third_party/blink/renderer/platform/loader/cors/cors_error_string.cc, checked against Chromium 156
// (tests/model/corpus/chromium.json):
//   Access to {XMLHttpRequest|fetch} at '{url}' [(redirected from '{initial url}') ]from origin '{origin}'
//   has been blocked by CORS policy: [Response to preflight request doesn't pass access control check: ]{reason}

export const BLOCKED = ' has been blocked by CORS policy: ';
export const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";
// Added to the Allow-Origin value kinds for fetch(), and to the credentials kinds for XMLHttpRequest.
export const VALID_VALUE_SUFFIX = ' Have the server send the header with a valid value.';
export const WITH_CREDENTIALS_SUFFIX =
  ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.';

const ACAO = "The 'Access-Control-Allow-Origin' header";
const INCLUDE = "when the request's credentials mode is 'include'.";

// Today's reasons, one per kind: [kind, reason, what {} is]. {} is the part the reason names.
export const TODAY_REASONS = [
  ['missing-allow-origin', "No 'Access-Control-Allow-Origin' header is present on the requested resource."],
  ['wildcard-origin-not-allowed',
    `The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' ${INCLUDE}`],
  ['multiple-allow-origin-values', `${ACAO} contains multiple values '{}', but only one is allowed.`, 'value'],
  ['invalid-allow-origin-value', `${ACAO} contains the invalid value '{}'.`, 'value'],
  ['allow-origin-mismatch', `${ACAO} has a value '{}' that is not equal to the supplied origin.`, 'value'],
  ['invalid-allow-credentials',
    `The value of the 'Access-Control-Allow-Credentials' header in the response is '{}' which must be 'true' ${INCLUDE}`, 'value'],
  ['preflight-invalid-status', 'It does not have HTTP ok status.'],
  ['preflight-disallowed-redirect', 'Redirect is not allowed for a preflight request.'],
  ['method-disallowed-by-preflight-response', 'Method {} is not allowed by Access-Control-Allow-Methods in preflight response.',
    'method'],
  ['header-disallowed-by-preflight-response',
    'Request header field {} is not allowed by Access-Control-Allow-Headers in preflight response.', 'header'],
  ['invalid-allow-methods-preflight-response', 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.'],
  ['invalid-allow-headers-preflight-response', 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.'],
  ['redirect-contains-credentials',
    "Redirect location '{}' contains a username and password, which is disallowed for cross-origin requests.", 'value'],
];

// Older Chromium wordings (recognised, never predicted). A reason is matched from its start, so the
// method and header ones of before 2017, without "in preflight response", come after today's.
export const OLDER_REASONS = [
  ['wildcard-origin-not-allowed',
    "A wildcard '*' cannot be used in the 'Access-Control-Allow-Origin' header when the credentials flag is true."],
  ['invalid-allow-credentials',
    "Credentials flag is 'true', but the 'Access-Control-Allow-Credentials' header is '{}'. It must be 'true' to allow credentials.",
    'value'],
  ['preflight-invalid-status', 'Response for preflight has invalid HTTP status code {}', 'status'],
  ['preflight-disallowed-redirect', 'Response for preflight is invalid (redirect)'],
  ['method-disallowed-by-preflight-response', 'Method {} is not allowed by Access-Control-Allow-Methods', 'method'],
  ['header-disallowed-by-preflight-response', 'Request header field {} is not allowed by Access-Control-Allow-Headers', 'header'],
];

// The kinds a failed CORS check of the preflight reports behind PREFLIGHT_PREFIX (Chromium's Preflight* errors).
const PREFIXED_ON_PREFLIGHT = new Set([
  'missing-allow-origin', 'wildcard-origin-not-allowed', 'multiple-allow-origin-values', 'invalid-allow-origin-value',
  'allow-origin-mismatch', 'invalid-allow-credentials', 'preflight-invalid-status', 'preflight-disallowed-redirect',
]);
const VALUE_KINDS = new Set(['multiple-allow-origin-values', 'invalid-allow-origin-value', 'allow-origin-mismatch']);
const CREDENTIALS_KINDS = new Set(['wildcard-origin-not-allowed', 'invalid-allow-credentials']);
const REASON = Object.fromEntries(TODAY_REASONS.map(([kind, text]) => [kind, text]));

// The reason Chromium gives for `kind` (the part it names: `detail`), as the transport words it.
function reasonText(kind, detail, transport) {
  let text = REASON[kind].replace('{}', () => String(detail ?? ''));
  if (transport === 'fetch' && VALUE_KINDS.has(kind)) text += VALID_VALUE_SUFFIX;
  if (transport !== 'fetch' && CREDENTIALS_KINDS.has(kind)) text += WITH_CREDENTIALS_SUFFIX;
  return text;
}

// One console line: { kind, detail, onPreflight, transport ('xhr' | 'fetch'), url, initialUrl, origin }.
export function consoleLine({ kind, detail, onPreflight, transport, url, initialUrl, origin }) {
  const initiator = transport === 'fetch' ? 'fetch' : 'XMLHttpRequest';
  const redirected = initialUrl && initialUrl !== url ? `(redirected from '${initialUrl}') ` : '';
  const prefix = onPreflight && PREFIXED_ON_PREFLIGHT.has(kind) ? PREFLIGHT_PREFIX : '';
  return `Access to ${initiator} at '${url}' ${redirected}from origin '${origin}'${BLOCKED}${prefix}${reasonText(kind, detail, transport)}`;
}

// The kind of a failed Allow-Origin check, as Chromium tells them apart (services/network/public/cpp/cors/cors.cc):
// a value with a space or a comma is several values; "null" or a URL is another origin; anything else is invalid.
export function allowOriginKind(value) {
  if (/[ ,]/.test(value)) return 'multiple-allow-origin-values';
  if (value === 'null') return 'allow-origin-mismatch';
  try {
    new URL(value);
    return 'allow-origin-mismatch';
  } catch {
    return 'invalid-allow-origin-value';
  }
}
