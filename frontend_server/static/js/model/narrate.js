// Turns one run's observations into plain sentences: what the browser sent, what the API
// answered (from /log) and what JavaScript was allowed to see. `translate` is the pages' t().
import { splitWire } from './wire.js';

function preflightSentence(preflights, translate) {
  const first = preflights[0];
  const headers = first.request_headers['access-control-request-headers'];
  const allowed = first.response_headers['access-control-allow-origin'];
  const sent = translate(preflights.length === 1 ? 'narrate.preflight.one' : 'narrate.preflight.many', {
    count: preflights.length,
    method: first.request_headers['access-control-request-method'],
    headers: headers ? translate('narrate.preflight.headers', { headers }) : '',
    status: first.status,
  });
  return sent + (allowed ? translate('narrate.preflight.allowed', { origin: allowed }) : translate('narrate.preflight.no-allow-origin'));
}

function actualSentence(actuals, translate) {
  const last = actuals.at(-1);
  const allowOrigin = last.response_headers['access-control-allow-origin'];
  const methods = actuals.map((actual) => actual.method).join(', ');
  const sent =
    actuals.length === 1
      ? translate('narrate.actual.one', { method: last.method, status: last.status })
      : translate('narrate.actual.many', { count: actuals.length, methods, status: last.status });
  return sent + (allowOrigin ? translate('narrate.actual.allowed', { origin: allowOrigin }) : translate('narrate.actual.no-allow-origin'));
}

function javascriptSentence(result, translate) {
  if (result.outcome === 'resolved') return translate(result.type === 'opaque' ? 'narrate.js.opaque' : 'narrate.js.resolved');
  if (result.outcome === 'rejected') return translate('narrate.js.rejected', { error: result.error });
  return translate(`narrate.js.${result.outcome}`, { error: result.error });
}

export function narrate(results, wire, translate) {
  const { preflights, actuals } = splitWire(wire);
  const sentences = [];
  if (preflights.length) sentences.push(preflightSentence(preflights, translate));
  else if (actuals.length) sentences.push(translate('narrate.no-preflight'));
  if (actuals.length) sentences.push(actualSentence(actuals, translate));
  else sentences.push(translate(preflights.length ? 'narrate.never-sent' : 'narrate.nothing'));
  if (results.length) sentences.push(javascriptSentence(results.at(-1), translate));
  return sentences.join(' ');
}
