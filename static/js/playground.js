// The playground: both sides of a CORS exchange set by the learner, predicted by cors-model.js,
// sent for real through /lab, and prediction shown against observation.
import { apiUrl, fetchSource, loadConfig, newRunId, readLog, send, xhrSource } from './api.js';
import { el, replaceChildren } from './dom.js';
import { isReadable, predict } from './cors-model.js';
import { initI18n, language, t } from './i18n.js';
import { splitWire } from './narrate.js';
import { serverCode } from './server-code.js';
import { exchangeView, failedView } from './views.js';

const POLICY_FIELDS = ['acao', 'acac', 'acam', 'acah', 'aceh', 'max_age', 'status', 'preflight_status'];
const REQUEST_FIELDS = ['method', 'ctype', 'headers', 'body', 'cred', 'transport', 'host'];
const DEFAULTS = { method: 'GET', transport: 'xhr', host: 'api' };
const OUTCOMES = ['preflight', 'sent', 'allowed'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

await initI18n();
const config = await loadConfig();
const form = document.getElementById('config');
const here = window.location.origin;

function presets() {
  return [
    ['trailing-slash', { acao: `${here}/` }],
    ['star-with-credentials', { cred: '1', acao: '*', acac: 'true' }],
    ['acac-True', { cred: '1', acao: 'echo', acac: 'True' }],
    ['content-type-not-allowed', { method: 'POST', ctype: 'application/json', body: '{"hello":"cors"}', acao: 'echo', acah: 'X-Lab-Token' }],
    ['preflight-403', { method: 'PUT', acao: 'echo', acam: 'PUT', preflight_status: '403' }],
    ['lowercase-patch', { method: 'patch', acao: 'echo', acam: 'PATCH' }],
    ['working-put', { method: 'PUT', headers: 'X-Lab-Token: secret', acao: 'echo', acam: 'PUT', acah: 'X-Lab-Token', aceh: 'X-Lab-Custom', max_age: '600' }],
  ];
}


function readForm() {
  const data = new FormData(form);
  const state = {};
  for (const name of [...REQUEST_FIELDS, ...POLICY_FIELDS]) state[name] = (data.get(name) ?? '').toString();
  return state;
}

function writeForm(state) {
  for (const name of [...REQUEST_FIELDS, ...POLICY_FIELDS]) {
    const value = state[name] ?? DEFAULTS[name] ?? '';
    for (const field of form.querySelectorAll(`[name="${name}"]`)) {
      if (field.type === 'checkbox') field.checked = value === '1';
      else if (field.type === 'radio') field.checked = field.value === value;
      else field.value = value;
    }
  }
}

function stateFromUrl() {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries([...REQUEST_FIELDS, ...POLICY_FIELDS].filter((name) => params.has(name)).map((name) => [name, params.get(name)]));
}

// The configuration as a query string; the language goes along, so a shared link reads the same.
function query(state) {
  const params = new URLSearchParams({ lang: language });
  for (const [name, value] of Object.entries(state)) if (value !== '' && value !== DEFAULTS[name]) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}


function parseHeaderLines(text, errors) {
  const headers = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!HEADER_NAME.test(name)) {
      errors.push(t('play.error.header-line', { line }));
      continue;
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function configuration(state) {
  const errors = [];
  const headers = parseHeaderLines(state.headers, errors);
  if (state.ctype) headers['Content-Type'] = state.ctype;
  const method = state.method.trim() || 'GET';
  if (!HEADER_NAME.test(method)) errors.push(t('play.error.method', { method }));
  for (const name of ['status', 'preflight_status']) {
    if (state[name] !== '' && !(/^\d+$/.test(state[name]) && Number(state[name]) >= 200 && Number(state[name]) <= 599)) {
      errors.push(t(`play.error.${name}`));
    }
  }
  const policy = Object.fromEntries(POLICY_FIELDS.filter((name) => state[name] !== '').map((name) => [name, state[name]]));
  const hasBody = !['GET', 'HEAD'].includes(method.toUpperCase()) && state.body !== '';
  const request = { method, headers, body: hasBody ? state.body : null, withCredentials: state.cred === '1' };
  const target = state.host === 'alias' ? config.api_alias_origin : config.api_origin;
  return { errors, method, headers, policy, request, target, transport: state.transport };
}


const yesNo = (value) => t(value ? 'value.yes' : 'value.no');

function showPrediction(prediction) {
  replaceChildren(
    document.getElementById('prediction'),
    OUTCOMES.map((key) => el('li', { dataset: { outcome: key, value: String(prediction[key]) } }, el('span', { class: 'label' }, t(`play.outcome.${key}`)), el('strong', {}, yesNo(prediction[key])))),
    el('li', { dataset: { outcome: 'exposed' } }, el('span', { class: 'label' }, t('play.outcome.exposed')), el('strong', {}, yesNo(isReadable('X-Lab-Custom', prediction)))),
  );
  replaceChildren(document.getElementById('reasons'), prediction.reasons.map((reason) => el('li', {}, reason)));
}

function showCode(setup, state) {
  const url = apiUrl(setup.target, '/lab', { ...setup.policy, run: 'RUN_ID' });
  document.getElementById('code-xhr').textContent = xhrSource({ ...setup.request, url });
  document.getElementById('code-fetch').textContent = fetchSource({ ...setup.request, url });
  const server = serverCode(setup.policy, here, setup.method);
  document.getElementById('server-title').textContent = t(`play.server.${server.kind}`);
  document.getElementById('server-why').textContent = server.why ? t('play.server.why', { why: t(...server.why) }) : t('play.server.expressible');
  document.getElementById('code-server').textContent = server.code;
  const other = here === config.trusted_origin ? config.untrusted_origin : config.trusted_origin;
  const link = document.getElementById('other-origin');
  link.href = `${other}/playground${query(state)}`;
  link.textContent = t(other === config.trusted_origin ? 'play.open-trusted' : 'play.open-untrusted', { origin: other });
}

function update() {
  const state = readForm();
  history.replaceState(null, '', `${window.location.pathname}${query(state)}`);
  const setup = configuration(state);
  const errors = document.getElementById('form-errors');
  errors.hidden = setup.errors.length === 0;
  errors.textContent = setup.errors.join('. ');
  document.getElementById('run').disabled = setup.errors.length > 0;
  if (setup.errors.length) return null;
  const prediction = predict({ pageOrigin: here, method: setup.method, headers: setup.headers, credentials: setup.request.withCredentials }, setup.policy, t);
  showPrediction(prediction);
  showCode(setup, state);
  return { setup, prediction };
}

async function run() {
  const current = update();
  if (!current) return;
  const { setup, prediction } = current;
  const output = document.getElementById('result');
  const button = document.getElementById('run');
  button.disabled = true;
  output.dataset.state = 'running';
  replaceChildren(output, el('p', { class: 'muted' }, t('common.sending')));
  const run = newRunId('play');
  try {
    await runAndShow(setup, prediction, run, output);
  } catch (error) {
    replaceChildren(output, failedView(error));
    output.dataset.state = 'done';
  } finally {
    button.disabled = false;
  }
}

async function runAndShow(setup, prediction, run, output) {
  const result = await send({ ...setup.request, url: apiUrl(setup.target, '/lab', { ...setup.policy, run }) }, setup.transport);
  const wire = await readLog(config.api_origin, run);
  const { preflights, actuals } = splitWire(wire);
  const observed = { preflight: preflights.length > 0, sent: actuals.length > 0, allowed: result.readable };
  const match = OUTCOMES.every((key) => observed[key] === prediction[key]);
  replaceChildren(
    output,
    el('p', { class: 'verdict', dataset: { verdict: 'none', match: String(match) } },
      t(match ? 'play.match' : 'play.mismatch')),
    el('table', { class: 'fact-table' },
      el('thead', {}, el('tr', {}, ['', t('play.predicted'), t('exppage.observed'), ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, OUTCOMES.map((key) => {
        const ok = observed[key] === prediction[key];
        return el('tr', { class: ok ? null : 'mismatch', dataset: { outcome: key, ok: String(ok) } },
          el('th', { scope: 'row' }, t(`play.outcome.${key}`)), el('td', {}, yesNo(prediction[key])), el('td', { class: 'observed-value' }, yesNo(observed[key])), el('td', { class: 'tick' }, ok ? '\u2713' : '\u2717'));
      }))),
    exchangeView([result], wire, run),
  );
  Object.assign(output.dataset, { state: 'done', run, match: String(match), ...Object.fromEntries(Object.entries(observed).map(([k, v]) => [k, String(v)])) });
}

function init() {
  document.getElementById('page-origin').textContent = here;
  document.getElementById('api-host').textContent = config.api_origin;
  document.getElementById('alias-host').textContent = config.api_alias_origin;
  replaceChildren(
    document.getElementById('acao-list'),
    ['none', '*', 'echo', here, `${here}/`, 'null', config.trusted_origin].map((value) => el('option', { value })),
  );
  replaceChildren(
    document.getElementById('presets'),
    presets().map(([id, state]) => el('li', {}, el('a', { href: `/playground${query(state)}` }, t(`preset.${id}`)))),
  );
  writeForm(stateFromUrl());
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  document.getElementById('run').addEventListener('click', run);
  update();
  document.body.dataset.ready = 'true';
}

init();
