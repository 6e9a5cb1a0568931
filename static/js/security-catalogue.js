// The security lab's scenarios, shared by the victim's page (security.js) and the attacker's
// (attack.js). A variant's kind: vulnerable, safe, or partial (stops some attackers only).
import { apiUrl, loadJsonp, sendFetch, sendXhr } from './api.js';

// Where attacks come from. The same-site attacker is another port of localhost: SameSite does
// not stop it. Words: messages attacker.<id>, sec.<id>.title/.explain/.<variant>; a verdict's
// summary is [message key, params].
export const ATTACKERS = {
  'same-site': 'attacker_origin',
  'cross-site': 'untrusted_origin',
  'prefix-lookalike': 'prefix_lookalike_origin',
  'suffix-lookalike': 'suffix_lookalike_origin',
};

const parse = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

// A URL of the API for one run; /security/* also gets the lab key (config.security_query),
// without which those deliberately vulnerable endpoints refuse to act.
export const securityUrl = (ctx, path, params = {}) =>
  apiUrl(ctx.api, path, { ...params, run: ctx.run, ...(path.startsWith('/security/') ? ctx.securityQuery : {}) });

// Attacks run in the attacker's page and resolve with what the attacker got.

async function readSecret(ctx, variant) {
  const result = await sendXhr({ method: 'GET', url: securityUrl(ctx, `/security/secret/${variant.check}`), withCredentials: true });
  const body = result.readable ? parse(result.responseText) : null;
  return { readable: result.readable, partnerData: body?.partner_data ?? null, secret: body?.secret ?? null };
}

