// The monitors screens in headless Chromium (playwright-core, /usr/bin/chromium). Run by
// MonitorsE2EIT after it created a monitor that has results:
//
//   FLEETGATE_URL=… FLEETGATE_PASSWORD=… E2E_MONITOR=<monitor name> node e2e/monitors.mjs
//
// Signs in through the login form, opens /monitors (the row with its state and 24 h bars),
// the monitor page (agents with the timing split, the response-time chart, the results log)
// and the create form (an API field error shown on its input). Last line: `E2E-RESULT {json}`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './lib.mjs';

const env = process.env;
const BASE = (env.FLEETGATE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const MONITOR = env.E2E_MONITOR ?? '';
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
    await page.screenshot({ path: join(SHOTS, 'monitors-failed.png'), fullPage: true }).catch(() => {});
  }
}

await step('sign in', async () => {
  await page.goto(`${BASE}/monitors`);
  await page.getByLabel('Username').fill(env.FLEETGATE_USER ?? 'admin');
  await page.getByLabel('Password').fill(env.FLEETGATE_PASSWORD ?? '');
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('heading', { name: 'Monitors', level: 1 }).waitFor();
});

await step('monitors list: state and 24 h bars', async () => {
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: MONITOR, exact: true }) });
  await row.getByText(/^(UP|DOWN|DEGRADED)$/).waitFor();
  await row
    .getByTestId('uptime-bars')
    .locator('.uptime-bar.up, .uptime-bar.partial, .uptime-bar.down')
    .first()
    .waitFor();
  if ((await row.getByTestId('uptime-bars').locator('.uptime-bar').count()) !== 24) throw new Error('not 24 bars');
  await page.screenshot({ path: join(SHOTS, 'monitors.png'), fullPage: true });
});

await step('monitor page: timing split, chart, results log', async () => {
  await page.getByRole('link', { name: MONITOR, exact: true }).click();
  await page.getByRole('heading', { name: 'Response time per agent' }).waitFor();
  await page
    .getByText(/dns \d+ · connect \d+ · first byte \d+ · total \d+ ms/)
    .first()
    .waitFor();
  await page.locator('.uplot').first().waitFor();
  const log = page.getByRole('table', { name: 'Results log' });
  await log.getByRole('row').nth(1).waitFor();
  await page.screenshot({ path: join(SHOTS, 'monitor.png'), fullPage: true });
});

await step('create form: the API error lands on its input', async () => {
  await page.goto(`${BASE}/monitors`);
  await page.getByRole('button', { name: 'Add a monitor' }).click();
  await page.getByLabel('Name', { exact: true }).fill(`e2e-bad-${Date.now().toString(36)}`);
  await page.getByLabel('Type', { exact: true }).selectOption('dns');
  await page.getByLabel('Target', { exact: true }).fill('http://not-a-name/');
  await page.getByLabel('Agents that run the checks').selectOption({ index: 0 });
  await page.getByRole('button', { name: 'Add monitor' }).click();
  await page.locator('[data-field-error]').filter({ hasText: 'must be a DNS name' }).waitFor();
});

await browser.close();
console.log(
  `E2E-RESULT ${JSON.stringify({ ok: !failed, checked, ...(failed ? { failed: failed.step, error: failed.error } : {}) })}`,
);
process.exit(failed ? 1 : 0);
