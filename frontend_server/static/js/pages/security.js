// The security lab, on the victim's side (the trusted page): each cell logs the victim in, lets
// an attacker page on another origin attack, and shows whether the attack worked and why.
import { apiUrl, newRunId, readLog } from '../core/api.js';
import { el, nextMessage, replaceChildren } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { startPage } from '../core/page.js';
import { sendFetch, sendXhr } from '../core/transport.js';
import { VERIFIED } from '../model/verified.js';
import { ATTACKERS, SCENARIOS, sampleParams } from '../catalogues/security-catalogue.js';
import { securityUrl, victimAfter } from '../catalogues/security-attacks.js';
import { wireTable } from '../views/exchange.js';
import { checkForCorsExtension } from '../views/extension-warning.js';
import { runWithProgress } from '../views/progress.js';

const ATTACK_TIMEOUT_MS = 20000;
const ATTACKER_WINDOW = 'cors-lab-attacker';
let config;
let onTrustedOrigin;
const cells = [];

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

// The API's refusals of this page's lab key, and what the page says of each.
const KEY_REFUSALS = { lab_key_stale: 'secpage.restarted', lab_key_wrong: 'secpage.wrong-key' };

// The lab key this page holds is still the running lab's, unless the lab restarted since (or the
// API was started apart from the pages).
async function checkLabKey() {
  const url = securityUrl({ api: config.api_origin, securityQuery: config.security_query }, '/security/key');
  const { status, responseText } = await sendFetch({ method: 'GET', url });
  if (status === 200) return;
  const refusal = Object.keys(KEY_REFUSALS).find((code) => responseText.includes(`"${code}"`));
  const why = status === null ? 'secpage.api-down' : refusal ? KEY_REFUSALS[refusal] : 'secpage.locked';
  throw new Error(t(why, { api: config.api_origin }));
}

// Opened while a click still counts as a user gesture, then navigated from attack to attack:
// browsers block windows opened later without one.
const openAttackerWindow = () => window.open('', ATTACKER_WINDOW, 'popup,width=640,height=480');

function showOutcome(output, verdict, run, wire) {
  replaceChildren(
    output,
    el('p', { class: 'attack-outcome', dataset: { outcome: verdict.outcome } }, t(`secpage.outcome.${verdict.outcome}`)),
    el('p', { class: 'attack-summary' }, t(...verdict.summary)),
    el('details', {}, el('summary', {}, t('common.wire', { run })), wireTable(wire)),
  );
}

async function attack(scenario, variant, attackerKey, cell, popup) {
  const origin = config[ATTACKERS[attackerKey]];
  const run = newRunId(`${scenario.id}-${variant.id}`);
  const ctx = { api: config.api_origin, run, securityQuery: config.security_query };
  Object.assign(cell.dataset, { state: 'running', run });
  const output = cell.querySelector('.cell-result');
  replaceChildren(output, el('span', { class: 'muted' }, t('secpage.attacking')));
  try {
    const login = apiUrl(config.api_origin, '/credentials/login', { samesite: variant.samesite ?? 'None', run: `${run}-setup` });
    await sendXhr({ method: 'POST', url: login, withCredentials: true });
    if (!popup || popup.closed) throw new Error(t('secpage.popup-blocked'));
    const report = attackerReport(origin, run, popup);
    popup.location.href = `${origin}/attack?${new URLSearchParams({ scenario: scenario.id, variant: variant.id, run })}`;
    const got = await report;
    const after = await victimAfter(scenario, ctx, variant);
    const wire = await readLog(config.api_origin, run);
    const verdict = scenario.verdict(got, after, wire);
    showOutcome(output, verdict, run, wire);
    Object.assign(cell.dataset, { state: 'done', outcome: verdict.outcome });
    return verdict.outcome === 'leaked';
  } catch (error) {
    const failed = el('p', { class: 'attack-outcome', dataset: { outcome: 'failed' } }, t('secpage.failed', { error: error.message }));
    replaceChildren(output, failed);
    Object.assign(cell.dataset, { state: 'done', outcome: 'failed' });
  }
}

