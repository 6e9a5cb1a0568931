// Each engine's expectations: an entry's `engines` (written by hand from `make test-engines`,
// never from the run they check; docs/browser-facts.md). Where verified: model/verified.js.
import { ENGINE } from '../core/engine.js';

// The experiment with this engine's differences, and engineFacts(ctx): the facts they change.
export function withEngine(experiment, engine = ENGINE.id) {
  const differs = experiment.engines?.[engine];
  if (!differs || !experiment.expected) return experiment;
  const base = experiment.expected;
  return {
    ...experiment,
    expected: (ctx) => ({ ...base(ctx), ...(differs(ctx) ?? {}) }),
    engineFacts: (ctx) => Object.keys(differs(ctx) ?? {}),
  };
}

// [engine, facts it shows otherwise in ctx] for every other engine.
export const otherEngines = (experiment, ctx, engine = ENGINE.id) =>
  Object.entries(experiment.engines ?? {})
    .filter(([other]) => other !== engine)
    .map(([other, differs]) => [other, differs(ctx) ?? {}]);
