// The experiments' behaviour beside their data (experiments-catalogue.js): what a page looks at
// after the requests (after), the facts of their own they read (observe), and running one
// experiment in this page. Used by the experiments page, the index, and the frame that runs
// experiments on the other page origin.
import { apiUrl, getJson } from '../core/api.js';
import { loadJsonp, send, sendXhr } from '../core/transport.js';
import { SAFELISTED_RESPONSE_HEADERS } from '../model/cors-model.js';
import { splitWire } from '../model/wire.js';
import { EXPERIMENT_DATA, SAFELISTED_REQUEST_HEADERS } from './experiments-catalogue.js';

// The visible cookie's value names the API host that set it (see api_server/credentials.py).
const setBy = (origin) => `set-by-${new URL(origin).host.replace(/[^A-Za-z0-9.]/g, '-')}`;
const hasCookie = (documentCookie, name) => documentCookie.split('; ').some((cookie) => cookie.startsWith(`${name}=`));
const readCookies = async () => ({ documentCookie: document.cookie });

// id -> { after?(ctx): what the page sees after, observe?(outcome, wire, ctx): facts of its own,
// expected?(ctx) where it needs the model }.
const BEHAVIOUR = {
  'safelisted-request-headers': {
    observe: (outcome, wire) => ({
      headersArrived: SAFELISTED_REQUEST_HEADERS.filter(([name, value]) =>
        splitWire(wire).actuals.some((entry) => entry.request_headers[name.toLowerCase()] === value),
      ).map(([name]) => name),
    }),
  },
  'no-cors-post-takes-effect': {
    after: async (ctx) => {
      const answer = await getJson(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }));
      return { effects: answer.effects.map((effect) => effect.body) };
    },
    observe: (outcome) => ({ effectRecorded: outcome.extra.effects.includes('transfer=100') }),
  },
  'fetch-no-cors-opaque': {
    observe: (outcome) => ({ responseType: outcome.results[0].type ?? null, statusSeen: outcome.results[0].status }),
  },
  'expose-headers': {
    observe: (outcome) => {
      const headers = outcome.results[0].responseHeaders;
      return { exposedReadable: 'x-lab-exposed' in headers, hiddenReadable: 'x-lab-hidden' in headers };
    },
  },
  'safelisted-response-headers': {
    expected: () => ({ readable: true, preflights: 0, actuals: 1, safelistedReadable: SAFELISTED_RESPONSE_HEADERS }),
    observe: (outcome) => ({
      safelistedReadable: SAFELISTED_RESPONSE_HEADERS.filter((name) => name in outcome.results[0].responseHeaders),
    }),
  },
  'httponly-and-ports': {
    after: readCookies,
    observe: (outcome, wire, ctx) => ({
      visibleCookieReadable: outcome.extra.documentCookie.includes(`${ctx.cookies.visible}=${setBy(ctx.api)}`),
      sessionCookieReadable: hasCookie(outcome.extra.documentCookie, ctx.cookies.session),
    }),
  },
  'other-host-cookie': {
    after: readCookies,
    observe: (outcome, wire, ctx) => ({ otherHostCookieReadable: outcome.extra.documentCookie.includes(setBy(ctx.alias)) }),
  },
};

export const EXPERIMENTS = EXPERIMENT_DATA.map((experiment) => ({ ...experiment, ...BEHAVIOUR[experiment.id] }));
export const findExperiment = (id) => EXPERIMENTS.find((experiment) => experiment.id === id);

// Runs one experiment in this page: its setup, its requests, its in-page observations.
export async function runExperiment(experiment, ctx) {
  for (const request of experiment.setup?.(ctx) ?? []) await sendXhr(request);
  const results = [];
  for (const step of experiment.steps(ctx)) {
    results.push(step.jsonp ? await loadJsonp(step.jsonp, step.callback) : await send(step, ctx.transport));
  }
  const extra = experiment.after ? await experiment.after(ctx) : {};
  return { results, extra };
}

// The context an experiment runs in, on this page's origin.
export function experimentContext(config, run, transport) {
  const { session_cookie: session, visible_cookie: visible } = config.contract;
  const pageOrigin = window.location.origin;
  return { api: config.api_origin, alias: config.api_alias_origin, pageOrigin, run, transport, cookies: { session, visible } };
}
