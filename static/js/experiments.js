// The experiments page: one card per experiment, run alone or all together, each showing the
// code it runs, the facts expected from today's Chromium against the facts observed, what
// JavaScript saw and what reached the API.
import { apiUrl, fetchSource, loadConfig, newRunId, readLog, xhrSource } from './api.js';
import { el, replaceChildren } from './dom.js';
import { EXPERIMENTS, FACT_LABELS, SECTIONS } from './experiments-catalogue.js';
import { experimentContext, runExperiment } from './experiment-runner.js';
import { narrate, splitWire } from './narrate.js';
import { javascriptView, wireTable } from './views.js';

const FRAME_TIMEOUT_MS = 20000;
const config = await loadConfig();
const cards = new Map();
const frames = new Map();

const transport = () => document.querySelector('input[name=transport]:checked').value;
const originFor = (experiment) => (experiment.runsOn === 'untrusted' ? config.untrusted_origin : config.trusted_origin);

function format(value) {
  if (value === undefined) return '(not predicted)';
  if (value === null) return '(absent)';
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  return String(value);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Facts every experiment has (from JavaScript's last result and the wire), then its own.
function observeFacts(experiment, outcome, wire, ctx) {
  const { preflights, actuals } = splitWire(wire);
  const facts = { preflights: preflights.length, actuals: actuals.length };
  if (outcome.results.length) facts.readable = outcome.results.at(-1).readable;
  return { ...facts, ...(experiment.observe?.(outcome, wire, ctx) ?? {}) };
}

function sourceFor(experiment, ctx) {
  const lines = [];
  const setup = experiment.setup?.(ctx) ?? [];
  if (setup.length) {
    lines.push(`// First, with XMLHttpRequest and withCredentials: ${setup.map((r) => `${r.method} ${r.url}`).join(', then ')}`, '');
  }
  for (const step of experiment.steps(ctx)) {
    if (step.jsonp) {
      lines.push(
        `window.labJsonp = { ${step.callback}: (data) => console.log(data) };`,
        "const script = document.createElement('script');",
        `script.src = ${JSON.stringify(step.jsonp)};`,
        'document.head.append(script);',
      );
    } else {
      lines.push((step.transport ?? ctx.transport) === 'fetch' ? fetchSource(step) : xhrSource(step));
    }
    lines.push('');
  }
  if (experiment.after) lines.push('// Then: look at what the page can see (document.cookie, or what the server recorded).');
  return lines.join('\n').trim();
}

function showCode(experiment) {
  const ctx = { ...experimentContext(config, 'RUN_ID', transport()), pageOrigin: originFor(experiment) };
  cards.get(experiment.id).querySelector('pre.code').textContent = sourceFor(experiment, ctx);
}

function factsTable(expected, observed) {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(observed)])];
  return el(
    'table',
    { class: 'fact-table' },
    el('thead', {}, el('tr', {}, ['Fact', 'Expected today', 'Observed', ''].map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      keys.map((key) => {
        const predicted = key in expected;
        const ok = !predicted || same(expected[key], observed[key]);
        return el(
          'tr',
          { class: ok ? null : 'mismatch', dataset: { fact: key, ok: String(ok) } },
          el('th', { scope: 'row' }, FACT_LABELS[key] ?? key),
          el('td', {}, format(expected[key])),
          el('td', { class: 'observed-value' }, format(observed[key])),
          el('td', { class: 'tick', 'aria-label': ok ? 'as expected' : 'differs' }, predicted ? (ok ? '\u2713' : '\u2717') : ''),
        );
      }),
    ),
  );
}

function verdictLine(expected, observed, match) {
  const verdict = observed.readable === undefined ? null : observed.readable ? 'allowed' : 'blocked';
  const text = verdict
    ? `${verdict === 'allowed' ? 'Allowed: JavaScript read the response' : 'Blocked: JavaScript could not read the response'}`
    : 'Observed';
  return el(
    'p',
    { class: 'verdict', dataset: { verdict: verdict ?? 'none', match: String(match) } },
    text,
    el('span', { class: 'match' }, match ? ' \u2014 as expected today' : ' \u2014 NOT as expected: see the facts marked \u2717'),
  );
}

const EXTRA_LABELS = { documentCookie: 'document.cookie', effects: 'what /no-cors recorded for this run' };

function pageView(extra) {
  return el(
    'dl',
    { class: 'observed' },
    Object.entries(extra).map(([key, value]) => [
      el('dt', {}, EXTRA_LABELS[key] ?? key),
      el('dd', { class: `page-${key}` }, format(value === '' ? [] : value)),
    ]),
  );
}

// Runs an experiment in a hidden frame on `origin`, which posts the outcome back.
function frameOn(origin) {
  if (!frames.has(origin)) {
    frames.set(
      origin,
      new Promise((resolve) => {
        const iframe = el('iframe', { src: `${origin}/frame`, title: `Experiment runner on ${origin}`, hidden: true });
        window.addEventListener('message', function ready(event) {
          if (event.origin === origin && event.source === iframe.contentWindow && event.data?.type === 'ready') {
            window.removeEventListener('message', ready);
            resolve(iframe.contentWindow);
          }
        });
        document.body.append(iframe);
      }),
    );
  }
  return frames.get(origin);
}

