// Talks to the API: the page's config, real XMLHttpRequests, and the API's wire log.

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

// Sends one XMLHttpRequest and resolves with everything JavaScript could observe:
// the events fired, status, body and the response headers it was allowed to read.
export function sendXhr({ method, url, headers = {}, body = null, withCredentials = false, timeout = 10000 }) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const events = [];
    xhr.open(method, url);
    xhr.timeout = timeout;
    xhr.withCredentials = withCredentials;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    for (const type of ['load', 'error', 'timeout', 'abort']) xhr.addEventListener(type, () => events.push(type));
    xhr.addEventListener('loadend', () => {
      events.push('loadend');
      resolve({
        events,
        outcome: events[0],
        status: xhr.status,
        responseText: xhr.responseText,
        responseHeaders: parseHeaders(xhr.getAllResponseHeaders()),
      });
    });
    xhr.send(body);
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

// The source of the XMLHttpRequest that sendXhr() sends for the same arguments, to show the learner.
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
