// Runs experiments on this page origin for the experiments page on another one, which embeds
// this page in a hidden iframe (pages/experiment-frames.js): the requests really come from here.
import { pageOrigins } from '../core/api.js';
import { startPage } from '../core/page.js';
import { experimentContext, findExperiment, runExperiment } from '../catalogues/experiment-runner.js';

function main({ config }) {
  const parentOrigins = pageOrigins(config);
  window.addEventListener('message', async (event) => {
    // Only the lab's own pages may ask, and only our parent.
    if (!parentOrigins.includes(event.origin) || event.source !== window.parent) return;
    const { type, id, run, transport, requestId } = event.data ?? {};
    const experiment = findExperiment(id);
    if (type !== 'run' || !experiment) return;
    const outcome = await runExperiment(experiment, experimentContext(config, run, transport));
    window.parent.postMessage({ type: 'result', requestId, outcome }, event.origin);
  });
  // Ready, said to the parent alone (its origin in ?parent=, a lab page origin): a message to any
  // other origin would not reach it, and would leave a warning in the console.
  const parent = new URLSearchParams(window.location.search).get('parent');
  if (parentOrigins.includes(parent)) window.parent.postMessage({ type: 'ready' }, parent);
}

startPage(main);
