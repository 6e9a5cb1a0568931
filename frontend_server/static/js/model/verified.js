// Where the expectations were checked (`make test-engines`): the one place a browser version is written.
export const VERIFIED = { chromium: 'Chromium 156', firefox: 'Firefox 153.8 ESR', webkit: 'WebKitGTK 2.50.6' };
