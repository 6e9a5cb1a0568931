// The index: where this page is, whether the API trusts it, and two quick real requests.
import { newRunId, readLog } from '../core/api.js';
import { el, replaceChildren } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { startPage } from '../core/page.js';
import { xhrSource } from '../model/code-samples.js';
import { verdictOf } from '../model/verdict.js';
import { words } from '../catalogues/experiments-catalogue.js';
import { EXPERIMENTS, experimentContext, runExperiment } from '../catalogues/experiment-runner.js';
import { exchangeView, failedView } from '../views/exchange.js';
import { checkForCorsExtension } from '../views/extension-warning.js';
import { runWithProgress } from '../views/progress.js';

// The quick checks are experiments of the experiments page (their entries say `indexCheck`), run
// here on this page's own origin: on the untrusted origin they are refused (index.refused.<id>).
const CHECKS = EXPERIMENTS.filter((experiment) => experiment.indexCheck);
// The origins the table shows, by role: the page origins link to their index.
const ORIGIN_ROLES = ['trusted_origin', 'untrusted_origin', 'api_origin', 'api_alias_origin', 'attacker_origin'];

async function runCheck(check, config, card) {
  const run = newRunId(check.id);
  const output = card.querySelector('.result');
  card.dataset.state = 'running';
  card.dataset.run = run;
  replaceChildren(output, el('p', { class: 'muted' }, t('common.sending')));
  let result, wire;
  try {
    [result] = (await runExperiment(check, experimentContext(config, run, 'xhr'))).results;
    wire = await readLog(config.api_origin, run);
  } catch (error) {
    replaceChildren(output, failedView(error));
    card.dataset.state = 'done';
    return;
  }
  const verdict = verdictOf(result);
  if (verdict === 'allowed' && card.dataset.expect === 'blocked') checkForCorsExtension(config.api_origin);
  replaceChildren(output, el('p', { class: 'verdict', dataset: { verdict } }, t(`verdict.${verdict}`)), exchangeView([result], wire, run));
  card.dataset.verdict = verdict;
  card.dataset.state = 'done';
}

// On an origin the API does not trust, each check says what happens there instead.
function checkCard(check, config, trusted) {
  const [request] = check.steps(experimentContext(config, 'RUN_ID', 'xhr'));
  const card = el(
    'article',
    { class: 'check', id: `check-${check.id}`, dataset: { state: 'idle', expect: trusted ? 'allowed' : 'blocked' } },
    el('h3', {}, words(check, 'title')),
    el('p', { class: 'rule' }, trusted ? words(check, 'rule') : t(`index.refused.${check.id}`)),
    el('pre', { class: 'code', translate: 'no' }, xhrSource(request, t)),
    el('button', { type: 'button', class: 'run' }, t('common.run')),
    el('div', { class: 'result', 'aria-live': 'polite' }),
  );
  card.querySelector('button.run').addEventListener('click', () => runCheck(check, config, card));
  return card;
}

function runAll(config, cards) {
  const run = (check) => runCheck(check, config, cards[CHECKS.indexOf(check)]);
  return runWithProgress(CHECKS, (check) => words(check, 'title'), run, [document.getElementById('run-all')]);
}

function showTrust(config, health) {
  const banner = document.getElementById('trust-banner');
  const here = window.location.origin;
  // The page's alert (core/page.js) already says that the API does not answer: once is enough.
  if (!health.reachable) {
    banner.dataset.trust = 'unreachable';
    banner.hidden = true;
    return;
  }
  replaceChildren(
    document.getElementById('allowed-origins'),
    health.allowedOrigins.map((origin) => el('code', { class: 'allowed-origin' }, origin)),
  );
  if (health.allowedOrigins.includes(here)) {
    banner.dataset.trust = 'trusted';
    replaceChildren(banner, t('index.trusted', { origin: here }));
  } else {
    banner.dataset.trust = 'untrusted';
    replaceChildren(
      banner,
      el('strong', {}, t('index.untrusted.title')),
      ' ',
      t('index.untrusted', { origin: here }),
      ' ',
      el('a', { href: `${config.trusted_origin}/` }, t('index.untrusted.link')),
    );
  }
}

function showOrigins(config) {
  const here = window.location.origin;
  const rows = ORIGIN_ROLES.map((key) => {
    const origin = config[key];
    const isPage = config.contract.page_origin_roles.includes(key);
    return el(
      'tr',
      { class: origin === here ? 'current' : null },
      el('th', { scope: 'row' }, t(`index.role.${key}`)),
      el(
        'td',
        {},
        isPage ? el('a', { href: `${origin}/`, translate: 'no' }, origin) : el('code', {}, origin),
        origin === here ? ` ${t('index.this-page')}` : '',
      ),
      el('td', {}, t(`index.purpose.${key}`)),
    );
  });
  replaceChildren(document.getElementById('origins-body'), rows);
}

function main({ config, health }) {
  checkForCorsExtension(config.api_origin, false);
  document.getElementById('page-origin').textContent = window.location.origin;
  document.getElementById('api-origin').textContent = config.api_origin;
  showOrigins(config);
  const here = window.location.origin;
  const trusted = health.reachable ? health.allowedOrigins.includes(here) : here === config.trusted_origin;
  const cards = CHECKS.map((check) => checkCard(check, config, trusted));
  replaceChildren(document.getElementById('checks'), cards);
  document.getElementById('run-all').addEventListener('click', () => runAll(config, cards));
  showTrust(config, health);
}

startPage(main);
