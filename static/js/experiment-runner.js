// Runs one experiment in this page: its setup, its requests, its in-page observations.
// Used by the experiments page and by the frame that runs experiments on the other page origin.
import { loadJsonp, send, sendXhr } from './api.js';

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
  return { api: config.api_origin, alias: config.api_alias_origin, pageOrigin: window.location.origin, run, transport };
}
