// The lab's model (cors-model.js) applied to what a browser really received. The doctor
// (labctl/doctor.py) watches a request in Chromium, hop by hop: the preflight (if any) and the answer,
// their statuses and headers as received; explainObserved() writes them as the /lab policy that gives
// exactly those answers and asks the model what Chromium should conclude, why, what its console line
// says, and the fix (explain-fix.js). Pure: nothing is sent.
//
//   observed: { pageOrigin, method, headers: { name: value } (set by the page's script), credentials: bool,
//               transport: 'xhr' | 'fetch', preflightOnly?: bool (stop at the preflight's verdict),
//               hops: [{ url, preflight: exchange | null, actual: exchange | null }] (the URLs in order) }
//     exchange: { sent, status, headers: { name: value } }, a header sent as several lines joined with "\n",
//               as the DevTools protocol gives them (or with ", ", which the browser reads the same)
//   contract: the lab contract (/config.json's contract); translate(key, params): a reason's text
//   returns: { preflight, sent, allowed, kind, onPreflight, console: [line], reasons: [text], fix (explain-fix.js),
//              literal: [Allow-Origin values the model cannot take literally], preflightRequest: { method, headers } | null,
//              plan: the whole fix, checked (fix-plan.js; null when readable), with framework: { name, asked,
//                    recognised } and frameworks: each framework's edit (framework-fix.js) }
//   observed.framework: 'auto' (default: what the answers show, else raw headers) or one of framework-fix.js's FRAMEWORKS
import { configure, predict } from './cors-model.js';
import { explainError } from './explain-error.js';
import { fixFor } from './explain-fix.js';
import { planFix } from './fix-plan.js';
import { recognise } from './framework-evidence.js';
import { frameworkFixes } from './framework-fix.js';

const HEADERS = {
  acao: 'access-control-allow-origin',
  acac: 'access-control-allow-credentials',
  acam: 'access-control-allow-methods',
  acah: 'access-control-allow-headers',
  aceh: 'access-control-expose-headers',
  max_age: 'access-control-max-age',
};
// The headers the preflight has of its own (the pf_* parameters of the lab contract, without pf_).
let preflightHeaders = [];
// /lab gives these Allow-Origin values a meaning of their own: a server sending one literally is not modelled.
const ACAO_WORDS = ['echo', 'none'];
// What the lab's own /lab says about itself, which means nothing for an answer seen elsewhere.
const LAB_ONLY_REASONS = ['reason.preflight.own-policy'];
const isRedirect = (exchange) => exchange?.sent && exchange.status >= 300 && exchange.status < 400;

// The header's lines (a list when sent more than once), or undefined when absent.
function lines(headers, name) {
  const found = Object.entries(headers ?? {}).filter(([key]) => key.toLowerCase() === name);
  if (!found.length) return undefined;
  const all = found.flatMap(([, value]) => String(value).split('\n'));
  return all.length === 1 ? all[0] : all;
}

const location = (exchange) => [].concat(lines(exchange.headers, 'location') ?? '')[0];

// The /lab policy of one hop; `next`: where its redirect leads, as a /lab URL of the next hop's policy.
function policyOf(hop, next) {
  const policy = {};
  const actual = hop.actual?.sent ? hop.actual : null;
  for (const [parameter, name] of Object.entries(HEADERS)) {
    const value = actual ? lines(actual.headers, name) : undefined;
    if (value !== undefined) policy[parameter] = value;
  }
  if (actual) policy.status = String(actual.status);
  // The preflight is checked against its own headers only: each one it lacks is said to be absent.
  const preflight = hop.preflight?.sent ? hop.preflight : { status: 204, headers: {} };
  for (const parameter of preflightHeaders) {
    const value = lines(preflight.headers, HEADERS[parameter]);
    if (value !== undefined) policy[`pf_${parameter}`] = value;
    else if (policy[parameter] !== undefined) policy[`pf_${parameter}`] = parameter === 'acao' ? 'none' : '';
  }
  policy.preflight_status = String(preflight.status);
  if (isRedirect(hop.preflight)) {
    Object.assign(policy, { redirect: String(preflight.status), location: location(preflight), redirect_on: 'preflight' });
  } else if (isRedirect(actual) && next) {
    Object.assign(policy, { redirect: String(actual.status), location: next, redirect_on: 'actual' });
  }
  return policy;
}

