// Recognises a pasted CORS console message of Chromium (today's and older wordings), Firefox (English
// and Chinese) or Safari: explainError(text) -> {browser, kind, preflight, origin, url, method, header,
// value, playground, ...}. kind is one of Chromium's CorsError kinds (explain-patterns.js) or null: then
// `closest` lists the kinds the text is nearest to. Pure: nothing is sent, stored or logged.
import {
  ALONGSIDE, CHROMIUM_REASONS, FIREFOX_CLOSEST, FIREFOX_REASONS, KIND_WORDS, KINDS, MAX_PASTE, OTHER_MESSAGES, PREFLIGHT_KINDS,
  SAFARI_ORIGIN_CLOSEST, SAFARI_REASONS,
} from './explain-patterns.js';
import { playgroundFor } from './explain-fix.js';
import { BLOCKED, PREFLIGHT_PREFIX, VALID_VALUE_SUFFIX, WITH_CREDENTIALS_SUFFIX } from './chromium-messages.js';

export { KINDS };

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Every repetition is bounded or stops at a character the next part needs, so a line is matched in
// linear time whatever it holds (the initiator: "fetch", "XMLHttpRequest", "CSS stylesheet", ...).
const CHROMIUM_TODAY = new RegExp("Access to ([A-Za-z][\\w -]{0,40}?) at '([^']*)'(?: \\(redirected from '([^']*)'\\))? "
  + `from origin '([^']*)'${escape(BLOCKED)}(.*)`);
const CHROMIUM_FAILED_TO_LOAD = /Failed to load (\S+): (.*)/;
const CHROMIUM_CANNOT_LOAD = /XMLHttpRequest cannot load (\S+)\. (.*)/;
const THEREFORE = / ?Origin '([^']*)' is therefore not allowed access\./;
const STATUS_CODE = / ?The response had HTTP status code (\d{3})\./;
const NO_CORS = / ?If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled\./;
const VALID_VALUE = new RegExp(escape(VALID_VALUE_SUFFIX).replace(/^ /, ' ?'));
const WITH_CREDENTIALS = new RegExp(escape(WITH_CREDENTIALS_SUFFIX).replace(/^ /, ' ?'));
const FIREFOX_EN = new RegExp('Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at '
  + '‘?(\\S+?)’?\\. \\(Reason: (.+?)\\)(?:\\.|\\s|$)');
const FIREFOX_ZH = /已拦截跨源请求：同源策略禁止读取位于 ‘?(\S+?)’? 的远程资源。（原因：(.+?)）/;
const FIREFOX_STATUS = /(?:Status code|状态码)[:：] ?(\d{3})/;
const SAFARI_CANNOT_LOAD = /^(?:[\w ]+?) cannot load (\S+?) due to access control checks\./;
const SAFARI_STATUS = /Status code: (\d{3})/;
const SAFARI_REDIRECT = /^Cross-origin redirection to (\S+) denied by Cross-Origin Resource Sharing policy: (.*)/;
const CONSOLE_NOISE = /^(?:\[(?:Error|Warning|Log)\]\s*|Failed to load resource:\s*|Error:\s*)+/;

function blank() {
  return {
    browser: null, kind: null, preflight: null, origin: null, url: null, method: null, header: null, value: null,
    status: null, transport: null, wording: null, language: null, note: null, closest: [], playground: null,
    other: false, alongside: [],
  };
}

const GROUPS = { status: '(\\d{3})', value: '(.*?)', method: '(\\S+)', header: '(\\S+)', origin: '(\\S+)' };
// A reason of the tables as a pattern: its text literally, from its start, with {} the group.
const template = ([kind, text, group]) => [kind, new RegExp(`^${escape(text).replace('\\{\\}', GROUPS[group])}`), group];
const CHROMIUM = CHROMIUM_REASONS.map(template);
const SAFARI = SAFARI_REASONS.map(template);

