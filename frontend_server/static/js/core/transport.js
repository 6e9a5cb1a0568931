// The lessons' requests, as a page sends them: XMLHttpRequest, fetch() and JSONP. Each
// resolves, never rejects, with all JavaScript could observe of the answer.
//
//   { transport, outcome, readable, status, responseText, responseHeaders, events?, type?, error? }
//
// `readable` is what the browser let JavaScript have: the outcome that hands over an answer
// (READ_OUTCOME below), and for fetch() a response that is not opaque. Pages turn it into a
// verdict with model/verdict.js. Unanswered, XHR times out, fetch() rejects (ANSWER_TIMEOUT_MS).
import { ANSWER_TIMEOUT_MS } from './api.js';

const READ_OUTCOME = { xhr: 'load', fetch: 'resolved', jsonp: 'called' };

function observation(transport, outcome, seen) {
  const readable = outcome === READ_OUTCOME[transport] && seen.type !== 'opaque';
  return { transport, outcome, readable, status: null, responseText: '', responseHeaders: {}, ...seen };
}

// What JavaScript gets when the browser gives it nothing but an error.
const failure = (transport, outcome, error) => observation(transport, outcome, { error: `${error.name}: ${error.message}` });

function parseHeaders(raw) {
  const headers = {};
  for (const line of raw.trim().split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

// One XMLHttpRequest: its events, status, body and the response headers it may read.
export function sendXhr({ method, url, headers = {}, body = null, withCredentials = false, timeout = ANSWER_TIMEOUT_MS }) {
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
      resolve(failure('xhr', 'exception', error));
      return;
    }
    xhr.addEventListener('loadend', () => {
      events.push('loadend');
      resolve(
        observation('xhr', events[0], {
          events,
          status: xhr.status,
          responseText: xhr.responseText,
          responseHeaders: parseHeaders(xhr.getAllResponseHeaders()),
        }),
      );
    });
    xhr.send(body);
  });
}

// The same request with fetch(): a CORS failure rejects with a TypeError instead of firing `error`,
// and mode 'no-cors' resolves with an opaque response that JavaScript cannot look into.
export async function sendFetch({ method, url, headers = {}, body = null, withCredentials = false, mode = 'cors' }) {
  const init = { method, headers, mode, credentials: withCredentials ? 'include' : 'same-origin' };
  init.signal = AbortSignal.timeout(ANSWER_TIMEOUT_MS);
  if (body !== null) init.body = body;
  try {
    const response = await fetch(url, init);
    return observation('fetch', 'resolved', {
      type: response.type,
      status: response.status,
      responseText: await response.text(),
      responseHeaders: Object.fromEntries(response.headers),
    });
  } catch (error) {
    return failure('fetch', 'rejected', error);
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
      resolve(observation('jsonp', outcome, { responseText: received === undefined ? '' : JSON.stringify(received) }));
    };
    script.addEventListener('load', () => finish(received === undefined ? 'not-called' : 'called'));
    script.addEventListener('error', () => finish('script-error'));
    document.head.append(script);
  });
}
