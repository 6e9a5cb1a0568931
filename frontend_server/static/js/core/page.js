// Every page starts here: its language, the lab's configuration (/config.json), a look at the
// API, then the page's own main({ config, health }). A page that cannot start says why, in an
// alert, instead of staying blank; <body data-ready="true"> says that main() has finished.
import { apiHealth, loadConfig } from './api.js';
import { el } from './dom.js';
import { initI18n, rich, setDefaultParams } from './i18n.js';

// For when not even the message catalogue arrived.
const NO_CATALOGUE = 'The CORS lab could not load its messages / 实验无法加载其文字';

// `content`: text, or a message as nodes (rich()).
function showAlert(content, why) {
  const alert = el('p', { class: 'banner start-error', role: 'alert', dataset: { startError: why } }, content);
  (document.querySelector('main') ?? document.body).prepend(alert);
}

// Placeholders every message may use: the configured hosts and the API's cookie names.
function defaultParams(config) {
  const host = (role) => new URL(config[role]).host;
  return {
    page_host: host('trusted_origin'),
    api_host: host('api_origin'),
    alias_host: host('api_alias_origin'),
    session_cookie: config.contract.session_cookie,
    visible_cookie: config.contract.visible_cookie,
  };
}

// The API's /health; when it does not answer, one alert says so (again after a failed run).
export async function checkApi(apiOrigin) {
  const health = await apiHealth(apiOrigin);
  if (!health.reachable && !document.querySelector('[data-start-error="api"]')) {
    showAlert(rich('start.no-api', { api: apiOrigin }), 'api');
  }
  return health;
}

export async function startPage(main) {
  try {
    await initI18n();
  } catch (error) {
    showAlert(`${NO_CATALOGUE}: ${error.message}`, 'messages');
    return;
  }
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    showAlert(rich('start.no-config', { error: error.message }), 'config');
    return;
  }
  setDefaultParams(defaultParams(config));
  const health = await checkApi(config.api_origin);
  try {
    await main({ config, health });
  } catch (error) {
    showAlert(rich('start.failed', { error: error.message }), 'page');
    throw error;
  }
  document.body.dataset.ready = 'true';
}
