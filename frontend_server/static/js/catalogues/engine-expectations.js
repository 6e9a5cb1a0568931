// What each engine does where it differs from the experiments' expectations, which were written
// for Chromium. Written by hand from runs of `make test-engines` (labctl/engines), never generated
// from the run they are checked against; docs/browser-facts.md says the same with its reasons.
//   (Where each expectation was checked: model/fetch-rules.js, VERIFIED.)
//   DIFFERENCES[engine][experiment id](ctx): the facts that engine shows instead, or null where it
//   behaves as the catalogue says. Message engine.<engine>.<experiment id>: why.
import { ENGINE } from '../core/engine.js';

// The experiment ran in a frame on a site other than the page's (the untrusted page runs the
// trusted origin's experiments in a hidden frame on it): loopback names compare by host.
const inCrossSiteFrame = (ctx) => new URL(ctx.pageOrigin).hostname !== new URL(globalThis.location.origin).hostname;

export const DIFFERENCES = {
  firefox: {
    // HTTP credentials are kept per top-level site: a frame under another site holds none, so
    // the request goes without Authorization and the 401 comes back (a user would be asked).
    'held-credentials-need-with-credentials': (ctx) =>
      inCrossSiteFrame(ctx) ? { authorizationOnWire: [false, false], serverStatus: 401 } : null,
    'held-credentials-need-allow-credentials': (ctx) =>
      inCrossSiteFrame(ctx) ? { authorizationSent: false, serverStatus: 401 } : null,
  },
  webkit: {
    // WebKit compares a cookie's SameSite with the top-level site only: from a frame on localhost
    // under a page on 127.0.0.1, a request to 127.0.0.1 carries the Lax cookie.
    'samesite-lax-cross-site': (ctx) => (inCrossSiteFrame(ctx) ? { cookieSent: true } : null),
  },
};

// The experiment as this engine should behave: its expectations with the engine's differences,
// and engineFacts(ctx), the facts whose expectation is this engine's own.
export function withEngine(experiment, engine = ENGINE.id) {
  const differs = DIFFERENCES[engine]?.[experiment.id];
  if (!differs || !experiment.expected) return experiment;
  const base = experiment.expected;
  return {
    ...experiment,
    expected: (ctx) => ({ ...base(ctx), ...(differs(ctx) ?? {}) }),
    engineFacts: (ctx) => Object.keys(differs(ctx) ?? {}),
  };
}
