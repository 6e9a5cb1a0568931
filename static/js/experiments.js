// The experiments page: one card per experiment, run alone or all together, each showing the
// code it runs, the facts expected from today's Chromium against the facts observed, what
// JavaScript saw and what reached the API.
import { fetchSource, loadConfig, newRunId, readLog, xhrSource } from './api.js';
import { el, nextMessage, replaceChildren } from './dom.js';
import { initI18n, setDefaultParams, t } from './i18n.js';
import { COMMON_FACTS, EXPERIMENTS, SECTIONS, words } from './experiments-catalogue.js';
import { experimentContext, runExperiment } from './experiment-runner.js';
import { splitWire } from './narrate.js';
import { runWithProgress } from './progress.js';
import { exchangeView, failedView } from './views.js';

const FRAME_TIMEOUT_MS = 20000;
await initI18n();
const config = await loadConfig();
const host = (key) => new URL(config[key]).host;
setDefaultParams({ page_host: host('trusted_origin'), api_host: host('api_origin'), alias_host: host('api_alias_origin') });
const cards = new Map();
const frames = new Map();

const transport = () => document.querySelector('input[name=transport]:checked').value;
const originFor = (experiment) => (experiment.runsOn === 'untrusted' ? config.untrusted_origin : config.trusted_origin);

