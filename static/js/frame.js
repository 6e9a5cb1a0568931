// Runs experiments on this page origin for the experiments page on the other one, which embeds
// this page in a hidden iframe: the requests really come from this origin.
import { PAGE_ORIGIN_KEYS, loadConfig } from './api.js';
import { EXPERIMENTS } from './experiments-catalogue.js';
import { experimentContext, runExperiment } from './experiment-runner.js';
import { initI18n } from './i18n.js';

await initI18n();
const config = await loadConfig();
const parentOrigins = PAGE_ORIGIN_KEYS.map((key) => config[key]);

window.addEventListener('message', async (event) => {
  // Only the lab's own pages may ask, and only our parent.
  if (!parentOrigins.includes(event.origin) || event.source !== window.parent) return;
  const { type, id, run, transport, requestId } = event.data ?? {};
  const experiment = EXPERIMENTS.find((candidate) => candidate.id === id);
  if (type !== 'run' || !experiment) return;
  const outcome = await runExperiment(experiment, experimentContext(config, run, transport));
  window.parent.postMessage({ type: 'result', requestId, outcome }, event.origin);
});

for (const origin of parentOrigins) window.parent.postMessage({ type: 'ready' }, origin);
