// Runs experiments on another page origin for the experiments page: in a hidden frame of that
// origin (/frame, pages/frame.js), one per origin, which answers each request by postMessage.
import { newRunId } from '../core/api.js';
import { el, nextMessage } from '../core/dom.js';
import { t } from '../core/i18n.js';

const FRAME_TIMEOUT_MS = 20000;
const frames = new Map();
const silent = (origin) => new Error(t('exppage.frame-silent', { origin }));

// The window of the frame on `origin`, once it says it is ready.
function frameOn(origin) {
  if (!frames.has(origin)) {
    const src = `${origin}/frame?parent=${encodeURIComponent(window.location.origin)}`; // whom it answers
    const iframe = el('iframe', { src, title: origin, hidden: true });
    const accept = (event) => event.source === iframe.contentWindow && event.data?.type === 'ready';
    const ready = nextMessage(origin, accept, FRAME_TIMEOUT_MS, silent(origin));
    frames.set(origin, ready.then(() => iframe.contentWindow));
    ready.catch(() => {
      frames.delete(origin);
      iframe.remove();
    });
    document.body.append(iframe);
  }
  return frames.get(origin);
}

// The outcome ({ results, extra }) of `experiment` run on `origin`.
export async function runInFrame(origin, experiment, run, transport) {
  const target = await frameOn(origin);
  const requestId = newRunId('request');
  const accept = (event) => event.source === target && event.data?.requestId === requestId;
  const answer = nextMessage(origin, accept, FRAME_TIMEOUT_MS, silent(origin));
  target.postMessage({ type: 'run', id: experiment.id, run, transport, requestId }, origin);
  return (await answer).outcome;
}
