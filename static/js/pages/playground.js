// The playground: both sides of a CORS exchange set by the learner, predicted by the model
// (model/cors-model.js), sent for real through /lab, and prediction shown against observation.
// The configuration lives in the URL; the /lab parameters, header-name pattern and status range
// come from the lab contract (config.contract).
import { apiUrl, newRunId, readLog } from '../core/api.js';
import { el, replaceChildren } from '../core/dom.js';
import { language, t } from '../core/i18n.js';
import { startPage } from '../core/page.js';
import { send } from '../core/transport.js';
import { fetchSource, xhrSource } from '../model/code-samples.js';
import { configure, predict } from '../model/cors-model.js';
import { serverCode } from '../model/server-code.js';
import { couldRead } from '../model/verdict.js';
import { splitWire } from '../model/wire.js';
import { exchangeView, failedView } from '../views/exchange.js';
import { OUTCOMES, comparisonView, predictionView } from '../views/prediction.js';

const REQUEST_FIELDS = ['method', 'ctype', 'headers', 'body', 'cred', 'transport', 'host'];
const DEFAULTS = { method: 'GET', transport: 'xhr', host: 'api' };
const here = window.location.origin;
let config;
let policyFields;
let headerName;
let form;

function presets() {
  const json = { method: 'POST', ctype: 'application/json', body: '{"hello":"cors"}' };
  const put = { method: 'PUT', headers: 'X-Lab-Token: secret', acao: 'echo', acam: 'PUT', acah: 'X-Lab-Token' };
  return [
    ['trailing-slash', { acao: `${here}/` }],
    ['star-with-credentials', { cred: '1', acao: '*', acac: 'true' }],
    ['acac-True', { cred: '1', acao: 'echo', acac: 'True' }],
    ['content-type-not-allowed', { ...json, acao: 'echo', acah: 'X-Lab-Token' }],
    ['preflight-403', { method: 'PUT', acao: 'echo', acam: 'PUT', preflight_status: '403' }],
    ['lowercase-patch', { method: 'patch', acao: 'echo', acam: 'PATCH' }],
    ['working-put', { ...put, aceh: 'X-Lab-Custom', max_age: '600' }],
  ];
}

const fieldNames = () => [...REQUEST_FIELDS, ...policyFields];

function readForm() {
  const data = new FormData(form);
  return Object.fromEntries(fieldNames().map((name) => [name, (data.get(name) ?? '').toString()]));
}

function writeForm(state) {
  for (const name of fieldNames()) {
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
  return Object.fromEntries(fieldNames().filter((name) => params.has(name)).map((name) => [name, params.get(name)]));
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
    if (!headerName.test(name)) {
      errors.push(t('play.error.header-line', { line }));
      continue;
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function isStatus(value) {
  const [lowest, highest] = config.contract.status_range;
  return /^\d+$/.test(value) && Number(value) >= lowest && Number(value) <= highest;
}

function configuration(state) {
  const errors = [];
  const headers = parseHeaderLines(state.headers, errors);
  if (state.ctype) headers['Content-Type'] = state.ctype;
  const method = state.method.trim() || 'GET';
  if (!headerName.test(method)) errors.push(t('play.error.method', { method }));
  const [lowest, highest] = config.contract.status_range;
  for (const name of ['status', 'preflight_status']) {
    if (state[name] !== '' && !isStatus(state[name])) errors.push(t(`play.error.${name}`, { lowest, highest }));
  }
  const policy = Object.fromEntries(policyFields.filter((name) => state[name] !== '').map((name) => [name, state[name]]));
  const hasBody = !['GET', 'HEAD'].includes(method.toUpperCase()) && state.body !== '';
  const request = { method, headers, body: hasBody ? state.body : null, withCredentials: state.cred === '1' };
  const target = state.host === 'alias' ? config.api_alias_origin : config.api_origin;
  return { errors, method, headers, policy, request, target, transport: state.transport };
}

function showCode(setup, state) {
  const url = apiUrl(setup.target, '/lab', { ...setup.policy, run: 'RUN_ID' });
  document.getElementById('code-xhr').textContent = xhrSource({ ...setup.request, url });
  document.getElementById('code-fetch').textContent = fetchSource({ ...setup.request, url });
  const server = serverCode(setup.policy, here, setup.method);
  document.getElementById('server-title').textContent = t(`play.server.${server.kind}`);
  const why = server.why ? t('play.server.why', { why: t(...server.why) }) : t('play.server.expressible');
  document.getElementById('server-why').textContent = why;
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
  const request = { pageOrigin: here, method: setup.method, headers: setup.headers, credentials: setup.request.withCredentials };
  const prediction = predict(request, setup.policy, t);
  predictionView(prediction);
  showCode(setup, state);
  return { setup, prediction };
}

async function runAndShow(setup, prediction, run, output) {
  const result = await send({ ...setup.request, url: apiUrl(setup.target, '/lab', { ...setup.policy, run }) }, setup.transport);
  const wire = await readLog(config.api_origin, run);
  const { preflights, actuals } = splitWire(wire);
  const observed = { preflight: preflights.length > 0, sent: actuals.length > 0, allowed: couldRead(result) };
  const match = OUTCOMES.every((key) => observed[key] === prediction[key]);
  replaceChildren(output, comparisonView(prediction, observed, match), exchangeView([result], wire, run));
  const outcomes = Object.fromEntries(Object.entries(observed).map(([key, value]) => [key, String(value)]));
  Object.assign(output.dataset, { state: 'done', run, match: String(match), ...outcomes });
}

async function run() {
  const current = update();
  if (!current) return;
  const output = document.getElementById('result');
  const button = document.getElementById('run');
  button.disabled = true;
  output.dataset.state = 'running';
  replaceChildren(output, el('p', { class: 'muted' }, t('common.sending')));
  try {
    await runAndShow(current.setup, current.prediction, newRunId('play'), output);
  } catch (error) {
    replaceChildren(output, failedView(error));
    output.dataset.state = 'done';
  } finally {
    button.disabled = false;
  }
}

function main(start) {
  config = start.config;
  configure(config.contract);
  policyFields = config.contract.lab_parameters;
  headerName = new RegExp(config.contract.header_name_pattern);
  form = document.getElementById('config');
  document.getElementById('page-origin').textContent = here;
  document.getElementById('api-host').textContent = config.api_origin;
  document.getElementById('alias-host').textContent = config.api_alias_origin;
  const acaoChoices = ['none', '*', 'echo', here, `${here}/`, 'null', config.trusted_origin];
  replaceChildren(document.getElementById('acao-list'), acaoChoices.map((value) => el('option', { value })));
  const presetLink = ([id, state]) => el('li', {}, el('a', { href: `/playground${query(state)}` }, t(`preset.${id}`)));
  replaceChildren(document.getElementById('presets'), presets().map(presetLink));
  writeForm(stateFromUrl());
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  document.getElementById('run').addEventListener('click', run);
  update();
}

startPage(main);