async function runInFrame(origin, experiment, run) {
  const target = await frameOn(origin);
  const requestId = newRunId('request');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runner frame on ${origin} did not answer`)), FRAME_TIMEOUT_MS);
    window.addEventListener('message', function result(event) {
      if (event.origin !== origin || event.source !== target || event.data?.requestId !== requestId) return;
      window.removeEventListener('message', result);
      clearTimeout(timer);
      resolve(event.data.outcome);
    });
    target.postMessage({ type: 'run', id: experiment.id, run, transport: transport(), requestId }, origin);
  });
}

async function runOne(experiment) {
  const card = cards.get(experiment.id);
  const output = card.querySelector('.result');
  const origin = originFor(experiment);
  const run = newRunId(experiment.id.slice(0, 32));
  const ctx = { ...experimentContext(config, run, transport()), pageOrigin: origin };
  Object.assign(card.dataset, { state: 'running', run });
  card.querySelector('button.run').disabled = true;
  replaceChildren(output, el('p', { class: 'muted' }, origin === window.location.origin ? 'Running\u2026' : `Running on ${origin}\u2026`));
  try {
    const outcome = origin === window.location.origin ? await runExperiment(experiment, ctx) : await runInFrame(origin, experiment, run);
    const wire = await readLog(config.api_origin, run);
    const expected = experiment.expected(ctx);
    const observed = observeFacts(experiment, outcome, wire, ctx);
    const match = Object.keys(expected).every((key) => same(expected[key], observed[key]));
    replaceChildren(
      output,
      verdictLine(expected, observed, match),
      factsTable(expected, observed),
      outcome.results.length ? el('h4', {}, 'What JavaScript saw') : null,
      outcome.results.map((result) => javascriptView(result)),
      Object.keys(outcome.extra).length ? [el('h4', {}, 'What the page could see afterwards'), pageView(outcome.extra)] : null,
      el('h4', {}, 'What reached the API (from ', el('a', { href: apiUrl(config.api_origin, '/log', { run }) }, '/log'), ', run ', el('code', {}, run), ')'),
      wireTable(wire),
      el('p', { class: 'explanation' }, `${experiment.rule} ${narrate(outcome.results, wire)}`),
    );
    Object.assign(card.dataset, {
      state: 'done',
      verdict: observed.readable === undefined ? 'none' : observed.readable ? 'allowed' : 'blocked',
      match: String(match),
    });
    return match;
  } catch (error) {
    replaceChildren(output, el('p', { class: 'verdict', dataset: { verdict: 'failed' } }, `The experiment could not run: ${error.message}`));
    Object.assign(card.dataset, { state: 'done', verdict: 'failed', match: 'false' });
    return false;
  } finally {
    card.querySelector('button.run').disabled = false;
  }
}

async function runAll() {
  const button = document.getElementById('run-all');
  const progress = document.getElementById('run-all-progress');
  const status = document.getElementById('run-all-status');
  button.disabled = true;
  Object.assign(progress, { hidden: false, max: EXPERIMENTS.length, value: 0 });
  let matched = 0;
  for (const [index, experiment] of EXPERIMENTS.entries()) {
    status.textContent = `Running ${index + 1} of ${EXPERIMENTS.length}: ${experiment.title}`;
    if (await runOne(experiment)) matched += 1;
    progress.value = index + 1;
  }
  status.textContent = `Done: ${EXPERIMENTS.length} of ${EXPERIMENTS.length} experiments ran.`;
  const summary = document.getElementById('summary');
  summary.dataset.mismatches = String(EXPERIMENTS.length - matched);
  summary.textContent =
    matched === EXPERIMENTS.length
      ? `All ${matched} behaved as expected of today\u2019s Chromium.`
      : `${EXPERIMENTS.length - matched} of ${EXPERIMENTS.length} did NOT behave as expected: look for \u2717.`;
  button.disabled = false;
}

function experimentCard(experiment) {
  const card = el(
    'article',
    { class: 'experiment', id: `exp-${experiment.id}`, dataset: { state: 'idle' } },
    el(
      'h3',
      {},
      experiment.title,
      experiment.runsOn === 'untrusted' ? el('span', { class: 'badge' }, 'runs on the untrusted origin') : null,
    ),
    el('p', { class: 'rule' }, experiment.rule),
    experiment.noteDiffers ? el('p', { class: 'note-differs' }, el('strong', {}, 'Where the note is out of date: '), experiment.noteDiffers) : null,
    el('details', {}, el('summary', {}, 'The code it runs'), el('pre', { class: 'code' })),
    el('button', { type: 'button', class: 'run', onclick: () => runOne(experiment) }, 'Run'),
    el('div', { class: 'result', 'aria-live': 'polite' }),
  );
  cards.set(experiment.id, card);
  return card;
}

function render() {
  replaceChildren(
    document.getElementById('toc'),
    SECTIONS.map((section) => el('li', {}, el('a', { href: `#section-${section.id}` }, section.title))),
  );
  replaceChildren(
    document.getElementById('sections'),
    SECTIONS.map((section) =>
      el(
        'section',
        { id: `section-${section.id}`, class: 'experiment-section' },
        el('h2', {}, section.title),
        el('blockquote', { class: 'note-quote', lang: 'zh-CN' }, section.quote),
        el('p', { class: 'gist' }, section.gist),
        EXPERIMENTS.filter((experiment) => experiment.section === section.id).map(experimentCard),
      ),
    ),
  );
  EXPERIMENTS.forEach(showCode);
}

function showOriginBanner() {
  if (window.location.origin === config.trusted_origin) return;
  const banner = document.getElementById('origin-banner');
  banner.hidden = false;
  replaceChildren(
    banner,
    `This page is on ${window.location.origin}. Each experiment still runs on the origin it is written for, in a hidden frame; `,
    'cookie experiments behave differently inside a frame. For the intended view open the ',
    el('a', { href: `${config.trusted_origin}/experiments` }, 'trusted page'),
    '.',
  );
}

render();
showOriginBanner();
for (const input of document.querySelectorAll('input[name=transport]')) {
  input.addEventListener('change', () => EXPERIMENTS.forEach(showCode));
}
document.getElementById('run-all').addEventListener('click', runAll);
document.body.dataset.ready = 'true';
