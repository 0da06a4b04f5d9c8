// The firewall's challenge page in headless Chromium: a real browser runs its script, gets the cookie and reaches
// the site. Run by agent-bundle/nginx's FirewallChallengeIT with the page's host mapped to 127.0.0.1:
//
//   E2E_URL=http://ch.test:22770/ E2E_EXPECT=<the backend's answer> node e2e/challenge.mjs
//
// Last line: `E2E-RESULT {json}`.
import { chromium } from 'playwright-core';

const url = new URL(process.env.E2E_URL ?? 'http://ch.test:22770/');
const expected = process.env.E2E_EXPECT ?? '';
let result = { ok: false };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    `--host-resolver-rules=MAP ${url.hostname} 127.0.0.1`,
  ],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  const first = await page.goto(url.href);
  const challenged = first?.status();
  // the page's script sets the cookie and reloads: wait for the site's own answer
  let text = '';
  for (const end = Date.now() + 60_000; !text.includes(expected) && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 250));
    text = (await page.textContent('body').catch(() => '')) ?? '';
  }
  if (!text.includes(expected)) throw new Error(`the site did not answer after the challenge: ${text}`);
  const cookies = await page.context().cookies();
  result = {
    ok: challenged === 403 && cookies.some((c) => c.name === 'fleetgate_fw'),
    challenged,
    cookie: cookies.some((c) => c.name === 'fleetgate_fw'),
  };
} catch (e) {
  result = { ok: false, error: String(e?.message ?? e).split('\n')[0] };
} finally {
  await browser.close();
}
console.log(`E2E-RESULT ${JSON.stringify(result)}`);
process.exit(result.ok ? 0 : 1);
