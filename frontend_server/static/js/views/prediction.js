// Renders the playground's prediction (#prediction, #reasons, then what Chromium's console will say:
// #console-prediction, made after #reasons) and, after a real run, the prediction against what was observed.
import { el, replaceChildren } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { isReadable } from '../model/cors-model.js';
import { VERIFIED } from '../model/verified.js';
import { scrollBox } from './exchange.js';

export const OUTCOMES = ['preflight', 'sent', 'allowed'];
const yesNo = (value) => t(value ? 'value.yes' : 'value.no');
const label = (key) => el('span', { class: 'label' }, t(`play.outcome.${key}`));

export function predictionView(prediction) {
  replaceChildren(
    document.getElementById('prediction'),
    OUTCOMES.map((key) =>
      el('li', { dataset: { outcome: key, value: String(prediction[key]) } }, label(key), el('strong', {}, yesNo(prediction[key]))),
    ),
    el('li', { dataset: { outcome: 'exposed' } }, label('exposed'), el('strong', {}, yesNo(isReadable('X-Lab-Custom', prediction)))),
  );
  replaceChildren(document.getElementById('reasons'), prediction.reasons.map((reason) => el('li', {}, reason)));
  consoleView(prediction.console ?? []);
}

// The line(s) Chromium prints in its console for this request (its wording, whichever browser shows the page).
function consoleView(lines) {
  let section = document.getElementById('console-prediction');
  if (!section) {
    section = el('section', { id: 'console-prediction', class: 'console-prediction', 'aria-labelledby': 'console-prediction-title' });
    document.getElementById('reasons').after(section);
  }
  replaceChildren(
    section,
    el('h3', { id: 'console-prediction-title' }, t('console.title')),
    lines.length
      ? lines.map((line) => el('pre', { class: 'console-line', dataset: { console: 'error' } }, el('code', {}, line)))
      : el('p', { class: 'muted', dataset: { console: 'none' } }, t('console.none')),
    el('p', { class: 'muted' }, t('console.note', VERIFIED)),
  );
}

function comparisonRow(key, prediction, observed) {
  const ok = observed[key] === prediction[key];
  return el(
    'tr',
    { class: ok ? null : 'mismatch', dataset: { outcome: key, ok: String(ok) } },
    el('th', { scope: 'row' }, t(`play.outcome.${key}`)),
    el('td', {}, yesNo(prediction[key])),
    el('td', { class: 'observed-value' }, yesNo(observed[key])),
    el('td', { class: 'tick' }, ok ? '\u2713' : '\u2717'),
  );
}

export function comparisonView(prediction, observed, match) {
  const columns = ['', t('play.predicted'), t('exppage.observed'), ''];
  return [
    el('p', { class: 'verdict', dataset: { verdict: 'none', match: String(match) } }, t(match ? 'play.match' : 'play.mismatch')),
    scrollBox(
      el(
        'table',
        { class: 'fact-table' },
        el('thead', {}, el('tr', {}, columns.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, OUTCOMES.map((key) => comparisonRow(key, prediction, observed))),
      ),
      t('exppage.facts-table'),
    ),
  ];
}

// The request sent several times to one URL: how many preflights and requests the server saw,
// against the count the model predicts from the preflight's cache time (Max-Age).
export function repeatView(predicted, observed, seconds, match) {
  const row = (key) =>
    el(
      'tr',
      { class: observed[key] === predicted[key] ? null : 'mismatch', dataset: { count: key } },
      el('th', { scope: 'row' }, t(`play.repeat.${key}`)),
      el('td', {}, String(predicted[key])),
      el('td', { class: 'observed-value' }, String(observed[key])),
    );
  const summary = predicted.preflights === 0 ? 'play.repeat.none' : seconds > 0 ? 'play.repeat.cached' : 'play.repeat.uncached';
  return [
    el('p', { class: 'verdict', dataset: { verdict: 'none', match: String(match) } }, t(match ? 'play.match' : 'play.mismatch')),
    el('p', { class: 'explanation' }, t(summary, { seconds, ...predicted, cached: predicted.actuals - predicted.preflights })),
    scrollBox(
      el(
        'table',
        { class: 'fact-table' },
        el('thead', {}, el('tr', {}, ['', t('play.predicted'), t('exppage.observed')].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ['preflights', 'actuals'].map(row)),
      ),
      t('exppage.facts-table'),
    ),
  ];
}
