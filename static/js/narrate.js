// Turns one run's observations into plain sentences: what the browser sent, what the API
// answered (from /log) and what JavaScript was allowed to see.
import { t } from './i18n.js';

const isPreflight = (entry) => entry.method === 'OPTIONS' && 'access-control-request-method' in entry.request_headers;

export function splitWire(wire) {
  return { preflights: wire.filter(isPreflight), actuals: wire.filter((entry) => !isPreflight(entry)) };
}

function javascriptSentence(result) {
  if (result.outcome === 'resolved') return t(result.type === 'opaque' ? 'narrate.js.opaque' : 'narrate.js.resolved');
  if (result.outcome === 'rejected') return t('narrate.js.rejected', { error: result.error });
  return t(`narrate.js.${result.outcome}`, { error: result.error });
}

export function narrate(results, wire) {
  const { preflights, actuals } = splitWire(wire);
  const sentences = [];
  if (preflights.length) {
    const first = preflights[0];
    const headers = first.request_headers['access-control-request-headers'];
    const allowed = first.response_headers['access-control-allow-origin'];
    sentences.push(
      t(preflights.length === 1 ? 'narrate.preflight.one' : 'narrate.preflight.many', {
        count: preflights.length,
        method: first.request_headers['access-control-request-method'],
        headers: headers ? t('narrate.preflight.headers', { headers }) : '',
        status: first.status,
      }) + (allowed ? t('narrate.preflight.allowed', { origin: allowed }) : t('narrate.preflight.no-allow-origin')),
    );
  } else if (actuals.length) {
    sentences.push(t('narrate.no-preflight'));
  }
  if (actuals.length) {
    const last = actuals[actuals.length - 1];
    const allowOrigin = last.response_headers['access-control-allow-origin'];
    sentences.push(
      (actuals.length === 1
        ? t('narrate.actual.one', { method: last.method, status: last.status })
        : t('narrate.actual.many', { count: actuals.length, methods: actuals.map((a) => a.method).join(', '), status: last.status })) +
        (allowOrigin ? t('narrate.actual.allowed', { origin: allowOrigin }) : t('narrate.actual.no-allow-origin')),
    );
  } else if (preflights.length) {
    sentences.push(t('narrate.never-sent'));
  } else {
    sentences.push(t('narrate.nothing'));
  }
  if (results.length) sentences.push(javascriptSentence(results[results.length - 1]));
  return sentences.join(' ');
}
