// The security lab, on the victim's side (the trusted page): each cell logs the victim in, lets
// an attacker page on another origin attack, and shows whether the attack worked and why.
import { apiUrl, loadConfig, newRunId, readLog, sendXhr } from './api.js';
import { el, replaceChildren } from './dom.js';
import { ATTACKERS, SCENARIOS } from './security-catalogue.js';
import { wireTable } from './views.js';

const ATTACK_TIMEOUT_MS = 20000;
const ATTACKER_WINDOW = 'cors-lab-attacker';
const config = await loadConfig();
const onTrustedOrigin = window.location.origin === config.trusted_origin;

function attackerReport(origin, run) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', report);
      reject(new Error(`the attacker's page on ${origin} did not report (is a popup blocker on?)`));
    }, ATTACK_TIMEOUT_MS);
    function report(event) {
      if (event.origin !== origin || event.data?.type !== 'attack-result' || event.data.run !== run) return;
      window.removeEventListener('message', report);
      clearTimeout(timer);
      resolve(event.data.got);
    }
    window.addEventListener('message', report);
  });
}

// Opened while a click still counts as a user gesture, then navigated from attack to attack:
// browsers block windows opened later without one.
const openAttackerWindow = () => window.open('', ATTACKER_WINDOW, 'popup,width=640,height=480');

async function attack(scenario, variant, attackerKey, cell, popup) {
  const origin = config[ATTACKERS[attackerKey].key];
  const run = newRunId(`${scenario.id}-${variant.id}`.slice(0, 40));
  const ctx = { api: config.api_origin, run };
  Object.assign(cell.dataset, { state: 'running', run });
  const output = cell.querySelector('.cell-result');
  replaceChildren(output, el('span', { class: 'muted' }, 'Attacking\u2026'));
  try {
    const samesite = variant.samesite ?? 'None';
    await sendXhr({ method: 'POST', url: apiUrl(config.api_origin, '/credentials/login', { samesite, run: `${run}-setup` }), withCredentials: true });
    const report = attackerReport(origin, run);
    const url = `${origin}/attack?${new URLSearchParams({ scenario: scenario.id, variant: variant.id, run })}`;
    if (popup && !popup.closed) popup.location.href = url;
    else throw new Error('the browser blocked the attacker\u2019s window');
    const got = await report;
    const after = scenario.victimAfter ? await scenario.victimAfter(ctx, variant) : {};
    const wire = await readLog(config.api_origin, run);
    const verdict = scenario.verdict(got, after, wire);
    replaceChildren(
      output,
      el('p', { class: 'attack-outcome', dataset: { outcome: verdict.outcome } }, { leaked: 'Attack worked', partial: 'Partly worked', stopped: 'Stopped' }[verdict.outcome]),
      el('p', { class: 'attack-summary' }, verdict.summary),
      el('details', {}, el('summary', {}, `What reached the API (run ${run})`), wireTable(wire)),
    );
    Object.assign(cell.dataset, { state: 'done', outcome: verdict.outcome });
  } catch (error) {
    replaceChildren(output, el('p', { class: 'attack-outcome', dataset: { outcome: 'failed' } }, `Could not run: ${error.message}`));
    Object.assign(cell.dataset, { state: 'done', outcome: 'failed' });
  }
}

function scenarioSection(scenario) {
  const header = el('tr', {}, el('th', { scope: 'col' }, 'Server configuration'), scenario.attackers.map((key) => el('th', { scope: 'col' }, `Attacker: ${ATTACKERS[key].label}`, el('br'), el('code', {}, config[ATTACKERS[key].key]))));
  const rows = scenario.variants.map((variant) =>
    el(
      'tr',
      { dataset: { variant: variant.id } },
      el('th', { scope: 'row' }, el('span', { class: `tag-${variant.kind}` }, variant.label), el('pre', { class: 'code small' }, variant.code)),
      scenario.attackers.map((key) => {
        const cell = el('td', { class: 'attack-cell', id: `attack-${scenario.id}-${variant.id}-${key}`, dataset: { state: 'idle' } });
        cells.push({ scenario, variant, key, cell });
        cell.append(
          el('button', { type: 'button', class: 'attack', disabled: !onTrustedOrigin, onclick: () => runCells([{ scenario, variant, key, cell }]) }, 'Attack'),
          el('div', { class: 'cell-result', 'aria-live': 'polite' }),
        );
        return cell;
      }),
    ),
  );
  return el(
    'section',
    { id: `scenario-${scenario.id}`, class: 'scenario' },
    el('h2', {}, scenario.title),
    el('p', {}, scenario.explain),
    el('button', { type: 'button', class: 'run-scenario', disabled: !onTrustedOrigin, onclick: () => runCells(cells.filter((c) => c.scenario === scenario)) }, 'Run every attack of this scenario'),
    el('table', { class: 'attack-grid' }, el('thead', {}, header), el('tbody', {}, rows)),
  );
}

const cells = [];

// Runs attacks one after another in one attacker window, showing progress.
async function runCells(selected) {
  const popup = openAttackerWindow();
  const progress = document.getElementById('run-all-progress');
  const status = document.getElementById('run-all-status');
  for (const button of document.querySelectorAll('button.attack, button.run-scenario, #run-all')) button.disabled = true;
  Object.assign(progress, { hidden: false, max: selected.length, value: 0 });
  for (const [index, { scenario, variant, key, cell }] of selected.entries()) {
    status.textContent = `Attack ${index + 1} of ${selected.length}: ${scenario.title}, ${variant.label}, from ${config[ATTACKERS[key].key]}`;
    await attack(scenario, variant, key, cell, popup);
    progress.value = index + 1;
  }
  popup?.close();
  const worked = selected.filter(({ cell }) => cell.dataset.outcome === 'leaked').length;
  status.textContent = `Done: ${selected.length} of ${selected.length} attacks ran; ${worked} worked.`;
  for (const button of document.querySelectorAll('button.attack, button.run-scenario, #run-all')) button.disabled = false;
}

const banner = document.getElementById('victim-banner');
if (onTrustedOrigin) {
  banner.dataset.trust = 'trusted';
  banner.textContent = `You are the victim: this page is the trusted origin ${config.trusted_origin}, and the API at ${config.api_origin} trusts it.`;
} else {
  banner.dataset.trust = 'untrusted';
  replaceChildren(banner, `The victim's page belongs to the trusted origin. Open `, el('a', { href: `${config.trusted_origin}/security` }, `${config.trusted_origin}/security`), '.');
}
replaceChildren(document.getElementById('toc'), SCENARIOS.map((s) => el('li', {}, el('a', { href: `#scenario-${s.id}` }, s.title))));
replaceChildren(document.getElementById('scenarios'), SCENARIOS.map(scenarioSection));
document.getElementById('run-all').disabled = !onTrustedOrigin;
document.getElementById('run-all').addEventListener('click', () => runCells(cells));
document.body.dataset.ready = 'true';
