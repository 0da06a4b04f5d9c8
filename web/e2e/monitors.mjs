// The monitors screens in headless Chromium (playwright-core, /usr/bin/chromium). Run by
// MonitorsE2EIT after it created a monitor that has results:
//
//   FLEETGATE_URL=… FLEETGATE_PASSWORD=… E2E_MONITOR=<monitor name> node e2e/monitors.mjs
//
// Signs in through the login form, opens /monitors (the row with its state and 24 h bars),
// the monitor page (agents with the timing split, the response-time chart, the results log)
// and the create form (an API field error shown on its input). Last line: `E2E-RESULT {json}`.
import { openPage, signIn, settings, walk } from './lib.mjs';

const S = settings();
const BASE = S.base;
const MONITOR = process.env.E2E_MONITOR ?? '';
const { browser, page, shot } = await openPage(S.timeout, [], S.shots);
const { step, finish } = walk({ browser, failureShot: () => shot('monitors-failed') });

await step('sign in', () => signIn(page, S, '/monitors', 'Monitors'));

await step('monitors list: state and 24 h bars', async () => {
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: MONITOR, exact: true }) });
  await row.getByText(/^(UP|DOWN|DEGRADED)$/).waitFor();
  await row
    .getByTestId('uptime-bars')
    .locator('.uptime-bar.up, .uptime-bar.partial, .uptime-bar.down')
    .first()
    .waitFor();
  if ((await row.getByTestId('uptime-bars').locator('.uptime-bar').count()) !== 24) throw new Error('not 24 bars');
  await shot('monitors');
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
  await shot('monitor');
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

await finish(true);
