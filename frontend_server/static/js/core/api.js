// What the pages ask of the lab itself: JSON from the pages' server or the API, the API's
// URLs, run ids, the wire log (/log), the API's health and the lab's configuration.

const NO_STORE = { cache: 'no-store' };
// How long a page waits for the lab's answers: a hung API is named, not awaited.
export const ANSWER_TIMEOUT_MS = 5000;
const HEALTH_TIMEOUT_MS = 3000;

// GET `url` as JSON. Whatever goes wrong, the error names the URL, and the status if any.
export async function getJson(url, init = NO_STORE, timeout = ANSWER_TIMEOUT_MS) {
  const signal = AbortSignal.timeout(timeout);
  const response = await fetch(url, { ...init, signal }).catch((error) => {
    throw new Error(`${url} ${signal.aborted ? `did not respond within ${timeout / 1000} s` : `could not be reached (${error.message})`}`);
  });
  if (!response.ok) throw new Error(`${url} responded with ${response.status}`);
  return response.json();
}

export function apiUrl(origin, path, params = {}) {
  const url = new URL(path, origin);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

// config.run_tag: marks the lab's own runs (see lab_contract).
let runTag = '';

// A fresh id tags every request of one run, so /log returns exactly that run's traffic.
export function newRunId(prefix = 'run') {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `${prefix.slice(0, 32)}-${runTag}${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// What reached the API in run `run`, one entry per request.
export async function readLog(apiOrigin, run) {
  return (await getJson(apiUrl(apiOrigin, '/log', { run }))).entries;
}

// Whether the API is up and which origins it trusts (/health is readable from any origin).
export async function apiHealth(apiOrigin) {
  try {
    const health = await getJson(apiUrl(apiOrigin, '/health'), NO_STORE, HEALTH_TIMEOUT_MS);
    return { reachable: true, allowedOrigins: health.allowed_origins };
  } catch {
    return { reachable: false, allowedOrigins: [] };
  }
}

// The lab's configuration: every origin by role, the security lab's query and the lab contract
// (config.contract: cookie names, patterns, the /lab parameters), which no module repeats.
export async function loadConfig() {
  const config = await getJson('/config.json');
  runTag = config.run_tag ?? '';
  return config;
}

// The origins that serve the lab's pages, by the contract's roles.
export const pageOrigins = (config) => config.contract.page_origin_roles.map((role) => config[role]);
