// The firewall screen's settings form in headless Chromium (playwright-core, /usr/bin/chromium). Run by
// FirewallWebE2EIT against a core of its own:
//
//   FLEETGATE_URL=… FLEETGATE_PASSWORD=… node e2e/firewall.mjs
//
// Signs in, opens /firewall, saves a flood threshold below its minimum (the core's error lands on that input),
// then 2400 with an allowlist entry, reloads and sees both kept. Last line: `E2E-RESULT {json}`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './lib.mjs';

const env = process.env;
const BASE = (env.FLEETGATE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = env.E2E_SCREENSHOTS ?? 'target/e2e/screenshots';
const TIMEOUT = Number(env.E2E_TIMEOUT_MS ?? 60_000);
mkdirSync(SHOTS, { recursive: true });
const checked = [];
let failed = null;

const browser = await launchChromium();
const page = await (await browser.newContext({ viewport: { width: 1366, height: 860 } })).newPage();
page.setDefaultTimeout(TIMEOUT);

async function step(name, fn) {
  if (failed) return;
  try {
    await fn();
    checked.push(name);
    console.log(`ok   ${name}`);
  } catch (e) {
    failed = { step: name, error: String(e?.message ?? e).split('\n')[0] };
    console.log(`FAIL ${name}: ${failed.error}`);
    await page.screenshot({ path: join(SHOTS, 'firewall-failed.png'), fullPage: true }).catch(() => {});
  }
}

await step('sign in', async () => {
  await page.goto(`${BASE}/firewall`);
  await page.getByLabel('Username').fill(env.FLEETGATE_USER ?? 'admin');
  await page.getByLabel('Password').fill(env.FLEETGATE_PASSWORD ?? '');
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('heading', { name: 'Firewall', level: 1 }).waitFor();
});

const threshold = () => page.getByLabel('flood threshold', { exact: true });

await step('a threshold below its minimum: the error on its input', async () => {
  await threshold().fill('5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('[data-field-error]').filter({ hasText: 'must be a number between 10 and' }).waitFor();
  if ((await threshold().getAttribute('aria-invalid')) !== 'true') throw new Error('threshold not marked invalid');
  await page.screenshot({ path: join(SHOTS, 'firewall-settings-error.png'), fullPage: true });
});

await step('a threshold and an allowlist entry saved', async () => {
  await threshold().fill('2400');
  await page.getByLabel('Never blocked').fill('2001:DB8:0:0:0:0:0:0/32');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Thresholds, allowlist and rules saved.').waitFor();
});

await step('kept after a reload (canonical IPv6)', async () => {
  await page.reload();
  await page.getByRole('heading', { name: 'Firewall', level: 1 }).waitFor();
  await threshold().waitFor();
  const value = await threshold().inputValue();
  if (value !== '2400') throw new Error(`threshold after reload: ${value}`);
  const allow = await page.getByLabel('Never blocked').inputValue();
  if (allow !== '2001:db8::/32') throw new Error(`allowlist after reload: ${allow}`);
  await page.screenshot({ path: join(SHOTS, 'firewall-settings.png'), fullPage: true });
});

await browser.close();
console.log(
  `E2E-RESULT ${JSON.stringify({ ok: !failed, checked, ...(failed ? { failed: failed.step, error: failed.error } : {}) })}`,
);
process.exit(failed ? 1 : 0);
