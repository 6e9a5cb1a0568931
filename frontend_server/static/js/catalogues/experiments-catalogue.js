// Every claim of the note, and where real CORS breaks, as experiments. An experiment is its
// entry (experiments/<section>.js), all of it side by side as a web-platform-tests test holds
// its request and expectation: { id, section, text? ([message family, params]), runsOn?,
// noteDiffers?, noteImprecise?, indexCheck? (one of the index's quick checks),
//   prepare?(ctx), setup?(ctx) (XHRs first, tagged `${run}-setup`), steps(ctx), after?(ctx),
//   wire: 'METHOD status, ...' of each request that reaches the API, in order,
//   headers?(ctx): [index, 'request' | 'response', name, value] the facts do not hold,
//   saw?: [result index, 'body', text it has] or [index, 'header', name, value] JavaScript saw,
//   expected(ctx): facts of today's Chromium, shows?: facts shown only, observe?(outcome, wire, ctx),
//   withheld?(ctx): facts where the page keeps fewer cookies (ctx.cookieSupport),
//   thirdPartyCookies?: { allowed, blocked } facts the browser's setting decides (a test knows it),
//   engines?: { engine(ctx): the facts it shows instead, or null; why in a comment }, wireSides?(wire),
//   claim?: the fact that shows the note's claim (where it is false, the card says the claim is not shown),
//   symptom?: what a developer sees that this card explains (message symptom.<symptom>: the index by symptom) }.
// ctx: { api, alias, pageOrigin, run, transport, cookies, basicAuth }. Words: exp.<id>.title, .rule, .differs.
import { t } from '../core/i18n.js';
import { BREAKING_ANSWERS } from './experiments/breaks-answers.js';
import { BREAKING_AUTH } from './experiments/breaks-auth.js';
import { HEADERS_AND_CREDENTIALS } from './experiments/headers-credentials.js';
import { MEANING } from './experiments/meaning.js';
import { PREFLIGHT_AND_JSONP } from './experiments/preflight-jsonp.js';
import { SIMPLE_AND_REFUSED } from './experiments/simple.js';

// An experiment's own words: exp.<id>.title and .rule, or those of its family.
export function words(experiment, part) {
  const [id, params] = experiment.text ?? [experiment.id, {}];
  return t(`exp.${id}.${part}`, params);
}

// The sections of the experiments page: the note's, then where real CORS breaks (no quote of the note).
export const SECTIONS = [
  { id: 'simple' },
  { id: 'refused' },
  { id: 'headers' },
  { id: 'credentials' },
  { id: 'meaning', points: 4 },
  { id: 'preflight' },
  { id: 'jsonp' },
  { id: 'actual-answer' },
  { id: 'redirects', quote: false },
  { id: 'auth' },
  { id: 'baseline' },
];

export const EXPERIMENT_DATA = [
  ...SIMPLE_AND_REFUSED,
  ...HEADERS_AND_CREDENTIALS,
  ...MEANING,
  ...PREFLIGHT_AND_JSONP,
  ...BREAKING_ANSWERS,
  ...BREAKING_AUTH,
];