function format(value) {
  if (value === undefined) return t('value.not-predicted');
  if (value === null) return t('value.absent');
  if (value === true) return t('value.yes');
  if (value === false) return t('value.no');
  if (Array.isArray(value)) return value.length ? el('code', {}, value.join(', ')) : t('value.none');
  return el('code', {}, String(value));
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Facts every experiment has (from JavaScript's last result and the wire), the common facts it
// expects or shows, then its own.
function observeFacts(experiment, outcome, wire, expected, ctx) {
  const { preflights, actuals } = splitWire(wire);
  const facts = { preflights: preflights.length, actuals: actuals.length };
  if (outcome.results.length) facts.readable = outcome.results.at(-1).readable;
  for (const key of [...Object.keys(expected), ...(experiment.shows ?? [])]) {
    if (key in COMMON_FACTS) facts[key] = COMMON_FACTS[key](wire, outcome);
  }
  return { ...facts, ...(experiment.observe?.(outcome, wire, ctx) ?? {}) };
}

function sourceFor(experiment, ctx) {
  const lines = [];
  const setup = experiment.setup?.(ctx) ?? [];
  if (setup.length) {
    lines.push(`// ${t('exppage.code.setup', { requests: setup.map((r) => `${r.method} ${r.url}`).join(', ') })}`, '');
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
  if (experiment.after) lines.push(`// ${t('exppage.code.after')}`);
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
    el('thead', {}, el('tr', {}, [t('exppage.fact'), t('exppage.expected'), t('exppage.observed'), ''].map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      keys.map((key) => {
        const predicted = key in expected;
        const ok = !predicted || same(expected[key], observed[key]);
        return el(
          'tr',
          { class: ok ? null : 'mismatch', dataset: { fact: key, ok: String(ok) } },
          el('th', { scope: 'row' }, t(`fact.${key}`)),
          el('td', {}, format(expected[key])),
          el('td', { class: 'observed-value' }, format(observed[key])),
          el('td', { class: 'tick' }, predicted ? (ok ? '\u2713' : '\u2717') : ''),
        );
      }),
    ),
  );
}

function verdictLine(observed, match) {
  const verdict = observed.readable === undefined ? null : observed.readable ? 'allowed' : 'blocked';
  return el(
    'p',
    { class: 'verdict', dataset: { verdict: verdict ?? 'none', match: String(match) } },
    verdict ? t(`verdict.${verdict}`) : t('exppage.observed'),
    el('span', { class: 'match' }, t(match ? 'exppage.as-expected' : 'exppage.not-as-expected')),
  );
}

function pageView(extra) {
  return el(
    'dl',
    { class: 'observed' },
    Object.entries(extra).map(([key, value]) => [
      el('dt', {}, t(`exppage.extra.${key}`)),
      el('dd', { class: `page-${key}` }, format(value === '' ? [] : value)),
    ]),
  );
}

// Runs an experiment in a hidden frame on `origin`, which posts the outcome back.
function frameOn(origin) {
  if (!frames.has(origin)) {
    const iframe = el('iframe', { src: `${origin}/frame`, title: origin, hidden: true });
    const accept = (event) => event.source === iframe.contentWindow && event.data?.type === 'ready';
    const ready = nextMessage(origin, accept, FRAME_TIMEOUT_MS, new Error(t('exppage.frame-silent', { origin })));
    frames.set(origin, ready.then(() => iframe.contentWindow));
    ready.catch(() => {
      frames.delete(origin);
      iframe.remove();
    });
    document.body.append(iframe);
  }
  return frames.get(origin);
}

async function runInFrame(origin, experiment, run) {
  const target = await frameOn(origin);
  const requestId = newRunId('request');
  const accept = (event) => event.source === target && event.data?.requestId === requestId;
  const answer = nextMessage(origin, accept, FRAME_TIMEOUT_MS, new Error(t('exppage.frame-silent', { origin })));
  target.postMessage({ type: 'run', id: experiment.id, run, transport: transport(), requestId }, origin);
  return (await answer).outcome;
}

async function runOne(experiment) {
  const card = cards.get(experiment.id);
  const output = card.querySelector('.result');
  const origin = originFor(experiment);
  const run = newRunId(experiment.id.slice(0, 32));
  const ctx = { ...experimentContext(config, run, transport()), pageOrigin: origin };
  Object.assign(card.dataset, { state: 'running', run });
  card.querySelector('button.run').disabled = true;
  replaceChildren(output, el('p', { class: 'muted' }, origin === window.location.origin ? t('common.running') : t('exppage.running-on', { origin })));
  try {
    const outcome = origin === window.location.origin ? await runExperiment(experiment, ctx) : await runInFrame(origin, experiment, run);
    const wire = await readLog(config.api_origin, run);
    const expected = experiment.expected(ctx);
    const observed = observeFacts(experiment, outcome, wire, expected, ctx);
    const match = Object.keys(expected).every((key) => same(expected[key], observed[key]));
    replaceChildren(
      output,
      verdictLine(observed, match),
      factsTable(expected, observed),
      Object.keys(outcome.extra).length ? [el('h4', {}, t('exppage.page-saw')), pageView(outcome.extra)] : null,
      exchangeView(outcome.results, wire, run, `${words(experiment, 'rule')} `),
    );
    Object.assign(card.dataset, {
      state: 'done',
      verdict: observed.readable === undefined ? 'none' : observed.readable ? 'allowed' : 'blocked',
      match: String(match),
    });
    return match;
  } catch (error) {
    replaceChildren(output, failedView(error));
    Object.assign(card.dataset, { state: 'done', verdict: 'failed', match: 'false' });
    return false;
  } finally {
    card.querySelector('button.run').disabled = false;
  }
}

async function runAll() {
  const matched = await runWithProgress(EXPERIMENTS, (experiment) => words(experiment, 'title'), runOne, [document.getElementById('run-all')]);
  const summary = document.getElementById('summary');
  summary.dataset.mismatches = String(EXPERIMENTS.length - matched);
  summary.textContent =
    matched === EXPERIMENTS.length
      ? t('exppage.all-matched', { n: matched })
      : t('exppage.some-differ', { n: EXPERIMENTS.length - matched, total: EXPERIMENTS.length });
}

function experimentCard(experiment) {
  const card = el(
    'article',
    { class: 'experiment', id: `exp-${experiment.id}`, dataset: { state: 'idle' } },
    el(
      'h3',
      {},
      words(experiment, 'title'),
      experiment.runsOn === 'untrusted' ? el('span', { class: 'badge' }, t('exppage.untrusted-badge')) : null,
    ),
    el('p', { class: 'rule' }, words(experiment, 'rule')),
    el(
      'p',
      { class: experiment.noteDiffers ? 'note-differs' : 'note-agrees' },
      el('a', { href: `#quote-${experiment.section}` }, t('exppage.note-link', { section: t(`section.${experiment.section}.title`) })),
      ' ',
      experiment.noteDiffers ? [el('strong', {}, t('exppage.note-differs')), ' ', t(`exp.${experiment.id}.differs`)] : t('exppage.note-agrees'),
    ),
    el('details', {}, el('summary', {}, t('exppage.code')), el('pre', { class: 'code', translate: 'no' })),
    el('button', { type: 'button', class: 'run', onclick: () => runOne(experiment) }, t('common.run')),
    el('div', { class: 'result', 'aria-live': 'polite' }),
  );
  cards.set(experiment.id, card);
  return card;
}

function render() {
  replaceChildren(
    document.getElementById('toc'),
    SECTIONS.map((section) => el('li', {}, el('a', { href: `#section-${section.id}` }, t(`section.${section.id}.title`)))),
  );
  replaceChildren(
    document.getElementById('sections'),
    SECTIONS.map((section) =>
      el(
        'section',
        { id: `section-${section.id}`, class: 'experiment-section' },
        el('h2', {}, t(`section.${section.id}.title`)),
        el('blockquote', { class: 'note-quote', lang: 'zh-CN', id: `quote-${section.id}` }, el('span', { class: 'quote-label' }, t('exppage.the-note')), t(`section.${section.id}.quote`)),
        el('p', { class: 'gist' }, t(`section.${section.id}.gist`)),
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
    t('exppage.other-origin', { origin: window.location.origin }),
    ' ',
    el('a', { href: `${config.trusted_origin}/experiments` }, t('exppage.open-trusted')),
  );
}

render();
showOriginBanner();
for (const input of document.querySelectorAll('input[name=transport]')) {
  input.addEventListener('change', () => EXPERIMENTS.forEach(showCode));
}
document.getElementById('run-all').addEventListener('click', runAll);
document.body.dataset.ready = 'true';