function attackCell(scenario, variant, key) {
  const cell = el('td', { class: 'attack-cell', id: `attack-${scenario.id}-${variant.id}-${key}`, dataset: { state: 'idle' } });
  cells.push({ scenario, variant, key, cell });
  const onclick = () => runCells([{ scenario, variant, key, cell }]);
  cell.append(
    el('button', { type: 'button', class: 'attack', disabled: !onTrustedOrigin, onclick }, t('secpage.attack')),
    el('div', { class: 'cell-result', 'aria-live': 'polite' }),
  );
  return cell;
}

function scenarioSection(scenario, lab) {
  const attackerHeader = (key) => el('th', { scope: 'col' }, t(`attacker.${key}`), el('br'), el('code', {}, config[ATTACKERS[key]]));
  const header = el('tr', {}, el('th', { scope: 'col' }, t('secpage.configuration')), scenario.attackers.map(attackerHeader));
  const rows = scenario.variants.map((variant) =>
    el(
      'tr',
      { dataset: { variant: variant.id } },
      el(
        'th',
        { scope: 'row' },
        el('span', { class: `tag-${variant.kind}` }, t(`sec.${scenario.id}.${variant.id}`)),
        el('pre', { class: 'code small', translate: 'no' }, variant.code(lab)),
      ),
      scenario.attackers.map((key) => attackCell(scenario, variant, key)),
    ),
  );
  const runScenario = () => runCells(cells.filter((c) => c.scenario === scenario));
  // The look-alikes are *.localhost names: say which engines resolve them (docs/browser-facts.md).
  const lookalikes = scenario.attackers.filter((key) => key.endsWith('-lookalike')).map((key) => config[ATTACKERS[key]]);
  const hosts = lookalikes.join(', ');
  const engineNote = lookalikes.length ? el('p', { class: 'engine-note' }, t('engine.lookalikes', { hosts, ...VERIFIED })) : null;
  return el(
    'section',
    { id: `scenario-${scenario.id}`, class: 'scenario' },
    el('h2', {}, t(`sec.${scenario.id}.title`)),
    el('p', {}, t(`sec.${scenario.id}.explain`)),
    engineNote,
    el('button', { type: 'button', class: 'run-scenario', disabled: !onTrustedOrigin, onclick: runScenario }, t('secpage.run-scenario')),
    // Wider than a phone: it scrolls inside a region the keyboard can reach, not the page.
    el(
      'div',
      { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t(`sec.${scenario.id}.title`) },
      el('table', { class: 'attack-grid' }, el('thead', {}, header), el('tbody', {}, rows)),
    ),
  );
}

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

function showBanner() {
  const banner = document.getElementById('victim-banner');
  if (onTrustedOrigin) {
    banner.dataset.trust = 'trusted';
    banner.textContent = t('secpage.victim', { origin: config.trusted_origin, api: config.api_origin });
  } else {
    banner.dataset.trust = 'untrusted';
    const link = el('a', { href: `${config.trusted_origin}/security` }, `${config.trusted_origin}/security`);
    replaceChildren(banner, t('secpage.not-victim'), ' ', link);
  }
}

function main(start) {
  config = start.config;
  checkForCorsExtension(config.api_origin, false);
  onTrustedOrigin = window.location.origin === config.trusted_origin;
  showBanner();
  const tocEntry = (s) => el('li', {}, el('a', { href: `#scenario-${s.id}` }, t(`sec.${s.id}.title`)));
  replaceChildren(document.getElementById('toc'), SCENARIOS.map(tocEntry));
  const lab = sampleParams(config);
  replaceChildren(document.getElementById('scenarios'), SCENARIOS.map((scenario) => scenarioSection(scenario, lab)));
  document.getElementById('run-all').disabled = !onTrustedOrigin;
  document.getElementById('run-all').addEventListener('click', () => runCells(cells));
}

startPage(main);
