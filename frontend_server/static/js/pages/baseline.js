// The same-origin baseline (the note: the same code, same-origin): the API serves this module and
// the two it imports from its own origin, in its page /baseline (api_server/baseline.py). Framed by
// the experiments page, it sends the very requests the page sends cross-origin, to its own origin.
// It acts only on its parent, on a lab page origin, and answers that origin alone.
import { baselineRequests } from '../catalogues/experiments/baseline-requests.js';
import { sendXhr } from '../core/transport.js';

// The lab's page origins and the run id pattern, from the API's configuration (same-origin).
const { parents, run_id_pattern: runIdPattern } = await (await fetch('/baseline.json', { cache: 'no-store' })).json();
const RUN = new RegExp(runIdPattern);

window.addEventListener('message', async (event) => {
  if (!parents.includes(event.origin) || event.source !== window.parent) return;
  const { type, run } = event.data ?? {};
  if (type !== 'run' || typeof run !== 'string' || !RUN.test(run)) return;
  const results = [];
  for (const request of baselineRequests(window.location.origin, run)) results.push(await sendXhr(request));
  window.parent.postMessage({ type: 'baseline-done', run, results }, event.origin);
});
// Ready, said to the parent alone (its origin in ?parent=, one of the lab's page origins).
const parent = new URLSearchParams(window.location.search).get('parent');
if (parents.includes(parent)) window.parent.postMessage({ type: 'baseline-ready' }, parent);
