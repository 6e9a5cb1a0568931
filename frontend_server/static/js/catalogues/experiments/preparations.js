// What entries do besides their requests (prepare, after) and read (observe). Each preparation's
// .code(ctx, say) is what the card's code panel shows for it (words: messages code.<key>).
import { apiUrl, getJson, readLog } from '../../core/api.js';
import { el, nextMessage } from '../../core/dom.js';
import { isPreflight, splitWire } from '../../model/wire.js';
import { PAGE_COOKIE } from './helpers.js';

// The visible cookie's value names the API host that set it (api_server/credentials.py).
export const setBy = (origin) => `set-by-${new URL(origin).host.replace(/[^A-Za-z0-9.]/g, '-')}`;
export const hasCookie = (documentCookie, name) => documentCookie.split('; ').some((cookie) => cookie.startsWith(`${name}=`));

export const readCookies = async () => ({ documentCookie: document.cookie });
readCookies.code = (ctx, say) => [`console.log(document.cookie); // ${say('read-cookies')}`];

// A clean jar for what the page reads: the API's readable cookie that another experiment left on
// this host (cookies ignore ports) is removed first, so what the page shows is this run's alone.
export const forgetReadableCookies = (ctx) => {
  document.cookie = `${ctx.cookies.visible}=; Path=/; Max-Age=0`;
};
forgetReadableCookies.code = (ctx, say) => [
  `// ${say('forget-cookies')}`,
  `document.cookie = ${JSON.stringify(`${ctx.cookies.visible}=; Path=/; Max-Age=0`)};`,
];

// The page's own cookie, on the page's host (Lax: it goes to the same site).
const PAGE_COOKIE_LINE = `${PAGE_COOKIE}=set-by-the-page; Path=/; Max-Age=600; SameSite=Lax`;
export const setPageCookie = () => {
  document.cookie = PAGE_COOKIE_LINE;
};
setPageCookie.code = (ctx, say) => [
  `// ${say('page-cookie')}`,
  `document.cookie = ${JSON.stringify(PAGE_COOKIE_LINE)};`,
];

export const readEffects = Object.assign(
  async (ctx) => {
    const answer = await getJson(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }));
    return { effects: answer.effects.map((effect) => effect.body) };
  },
  {
    code: (ctx, say) => [
      `fetch(${JSON.stringify(apiUrl(ctx.api, '/no-cors/effects', { run: ctx.run }))})`,
      `  // ${say('effects')}`,
      '  .then((response) => response.json()).then((answer) => console.log(answer.effects));',
    ],
  },
);

// The browser holds the API's Basic credentials as after a user's visit: a window opens
// http://user:password@API/auth/basic and closes once the wire log shows it authenticated.
const visitUrl = (ctx) => {
  const url = new URL(apiUrl(ctx.api, '/auth/basic', { run: `${ctx.run}-visit` }));
  return Object.assign(url, { username: ctx.basicAuth.user, password: ctx.basicAuth.password });
};
export async function holdBasicCredentials(ctx) {
  const visit = window.open(visitUrl(ctx).href, '_blank', 'popup,width=320,height=200');
  for (let attempt = 0; visit && attempt < 50; attempt += 1) {
    if ((await readLog(ctx.api, `${ctx.run}-visit`)).some((entry) => entry.status === 200)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  visit?.close();
}
holdBasicCredentials.code = (ctx, say) => [
  `// ${say('hold-credentials')}`,
  `// ${say('hold-credentials-how')}`,
  `const visit = window.open(${JSON.stringify(visitUrl(ctx).href)}, '_blank', 'popup');`,
  `visit.close(); // ${say('hold-credentials-close')}`,
];

// The API's /baseline, in a hidden frame, sends the same requests to its own origin (pages/baseline.js).
const baselineUrl = (ctx) => `${ctx.api}/baseline?parent=${encodeURIComponent(window.location.origin)}`;
export async function runBaseline(ctx) {
  const frame = el('iframe', { src: baselineUrl(ctx), title: 'baseline', hidden: true });
  const from = (type) => (event) => event.source === frame.contentWindow && event.data?.type === type;
  const silent = new Error(`${ctx.api}/baseline did not respond`);
  const ready = nextMessage(ctx.api, from('baseline-ready'), 10000, silent);
  document.body.append(frame);
  try {
    await ready;
    const done = nextMessage(ctx.api, from('baseline-done'), 10000, silent);
    frame.contentWindow.postMessage({ type: 'run', run: ctx.run }, ctx.api);
    await done;
  } finally {
    frame.remove();
  }
}
runBaseline.code = (ctx, say) => [
  `// ${say('baseline')}`,
  `const frame = Object.assign(document.createElement('iframe'), { hidden: true, src: ${JSON.stringify(baselineUrl(ctx))} });`,
  'document.body.append(frame);',
  `// ${say('baseline-ready')}`,
  `frame.contentWindow.postMessage({ type: 'run', run: ${JSON.stringify(ctx.run)} }, ${JSON.stringify(ctx.api)});`,
];

// One side of the baseline's wire: its actual requests' Origin headers, its preflights.
export const onSide = (wire, sameOrigin) =>
  wire.filter((entry) => (entry.request_headers['sec-fetch-site'] === 'same-origin') === sameOrigin);
export function side(wire, sameOrigin) {
  const entries = onSide(wire, sameOrigin);
  return {
    origins: entries.filter((entry) => !isPreflight(entry)).map((entry) => entry.request_headers.origin ?? null),
    preflights: entries.filter(isPreflight).length,
  };
}
export const authorizationOnWire = (wire) => splitWire(wire).actuals.map((entry) => 'authorization' in entry.request_headers);
