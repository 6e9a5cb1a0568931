// Which engine runs this page: Chromium (Chrome, Edge, Opera, ...), Firefox (Gecko) or WebKit
// (Safari, WebKitGTK), from the user agent, since what the lab expects differs by engine where
// engines differ (catalogues/engine-expectations.js, docs/browser-facts.md). `other` when unsure.
// WebKitGTK's "Version/" is not its own version: only Safari's is shown.

export function detectEngine(userAgent = '') {
  const firefox = userAgent.match(/\bFirefox\/(\d+)/);
  if (firefox && /\bGecko\//.test(userAgent)) return { id: 'firefox', name: 'Firefox', version: firefox[1] };
  const chromium = userAgent.match(/\b(?:HeadlessChrome|Chrome|Chromium)\/(\d+)/);
  if (chromium) return { id: 'chromium', name: 'Chromium', version: chromium[1] };
  if (/\bAppleWebKit\//.test(userAgent)) {
    if (/\bLinux\b/.test(userAgent) && !/\bAndroid\b/.test(userAgent)) return { id: 'webkit', name: 'WebKitGTK', version: '' };
    const safari = userAgent.match(/\bVersion\/(\d+(?:\.\d+)?)/);
    return { id: 'webkit', name: 'Safari', version: safari ? safari[1] : '' };
  }
  return { id: 'other', name: '', version: '' };
}

export const ENGINE = detectEngine(globalThis.navigator?.userAgent ?? '');

// "Firefox 153", "WebKitGTK", or '' for an engine the lab does not know.
export const engineLabel = (engine = ENGINE) => [engine.name, engine.version].filter(Boolean).join(' ');
