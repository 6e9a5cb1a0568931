// The API's /log entries of one run, as the browser sent them: preflights and actual requests.

export const isPreflight = (entry) => entry.method === 'OPTIONS' && 'access-control-request-method' in entry.request_headers;

export function splitWire(wire) {
  return { preflights: wire.filter(isPreflight), actuals: wire.filter((entry) => !isPreflight(entry)) };
}

export const firstPreflight = (wire) => splitWire(wire).preflights[0];
export const lastActual = (wire) => splitWire(wire).actuals.at(-1);
export const requestHeader = (entry, name) => entry?.request_headers[name] ?? null;
export const responseHeader = (entry, name) => entry?.response_headers[name] ?? null;
