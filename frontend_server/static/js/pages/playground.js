// The playground: both sides of a CORS exchange set by the learner, predicted by the model
// (model/cors-model.js), sent for real through /lab, and prediction shown against observation.
// The configuration lives in the URL; the /lab parameters, header-name pattern and status range
// come from the lab contract (config.contract).
import { newRunId, readLog } from '../core/api.js';
import { el, replaceChildren } from '../core/dom.js';
import { language, rich, t } from '../core/i18n.js';
import { checkApi, startPage } from '../core/page.js';
import { send } from '../core/transport.js';
import { fetchSource, xhrSource } from '../model/code-samples.js';
import { configure, predict } from '../model/cors-model.js';
import { labUrl } from '../model/hops.js';
import { serverCode } from '../model/server-code.js';
import { couldRead } from '../model/verdict.js';
import { expectedOnRepeat, splitWire } from '../model/wire.js';
import { exchangeView, failedView } from '../views/exchange.js';
import { OUTCOMES, comparisonView, predictionView, repeatView } from '../views/prediction.js';
import { configuration, configureForm, exceptionPrediction, mismatchCause, query as formQuery, threwBeforeSending }
  from './playground-form.js';

const REQUEST_FIELDS = ['method', 'ctype', 'headers', 'body', 'cred', 'transport', 'host', 'twice'];
const DEFAULTS = { method: 'GET', transport: 'xhr', host: 'api', redirect_on: 'actual' };
const TIMES = 3;
const here = window.location.origin;
let config;
let policyFields;
let form;
let engine; // core/engine.js's id: the model predicts what this engine does (loaded apart, as below)

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
    ['play.preset.answer-lacks-acao', { method: 'PUT', pf_acao: 'echo', acam: 'PUT' }],
    ['play.preset.star-twice', { acao: '*', twice: 'acao' }],
    ['play.preset.preflight-redirect', { method: 'PUT', acao: 'echo', acam: 'PUT', redirect: '308', redirect_on: 'preflight',
      location: '/lab?acao=echo&acam=PUT' }],
    ['play.preset.cross-origin-redirect', { acao: 'echo', redirect: '302', location: `${config.api_alias_origin}/lab?acao=${here}` }],
  ];
}

// Loaded apart: this page is at its weight budget (tests/frontend/test_page_weight.py).
const checkForCorsExtension = (suspected) => import('../views/extension-warning.js')
  .then((module) => module.checkForCorsExtension(config.api_origin, suspected));

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

const query = (state, dropped) => formQuery(state, language, DEFAULTS, dropped);

function showCode(setup, state) {
  const url = labUrl(setup.target, setup.policy, 'RUN_ID');
  document.getElementById('code-xhr').textContent = xhrSource({ ...setup.request, url }, t);
  document.getElementById('code-fetch').textContent = fetchSource({ ...setup.request, url }, t);
  const server = serverCode(setup.policy, here, setup.method, t);
  document.getElementById('server-title').textContent = t(`play.server.${server.kind}`);
  const why = server.why ? t('play.server.why', { why: t(...server.why) }) : t('play.server.expressible');
  document.getElementById('server-why').textContent = why;
  document.getElementById('code-server').textContent = server.code;
  const other = here === config.trusted_origin ? config.untrusted_origin : config.trusted_origin;
  const link = document.getElementById('other-origin');
  link.href = `${other}/playground${query(state)}`;
  link.textContent = t(other === config.trusted_origin ? 'play.open-trusted' : 'play.open-untrusted', { origin: other });
}

// Each error next to its field (and all of them in #form-errors); the prediction cleared meanwhile.
function showErrors(errors) {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const field of form.querySelectorAll('[aria-invalid]')) {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }
  for (const { field: name, text } of errors) {
    const field = form.querySelector(`[name="${name}"]`);
    if (!field) continue;
    const id = `error-${name}`;
    const note = document.getElementById(id) ?? el('p', { class: 'field-error', id });
    note.append(note.textContent ? ` ${text}` : text);
    (field.closest('label') ?? field).after(note);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', id);
  }
  const summary = document.getElementById('form-errors');
  summary.hidden = errors.length === 0;
  summary.textContent = errors.map((error) => error.text).join('. ');
  document.getElementById('run').disabled = errors.length > 0;
  document.getElementById('run-three').disabled = errors.length > 0;
  const panel = document.getElementById('prediction-panel');
  panel.dataset.stale = String(errors.length > 0);
  if (errors.length) for (const id of ['prediction', 'reasons', 'refusal']) replaceChildren(document.getElementById(id));
}

// The URL keeps only what fits; the page says what it left out.
function keepInUrl(state) {
  const dropped = [];
  history.replaceState(null, '', `${window.location.pathname}${query(state, dropped)}`);
  const note = document.getElementById('url-note');
  note.hidden = dropped.length === 0;
  note.textContent = dropped.length ? t('play.url-dropped', { fields: dropped.join(', ') }) : '';
}

function update() {
  const state = readForm();
  keepInUrl(state);
  const setup = configuration(state);
  showErrors(setup.errors);
  if (setup.errors.length) return null;
  const request = {
    pageOrigin: here, method: setup.method, headers: setup.headers, credentials: setup.request.withCredentials, target: setup.target,
    // The console line names the URL and the transport as Chromium will.
    url: labUrl(setup.target, setup.policy, 'RUN_ID'), transport: setup.transport, engine, body: setup.request.body !== null,
  };
  const refusal = setup.refusal;
  const prediction = refusal?.exception ? exceptionPrediction(refusal) : predict(request, setup.policy, t);
  predictionView(prediction);
  const exception = refusal?.exception ?? 'none';
  const note = refusal ? el('p', { class: 'browser-refusal', dataset: { exception } }, refusal.text) : null;
  replaceChildren(document.getElementById('refusal'), note);
  showCode(setup, state);
  return { setup, prediction };
}