// The policies of all hops: each redirect leads to a /lab URL on the next hop's origin whose query is that hop's policy.
function policies(hops) {
  let next = null;
  const result = [];
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const policy = policyOf(hops[index], next);
    result.unshift(policy);
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(policy)) for (const item of [].concat(value)) query.append(name, item);
    next = `${new URL(hops[index].url).origin}/lab?${query}`;
  }
  return result;
}

// Allow-Origin values the model cannot take literally (see ACAO_WORDS).
function literalWords(hops) {
  const exchanges = hops.flatMap((hop) => [hop.preflight, hop.actual]).filter((exchange) => exchange?.sent);
  const values = exchanges.flatMap((exchange) => [].concat(lines(exchange.headers, HEADERS.acao) ?? []));
  return values.filter((value) => ACAO_WORDS.includes(value.trim()));
}

// The reasons up to the first preflight's verdict (or the word that none is needed), for a request that stops there.
function untilPreflightVerdict(reasons) {
  const simple = reasons.findIndex(([key]) => key === 'reason.simple');
  const preflighted = reasons.slice(0, Math.max(simple, 0)).some(([key]) => key.startsWith('reason.preflight.sent'));
  if (simple >= 0 && !preflighted) return reasons.slice(0, simple + 1);
  const passed = reasons.findIndex(([key]) => key === 'reason.preflight.passed');
  return passed < 0 ? reasons : reasons.slice(0, passed + 2);
}

// The first preflight the model says the browser sends: { method, headers: 'a,b' } (Access-Control-Request-*), or null.
function preflightRequest(reasons) {
  const sent = reasons.find(([key]) => key.startsWith('reason.preflight.sent'));
  return sent ? { method: sent[1].method, headers: sent[1].headers } : null;
}

export function explainObserved(observed, contract, translate = (key) => key) {
  const result = verdict(observed, contract, translate);
  const check = (hops) => verdict({ ...observed, hops, preflightOnly: false }, contract, translate);
  result.plan = result.allowed ? null : planFix(observed, result.preflightRequest, check);
  if (result.plan) {
    const recognised = recognise(observed.hops);
    const asked = observed.framework ?? 'auto';
    result.plan.framework = { name: asked === 'auto' ? recognised.name ?? 'raw' : asked, asked, recognised };
    result.plan.frameworks = frameworkFixes(observed, result.plan);
  }
  return result;
}

function verdict(observed, contract, translate) {
  configure(contract);
  preflightHeaders = contract.lab_preflight_parameters.map((name) => name.replace(/^pf_/, ''));
  const { hops } = observed;
  const [policy] = policies(hops);
  const request = {
    pageOrigin: observed.pageOrigin, method: observed.method, headers: observed.headers ?? {}, credentials: Boolean(observed.credentials),
    target: new URL(hops[0].url).origin, url: hops[0].url, transport: observed.transport,
  };
  const prediction = predict(request, policy, (key, params) => [key, params]);
  let reasons = prediction.reasons.filter(([key]) => !LAB_ONLY_REASONS.includes(key));
  const firstPreflight = preflightRequest(reasons);
  // The model follows the redirects through the /lab URLs written above; the console and reasons name the real ones.
  const followed = reasons.filter(([key]) => key === 'reason.redirect.followed').length;
  let seen = 0;
  reasons = reasons.map(([key, params]) => {
    if (key !== 'reason.redirect.followed') return [key, params];
    seen += 1;
    return [key, { ...params, location: hops[seen]?.url ?? params.location }];
  });
  const finalUrl = hops[Math.min(followed, hops.length - 1)].url;
  let console = prediction.console.map((line) => line.replace(/^(Access to [^']*? at ')[^']*'/, (_, start) => `${start}${finalUrl}'`));
  const recognised = console.length ? explainError(console[0]) : null;
  let { allowed, sent } = prediction;
  let onPreflight = recognised ? recognised.preflight : null;
  if (observed.preflightOnly) {
    reasons = untilPreflightVerdict(reasons);
    if (!onPreflight) {
      console = [];
      allowed = !reasons.some(([key]) => key === 'reason.forbidden-method');
    }
    sent = false;
  }
  if (!console.length) onPreflight = null;
  const kind = console.length ? recognised.kind : null;
  const method = firstPreflight?.method ?? observed.method;
  return {
    preflight: prediction.preflight, sent, allowed, kind, onPreflight, console,
    reasons: reasons.map(([key, params]) => translate(key, params)),
    fix: kind ? fixFor({ ...recognised, origin: observed.pageOrigin, method }, observed.pageOrigin) : null,
    literal: literalWords(hops), preflightRequest: firstPreflight,
  };
}
