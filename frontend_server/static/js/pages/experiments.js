// The experiments page: one card per experiment, run alone or all together, each showing the
// code it runs, the facts expected from today's Chromium against the facts observed, what
// JavaScript saw and what reached the API.
import { newRunId, readLog } from '../core/api.js';
import { el, replaceChildren } from '../core/dom.js';
import { rich, t } from '../core/i18n.js';
import { checkApi, startPage } from '../core/page.js';
import { experimentSource } from '../model/code-samples.js';
import { judge } from '../model/facts.js';
import { SECTIONS, words } from '../catalogues/experiments-catalogue.js';
import { EXPERIMENTS, experimentContext, runExperiment } from '../catalogues/experiment-runner.js';
import { exchangeView, failedView } from '../views/exchange.js';
import { checkForCorsExtension } from '../views/extension-warning.js';
import { engineLine, engineParams, engineTags } from '../views/engine.js';
import { factsTable, pageView, verdictLine } from '../views/facts.js';
import { runWithProgress } from '../views/progress.js';
import { runInFrame } from './experiment-frames.js';

let config;
const cards = new Map();

const transport = () => document.querySelector('input[name=transport]:checked').value;
const originFor = (experiment) => (experiment.runsOn === 'untrusted' ? config.untrusted_origin : config.trusted_origin);
const contextFor = (experiment, run) => ({ ...experimentContext(config, run, transport()), pageOrigin: originFor(experiment) });

function showCode(experiment) {
  cards.get(experiment.id).querySelector('pre.code').textContent = experimentSource(experiment, contextFor(experiment, 'RUN_ID'), t);
}

// Where the page that ran a cookie experiment keeps fewer cookies (a frame of another site, a browser
// that blocks third-party cookies), the card says so: its expectations follow what was detected.
function cookieNote(experiment, cookies, origin) {
  if (!experiment.withheld || (cookies.lax && cookies.thirdParty)) return null;
  const where = cookies.lax ? 'exppage.cookies.top' : 'exppage.cookies.frame';
  const thirdParty = cookies.thirdParty ? 'exppage.cookies.third-party-allowed' : 'exppage.cookies.third-party-blocked';
  const dataset = { lax: String(cookies.lax), thirdParty: String(cookies.thirdParty) };
  return el('p', { class: 'cookie-context', dataset }, t(where, { origin, page: window.location.origin }), ' ', t(thirdParty));
}

async function runOne(experiment) {
  const card = cards.get(experiment.id);
  const output = card.querySelector('.result');
  const origin = originFor(experiment);
  const here = origin === window.location.origin;
  const run = newRunId(experiment.id.slice(0, 32));
  const ctx = contextFor(experiment, run);
  Object.assign(card.dataset, { state: 'running', run });
  card.querySelector('button.run').disabled = true;
  replaceChildren(output, el('p', { class: 'muted' }, here ? t('common.running') : t('exppage.running-on', { origin })));
  try {
    const outcome = here ? await runExperiment(experiment, ctx) : await runInFrame(origin, experiment, run, ctx.transport);
    const wire = await readLog(config.api_origin, run);
    const { expected, observed, match, verdict } = judge(experiment, outcome, wire, { ...ctx, cookieSupport: outcome.cookies });
    if (expected.readable === false && observed.readable) checkForCorsExtension(config.api_origin);
    replaceChildren(
      output,
      cookieNote(experiment, outcome.cookies, origin),
      verdictLine(verdict, match, engineParams()),
      // One line per experiment; the facts and the wire on demand (open at once where one differs).
      el('details', { class: 'result-details', open: !match },
        el('summary', {}, t('exppage.details')),
        factsTable(expected, observed, engineTags(experiment, ctx)),
        Object.keys(outcome.extra).length ? [el('h4', {}, t('exppage.page-saw')), pageView(outcome.extra)] : null,
        exchangeView(outcome.results, wire, run, `${words(experiment, 'rule')} `, experiment.wireSides?.(wire))),
    );
    showClaim(card, experiment, observed);
    Object.assign(card.dataset, { state: 'done', verdict, match: String(match) });
    return match;
  } catch (error) {
    replaceChildren(output, failedView(error));
    Object.assign(card.dataset, { state: 'done', verdict: 'failed', match: 'false' });
    await checkApi(config.api_origin);
    return false;
  } finally {
    card.querySelector('button.run').disabled = false;
  }
}

// What the run showed, in the note's terms: how many answers JavaScript read and how many the
// browser blocked, and where today's browsers differ from the note.
function whatItShowed() {
  const count = (verdict) => EXPERIMENTS.filter((experiment) => cards.get(experiment.id).dataset.verdict === verdict).length;
  const differs = EXPERIMENTS.filter((experiment) => experiment.noteDiffers).map((experiment) => words(experiment, 'title'));
  return t('exppage.run-showed', { read: count('allowed'), blocked: count('blocked'), differs: differs.join('; ') });
}

// Asks /health first and after each failure: with the API down, the run stops and says so.
async function runAll() {
  const title = (experiment) => words(experiment, 'title');
  const summary = document.getElementById('summary');
  const down = async () => !(await checkApi(config.api_origin)).reachable;
  let stopped = await down();
  const stop = async (ok) => !ok && (stopped = await down());
  const matched = stopped || (await runWithProgress(EXPERIMENTS, title, runOne, [document.getElementById('run-all')], stop));
  summary.dataset.stopped = String(stopped);
  if (stopped) {
    delete summary.dataset.mismatches;
    document.getElementById('run-all-status').textContent = '';
    return replaceChildren(summary, rich('exppage.api-down', { api: config.api_origin }));
  }
  const total = EXPERIMENTS.length;
  summary.dataset.mismatches = String(total - matched);
  const verdict = matched === total
    ? t('exppage.all-matched', { n: matched, ...engineParams() })
    : t('exppage.some-differ', { n: total - matched, total, ...engineParams() });
  summary.textContent = `${verdict} ${whatItShowed()}`;
}

