// The browsers' own CORS console wordings, as tables the recogniser (explain-error.js) reads.
// Chromium: third_party/blink/renderer/platform/loader/cors/cors_error_string.cc (today's lines,
// captured from Chromium 156 in tests/model/corpus/chromium.json) and its older wordings.
// Firefox: the CORS* strings of security.properties (Firefox ESR 153, en-US and zh-CN, copied in
// tests/model/corpus/). Safari: WebKit's CrossOriginAccessControl.cpp and CrossOriginPreflightResultCache.cpp.
import { OLDER_REASONS, TODAY_REASONS } from './chromium-messages.js';

// Chromium's CorsError kinds, in kebab-case (as labctl/cors_errors.py names them).
export const KINDS = [
  'missing-allow-origin', 'wildcard-origin-not-allowed', 'multiple-allow-origin-values', 'invalid-allow-origin-value',
  'allow-origin-mismatch', 'invalid-allow-credentials', 'preflight-invalid-status', 'preflight-disallowed-redirect',
  'method-disallowed-by-preflight-response', 'header-disallowed-by-preflight-response',
  'invalid-allow-methods-preflight-response', 'invalid-allow-headers-preflight-response', 'redirect-contains-credentials',
];

// Kinds only a preflight answer can cause.
export const PREFLIGHT_KINDS = new Set([
  'preflight-invalid-status', 'preflight-disallowed-redirect', 'method-disallowed-by-preflight-response',
  'header-disallowed-by-preflight-response', 'invalid-allow-methods-preflight-response',
  'invalid-allow-headers-preflight-response',
]);

// Chromium's reasons, today's and older wordings (chromium-messages.js, which the predictor writes its
// lines with): [kind, the reason's start, what {} is]. A reason is matched literally; {} is the part it
// names. Chromium before 2017 wrote the method and header ones without "in preflight response", as WebKit
// still does: a line without Chromium's start is tried as Safari's first.
export const CHROMIUM_REASONS = [...TODAY_REASONS, ...OLDER_REASONS];

// Firefox's reasons: [its key, kind or null, English reason, Chinese reason, what %2$S is]. A null kind is a
// failure that is not one of the CORS header checks (the note says which); %2$S is the group.
export const FIREFOX_REASONS = [
  ['CORSMissingAllowOrigin2', 'missing-allow-origin', 'CORS header ‘Access-Control-Allow-Origin’ missing',
    'CORS 头缺少 \'Access-Control-Allow-Origin\''],
  ['CORSMultipleAllowOriginNotAllowed', 'multiple-allow-origin-values',
    'Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed',
    '不允许有多个 \'Access-Control-Allow-Origin\' CORS 头'],
  ['CORSAllowOriginNotMatchingOrigin', 'allow-origin-mismatch', 'CORS header ‘Access-Control-Allow-Origin’ does not match ‘%2$S’',
    'CORS 头 \'Access-Control-Allow-Origin\' 不匹配 \'%2$S\'', 'value'],
  ['CORSNotSupportingCredentials', 'wildcard-origin-not-allowed',
    'Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’',
    '凭据不支持，如果 CORS 头 ‘Access-Control-Allow-Origin’ 为 ‘*’'],
  ['CORSMethodNotFound', 'method-disallowed-by-preflight-response', 'Did not find method in CORS header ‘Access-Control-Allow-Methods’',
    '找不到 CORS 头中的 \'Access-Control-Allow-Methods\''],
  ['CORSMissingAllowCredentials', 'invalid-allow-credentials', 'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’',
    'CORS 头中的 \'Access-Control-Allow-Credentials\' 预期为 \'true\''],
  ['CORSPreflightDidNotSucceed3', 'preflight-invalid-status', 'CORS preflight response did not succeed', 'CORS 预检响应未能成功'],
  ['CORSPreflightDidNotSucceed', 'preflight-invalid-status', 'CORS preflight channel did not succeed', null],
  ['CORSInvalidAllowMethod', 'invalid-allow-methods-preflight-response',
    'invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Methods’',
    'CORS 头 \'Access-Control-Allow-Methods\' 中的令牌 \'%2$S\' 无效', 'value'],
  ['CORSInvalidAllowHeader', 'invalid-allow-headers-preflight-response',
    'invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Headers’',
    'CORS 头 \'Access-Control-Allow-Headers\' 中的令牌 \'%2$S\' 无效', 'value'],
  ['CORSMissingAllowHeaderFromPreflight2', 'header-disallowed-by-preflight-response',
    'header ‘%2$S’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response',
    'CORS 预检响应的 \'Access-Control-Allow-Headers\'，不允许使用头 \'%2$S\'', 'header'],
  ['CORSMissingAllowHeaderFromPreflight', 'header-disallowed-by-preflight-response',
    'missing token ‘%2$S’ in CORS header ‘Access-Control-Allow-Headers’ from CORS preflight channel', null, 'header'],
  ['CORSExternalRedirectNotAllowed', null, 'CORS request external redirect not allowed', '不允许 CORS 请求外部重定向'],
  ['CORSDidNotSucceed2', null, 'CORS request did not succeed', 'CORS 请求未能成功'],
  ['CORSRequestNotHttp', null, 'CORS request not http', 'CORS 请求不是 http'],
  ['CORSOriginHeaderNotAdded', null, 'CORS header ‘Origin’ cannot be added', '无法添加 CORS ‘Origin\' 头'],
  ['CORSDisabled', null, 'CORS disabled', 'CORS 未启用'],
];

