// Renders an experiment's judgement: its verdict line, its facts expected against observed, and
// what the page itself saw.
import { el } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { sameFact } from '../model/facts.js';
import { scrollBox } from './exchange.js';

function format(value) {
  if (value === undefined) return t('value.not-predicted');
  if (value === null) return t('value.absent');
  if (value === true) return t('value.yes');
  if (value === false) return t('value.no');
  if (Array.isArray(value)) {
    return value.length ? el('code', {}, value.map((item) => (item === null ? t('value.absent') : item)).join(', ')) : t('value.none');
  }
  return el('code', {}, String(value));
}

const factLabel = (key) => t(`fact.${key}`);

const TICK = { true: '\u2713', false: '\u2717' };
const FACT_COLUMNS = ['exppage.fact', 'exppage.expected', 'exppage.observed'];

// tags: fact -> a note on its expectation (views/engine.js: an engine's own, or Chromium's only).
export function factsTable(expected, observed, tags = {}) {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(observed)])];
  const table = el(
    'table',
    { class: 'fact-table' },
    el('thead', {}, el('tr', {}, [...FACT_COLUMNS, 'exppage.tick'].map((key) => el('th', { scope: 'col' }, t(key))))),
    el(
      'tbody',
      {},
      keys.map((key) => {
        const predicted = key in expected;
        const ok = !predicted || sameFact(expected[key], observed[key]);
        return el(
          'tr',
          { class: ok ? null : 'mismatch', dataset: { fact: key, ok: String(ok), ...(tags[key] && { engineTag: tags[key] }) } },
          el('th', { scope: 'row' }, factLabel(key)),
          el('td', {}, format(expected[key]), tags[key] ? el('span', { class: 'engine-tag' }, ` (${tags[key]})`) : null),
          el('td', { class: 'observed-value' }, format(observed[key])),
          el('td', { class: 'tick' }, predicted ? TICK[ok] : ''),
        );
      }),
    ),
  );
  return scrollBox(table, t('exppage.facts-table'));
}

// verdict: model/verdict.js's verdictOf(); match: whether every expected fact was observed;
// where: { engine, verified } (views/engine.js's engineParams()).
export function verdictLine(verdict, match, where = {}) {
  return el(
    'p',
    { class: 'verdict', dataset: { verdict, match: String(match) } },
    verdict === 'none' ? t('exppage.observed') : t(`verdict.${verdict}`),
    el('span', { class: 'match' }, t(match ? 'exppage.as-expected' : 'exppage.not-as-expected', where)),
  );
}

export function pageView(extra) {
  return el(
    'dl',
    { class: 'observed' },
    Object.entries(extra).map(([key, value]) => [
      el('dt', {}, t(`exppage.extra.${key}`)),
      el('dd', { class: `page-${key}` }, format(value === '' ? [] : value)),
    ]),
  );
}
