// The attacker's page: runs one attack of the security lab from this origin, in a top-level
// page (so the browser applies its real cookie rules), shows what it got, and reports it.
import { loadConfig } from './api.js';
import { nextMessage } from './dom.js';
import { initI18n, t } from './i18n.js';
import { findScenario } from './security-catalogue.js';

await initI18n();
const config = await loadConfig();
const params = new URLSearchParams(window.location.search);
const scenario = findScenario(params.get('scenario'));
const variant = scenario?.variants.find((candidate) => candidate.id === params.get('variant'));
const run = params.get('run') ?? '';
const result = document.getElementById('attack-result');

document.getElementById('attacker-origin').textContent = t('attack.origin', { origin: window.location.origin });
if (!scenario || !variant || !/^[A-Za-z0-9_-]{1,64}$/.test(run)) {
  document.getElementById('attack-title').textContent = t('attack.nothing');
  result.textContent = t('attack.start-from', { url: `${config.trusted_origin}/security` });
} else {
  document.getElementById('attack-title').textContent = `${t(`sec.${scenario.id}.title`)}: ${t(`sec.${scenario.id}.${variant.id}`)}`;
  // Attacks only when the lab's own security page, which opened this window, says go: a page
  // on any other site may open this URL, but cannot make it act.
  result.textContent = t('attack.waiting', { url: `${config.trusted_origin}/security` });
  const go = nextMessage(config.trusted_origin, (event) => event.source === window.opener && event.data?.type === 'attack-go' && event.data.run === run);
  window.opener?.postMessage({ type: 'attack-ready', run }, config.trusted_origin);
  await go;
  const got = await scenario.attack({ api: config.api_origin, run, securityQuery: config.security_query }, variant);
  result.textContent = JSON.stringify(got, null, 2);
  // The security lab closes this window once it has the report.
  window.opener?.postMessage({ type: 'attack-result', run, got }, config.trusted_origin);
}
document.body.dataset.done = 'true';
