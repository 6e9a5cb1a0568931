// The attacker's page: runs one attack of the security lab from this origin, in a top-level
// page (so the browser applies its real cookie rules), shows what it got, and reports it.
// <body data-done="true"> once it has reported, or found nothing to do.
import { nextMessage } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { startPage } from '../core/page.js';
import { findScenario } from '../catalogues/security-catalogue.js';
import { attack } from '../catalogues/security-attacks.js';

async function main({ config }) {
  const params = new URLSearchParams(window.location.search);
  const scenario = findScenario(params.get('scenario'));
  const variant = scenario?.variants.find((candidate) => candidate.id === params.get('variant'));
  const run = params.get('run') ?? '';
  const title = document.getElementById('attack-title');
  const result = document.getElementById('attack-result');
  const securityPage = `${config.trusted_origin}/security`;

  document.getElementById('attacker-origin').textContent = t('attack.origin', { origin: window.location.origin });
  if (!scenario || !variant || !new RegExp(config.contract.run_id_pattern).test(run)) {
    title.textContent = t('attack.nothing');
    result.textContent = t('attack.start-from', { url: securityPage });
  } else {
    title.textContent = `${t(`sec.${scenario.id}.title`)}: ${t(`sec.${scenario.id}.${variant.id}`)}`;
    // Attacks only when the lab's own security page, which opened this window, says go: a page
    // on any other site may open this URL, but cannot make it act.
    result.textContent = t('attack.waiting', { url: securityPage });
    const isGo = (event) => event.source === window.opener && event.data?.type === 'attack-go' && event.data.run === run;
    const go = nextMessage(config.trusted_origin, isGo);
    window.opener?.postMessage({ type: 'attack-ready', run }, config.trusted_origin);
    await go;
    const got = await attack(scenario, { api: config.api_origin, run, securityQuery: config.security_query }, variant);
    result.textContent = JSON.stringify(got, null, 2);
    // The security lab closes this window once it has the report.
    window.opener?.postMessage({ type: 'attack-result', run, got }, config.trusted_origin);
  }
  document.body.dataset.done = 'true';
}

startPage(main);
