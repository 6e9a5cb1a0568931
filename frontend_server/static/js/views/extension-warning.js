// An "allow CORS" browser extension (adding Access-Control-Allow-Origin to answers) makes every
// lesson wrong. When a read that must be refused succeeds, a read the API never shares tells: if
// it succeeds too, the page warns at its top, as every page then does on load until such a read
// fails again. (Not probed on every load: the refusal puts a CORS error in every console.)
import { apiUrl, newRunId } from '../core/api.js';
import { el } from '../core/dom.js';
import { rich } from '../core/i18n.js';

const KEY = 'cors-lab-cors-opened';
const store = (use) => {
  try {
    return use(localStorage);
  } catch {
    return null; // a third-party frame where third-party cookies are blocked
  }
};

// Whether JavaScript reads /lab without a policy: an answer without Access-Control-Allow-Origin.
const refusedReadSucceeds = (api) =>
  fetch(apiUrl(api, '/lab', { run: newRunId('extension-check') }), { cache: 'no-store' }).then(() => true, () => false);

// `suspected`: a read that must be refused just succeeded; else only a remembered finding is checked.
export async function checkForCorsExtension(api, suspected = true) {
  if (!suspected && !store((s) => s.getItem(KEY))) return;
  const opened = await refusedReadSucceeds(api);
  store((s) => (opened ? s.setItem(KEY, '1') : s.removeItem(KEY)));
  if (opened && !document.querySelector('[data-extension-warning]')) {
    const dataset = { extensionWarning: 'true' };
    document.querySelector('main').prepend(el('p', { class: 'banner start-error', role: 'alert', dataset }, rich('extension.warning')));
  }
}
