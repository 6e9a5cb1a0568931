// Firefox for `make test-engines`: labctl/engines starts this script and talks to it in JSON
// lines. Each line on stdin is one command, each line on stdout its answer, in order:
//   {"op": "open", "url": U}          -> {"ok": true, "value": PAGE}  a fresh context (cookie jar) and page
//   {"op": "eval", "page": P, "script": "async () => ..."} -> {"ok": true, "value": JSON}
//   {"op": "goto", "page": P, "url": U} -> {"ok": true}
//   {"op": "close", "page": P}        -> {"ok": true}
// or {"ok": false, "error": "..."}. The first line it writes, unasked: {"ok": true, "value": {"version": V}}.
// Firefox is driven through WebDriver BiDi by puppeteer-core (never `puppeteer`, which downloads a
// browser); FIREFOX_PATH names the executable (default: Debian's firefox-esr).
import { createInterface } from 'node:readline';
import puppeteer from 'puppeteer-core';

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr',
  headless: true,
  // puppeteer's test profile (third-party cookies allowed: cookieBehavior 0, not a learner's Firefox default);
  // FIREFOX_PREFS adds or overrides preferences.
  extraPrefsFirefox: JSON.parse(process.env.FIREFOX_PREFS || '{}'),
});
const pages = new Map();

// An HTTP authentication prompt (a 401 with WWW-Authenticate: Basic to a request the browser holds
// no credentials for) would wait for a user forever: it is cancelled, as a user would, and the
// page gets the 401. puppeteer cancels every authRequired when its credentials are null, but
// intercepts only while it holds some: enable the interception, then drop the credentials.
async function cancelAuthPrompts(page) {
  await page.authenticate({ username: '', password: '' });
  page._credentials = null;
}
let next = 0;
const write = (answer) => process.stdout.write(`${JSON.stringify(answer)}\n`);

async function handle(command) {
  if (command.op === 'open') {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await cancelAuthPrompts(page);
    await page.goto(command.url, { waitUntil: 'load' });
    next += 1;
    pages.set(next, { context, page });
    return next;
  }
  if (command.op === 'eval') {
    return pages.get(command.page).page.evaluate(`(${command.script})()`);
  }
  if (command.op === 'goto') {
    await pages.get(command.page).page.goto(command.url, { waitUntil: 'load' });
    return null;
  }
  if (command.op === 'close') {
    await pages.get(command.page)?.context.close();
    pages.delete(command.page);
    return null;
  }
  throw new Error(`unknown command ${command.op}`);
}

write({ ok: true, value: { version: await browser.version() } });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  try {
    write({ ok: true, value: (await handle(JSON.parse(line))) ?? null });
  } catch (error) {
    write({ ok: false, error: String(error?.message ?? error) });
  }
}
await browser.close();
