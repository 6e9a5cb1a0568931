// What the pages say about the engine they run in: which it is, where the expectations were
// verified, and which facts are one engine's own (an experiment's `engines`, catalogues/engine-expectations.js).
import { el } from '../core/dom.js';
import { ENGINE, engineLabel } from '../core/engine.js';
import { t } from '../core/i18n.js';
import { VERIFIED } from '../model/verified.js';
import { otherEngines } from '../catalogues/engine-expectations.js';

const known = ENGINE.id in VERIFIED;
const NAMES = { firefox: 'Firefox', webkit: 'WebKit' };

// { engine, verified } for the messages that name them.
export const engineParams = () => ({
  engine: known ? engineLabel() : t('engine.this-browser'),
  verified: VERIFIED[known ? ENGINE.id : 'chromium'],
});

export function engineLine() {
  const others = Object.entries(VERIFIED).filter(([id]) => id !== 'chromium').map(([, version]) => version).join(', ');
  const text = known ? t('engine.line', engineParams()) : t('engine.unknown', { verified: VERIFIED.chromium, others });
  return el('p', { id: 'engine-line', class: 'engine-line', dataset: { engine: ENGINE.id } }, text);
}

// fact -> the tag its expected value gets: this engine's own expectation, or, in Chromium, one
// other engines do not share.
export function engineTags(experiment, ctx) {
  const tags = {};
  for (const fact of experiment.engineFacts?.(ctx) ?? []) tags[fact] = t('engine.only', { engine: engineLabel() });
  if (ENGINE.id !== 'chromium') return tags;
  const elsewhere = {};
  for (const [engine, facts] of otherEngines(experiment, ctx)) {
    for (const fact of Object.keys(facts)) (elsewhere[fact] ??= []).push(NAMES[engine]);
  }
  for (const [fact, engines] of Object.entries(elsewhere)) tags[fact] = t('engine.chromium-only', { others: engines.join(', ') });
  return tags;
}
