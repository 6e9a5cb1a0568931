// The note, step by step: one step per paragraph, in the note's order. Each step quotes the note,
// sends one real request (XMLHttpRequest, the note's API) through /lab after the model has
// predicted it, says in one sentence what happened, shows the line Chromium prints in the Console
// and where to find the exchange in DevTools, and links to the experiments that go deeper.
import { newRunId, readLog } from '../core/api.js';
import { el, replaceChildren } from '../core/dom.js';
import { language, rich, t } from '../core/i18n.js';
import { checkApi, startPage } from '../core/page.js';
import { send } from '../core/transport.js';
import { configure, predict } from '../model/cors-model.js';
import { labUrl } from '../model/hops.js';
import { couldRead } from '../model/verdict.js';
import { expectedOnRepeat, splitWire } from '../model/wire.js';
import { exchangeView, failedView } from '../views/exchange.js';
import { configuration, configureForm, query } from './playground-form.js';

const here = window.location.origin;
const DEFAULTS = { method: 'GET', transport: 'xhr', host: 'api', ctype: '', headers: '', body: '', cred: '' };
const TOKEN = 'X-Lab-Token: secret';
const PUT = { method: 'PUT', headers: TOKEN, acao: 'echo', acam: 'PUT' };
// Each step: the note's section it follows (its quote: section.<section>.quote), the request and
// /lab's policy (the playground's fields), and how often it is sent.
const STEPS = [
  { id: 'refused', section: 'refused', state: {} },
  { id: 'simple', section: 'simple', state: { acao: 'echo' } },
  { id: 'exact-origin', section: 'headers', state: { acao: `${here}/` } },
  { id: 'expose', section: 'headers', state: { acao: 'echo', aceh: 'X-Lab-Custom' } },
  { id: 'cookies-need-both', section: 'credentials', state: { cred: '1', acao: 'echo' } },
  { id: 'no-star-with-credentials', section: 'meaning', state: { cred: '1', acao: '*', acac: 'true' } },
  { id: 'credentials-allowed', section: 'meaning', state: { cred: '1', acao: 'echo', acac: 'true' } },
  { id: 'preflight-method', section: 'preflight', state: { method: 'PUT', acao: 'echo' } },
  { id: 'preflight-header', section: 'preflight', state: PUT },
  { id: 'preflight-passes', section: 'preflight', state: { ...PUT, acah: 'X-Lab-Token' } },
  { id: 'max-age', section: 'preflight', state: { ...PUT, acah: 'X-Lab-Token', max_age: '600' }, times: 3 },
  { id: 'jsonp', section: 'jsonp', state: null },
];
let config;
let engine;
let blankPolicy; // every /lab parameter of the contract, unset

const yesNo = (value) => t(value ? 'learn.yes' : 'learn.no');
const setupOf = (step) => configuration({ ...DEFAULTS, ...blankPolicy, ...step.state });

function predictionOf(setup, run) {
  const request = {
    pageOrigin: here, method: setup.method, headers: setup.headers, credentials: setup.request.withCredentials,
    target: setup.target, url: labUrl(setup.target, setup.policy, run), transport: setup.transport, engine,
    body: setup.request.body !== null,
  };
  return predict(request, setup.policy, t);
}

// What the step showed: the verdict, the console line, where to look, the takeaway, the wire.
function resultView(step, prediction, results, wire, run) {
  const { preflights, actuals } = splitWire(wire);
  const readable = couldRead(results[0]);
  const times = step.times ?? 1;
  const expected = times > 1 ? expectedOnRepeat(prediction, times) : null;
  const match = readable === prediction.allowed
    && (expected ? preflights.length === expected.preflights && actuals.length === expected.actuals : true);
  const console = prediction.console.map((line) => el('code', { class: 'console-line', translate: 'no' }, line));
  return [
    el('p', { class: 'verdict', dataset: { verdict: readable ? 'allowed' : 'blocked' } },
      rich(readable ? 'learn.read' : 'learn.blocked')),
    step.id === 'expose' ? el('p', {}, rich('learn.expose-read', { read: yesNo(results[0].responseHeaders['x-lab-custom']) })) : null,
    times > 1 ? el('p', {}, t('learn.repeat', { times, preflights: preflights.length, actuals: actuals.length })) : null,
    console.length ? [el('p', {}, rich('learn.console')), el('p', { class: 'console' }, console)]
      : el('p', {}, rich('learn.no-console')),
    el('p', { class: 'where-to-look' }, rich(preflights.length ? 'learn.look.preflight' : 'learn.look.simple')),
    el('p', { class: 'takeaway' }, rich(`learn.${step.id}.takeaway`)),
    match ? null : el('p', { class: 'mismatch' }, rich('learn.mismatch')),
    exchangeView(results, wire, run),
  ];
}

async function runStep(step, card) {
  const output = card.querySelector('.step-result');
  const button = card.querySelector('button');
  button.disabled = true;
  card.dataset.state = 'running';
  replaceChildren(output, el('p', { class: 'muted' }, t('common.sending')));
  try {
    const setup = setupOf(step);
    const run = newRunId(`learn-${step.id}`);
    const prediction = predictionOf(setup, run);
    const results = [];
    for (let time = 0; time < (step.times ?? 1); time += 1) {
      results.push(await send({ ...setup.request, url: labUrl(setup.target, setup.policy, run) }, setup.transport));
    }
    const wire = await readLog(config.api_origin, run);
    replaceChildren(output, resultView(step, prediction, results, wire, run));
    const verdict = output.querySelector('.verdict').dataset.verdict;
    Object.assign(card.dataset, { state: 'done', run, verdict, match: String(!output.querySelector('.mismatch')) });
  } catch (error) {
    replaceChildren(output, failedView(error));
    Object.assign(card.dataset, { state: 'done', verdict: 'failed', match: 'false' });
    await checkApi(config.api_origin);
  } finally {
    button.disabled = false;
  }
}

function stepView(step, index) {
  const card = el('li', { class: 'step', id: `step-${step.id}`, dataset: { state: 'idle' } });
  const links = [el('a', { href: `/experiments?lang=${language}#section-${step.section}` }, t('learn.deeper'))];
  const playground = step.state && `/playground${query({ ...DEFAULTS, ...step.state }, language, DEFAULTS)}`;
  if (playground) links.push(el('a', { href: playground }, t('learn.playground')));
  card.append(
    el('h2', {}, t('learn.step', { n: index + 1, title: t(`learn.${step.id}.title`) })),
    el('blockquote', { class: 'note-quote', lang: 'zh-CN' }, t(`section.${step.section}.quote`)),
    el('p', { class: 'what' }, rich(`learn.${step.id}.what`)),
    step.state
      ? el('button', { type: 'button', class: 'run', onclick: () => runStep(step, card) }, t('learn.run'))
      : el('p', { class: 'takeaway' }, rich(`learn.${step.id}.takeaway`)),
    el('div', { class: 'step-result', 'aria-live': 'polite' }),
    el('p', { class: 'step-links' }, links.flatMap((link, at) => (at ? [' · ', link] : [link]))),
  );
  return card;
}

async function main(start) {
  config = start.config;
  engine = (await import('../core/engine.js')).ENGINE.id;
  configure(config.contract);
  const { lab_parameters: plain, lab_preflight_parameters: preflight, lab_redirect_parameters: redirect } = config.contract;
  const policyFields = [...plain, ...preflight, ...redirect];
  configureForm(config, policyFields);
  blankPolicy = Object.fromEntries(policyFields.map((name) => [name, '']));
  replaceChildren(document.getElementById('steps'), STEPS.map(stepView));
}

startPage(main);
