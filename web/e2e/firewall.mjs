// The firewall screen's settings form in headless Chromium (playwright-core, /usr/bin/chromium). Run by
// FirewallWebE2EIT against a core of its own:
//
//   FLEETGATE_URL=… FLEETGATE_PASSWORD=… node e2e/firewall.mjs
//
// Signs in, opens /firewall, saves a flood threshold below its minimum (the core's error lands on that input),
// then 2400 with an allowlist entry, reloads and sees both kept. Last line: `E2E-RESULT {json}`.
import { openPage, signIn, settings, walk } from './lib.mjs';

const S = settings();
const { browser, page, shot } = await openPage(S.timeout, [], S.shots);
const { step, finish } = walk({ browser, failureShot: () => shot('firewall-failed') });

await step('sign in', () => signIn(page, S, '/firewall', 'Firewall'));

const threshold = () => page.getByLabel('flood threshold', { exact: true });

await step('a threshold below its minimum: the error on its input', async () => {
  await threshold().fill('5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('[data-field-error]').filter({ hasText: 'must be a number between 10 and' }).waitFor();
  if ((await threshold().getAttribute('aria-invalid')) !== 'true') throw new Error('threshold not marked invalid');
  await shot('firewall-settings-error');
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
  await shot('firewall-settings');
});

await finish(true);
