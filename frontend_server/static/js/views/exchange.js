// Renders observations: the API's /log entries (what really crossed the wire, one row per
// request) and what JavaScript saw of one request. Wire values are shown as text, never markup.
import { el } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { narrate } from '../model/narrate.js';

function headerList(headers) {
  const names = Object.keys(headers);
  if (names.length === 0) return el('span', { class: 'muted' }, t('view.none-recorded'));
  return el(
    'ul',
    { class: 'headers', translate: 'no' },
    names.map((name) => {
      const value = headers[name];
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      return el('li', {}, el('span', { class: 'header-name' }, `${name}: `), text);
    }),
  );
}

const WIRE_COLUMNS = ['view.request', 'view.status', 'view.request-headers', 'view.response-headers'];

// A table that may be wider than a phone: it scrolls inside this box (focusable, so a keyboard
// can scroll it; labelled, so a screen reader names it), never the page. A group, not a region:
// a page holds many, and landmarks must be unique.
export const scrollBox = (table, label) =>
  el('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': label }, table);

export function wireTable(entries) {
  if (entries.length === 0) {
    return el('p', { class: 'wire-empty' }, t('view.nothing-reached'));
  }
  const table = el(
    'table',
    { class: 'wire' },
    el('thead', {}, el('tr', {}, WIRE_COLUMNS.map((key) => el('th', { scope: 'col' }, t(key))))),
    el(
      'tbody',
      {},
      entries.map((entry) =>
        el(
          'tr',
          { dataset: { method: entry.method, status: String(entry.status) } },
          el(
            'td',
            {},
            el('code', { class: entry.method === 'OPTIONS' ? 'method preflight' : 'method' }, entry.method),
            ' ',
            el('code', {}, entry.path),
          ),
          el('td', { translate: 'no' }, String(entry.status)),
          el('td', {}, headerList(entry.request_headers)),
          el('td', {}, headerList(entry.response_headers)),
        ),
      ),
    ),
  );
  return scrollBox(table, t('view.wire-table'));
}

const TRANSPORTS = { xhr: 'XMLHttpRequest', fetch: 'fetch()', jsonp: 'JSONP' };

function javascriptView(result) {
  const readable = Object.entries(result.responseHeaders).map(([name, value]) => `${name}: ${value}`);
  const code = (text, cls) => el('dd', { class: cls }, el('code', {}, text));
  return el(
    'dl',
    { class: 'observed' },
    el('dt', {}, t('view.transport')),
    code(TRANSPORTS[result.transport]),
    el('dt', {}, t('view.outcome')),
    result.events
      ? code(`events: ${result.events.join(', ')}`, 'js-events')
      : el('dd', { class: 'js-events' }, t(`outcome.${result.outcome}`)),
    el('dt', {}, el('code', {}, 'status')),
    code(result.status === null ? '-' : String(result.status), 'js-status'),
    result.type ? [el('dt', {}, el('code', {}, 'response.type')), code(result.type, 'js-type')] : null,
    result.error ? [el('dt', {}, t('view.error')), code(result.error, 'js-error')] : null,
    el('dt', {}, t('view.readable-headers')),
    readable.length ? code(readable.join('\n'), 'js-headers') : el('dd', { class: 'js-headers' }, t('value.none')),
    el('dt', {}, t('view.body')),
    el(
      'dd',
      {},
      result.responseText
        ? el('pre', { class: 'js-body', translate: 'no', tabindex: '0' }, result.responseText)
        : el('span', { class: 'js-body muted' }, t('value.empty')),
    ),
  );
}

// What JavaScript saw, what reached the API (one table, or one per side: [[side, entries], ...],
// side by side), and the story of both, after `lesson`.
export function exchangeView(results, wire, run, lesson = '', sides = null) {
  const sideView = ([side, entries]) =>
    el('div', { class: 'wire-side', dataset: { side } }, el('h5', {}, t(`view.side.${side}`)), wireTable(entries));
  return [
    results.length ? [el('h4', {}, t('common.javascript-saw')), results.map(javascriptView)] : null,
    el('h4', {}, t('common.wire', { run })),
    sides ? el('div', { class: 'wire-sides' }, sides.map(sideView)) : wireTable(wire),
    el('p', { class: 'explanation' }, `${lesson}${narrate(results, wire, t)}`),
  ];
}

export const failedView = (error) =>
  el('p', { class: 'verdict', dataset: { verdict: 'failed' } }, t('exppage.failed', { error: error.message }));
