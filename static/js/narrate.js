// Turns one run's observations into plain sentences: what the browser sent, what the API
// answered (from /log) and what JavaScript was allowed to see.

const isPreflight = (entry) => entry.method === 'OPTIONS' && 'access-control-request-method' in entry.request_headers;

export function splitWire(wire) {
  return { preflights: wire.filter(isPreflight), actuals: wire.filter((entry) => !isPreflight(entry)) };
}

function javascriptSentence(result) {
  switch (result.outcome) {
    case 'load':
      return 'JavaScript got the load event and could read the response.';
    case 'error':
      return 'JavaScript got only the error event and status 0: it cannot see the status the server sent, nor tell a CORS refusal from a network failure.';
    case 'resolved':
      return result.type === 'opaque'
        ? "fetch resolved with an opaque response (type 'opaque', status 0, no headers, empty body): sent, but unreadable."
        : 'fetch resolved and JavaScript could read the response.';
    case 'rejected':
      return `fetch rejected with ${result.error}: as with XHR's error event, the reason is not visible to JavaScript.`;
    case 'callback called':
      return 'The script ran and called this page\u2019s callback with the data.';
    default:
      return `The request ended with: ${result.outcome}.`;
  }
}

export function narrate(results, wire) {
  const { preflights, actuals } = splitWire(wire);
  const sentences = [];
  if (preflights.length) {
    const first = preflights[0];
    const asked = [first.request_headers['access-control-request-method'], first.request_headers['access-control-request-headers']]
      .filter(Boolean)
      .join(' with headers ');
    const allowed = first.response_headers['access-control-allow-origin'];
    sentences.push(
      `The browser sent ${preflights.length === 1 ? 'an OPTIONS preflight' : `${preflights.length} OPTIONS preflights`} asking for ${asked}; ` +
        `the API answered ${first.status} ${allowed ? `allowing ${allowed}` : 'with no Access-Control-Allow-Origin'}.`,
    );
  } else if (actuals.length) {
    sentences.push('No preflight: the browser sent the request straight away.');
  }
  if (actuals.length) {
    const last = actuals[actuals.length - 1];
    const allowOrigin = last.response_headers['access-control-allow-origin'];
    const count = actuals.length === 1 ? `The ${last.method}` : `${actuals.length} requests (${actuals.map((a) => a.method).join(', ')})`;
    sentences.push(
      `${count} reached the API, which answered ${last.status} ` +
        (allowOrigin ? `with Access-Control-Allow-Origin: ${allowOrigin}.` : 'without Access-Control-Allow-Origin.'),
    );
  } else if (preflights.length) {
    sentences.push('The preflight did not allow the request, so the browser never sent it: it is absent from the wire.');
  } else {
    sentences.push('Nothing reached the API.');
  }
  if (results.length) sentences.push(javascriptSentence(results[results.length - 1]));
  return sentences.join(' ');
}
