// The API's /log entries of one run, as the browser sent them: preflights and actual requests.

export const isPreflight = (entry) => entry.method === 'OPTIONS' && 'access-control-request-method' in entry.request_headers;

export function splitWire(wire) {
  return { preflights: wire.filter(isPreflight), actuals: wire.filter((entry) => !isPreflight(entry)) };
}

export const firstPreflight = (wire) => splitWire(wire).preflights[0];
export const lastActual = (wire) => splitWire(wire).actuals.at(-1);
export const requestHeader = (entry, name) => entry?.request_headers[name] ?? null;
export const responseHeader = (entry, name) => entry?.response_headers[name] ?? null;

// What the server should see when one request is sent `times` times in a row to one URL, from a
// prediction's wire (cors-model.js): a passed preflight with a cache time goes once, the rest every time.
export function expectedOnRepeat(prediction, times) {
  const once = (entry) => entry.method === 'OPTIONS' && entry.cacheSeconds > 0;
  const count = (entries) => entries.reduce((sum, entry) => sum + (once(entry) ? 1 : times), 0);
  const preflights = prediction.wire.filter((entry) => entry.method === 'OPTIONS');
  return { preflights: count(preflights), actuals: count(prediction.wire.filter((entry) => entry.method !== 'OPTIONS')) };
}
