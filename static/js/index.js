// The index: where this page is, whether the API trusts it, and two quick real requests.
import { apiHealth, apiUrl, loadConfig, newRunId, readLog, sendXhr, xhrSource } from './api.js';
import { el, replaceChildren } from './dom.js';
import { narrate } from './narrate.js';
import { javascriptView, wireTable } from './views.js';

const CHECKS = [
  {
    id: 'simple',
    title: 'Simple request: GET /simple',
    lesson:
      'GET with no custom header is a simple request: the browser sends it at once, adding an Origin header, ' +
      'and lets JavaScript read the answer only if Access-Control-Allow-Origin names this origin.',
    request: (api, run) => ({ method: 'GET', url: apiUrl(api, '/simple', { run }) }),
  },
  {
    id: 'preflight',
    title: 'Preflighted request: PUT /preflight',
    lesson:
      'PUT, the header X-Lab-Token and Content-Type: application/json each make a request non-simple: the browser ' +
      'first asks with an OPTIONS preflight and sends the PUT only if the answer allows this origin, method and headers.',
    request: (api, run) => ({
      method: 'PUT',
      url: apiUrl(api, '/preflight', { run }),
      headers: { 'Content-Type': 'application/json', 'X-Lab-Token': 'lab' },
      body: JSON.stringify({ hello: 'cors' }),
    }),
  },
];

const ORIGIN_ROLES = [
  ['trusted_origin', 'Trusted page origin', 'Serves these pages; on the API\u2019s allowlist.'],
  ['untrusted_origin', 'Untrusted page origin', 'The same pages under another host: not on the allowlist, so reads are blocked.'],
  ['api_origin', 'API origin', 'The API: same site as the trusted page (another port of localhost), another origin.'],
  ['api_alias_origin', 'Cross-site API alias', 'The same API under another host: a different site, where SameSite cookies stop.'],
];

async function runCheck(check, config, card) {
  const run = newRunId(check.id);
  const request = check.request(config.api_origin, run);
  const output = card.querySelector('.result');
  card.dataset.state = 'running';
  card.dataset.run = run;
  replaceChildren(output, el('p', { class: 'muted' }, 'Sending…'));
  const result = await sendXhr(request);
  const wire = await readLog(config.api_origin, run);
  const verdict = result.outcome === 'load' ? 'allowed' : 'blocked';
  replaceChildren(
    output,
    el(
      'p',
      { class: 'verdict', dataset: { verdict } },
      verdict === 'allowed' ? 'Allowed: JavaScript read the response' : 'Blocked: JavaScript could not read the response',
    ),
    el('h4', {}, 'What JavaScript saw'),
    javascriptView(result),
    el('h4', {}, 'What reached the API (from /log, run ', el('code', {}, run), ')'),
    wireTable(wire),
    el('p', { class: 'explanation' }, narrate([result], wire)),
  );
  card.dataset.verdict = verdict;
  card.dataset.state = 'done';
}

function checkCard(check, config) {
  const card = el(
    'article',
    { class: 'check', id: `check-${check.id}`, dataset: { state: 'idle' } },
    el('h3', {}, check.title),
    el('p', {}, check.lesson),
    el('pre', { class: 'code' }, xhrSource(check.request(config.api_origin, 'RUN_ID'))),
    el('button', { type: 'button', class: 'run' }, 'Run'),
    el('div', { class: 'result', 'aria-live': 'polite' }),
  );
  card.querySelector('button.run').addEventListener('click', () => runCheck(check, config, card));
  return card;
}

async function runAll(config, cards) {
  const button = document.getElementById('run-all');
  const progress = document.getElementById('run-all-progress');
  const status = document.getElementById('run-all-status');
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  for (const [index, check] of CHECKS.entries()) {
    status.textContent = `Running ${index + 1} of ${CHECKS.length}: ${check.title}`;
    await runCheck(check, config, cards[index]);
    progress.value = index + 1;
  }
  status.textContent = `Done: ${CHECKS.length} of ${CHECKS.length} checks ran.`;
  button.disabled = false;
}

function showTrust(config, health) {
  const banner = document.getElementById('trust-banner');
  const here = window.location.origin;
  if (!health.reachable) {
    banner.dataset.trust = 'unreachable';
    replaceChildren(banner, `The API at ${config.api_origin} does not answer. Is `, el('code', {}, 'make run'), ' still running?');
    return;
  }
  replaceChildren(
    document.getElementById('allowed-origins'),
    health.allowedOrigins.map((origin) => el('code', { class: 'allowed-origin' }, origin)),
  );
  if (health.allowedOrigins.includes(here)) {
    banner.dataset.trust = 'trusted';
    replaceChildren(banner, `Trusted origin: the API allows ${here}, so cross-origin reads from this page succeed.`);
  } else {
    banner.dataset.trust = 'untrusted';
    replaceChildren(
      banner,
      el('strong', {}, 'Untrusted origin. '),
      `${here} is not on the API\u2019s allowlist: the browser will block this page from reading the API\u2019s answers, on purpose. `,
      'Compare with the ',
      el('a', { href: `${config.trusted_origin}/` }, 'trusted page'),
      '.',
    );
  }
}

function showOrigins(config) {
  const here = window.location.origin;
  const rows = ORIGIN_ROLES.map(([key, role, purpose]) => {
    const origin = config[key];
    const isPage = !key.startsWith('api');
    return el(
      'tr',
      { class: origin === here ? 'current' : null },
      el('th', { scope: 'row' }, role),
      el('td', {}, isPage ? el('a', { href: `${origin}/` }, origin) : el('code', {}, origin), origin === here ? ' (this page)' : ''),
      el('td', {}, purpose),
    );
  });
  replaceChildren(document.getElementById('origins-body'), rows);
}

async function main() {
  const config = await loadConfig();
  document.getElementById('page-origin').textContent = window.location.origin;
  document.getElementById('api-origin').textContent = config.api_origin;
  showOrigins(config);
  const cards = CHECKS.map((check) => checkCard(check, config));
  replaceChildren(document.getElementById('checks'), cards);
  document.getElementById('run-all').addEventListener('click', () => runAll(config, cards));
  showTrust(config, await apiHealth(config.api_origin));
  document.body.dataset.ready = 'true';
}

main();
