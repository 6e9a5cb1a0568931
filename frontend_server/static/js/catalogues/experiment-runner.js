// Runs an experiment of the catalogue (experiments-catalogue.js) in this page: for the
// experiments page, the index, and the frame on the other page origin.
import { loadJsonp, send, sendXhr } from '../core/transport.js';
import { withEngine } from './engine-expectations.js';
import { EXPERIMENT_DATA } from './experiments-catalogue.js';
import { PAGE_COOKIE } from './experiments/helpers.js';

const hasCookie = (name) => document.cookie.split('; ').some((cookie) => cookie.startsWith(`${name}=`));
// Which cookies this page keeps: SameSite=Lax ones (none in a frame of another site) and
// SameSite=None ones (none where third-party cookies are blocked; held HTTP credentials neither).
function cookieSupport() {
  const keeps = (name, attributes) => {
    document.cookie = `${name}=1; Path=/; Max-Age=60; ${attributes}`;
    const kept = hasCookie(name);
    document.cookie = `${name}=; Path=/; Max-Age=0; ${attributes}`;
    return kept;
  };
  return { lax: keeps('lab_probe_lax', 'SameSite=Lax'), thirdParty: keeps('lab_probe_none', 'SameSite=None; Secure') };
}

// Where this page keeps fewer cookies, what the browser does there; then this engine's differences.
const withCookieRules = (experiment) =>
  experiment.withheld ? { ...experiment, expected: (ctx) => ({ ...experiment.expected(ctx), ...experiment.withheld(ctx) }) } : experiment;
export const EXPERIMENTS = EXPERIMENT_DATA.map((experiment) => withEngine(withCookieRules(experiment)));
export const findExperiment = (id) => EXPERIMENTS.find((experiment) => experiment.id === id);

// `cookies`: cookieSupport(), for ctx.cookieSupport when judged; probed only where `withheld` needs it.
export async function runExperiment(experiment, ctx) {
  const cookies = experiment.withheld ? cookieSupport() : null;
  await experiment.prepare?.(ctx);
  for (const request of experiment.setup?.(ctx) ?? []) await sendXhr(request);
  const results = [];
  for (const step of experiment.steps(ctx)) {
    results.push(step.jsonp ? await loadJsonp(step.jsonp, step.callback) : await send(step, ctx.transport));
  }
  const extra = experiment.after ? await experiment.after(ctx) : {};
  return { results, extra, cookies };
}

// The context an experiment runs in, on this page's origin.
export function experimentContext(config, run, transport) {
  const { session_cookie: session, visible_cookie: visible, basic_auth: basicAuth } = config.contract;
  const pageOrigin = window.location.origin;
  const cookies = { session, visible, page: PAGE_COOKIE };
  return { api: config.api_origin, alias: config.api_alias_origin, pageOrigin, run, transport, cookies, basicAuth };
}