// From a sandboxed iframe (no allow-same-origin) every request says Origin: null.
function readSecretFromSandbox(ctx, variant) {
  return new Promise((resolve) => {
    const target = securityUrl(ctx, `/security/secret/${variant.check}`);
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
  const result = await loadJsonp(securityUrl(ctx, variant.path, { callback: `labJsonp.${callback}` }), callback);
  const body = parse(result.responseText);
  return { readable: result.readable, secret: body?.secret ?? null };
}

// Puts code of the attacker's choice in the callback. The API echoes it into a script served as
// JavaScript, so the code runs in whichever page includes that script: here the attacker's own
// page, never the API's origin. It reports where it ran.
async function injectCode(ctx, variant) {
  const callback = `inject_${ctx.run.replace(/-/g, '_')}`;
  const payload = `labJsonp.${callback}({ injectedOrigin: location.origin });void`;
  const result = await loadJsonp(securityUrl(ctx, variant.path, { callback: payload }), callback);
  return { injectedOrigin: parse(result.responseText)?.injectedOrigin ?? null, apiOrigin: ctx.api };
}

// The classic CSRF: a simple, credentialed, fire-and-forget POST. The attacker needs no answer.
async function forgeTransfer(ctx, variant) {
  const result = await sendFetch({
    method: 'POST',
    url: securityUrl(ctx, `/security/transfer/${variant.defence}`),
    headers: { 'Content-Type': 'text/plain' },
    body: 'amount=1000',
    withCredentials: true,
    mode: 'no-cors',
  });
  return { sent: result.outcome === 'resolved' };
}

// The attacker asks first, so the shared cache stores the answer made for the attacker's origin.
async function poisonCache(ctx, variant) {
  const result = await sendXhr({ method: 'GET', url: securityUrl(ctx, `/security/cache/${variant.mode}/data`, { key: ctx.run }) });
  return { readable: result.readable };
}

// The victim's side: what the attack did.

async function victimReadsCache(ctx, variant) {
  const result = await sendXhr({ method: 'GET', url: securityUrl(ctx, `/security/cache/${variant.mode}/data`, { key: ctx.run }) });
  return { victimCanRead: result.readable, cache: result.responseHeaders['x-lab-cache'] ?? null };
}

async function transfersMade(ctx) {
  const response = await fetch(securityUrl(ctx, '/security/transfers'), { cache: 'no-store' });
  return { transfers: (await response.json()).transfers.length };
}

const secretVerdict = (got) =>
  got.secret
    ? { outcome: 'leaked', summary: ['sec.verdict.secret', { secret: got.secret }] }
    : got.readable
      ? { outcome: 'partial', summary: ['sec.verdict.partial', { data: got.partnerData ?? '' }] }
      : { outcome: 'stopped', summary: ['sec.verdict.refused'] };

export const SCENARIOS = [
  {
    id: 'reflect-origin',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', check: 'reflect', code: "CORS(app, supports_credentials=True)  # origins defaults to '*': every Origin is echoed" },
      { id: 'safe', kind: 'safe', check: 'exact', code: 'CORS(app, origins=["http://localhost:8000"], supports_credentials=True)' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: readSecret,
    verdict: secretVerdict,
  },
  {
    id: 'null-origin',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', check: 'null', code: 'allowed = ["http://localhost:8000", "null"]' },
      { id: 'safe', kind: 'safe', check: 'exact', code: 'allowed = ["http://localhost:8000"]' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: readSecretFromSandbox,
    verdict: secretVerdict,
  },
  {
    id: 'origin-checks',
    variants: [
      { id: 'prefix', kind: 'vulnerable', check: 'prefix', code: 're.match(r"http://localhost", origin)' },
      { id: 'suffix', kind: 'vulnerable', check: 'suffix', code: 'origin.endswith("localhost:8000")' },
      { id: 'substring', kind: 'vulnerable', check: 'substring', code: '"localhost:8000" in origin' },
      { id: 'exact', kind: 'safe', check: 'exact', code: 'origin in {"http://localhost:8000"}' },
    ],
    attackers: ['same-site', 'prefix-lookalike', 'suffix-lookalike'],
    attack: readSecret,
    verdict: secretVerdict,
  },
  {
    id: 'jsonp-leak',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', path: '/security/jsonp/leaky', code: 'return f"{callback}({json.dumps(current_user_data())})"' },
      { id: 'safe', kind: 'safe', path: '/jsonp', code: 'return f"/**/{callback}({json.dumps(PUBLIC_DATA)})"' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: jsonpLeak,
    verdict: (got) =>
      got.secret
        ? { outcome: 'leaked', summary: ['sec.verdict.jsonp-secret', { secret: got.secret }] }
        : { outcome: 'stopped', summary: [got.readable ? 'sec.verdict.jsonp-public' : 'sec.verdict.jsonp-failed'] },
  },
  {
    id: 'jsonp-callback',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', path: '/security/jsonp/unvalidated', code: 'return Response(f"{callback}({data})", mimetype="text/javascript")' },
      { id: 'safe', kind: 'safe', path: '/jsonp', code: 'if not CALLBACK.match(callback): abort(400)  # plus text/javascript and nosniff' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: injectCode,
    verdict: (got) =>
      got.injectedOrigin
        ? { outcome: 'leaked', summary: ['sec.verdict.injected', { origin: got.injectedOrigin, api: got.apiOrigin }] }
        : { outcome: 'stopped', summary: ['sec.verdict.not-injected'] },
  },
  {
    id: 'csrf',
    variants: [
      { id: 'none', kind: 'vulnerable', defence: 'none', samesite: 'None', code: '@app.post("/transfer")  # trusts the cookie alone' },
      { id: 'require-json', kind: 'safe', defence: 'require-json', samesite: 'None', code: 'if request.mimetype != "application/json": abort(415)' },
      { id: 'check-origin', kind: 'safe', defence: 'check-origin', samesite: 'None', code: 'if request.headers.get("Origin") not in ALLOWED: abort(403)' },
      { id: 'samesite-lax', kind: 'partial', defence: 'none', samesite: 'Lax', code: 'response.set_cookie("lab_session", token, samesite="Lax")' },
    ],
    attackers: ['same-site', 'cross-site'],
    attack: forgeTransfer,
    victimAfter: transfersMade,
    verdict: (got, after, wire) =>
      after.transfers > 0
        ? { outcome: 'leaked', summary: ['sec.verdict.transfer'] }
        : { outcome: 'stopped', summary: [`sec.verdict.no-transfer.${wire[0]?.status ?? 'never-sent'}`] },
  },
  {
    id: 'cache-vary',
    variants: [
      { id: 'no-vary', kind: 'vulnerable', mode: 'no-vary', code: 'response.headers["Access-Control-Allow-Origin"] = origin  # and no Vary' },
      { id: 'vary', kind: 'safe', mode: 'vary', code: 'response.headers["Vary"] = "Origin"' },
    ],
    attackers: ['cross-site'],
    attack: poisonCache,
    victimAfter: victimReadsCache,
    verdict: (got, after) =>
      after.victimCanRead
        ? { outcome: 'stopped', summary: ['sec.verdict.own-answer', { cache: after.cache }] }
        : { outcome: 'leaked', summary: ['sec.verdict.poisoned'] },
  },
];

export const findScenario = (id) => SCENARIOS.find((scenario) => scenario.id === id);