// What the experiment says about the note: it agrees, is out of date, is imprecise (a section
// without a paragraph of the note says so).
function noteLine(experiment) {
  const section = SECTIONS.find((candidate) => candidate.id === experiment.section);
  // Where the note agrees, its section says so once (sectionView); a card speaks only to differ.
  if (section.quote === false || !(experiment.noteDiffers || experiment.noteImprecise || experiment.claim)) return null;
  const link = el('a', { href: `#quote-${section.id}` }, t('exppage.note-link', { section: t(`section.${section.id}.title`) }));
  const [label, klass] = experiment.noteDiffers
    ? ['exppage.note-differs', 'note-differs']
    : experiment.noteImprecise
      ? ['exppage.note-imprecise', 'note-imprecise']
      : [null, 'note-agrees'];
  const said = label ? [el('strong', {}, t(label)), ' ', t(`exp.${experiment.id}.differs`)] : t('exppage.note-agrees');
  return el('p', { class: klass }, link, ' ', said);
}

// A card whose fact shows the note's claim (experiment.claim) never says the note holds when, in
// this browser, that fact was false: it says why the claim is not shown here instead.
function showClaim(card, experiment, observed) {
  if (!experiment.claim) return;
  const line = card.querySelector('p.note-agrees, p.claim-not-shown');
  const shown = observed[experiment.claim] !== false;
  const notShown = () => el('p', { class: 'claim-not-shown' }, rich(`exppage.claim-not-shown.${experiment.claim}`));
  line?.replaceWith(shown ? noteLine(experiment) : notShown());
  card.dataset.claim = shown ? 'shown' : 'not-shown';
}

function experimentCard(experiment) {
  const badge = experiment.runsOn === 'untrusted' ? el('span', { class: 'badge' }, t('exppage.untrusted-badge')) : null;
  const card = el(
    'article',
    { class: 'experiment', id: `exp-${experiment.id}`, dataset: { state: 'idle' } },
    el('h3', {}, words(experiment, 'title'), badge),
    el('p', { class: 'rule' }, words(experiment, 'rule')),
    noteLine(experiment),
    el('details', {}, el('summary', {}, t('exppage.code')), el('pre', { class: 'code', translate: 'no' })),
    el('button', { type: 'button', class: 'run', onclick: () => runOne(experiment) }, t('common.run')),
    el('div', { class: 'result' }),
  );
  cards.set(experiment.id, card);
  return card;
}

function sectionView(section) {
  const quote =
    section.quote === false
      ? null
      : el(
          'blockquote',
          { class: 'note-quote', lang: 'zh-CN', id: `quote-${section.id}` },
          el('span', { class: 'quote-label' }, t('exppage.the-note')),
          t(`section.${section.id}.quote`),
        );
  const points = Array.from({ length: section.points ?? 0 }, (_, index) => el('li', {}, t(`exppage.${section.id}.point${index + 1}`)));
  return el(
    'section',
    { id: `section-${section.id}`, class: 'experiment-section' },
    el('h2', {}, t(`section.${section.id}.title`)),
    quote,
    quote ? el('p', { class: 'note-agrees' }, t('exppage.section-agrees')) : el('p', { class: 'note-none' }, t('exppage.no-quote')),
    el('p', { class: 'gist' }, t(`section.${section.id}.gist`, config.contract.basic_auth)),
    points.length ? el('ol', { class: 'gist-points' }, points) : null,
    EXPERIMENTS.filter((experiment) => experiment.section === section.id).map(experimentCard),
  );
}

function render() {
  const tocEntry = (section) => el('li', {}, el('a', { href: `#section-${section.id}` }, t(`section.${section.id}.title`)));
  replaceChildren(document.getElementById('toc'), SECTIONS.map(tocEntry));
  // The index by symptom: what a developer sees, and the card that explains it.
  const symptomEntry = (experiment) => el('li', {}, el('a', { href: `#exp-${experiment.id}` }, rich(`symptom.${experiment.symptom}`)));
  replaceChildren(document.getElementById('symptoms'), EXPERIMENTS.filter((experiment) => experiment.symptom).map(symptomEntry));
  replaceChildren(document.getElementById('sections'), SECTIONS.map(sectionView));
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

// A link to a quote or a card lands it below the sticky controls, however tall they wrap (CSS: --sticky-height).
function keepClearOfControls() {
  const controls = document.querySelector('.controls');
  const root = document.documentElement;
  const height = () => (getComputedStyle(controls).position === 'sticky' ? controls.offsetHeight : 0);
  new ResizeObserver(() => root.style.setProperty('--sticky-height', `${height()}px`)).observe(controls);
}

function main(start) {
  config = start.config;
  checkForCorsExtension(config.api_origin, false);
  keepClearOfControls();
  render();
  showOriginBanner();
  const line = engineLine();
  document.documentElement.dataset.engine = line.dataset.engine;
  document.querySelector('section.controls').before(line);
  for (const input of document.querySelectorAll('input[name=transport]')) {
    input.addEventListener('change', () => EXPERIMENTS.forEach(showCode));
  }
  document.getElementById('run-all').addEventListener('click', runAll);
}

startPage(main);