// The closest kinds of a reason Firefox words without a header check: [its key, the kinds].
export const FIREFOX_CLOSEST = {
  CORSExternalRedirectNotAllowed: ['preflight-disallowed-redirect', 'redirect-contains-credentials'],
};

// Safari (WebKit): [kind, pattern, what the group is]. One WebKit message covers a missing, a different
// and an invalid Allow-Origin: a kind of its own (SAFARI_KINDS), whose fix is the same for all three.
export const SAFARI_REASONS = [
  ['safari-origin-not-allowed', 'Origin {} is not allowed by Access-Control-Allow-Origin.', 'origin'],
  ['wildcard-origin-not-allowed', 'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.'],
  ['multiple-allow-origin-values', 'Access-Control-Allow-Origin cannot contain more than one origin.'],
  ['invalid-allow-credentials', 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".'],
  ['preflight-invalid-status', 'Preflight response is not successful.'],
  ['method-disallowed-by-preflight-response', 'Method {} is not allowed by Access-Control-Allow-Methods.', 'method'],
  ['header-disallowed-by-preflight-response', 'Request header field {} is not allowed by Access-Control-Allow-Headers.', 'header'],
];

export const SAFARI_ORIGIN_CLOSEST = ['missing-allow-origin', 'allow-origin-mismatch', 'invalid-allow-origin-value'];
// Kinds only Safari's wording has (not one of Chromium's CorsError kinds).
export const SAFARI_KINDS = ['safari-origin-not-allowed'];

// What people paste that is not one of the CORS header checks: what JavaScript sees of any failure,
// network errors, and the browser's other cross-origin protections. [note, pattern]; the first that
// matches a line names it. A paste with a CORS line too is explained by that line (ALONGSIDE: the
// notes that then only repeat that the request failed).
export const OTHER_MESSAGES = [
  ['mixed-content', /Mixed Content: The page at '[^']*' was loaded over HTTPS, but requested an insecure/],
  ['local-network', /more-private address space|Permission was denied for this request to access the `?\w+`? address space/],
  ['corp', /ERR_BLOCKED_BY_RESPONSE\.(?:NotSameOrigin|NotSameSite|NotSameOriginAfterDefaultedToSameOriginByCoep)/],
  ['orb', /ERR_BLOCKED_BY_ORB/],
  ['connection-refused', /ERR_CONNECTION_REFUSED/],
  ['name-not-resolved', /ERR_NAME_NOT_RESOLVED/],
  ['err-failed', /net::ERR_FAILED\b/],
  ['js-failed', /TypeError: (?:Failed to fetch|NetworkError when attempting to fetch resource|Load failed)\b/],
];
export const ALONGSIDE = new Set(['err-failed', 'js-failed']);
// The longest paste read: a console line is a few hundred characters; more is refused at once.
export const MAX_PASTE = 20000;

// Words that bring a kind to mind, for text no table knows: the closest kinds are those sharing most.
export const KIND_WORDS = {
  'missing-allow-origin': ['allow-origin', 'missing', 'no ', 'not present', '缺少'],
  'wildcard-origin-not-allowed': ['wildcard', "'*'", 'credential', '凭据'],
  'multiple-allow-origin-values': ['allow-origin', 'multiple', 'more than one', '多个'],
  'invalid-allow-origin-value': ['allow-origin', 'invalid', '无效'],
  'allow-origin-mismatch': ['allow-origin', 'not equal', 'match', 'not allowed by', '不匹配'],
  'invalid-allow-credentials': ['allow-credentials', 'credentials', "'true'", '凭据'],
  'preflight-invalid-status': ['preflight', 'status', ' ok', '预检', '状态'],
  'preflight-disallowed-redirect': ['preflight', 'redirect', '预检', '重定向'],
  'method-disallowed-by-preflight-response': ['method', 'allow-methods', 'preflight', '方法'],
  'header-disallowed-by-preflight-response': ['header field', 'allow-headers', 'request header', 'preflight'],
  'invalid-allow-methods-preflight-response': ['allow-methods', 'parse', 'invalid', 'token'],
  'invalid-allow-headers-preflight-response': ['allow-headers', 'parse', 'invalid', 'token'],
  'redirect-contains-credentials': ['redirect', 'username', 'password'],
};