// A Firefox reason as a pattern: its %2$S is the group, and any quote matches any quote (zh-CN mixes them).
function firefoxPattern(reason) {
  const parts = reason.split('%2$S').map((part) => escape(part).replace(/['‘’"“”]/g, '[\'‘’"“”]'));
  return new RegExp(`^${parts.join('(.+?)')}$`);
}

const FIREFOX = FIREFOX_REASONS.flatMap(([key, kind, english, chinese, group]) => [
  english && { key, kind, group, language: 'en', pattern: firefoxPattern(english) },
  chinese && { key, kind, group, language: 'zh-CN', pattern: firefoxPattern(chinese) },
].filter(Boolean));

function firefox(line) {
  const found = line.match(FIREFOX_EN) ?? line.match(FIREFOX_ZH);
  if (!found) return null;
  const result = { ...blank(), browser: 'firefox', url: found[1], wording: 'firefox' };
  const status = line.match(FIREFOX_STATUS);
  if (status) result.status = Number(status[1]);
  const reason = FIREFOX.find((entry) => entry.pattern.test(found[2].trim()));
  if (!reason) return { ...result, note: 'unknown-reason', closest: closestKinds(found[2]) };
  const group = found[2].trim().match(reason.pattern)[1];
  Object.assign(result, { kind: reason.kind, language: reason.language, note: reason.kind ? null : reason.key });
  if (reason.group) result[reason.group] = group;
  if (!reason.kind) result.closest = FIREFOX_CLOSEST[reason.key] ?? [];
  if (reason.kind) result.preflight = PREFLIGHT_KINDS.has(reason.kind) ? true : null;
  return result;
}

// Takes the sentences older Chromium versions add around the reason off it, noting what they say.
function chromiumReason(rest, result) {
  let reason = rest;
  const cut = (pattern, use) => {
    const found = reason.match(pattern);
    if (!found) return;
    use(found);
    reason = reason.replace(pattern, '');
  };
  cut(THEREFORE, (found) => { result.origin ??= found[1]; result.wording = 'pre-2019'; });
  cut(STATUS_CODE, (found) => { result.status = Number(found[1]); });
  cut(NO_CORS, () => { result.wording = result.wording === 'pre-2019' ? 'pre-2019' : 'no-cors-suffix'; });
  cut(VALID_VALUE, () => { result.transport = 'fetch'; });
  cut(WITH_CREDENTIALS, () => { result.transport = 'xhr'; });
  if (reason.startsWith(PREFLIGHT_PREFIX)) {
    result.preflight = true;
    reason = reason.slice(PREFLIGHT_PREFIX.length);
  }
  return reason.trim();
}

function chromium(line, bare) {
  const result = { ...blank(), browser: 'chromium', wording: 'today' };
  let rest;
  const today = line.match(CHROMIUM_TODAY);
  const old = line.match(CHROMIUM_FAILED_TO_LOAD) ?? line.match(CHROMIUM_CANNOT_LOAD);
  if (today) {
    const [, initiator, url, redirectedFrom, origin, reason] = today;
    Object.assign(result, { url, origin, redirectedFrom: redirectedFrom ?? null, initiator });
    if (initiator === 'fetch') result.transport = 'fetch';
    else if (initiator === 'XMLHttpRequest') result.transport = 'xhr';
    rest = reason;
  } else if (old) {
    Object.assign(result, { url: old[1], wording: 'pre-2019' });
    if (line.includes('XMLHttpRequest cannot load')) result.transport = 'xhr';
    rest = old[2];
  } else {
    if (!bare) return null;
    rest = line;
    result.wording = null;
  }
  const reason = chromiumReason(rest, result);
  const known = CHROMIUM.find(([, pattern]) => pattern.test(reason));
  if (!known) {
    if (!today && !old) return null;
    return { ...result, note: 'unknown-reason', closest: closestKinds(reason) };
  }
  const [kind, pattern, group] = known;
  if (group) result[group] = group === 'status' ? Number(reason.match(pattern)[1]) : reason.match(pattern)[1];
  result.kind = kind;
  result.preflight = result.preflight || PREFLIGHT_KINDS.has(kind);
  if (!today && !old && !result.origin) result.wording = 'reason-only';
  return result;
}

function safari(line) {
  const result = { ...blank(), browser: 'safari', wording: 'safari' };
  const cannot = line.match(SAFARI_CANNOT_LOAD);
  if (cannot) return { ...result, url: cannot[1], note: 'safari-no-reason' };
  let text = line;
  const redirect = line.match(SAFARI_REDIRECT);
  if (redirect) {
    result.url = redirect[1];
    text = redirect[2];
  }
  const known = SAFARI.find(([, pattern]) => pattern.test(text));
  if (!known) return null;
  const [kind, pattern, group] = known;
  if (group) result[group] = text.match(pattern)[1];
  const status = text.match(SAFARI_STATUS);
  if (status) result.status = Number(status[1]);
  if (kind === 'preflight-invalid-status' && [301, 302, 303, 307, 308].includes(result.status)) {
    result.kind = 'preflight-disallowed-redirect';
  } else result.kind = kind;
  if (kind === 'safari-origin-not-allowed') result.closest = SAFARI_ORIGIN_CLOSEST;
  result.preflight = result.kind && PREFLIGHT_KINDS.has(result.kind) ? true : null;
  return result;
}

// The kinds whose words the text shares most (at least one), best first, at most three.
export function closestKinds(text) {
  const lower = text.toLowerCase();
  return KINDS.map((kind) => [kind, KIND_WORDS[kind].filter((word) => lower.includes(word)).length])
    .filter(([, score]) => score > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([kind]) => kind);
}

function explainLine(line) {
  const text = line.replace(CONSOLE_NOISE, '').trim();
  if (!text) return null;
  return firefox(text) ?? chromium(text, false) ?? safari(text) ?? chromium(text, true);
}

// Safari prints the reason and "… cannot load URL due to access control checks." on two lines; the
// best line (one with a kind) takes the URL or origin another line gives.
function merge(results) {
  const rank = (result) => (result.kind ? 2 : result.note === 'safari-no-reason' ? 0 : 1);
  const best = [...results].sort((a, b) => rank(b) - rank(a))[0];
  for (const other of results) {
    if (other === best || other.browser !== best.browser) continue;
    for (const field of ['url', 'origin', 'status']) best[field] ??= other[field];
  }
  return best;
}

// The first of OTHER_MESSAGES a line matches, or null.
const otherNote = (line) => OTHER_MESSAGES.find(([, pattern]) => pattern.test(line))?.[0] ?? null;

export function explainError(text) {
  const source = String(text ?? '');
  if (source.length > MAX_PASTE) return { ...blank(), note: 'too-long', length: source.length };
  const rawLines = source.split(/\r?\n/);
  const lines = rawLines.map(explainLine).filter(Boolean);
  const others = rawLines.map(otherNote).filter(Boolean);
  if (!lines.length || !lines.some((line) => line.kind)) {
    // Chromium words Local Network Access as a CORS reason: it is not one of the header checks.
    const other = others.find((note) => !ALONGSIDE.has(note)) ?? others[0];
    if (other) return { ...blank(), ...(lines[0] ?? {}), kind: null, note: other, other: true, closest: [] };
  }
  if (!lines.length) return { ...blank(), note: source.trim() ? 'unknown' : 'empty', closest: closestKinds(source) };
  const result = merge(lines);
  if (result.kind && result.preflight === null && result.browser === 'chromium') result.preflight = false;
  result.alongside = result.kind ? [...new Set(others.filter((note) => ALONGSIDE.has(note)))] : [];
  result.playground = playgroundFor(result);
  return result;
}
