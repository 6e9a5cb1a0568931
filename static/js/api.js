// Talks to the API: the page's config, real XMLHttpRequests, and the API's wire log.

// The config keys of every origin that serves the lab's pages.
export const PAGE_ORIGIN_KEYS = ['trusted_origin', 'untrusted_origin', 'attacker_origin', 'prefix_lookalike_origin', 'suffix_lookalike_origin'];

export async function loadConfig() {
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return response.json();
}

// A fresh id tags every request of one run, so /log returns exactly that run's traffic.
export function newRunId(prefix = 'run') {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function apiUrl(origin, path, params = {}) {
  const url = new URL(path, origin);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

// What JavaScript gets when the browser gives it nothing but an error.
const unreadable = (transport, outcome, error) => ({
  transport, outcome, readable: false, error: `${error.name}: ${error.message}`, status: null, responseText: '', responseHeaders: {},
});

// One XMLHttpRequest; resolves with all JavaScript could observe: events, status, body, readable headers.
export function sendXhr({ method, url, headers = {}, body = null, withCredentials = false, timeout = 10000 }) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const events = [];
    for (const type of ['load', 'error', 'timeout', 'abort']) xhr.addEventListener(type, () => events.push(type));
    try {
      xhr.open(method, url);
      xhr.timeout = timeout;
      xhr.withCredentials = withCredentials;
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    } catch (error) {
      // Refused before sending (a forbidden method, a header value that is not Latin-1).
      resolve(unreadable('xhr', 'exception', error));
      return;
    }
    xhr.addEventListener('loadend', () => {
      events.push('loadend');
      resolve({
        transport: 'xhr',
        events,
        outcome: events[0],
        readable: events[0] === 'load',
        status: xhr.status,
        responseText: xhr.responseText,
        responseHeaders: parseHeaders(xhr.getAllResponseHeaders()),
      });
    });
    xhr.send(body);
  });
}

// The same request with fetch(): a CORS failure rejects with a TypeError instead of firing `error`,
// and mode 'no-cors' resolves with an opaque response that JavaScript cannot look into.
export async function sendFetch({ method, url, headers = {}, body = null, withCredentials = false, mode = 'cors' }) {
  const init = { method, headers, mode, credentials: withCredentials ? 'include' : 'same-origin' };
  if (body !== null) init.body = body;
  try {
    const response = await fetch(url, init);
    return {
      transport: 'fetch',
      outcome: 'resolved',
      readable: response.type !== 'opaque',
      type: response.type,
      status: response.status,
      responseText: await response.text(),
      responseHeaders: Object.fromEntries(response.headers),
    };
  } catch (error) {
    return unreadable('fetch', 'rejected', error);
  }
}

export function send(request, transport) {
  return (request.transport ?? transport) === 'fetch' ? sendFetch(request) : sendXhr(request);
}

// JSONP: a script element whose answer calls a function of this page. No CORS is involved,
// only GET is possible, and the script runs with this page's full authority.
export function loadJsonp(url, callbackName) {
  return new Promise((resolve) => {
    const registry = (window.labJsonp ??= {});
    let received;
    registry[callbackName] = (data) => {
      received = data;
    };
    const script = document.createElement('script');
    script.src = url;
    const finish = (outcome) => {
      delete registry[callbackName];
      script.remove();
      resolve({
        transport: 'jsonp',
        outcome,
        readable: received !== undefined,
        status: null,
        responseText: received === undefined ? '' : JSON.stringify(received),
        responseHeaders: {},
      });
    };
    script.addEventListener('load', () => finish(received === undefined ? 'not-called' : 'called'));
    script.addEventListener('error', () => finish('script-error'));
    document.head.append(script);
  });
}

function parseHeaders(raw) {
  const headers = {};
  for (const line of raw.trim().split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export async function readLog(apiOrigin, run) {
  const response = await fetch(apiUrl(apiOrigin, '/log', { run }), { cache: 'no-store' });
  if (!response.ok) throw new Error(`/log answered ${response.status}`);
  return (await response.json()).entries;
}

// Whether the API is up and which origins it trusts (/health is readable from any origin).
export async function apiHealth(apiOrigin) {
  try {
    const response = await fetch(apiUrl(apiOrigin, '/health'), { cache: 'no-store' });
    if (!response.ok) return { reachable: false, allowedOrigins: [] };
    const health = await response.json();
    return { reachable: true, allowedOrigins: health.allowed_origins };
  } catch {
    return { reachable: false, allowedOrigins: [] };
  }
}

// What sendFetch() runs, as source.
export function fetchSource({ method, url, headers = {}, body = null, withCredentials = false, mode = 'cors' }) {
  const init = [`method: ${JSON.stringify(method)}`];
  if (mode !== 'cors') init.push(`mode: ${JSON.stringify(mode)}`);
  if (withCredentials) init.push("credentials: 'include'");
  if (Object.keys(headers).length) init.push(`headers: ${JSON.stringify(headers)}`);
  if (body !== null) init.push(`body: ${JSON.stringify(body)}`);
  return [
    `fetch(${JSON.stringify(url)}, { ${init.join(', ')} })`,
    '  .then((response) => console.log(response.type, response.status))',
    "  .catch((error) => console.log(error)); // TypeError: Failed to fetch",
  ].join('\n');
}

// What sendXhr() runs for the same arguments, as source to show.
export function xhrSource({ method, url, headers = {}, body = null, withCredentials = false }) {
  const lines = ['const xhr = new XMLHttpRequest();', `xhr.open(${JSON.stringify(method)}, ${JSON.stringify(url)});`];
  if (withCredentials) lines.push('xhr.withCredentials = true;');
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`xhr.setRequestHeader(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  }
  lines.push(
    'xhr.onload = () => console.log(xhr.status, xhr.responseText);',
    "xhr.onerror = () => console.log('error event, status', xhr.status); // always 0",
    `xhr.send(${body === null ? '' : JSON.stringify(body)});`,
  );
  return lines.join('\n');
}
