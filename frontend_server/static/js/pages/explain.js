// Explain an error: a console message pasted by the learner is recognised (model/explain-error.js),
// explained in the note's terms, given its fix and a playground link that reproduces it. The text stays
// in the page: it is never sent, stored or logged, and goes into a link only when the learner makes one
// (after #, which the browser never sends to a server).
import { el, replaceChildren } from '../core/dom.js';
import { language, rich, t } from '../core/i18n.js';
import { startPage } from '../core/page.js';
import { explainError } from '../model/explain-error.js';
import { fixFor } from '../model/explain-fix.js';
import { checkForCorsExtension } from '../views/extension-warning.js';

const here = window.location.origin;
const FIELDS = ['browser', 'kind', 'on', 'origin', 'url', 'redirectedFrom', 'method', 'header', 'value', 'status', 'wording'];

const code = (text) => el('code', { translate: 'no' }, text);
const onWhich = (result) => (result.preflight === null ? 'unknown' : result.preflight ? 'preflight' : 'actual');

function fieldValue(result, field) {
  if (field === 'browser') return t(`explain.browser.${result.browser}`);
  if (field === 'kind') return result.kind ? code(result.kind) : null;
  if (field === 'on') return result.kind ? t(`explain.on.${onWhich(result)}`) : null;
  if (field === 'wording') return result.wording ? t(`explain.wording.${result.wording}`) : null;
  const value = result[field];
  return value === null || value === undefined ? null : code(String(value));
}

function recognised(result) {
  const rows = FIELDS.map((field) => [field, fieldValue(result, field)]).filter(([, value]) => value !== null && value !== undefined);
  return el('dl', { class: 'recognised', id: 'recognised' },
    rows.map(([field, value]) => [el('dt', {}, t(`explain.field.${field}`)), el('dd', { dataset: { field } }, value)]));
}

function kindList(kinds) {
  return el('ul', { class: 'closest', id: 'closest' },
    kinds.map((kind) => el('li', { dataset: { kind } }, code(kind), ' — ', rich(`explain.short.${kind}`))));
}

function fixView(result) {
  // Without the page's origin in the message (Firefox's), the headers name a stand-in for it.
  const fix = fixFor(result, 'https://your-page.example');
  if (!fix) return null;
  const place = (where) => el('li', { dataset: { where } }, rich(`explain.where.${where}`));
  const block = (title, id, text) => [el('h4', {}, rich(title)), el('pre', { class: 'code', id, translate: 'no' }, text)];
  return el('section', { class: 'fix', 'aria-labelledby': 'fix-title' },
    el('h3', { id: 'fix-title' }, t('explain.fix-title')),
    fix.failedOn ? el('p', { id: 'failed-on' }, rich(`explain.failed-on.${fix.failedOn}`)) : null,
    el('p', {}, t('explain.where-title')),
    el('ul', { class: 'where' }, fix.where.map(place)),
    fix.headers.length ? block('explain.headers-title', 'fix-headers', fix.headers.join('\n')) : null,
    fix.flask ? block('explain.flask-title', 'fix-flask', `from flask_cors import CORS\n${fix.flask}`) : null);
}

function playgroundView(result) {
  if (!result.playground) return result.kind ? el('p', { class: 'muted', id: 'no-playground' }, t('explain.no-playground')) : null;
  const query = new URLSearchParams({ lang: language, ...result.playground });
  return el('p', {}, el('a', { id: 'playground-link', href: `/playground?${query}` }, t('explain.playground')));
}

// The explanation of a kind: its words with what the message named; where the message left a
// part out (an empty value, no status), the words that do without it (explain.why.<kind>.unnamed).
function why(result) {
  const key = `explain.why.${result.kind}`;
  const named = ['value', 'method', 'header', 'status', 'origin'].filter((name) => result[name] !== null && result[name] !== '');
  const missing = ['value', 'method', 'header', 'status', 'origin'].some((name) => !named.includes(name) && t(key).includes(`{${name}}`));
  return rich(missing ? `${key}.unnamed` : key, Object.fromEntries(named.map((name) => [name, result[name]])));
}

function knownView(result) {
  return [
    el('h2', { id: 'verdict', dataset: { kind: result.kind } }, rich('explain.known', { kind: result.kind })),
    recognised(result),
    el('p', { id: 'why' }, why(result)),
    result.alongside.length ? el('p', { class: 'muted', id: 'alongside' }, rich('explain.alongside')) : null,
    result.browser === 'firefox' && !result.preflight ? el('p', { class: 'muted' }, t('explain.note.firefox-where')) : null,
    fixView(result),
    playgroundView(result),
  ];
}

// Not one of the CORS header checks (explain-patterns.js, OTHER_MESSAGES): what it is, whether it is
// CORS, and the next step.
function otherView(result) {
  return [
    el('h2', { id: 'verdict', dataset: { kind: '', other: result.note } }, t(`explain.other.${result.note}`)),
    result.browser ? recognised(result) : null,
    el('p', { id: 'note' }, rich(`explain.note.${result.note}`, { length: result.length ?? '' })),
  ];
}

function unknownView(result) {
  if (result.other || result.note === 'too-long') return otherView(result);
  const browser = result.browser && t(`explain.browser.${result.browser}`);
  const heading = browser ? t('explain.recognised-browser', { browser }) : t('explain.unknown');
  return [
    el('h2', { id: 'verdict', dataset: { kind: '' } }, heading),
    result.browser ? recognised(result) : null,
    result.note ? el('p', { id: 'note' }, rich(`explain.note.${result.note}`)) : null,
    result.closest.length
      ? [el('p', {}, t('explain.closest')), kindList(result.closest)]
      : el('p', { class: 'muted' }, t('explain.none-close')),
  ];
}

function show(text) {
  const output = document.getElementById('explanation');
  if (!text.trim()) {
    replaceChildren(output, el('p', { class: 'muted' }, t('explain.empty')));
    output.dataset.state = 'empty';
    return;
  }
  const result = explainError(text);
  replaceChildren(output, result.kind ? knownView(result) : unknownView(result));
  output.dataset.state = result.kind ? 'known' : 'unknown';
}

// The link carries the text after #: a fragment stays in the browser, it is never sent to a server.
function makeLink(textarea) {
  const link = new URL('/explain', here);
  link.searchParams.set('lang', language);
  link.hash = new URLSearchParams({ message: textarea.value }).toString();
  const field = document.getElementById('share-link');
  field.value = link.href;
  document.getElementById('share').hidden = false;
  field.focus();
  field.select();
}

function main({ config }) {
  checkForCorsExtension(config.api_origin, false);
  const form = document.getElementById('explain-form');
  const textarea = document.getElementById('message');
  const fromLink = new URLSearchParams(window.location.hash.slice(1)).get('message');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show(textarea.value);
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  document.getElementById('make-link').addEventListener('click', () => makeLink(textarea));
  if (fromLink) {
    textarea.value = fromLink;
    show(fromLink);
  }
}

startPage(main);
