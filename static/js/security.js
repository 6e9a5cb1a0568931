// The security lab, on the victim's side (the trusted page): each cell logs the victim in, lets
// an attacker page on another origin attack, and shows whether the attack worked and why.
import { apiUrl, loadConfig, newRunId, readLog, sendFetch, sendXhr } from './api.js';
import { el, nextMessage, replaceChildren } from './dom.js';
import { initI18n, t } from './i18n.js';
import { ATTACKERS, SCENARIOS, securityUrl } from './security-catalogue.js';
import { runWithProgress } from './progress.js';
import { wireTable } from './views.js';

const ATTACK_TIMEOUT_MS = 20000;
const ATTACKER_WINDOW = 'cors-lab-attacker';
await initI18n();
const config = await loadConfig();
const onTrustedOrigin = window.location.origin === config.trusted_origin;

// The attacker's page acts only when this page tells it to: it says it is ready, gets the go
// from this origin, and reports. A page that any other site opens waits for ever.
async function attackerReport(origin, run, popup) {
  const fromPopup = (type) => (event) => event.source === popup && event.data?.type === type && event.data.run === run;
  const silent = new Error(t('secpage.silent', { origin }));
  const ready = nextMessage(origin, fromPopup('attack-ready'), ATTACK_TIMEOUT_MS, silent);
  const report = ready.then(() => nextMessage(origin, fromPopup('attack-result'), ATTACK_TIMEOUT_MS, silent));
  await ready;
  popup.postMessage({ type: 'attack-go', run }, origin);
  return (await report).got;
}

// The lab key this page holds is still the running lab's, unless the lab restarted since.
async function checkLabKey() {
  const { status, responseText } = await sendFetch({ method: 'GET', url: securityUrl({ api: config.api_origin, securityQuery: config.security_query }, '/security/key') });
  if (status !== 200) throw new Error(t(status === null ? 'secpage.api-down' : responseText.includes('lab_key_stale') ? 'secpage.restarted' : 'secpage.locked', { api: config.api_origin }));
}

// Opened while a click still counts as a user gesture, then navigated from attack to attack:
// browsers block windows opened later without one.
const openAttackerWindow = () => window.open('', ATTACKER_WINDOW, 'popup,width=640,height=480');

async function attack(scenario, variant, attackerKey, cell, popup) {
  const origin = config[ATTACKERS[attackerKey]];
  const run = newRunId(`${scenario.id}-${variant.id}`.slice(0, 40));
  const ctx = { api: config.api_origin, run, securityQuery: config.security_query };
  Object.assign(cell.dataset, { state: 'running', run });
  const output = cell.querySelector('.cell-result');
  replaceChildren(output, el('span', { class: 'muted' }, t('secpage.attacking')));
  try {
    const samesite = variant.samesite ?? 'None';
    await sendXhr({ method: 'POST', url: apiUrl(config.api_origin, '/credentials/login', { samesite, run: `${run}-setup` }), withCredentials: true });
    if (!popup || popup.closed) throw new Error(t('secpage.popup-blocked'));
    const report = attackerReport(origin, run, popup);
    popup.location.href = `${origin}/attack?${new URLSearchParams({ scenario: scenario.id, variant: variant.id, run })}`;
    const got = await report;
    const after = scenario.victimAfter ? await scenario.victimAfter(ctx, variant) : {};
    const wire = await readLog(config.api_origin, run);
    const verdict = scenario.verdict(got, after, wire);
    replaceChildren(
      output,
      el('p', { class: 'attack-outcome', dataset: { outcome: verdict.outcome } }, t(`secpage.outcome.${verdict.outcome}`)),
      el('p', { class: 'attack-summary' }, t(...verdict.summary)),
      el('details', {}, el('summary', {}, t('common.wire', { run })), wireTable(wire)),
    );
    Object.assign(cell.dataset, { state: 'done', outcome: verdict.outcome });
    return verdict.outcome === 'leaked';
  } catch (error) {
    replaceChildren(output, el('p', { class: 'attack-outcome', dataset: { outcome: 'failed' } }, t('secpage.failed', { error: error.message })));
    Object.assign(cell.dataset, { state: 'done', outcome: 'failed' });
  }
}

function scenarioSection(scenario) {
  const header = el('tr', {}, el('th', { scope: 'col' }, t('secpage.configuration')), scenario.attackers.map((key) => el('th', { scope: 'col' }, t(`attacker.${key}`), el('br'), el('code', {}, config[ATTACKERS[key]]))));
  const rows = scenario.variants.map((variant) =>
    el(
      'tr',
      { dataset: { variant: variant.id } },
      el('th', { scope: 'row' }, el('span', { class: `tag-${variant.kind}` }, t(`sec.${scenario.id}.${variant.id}`)), el('pre', { class: 'code small', translate: 'no' }, variant.code)),
      scenario.attackers.map((key) => {
        const cell = el('td', { class: 'attack-cell', id: `attack-${scenario.id}-${variant.id}-${key}`, dataset: { state: 'idle' } });
        cells.push({ scenario, variant, key, cell });
        cell.append(
          el('button', { type: 'button', class: 'attack', disabled: !onTrustedOrigin, onclick: () => runCells([{ scenario, variant, key, cell }]) }, t('secpage.attack')),
          el('div', { class: 'cell-result', 'aria-live': 'polite' }),
        );
        return cell;
      }),
    ),
  );
  return el(
    'section',
    { id: `scenario-${scenario.id}`, class: 'scenario' },
    el('h2', {}, t(`sec.${scenario.id}.title`)),
    el('p', {}, t(`sec.${scenario.id}.explain`)),
    el('button', { type: 'button', class: 'run-scenario', disabled: !onTrustedOrigin, onclick: () => runCells(cells.filter((c) => c.scenario === scenario)) }, t('secpage.run-scenario')),
    el('table', { class: 'attack-grid' }, el('thead', {}, header), el('tbody', {}, rows)),
  );
}

const cells = [];

// Runs attacks one after another in one attacker window.
async function runCells(selected) {
  const popup = openAttackerWindow();
  const buttons = document.querySelectorAll('button.attack, button.run-scenario, #run-all');
  try {
    await checkLabKey();
  } catch (error) {
    popup?.close();
    replaceChildren(document.getElementById('run-all-status'), error.message);
    return;
  }
  const label = ({ scenario, variant, key }) => `${t(`sec.${scenario.id}.${variant.id}`)} \u2190 ${config[ATTACKERS[key]]}`;
  const worked = await runWithProgress(selected, label, (c) => attack(c.scenario, c.variant, c.key, c.cell, popup), buttons);
  popup?.close();
  document.getElementById('run-all-status').append(` ${t('secpage.worked', { n: worked })}`);
}

const banner = document.getElementById('victim-banner');
if (onTrustedOrigin) {
  banner.dataset.trust = 'trusted';
  banner.textContent = t('secpage.victim', { origin: config.trusted_origin, api: config.api_origin });
} else {
  banner.dataset.trust = 'untrusted';
  replaceChildren(banner, t('secpage.not-victim'), ' ', el('a', { href: `${config.trusted_origin}/security` }, `${config.trusted_origin}/security`));
}
replaceChildren(document.getElementById('toc'), SCENARIOS.map((s) => el('li', {}, el('a', { href: `#scenario-${s.id}` }, t(`sec.${s.id}.title`)))));
replaceChildren(document.getElementById('scenarios'), SCENARIOS.map(scenarioSection));
document.getElementById('run-all').disabled = !onTrustedOrigin;
document.getElementById('run-all').addEventListener('click', () => runCells(cells));
document.body.dataset.ready = 'true';