async function runAndShow(setup, prediction, run, output) {
  const result = await send({ ...setup.request, url: labUrl(setup.target, setup.policy, run) }, setup.transport);
  const wire = await readLog(config.api_origin, run);
  const { preflights, actuals } = splitWire(wire);
  const observed = { preflight: preflights.length > 0, sent: actuals.length > 0, allowed: couldRead(result) };
  const threw = threwBeforeSending(result, wire);
  if (observed.allowed && !prediction.allowed) checkForCorsExtension(true);
  const match = OUTCOMES.every((key) => observed[key] === prediction[key]) && threw === Boolean(prediction.exception);
  const thrown = threw ? el('p', { class: 'thrown' }, t('play.thrown', { error: result.error })) : null;
  replaceChildren(output, comparisonView(prediction, observed, match), thrown, exchangeView([result], wire, run));
  // A mismatch is the model's error only when nothing else (the servers, the API down) explains it.
  if (!match) replaceChildren(output.querySelector('.verdict'), rich(...mismatchCause(prediction, wire, setup.policy)));
  const outcomes = Object.fromEntries(Object.entries(observed).map(([key, value]) => [key, String(value)]));
  Object.assign(output.dataset, { state: 'done', run, match: String(match), threw: String(threw), ...outcomes });
}

// Sends the request TIMES times to one URL within one run: a cached preflight goes only once.
async function repeatAndShow(setup, prediction, run, output) {
  const results = [];
  for (let time = 0; time < TIMES; time += 1) {
    results.push(await send({ ...setup.request, url: labUrl(setup.target, setup.policy, run) }, setup.transport));
  }
  const wire = await readLog(config.api_origin, run);
  const { preflights, actuals } = splitWire(wire);
  const observed = { preflights: preflights.length, actuals: actuals.length };
  const predicted = expectedOnRepeat(prediction, TIMES);
  const match = observed.preflights === predicted.preflights && observed.actuals === predicted.actuals;
  replaceChildren(output, repeatView(predicted, observed, prediction.cacheSeconds, match), exchangeView(results, wire, run));
  Object.assign(output.dataset, { state: 'done', run, match: String(match), preflights: observed.preflights, actuals: observed.actuals });
}

async function run(show, prefix) {
  const current = update();
  if (!current) return;
  const output = document.getElementById('result');
  const buttons = [document.getElementById('run'), document.getElementById('run-three')];
  for (const button of buttons) button.disabled = true;
  output.dataset.state = 'running';
  replaceChildren(output, el('p', { class: 'muted' }, t('common.sending')));
  try {
    await show(current.setup, current.prediction, newRunId(prefix), output);
    // The comparison's row-label and tick columns have no heading of their own: a screen reader needs one.
    for (const th of output.querySelectorAll('thead th:empty')) th.textContent = t(th.cellIndex ? 'exppage.tick' : 'exppage.what');
  } catch (error) {
    replaceChildren(output, failedView(error));
    output.dataset.state = 'done';
    await checkApi(config.api_origin);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

function fillChoices() {
  const acaoChoices = ['none', '*', 'echo', here, `${here}/`, 'null', config.trusted_origin];
  replaceChildren(document.getElementById('acao-list'), acaoChoices.map((value) => el('option', { value })));
  const { redirect_statuses: statuses, redirect_on: on } = config.contract;
  const statusOption = (status) => el('option', { value: String(status) }, String(status));
  document.getElementById('redirect-status').append(...statuses.map(statusOption));
  replaceChildren(document.getElementById('redirect-on'), on.map((value) => el('option', { value }, t(`play.redirect.on.${value}`))));
  const alias = config.api_alias_origin;
  const locations = ['/lab?acao=echo', '/lab?acao=echo&acam=PUT', ...['echo', '*', here].map((acao) => `${alias}/lab?acao=${acao}`)];
  replaceChildren(document.getElementById('location-list'), locations.map((value) => el('option', { value })));
}

async function main(start) {
  engine = (await import('../core/engine.js')).ENGINE.id;
  config = start.config;
  checkForCorsExtension(false);
  configure(config.contract);
  const { lab_parameters: plain, lab_preflight_parameters: preflight, lab_redirect_parameters: redirect } = config.contract;
  policyFields = [...plain, ...preflight, ...redirect];
  configureForm(config, policyFields);
  form = document.getElementById('config');
  document.getElementById('page-origin').textContent = here;
  document.getElementById('api-host').textContent = config.api_origin;
  document.getElementById('alias-host').textContent = config.api_alias_origin;
  fillChoices();
  const label = (id) => t(id.startsWith('play.') ? id : `preset.${id}`);
  const presetLink = ([id, state]) => el('li', {}, el('a', { href: `/playground${query(state)}` }, label(id)));
  replaceChildren(document.getElementById('presets'), presets().map(presetLink));
  writeForm(stateFromUrl());
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  document.getElementById('run').addEventListener('click', () => run(runAndShow, 'play'));
  document.getElementById('run-three').addEventListener('click', () => run(repeatAndShow, 'three'));
  update();
}

startPage(main);
