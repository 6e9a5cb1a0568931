// Renders observations: the API's /log entries (what really crossed the wire, one row per
// request) and what JavaScript saw of one request.
import { el } from './dom.js';

function headerList(headers) {
  const names = Object.keys(headers);
  if (names.length === 0) return el('span', { class: 'muted' }, 'none recorded');
  return el(
    'ul',
    { class: 'headers' },
    names.map((name) => {
      const value = headers[name];
      return el('li', {}, el('span', { class: 'header-name' }, `${name}: `), Array.isArray(value) ? value.join(', ') : String(value));
    }),
  );
}

export function wireTable(entries) {
  if (entries.length === 0) {
    return el('p', { class: 'wire-empty' }, 'Nothing reached the API in this run.');
  }
  return el(
    'table',
    { class: 'wire' },
    el('thead', {}, el('tr', {}, ['Request', 'Status', 'Request headers', 'Response headers'].map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      entries.map((entry) =>
        el(
          'tr',
          { dataset: { method: entry.method, status: String(entry.status) } },
          el('td', {}, el('code', { class: entry.method === 'OPTIONS' ? 'method preflight' : 'method' }, entry.method), ' ', el('code', {}, entry.path)),
          el('td', {}, String(entry.status)),
          el('td', {}, headerList(entry.request_headers)),
          el('td', {}, headerList(entry.response_headers)),
        ),
      ),
    ),
  );
}

export function javascriptView(result) {
  const readable = Object.entries(result.responseHeaders).map(([name, value]) => `${name}: ${value}`);
  const rows = [
    ['Transport', result.transport === 'xhr' ? 'XMLHttpRequest' : result.transport === 'fetch' ? 'fetch()' : 'script element (JSONP)'],
    ['Outcome', result.events ? `events: ${result.events.join(', ')}` : result.outcome, 'js-events'],
    ['status', result.status === null ? '(none)' : String(result.status), 'js-status'],
  ];
  if (result.type) rows.push(['response.type', result.type, 'js-type']);
  if (result.error) rows.push(['error', result.error, 'js-error']);
  rows.push(['Readable headers', readable.length ? readable.join('\n') : '(none)', 'js-headers']);
  return el(
    'dl',
    { class: 'observed' },
    rows.map(([term, value, cls]) => [el('dt', {}, term), el('dd', { class: cls }, value)]),
    el('dt', {}, 'Body'),
    el('dd', {}, el('pre', { class: 'js-body' }, result.responseText || '(empty)')),
  );
}
