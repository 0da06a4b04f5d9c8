// The web round's browser checks (issue 18), run by WebE2EIT.webRoundInABrowser after or
// before the main walk (e2e/run.mjs) against the same core and agent, with the same
// environment. Checks: the focus after a failed sign-in, the session in a new tab, every service-form error shown at once and each cleared when fixed,
// the save message, access-log lines as columns with the service's name in the merged
// service view, and no sideways scroll at phone width (390 px) on every screen, with
// screenshots (form-errors, logs-columns, phone-*). Last line: `E2E-RESULT {json}`.
import { apiClient, check, hit, openPage, requestsInFlight, settings, shotName, until, walk } from './lib.mjs';

const S = settings();
const { base: BASE, user: USER, password: PASSWORD, agent: AGENT, targetPort: TARGET_PORT, timeout: TIMEOUT } = S;
const PROXY_PORT = process.env.E2E_PROXY_PORT ? Number(process.env.E2E_PROXY_PORT) : null;
const PHONE = 390;
const NAME = `e2e-round-${Date.now().toString(36)}`;
const DOMAIN = `${NAME}.e2e.test`;

const problems = [];
let token = null;
let serviceId = null;

const api = apiClient(BASE, () => token);
const { browser, context, page, shot } = await openPage(TIMEOUT, problems, S.shots);
const { notes, step, finish } = walk({
  browser,
  failureShot: (name) => shot(`failure-round-${shotName(name)}`),
  cleanUp: async () => {
    const leftZones = ((await api('/api/v1/dns/zones').catch(() => ({ json: [] }))).json ?? []).filter((z) =>
      z.zone?.startsWith(NAME),
    );
    for (const z of leftZones)
      await api(`/api/v1/dns/zones/${z.id}?force=true`, { method: 'DELETE' }).catch(() => undefined);
    if (serviceId) await api(`/api/v1/services/${serviceId}`, { method: 'DELETE' }).catch(() => undefined);
  },
});

await step('a failed sign-in focuses the emptied password; the session reaches a new tab', async () => {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong username or password.').waitFor();
  const focused = await page.evaluate(() => [
    document.activeElement?.id ?? '',
    document.activeElement?.type ?? '',
    document.activeElement?.value ?? '',
  ]);
  check(
    focused[1] === 'password' && focused[2] === '',
    `after a failed sign-in the focus is on ${JSON.stringify(focused)}`,
  );
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const tab = await context.newPage();
  await tab.goto(`${BASE}/services`);
  await tab.getByRole('heading', { name: 'Services' }).waitFor();
  check(new URL(tab.url()).pathname === '/services', `the new tab landed on ${tab.url()}`);
  await tab.close();
  const login = await api('/api/v1/auth/login', { method: 'POST', body: { username: USER, password: PASSWORD } });
  check(login.status === 200, `API login ${login.status}`);
  token = login.json.accessToken;
});

await step('service form: every error at once, each cleared when fixed, then a save message', async () => {
  await page.goto(`${BASE}/services/new`);
  await page.getByLabel('Domains').fill(`${DOMAIN}\nnot a domain`);
  await page.getByLabel('Port of target 1', { exact: false }).fill('http');
  await page.getByRole('button', { name: 'Create service' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'not saved' });
  await summary.getByText('3 problems').waitFor();
  const errorOf = async (label) => {
    const input = page.getByLabel(label, { exact: !label.startsWith('Port') });
    const described = (await input.first().getAttribute('aria-describedby')) ?? '';
    const id = described.split(' ').find((x) => x.endsWith('-error'));
    return id ? await page.locator(`#${id}`).textContent() : null;
  };
  check((await errorOf('Name')) === 'is required', 'no error on Name');
  check(/not a domain/.test((await errorOf('Domains')) ?? ''), 'no error on the domain line with spaces');
  check((await errorOf('Port of target 1')) === 'must be a whole number', 'no error on the port');
  await shot('form-errors');
  await page.getByLabel('Name', { exact: true }).fill(NAME);
  await until(
    'the Name error gone, the others kept',
    async () => (await errorOf('Name')) === null && (await errorOf('Domains')) !== null,
  );
  await summary.getByText('2 problems').waitFor();
  await page.getByLabel('Domains').fill(DOMAIN);
  await page.getByLabel('Port of target 1', { exact: false }).fill(String(TARGET_PORT));
  check(await page.getByRole('checkbox', { name: new RegExp(AGENT) }).isChecked(), 'the only host is not pre-selected');
  await page.getByRole('button', { name: 'Create service' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Created ${NAME}: revision 1.` })
    .waitFor();
  serviceId = new URL(page.url()).pathname.split('/').pop();
});

await step('logs: access-log columns with the service name, merged over its hosts', async () => {
  const modules = ((await api('/api/v1/modules')).json ?? []).map((m) => m.name);
  if (!modules.includes('logs') || !PROXY_PORT) {
    notes.push('logs module absent or no proxy port: log columns not checked');
    return;
  }
  await page.locator('main').getByRole('link', { name: 'Logs', exact: true }).click();
  await page.getByRole('heading', { name: `Logs of ${NAME}` }).waitFor();
  const marker = `/round-${Date.now()}`;
  const row = page.locator('.logline.access').filter({ hasText: marker });
  await until('the request in the merged access log', async () => {
    await hit(PROXY_PORT, DOMAIN, marker);
    return (await row.count()) > 0;
  });
  const first = row.first();
  const status = await first.locator('.c-status').textContent();
  const tone = await first.locator('.c-status').getAttribute('class');
  check(/^\d{3}$/.test(status), `status column "${status}"`);
  check(/st-(ok|warn|bad|neutral)/.test(tone), `status not coloured: ${tone}`);
  check((await first.locator('.c-svc').textContent()) === NAME, 'the service column does not show the name');
  check((await first.locator('.c-method').textContent()) === 'GET', 'method column');
  notes.push(
    `access-log row: ${status} GET ${marker} → ${await first.locator('.c-up').textContent()} in ${await first.locator('.c-dur').textContent()}`,
  );
  await shot('logs-columns');
});

await step('chart: the host name in the legend of a page opened directly, values on hover', async () => {
  const modules = ((await api('/api/v1/modules')).json ?? []).map((m) => m.name);
  if (!modules.includes('metrics') || !PROXY_PORT) {
    notes.push('metrics module absent or no proxy port: chart legend not checked');
    return;
  }
  await page.goto(`${BASE}/services/${serviceId}`); // opened directly: the host list arrives with (or after) the data
  const rps = page.locator('figure.chart').filter({ hasText: 'Requests per second' });
  await until(
    'service RPS chart data points',
    async () => {
      await Promise.all(Array.from({ length: 5 }, () => hit(PROXY_PORT, DOMAIN, '/')));
      return Number(await rps.getAttribute('data-points')) > 0;
    },
    Math.max(TIMEOUT, 90_000),
  );
  const legend = rps.locator('.u-legend');
  await until('the host name in the legend', async () => (await legend.textContent()).includes(AGENT));
  const over = rps.locator('.u-over');
  const value = rps.locator('.u-legend .u-series').nth(1).locator('.u-value');
  // the newest buckets may be gaps (null, not joined): sweep the cursor from the right edge leftwards until it
  // rests on a bucket with a value
  // page.mouse works in viewport coordinates: bring the chart into view first (the service page grew sections
  // above it: history, monitors, maintenance)
  await over.scrollIntoViewIfNeeded();
  let sweep = 0;
  await until('a value in the legend on hover', async () => {
    const box = await over.boundingBox();
    const x = box.x + box.width - 3 - (sweep++ % 40) * (box.width / 40);
    await page.mouse.move(x, box.y + box.height / 2);
    return /\d/.test((await value.textContent()) ?? '');
  });
  notes.push(`RPS legend on hover: ${(await legend.textContent()).replace(/\s+/g, ' ').trim()}`);
  await shot('chart-hover');
});

await step('unsaved changes: leaving the form asks first', async () => {
  await page.goto(`${BASE}/services/${serviceId}/edit`);
  await page.getByLabel('Domains').fill(`${DOMAIN}\nwww.${DOMAIN}`);
  let asked = null;
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' }).click();
  await until('the question', async () => asked !== null, 10_000);
  check(/not saved/.test(asked), `asked "${asked}"`);
  check(new URL(page.url()).pathname.endsWith('/edit'), `left the form: ${page.url()}`);
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('link', { name: 'Cancel' }).click();
  await page.getByRole('heading', { name: new RegExp(NAME) }).waitFor();
  check(!new URL(page.url()).pathname.endsWith('/edit'), 'still on the form after accepting');
});

await step('enrolment: waiting for the agent, the open token listed and revoked', async () => {
  const host = `round-host-${Date.now().toString(36)}`;
  await page.goto(`${BASE}/enrol`);
  await page.getByLabel('Host name (optional)').fill(host);
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByTestId('enrol-waiting').getByText('Waiting for the agent…').waitFor();
  const row = page.getByRole('row').filter({ hasText: host });
  await row.waitFor();
  await shot('enrol-open-tokens');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Revoked the token for ${host}` })
    .waitFor();
  await until('the token gone from the list', async () => (await row.count()) === 0);
  const open = (await api('/api/v1/agents/enrollment-tokens')).json ?? [];
  check(!open.some((t) => t.name === host), 'the API still lists the revoked token');
});

await step('dns: add and edit a zone in the UI, then delete it', async () => {
  const modules = ((await api('/api/v1/modules')).json ?? []).map((m) => m.name);
  if (!modules.includes('dns')) {
    notes.push('dns module absent: zone editing not checked');
    return;
  }
  const zone = `${NAME}.zone.test`;
  await page.goto(`${BASE}/dns`);
  await page.getByRole('button', { name: 'Add zone' }).click();
  const form = page.getByRole('form', { name: 'Add a zone' });
  await form.getByLabel('Zone').fill(zone);
  await form.getByLabel('DNS server').fill('bad host');
  await form.getByRole('button', { name: 'Add zone' }).click();
  await until(
    "the core's error on the server input",
    async () => (await form.getByLabel('DNS server').getAttribute('aria-invalid')) === 'true',
  );
  await form.getByLabel('DNS server').fill('127.0.0.1');
  await form.getByLabel('Port').fill('20699'); // nothing listens: the zone reports its error, nothing is changed anywhere
  await form.getByRole('button', { name: 'Add zone' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Added ${zone}.` })
    .waitFor();
  await page.getByRole('button', { name: `Edit ${zone}.` }).click();
  const edit = page.getByRole('form', { name: `Edit zone ${zone}.` });
  await edit.getByLabel('TTL (s)').fill('300');
  await edit.getByRole('button', { name: 'Save zone' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Saved ${zone}.` })
    .waitFor();
  const stored = ((await api('/api/v1/dns/zones')).json ?? []).find((z) => z.zone === `${zone}.`);
  check(stored?.ttl === 300, `zone TTL not saved: ${JSON.stringify(stored)}`);
  await shot('dns-zone');
  const row = page.getByRole('row').filter({ hasText: `${zone}.` });
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  const outcome = page.getByRole('status').filter({ hasText: new RegExp(`Deleted ${zone}|${zone}. was not deleted`) });
  await outcome.waitFor();
  if (/not deleted/.test(await outcome.textContent())) {
    // The server (nothing listens on 20699) cannot be cleaned: the page offers to forget the zone anyway.
    await page.getByRole('button', { name: `Delete ${zone}. anyway` }).click();
    await page.getByRole('button', { name: 'Yes, forget it and its records' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Deleted ${zone}.` })
      .waitFor();
    notes.push('zone delete: 502 from the unreachable server, then deleted anyway');
  }
  check(!((await api('/api/v1/dns/zones')).json ?? []).some((z) => z.zone === `${zone}.`), 'the zone is still stored');
});

await step('pages: the editor previews a template with its own inline CSS (not saved)', async () => {
  await page.goto(`${BASE}/pages`);
  const editor = page.getByRole('textbox', { name: /Template/ });
  await editor.fill('<style>h1 { color: rgb(1, 2, 3) }</style><h1>{{status}} preview</h1>');
  const heading = page.frameLocator('iframe[title="Preview"]').locator('h1');
  await until(
    "the preview with the template's CSS",
    async () => (await heading.evaluate((h) => getComputedStyle(h).color)) === 'rgb(1, 2, 3)',
  );
  check((await heading.textContent()).includes('preview'), 'the rendered template in the preview');
  await shot('pages-preview');
});

await step('maintenance: switched on and off on the service page, served by the agent', async () => {
  check(serviceId, 'a service from the form step');
  const before = PROXY_PORT ? await hit(PROXY_PORT, DOMAIN, '/') : null;
  await page.goto(`${BASE}/services/${serviceId}`);
  await page.getByLabel('Message').fill('Back soon (e2e)');
  await page.getByRole('button', { name: 'Start maintenance' }).click();
  await page.getByText('In maintenance: visitors get the maintenance page (503).').waitFor();
  if (PROXY_PORT) await until('503 from the agent', async () => (await hit(PROXY_PORT, DOMAIN, '/')) === 503);
  await page.getByRole('button', { name: 'End maintenance' }).click();
  await page.getByText('Not in maintenance.').waitFor();
  if (PROXY_PORT) await until(`${before} again`, async () => (await hit(PROXY_PORT, DOMAIN, '/')) === before);
});

await step(`phone width (${PHONE} px): no sideways scroll on any screen, menu folds`, async () => {
  await page.setViewportSize({ width: PHONE, height: 844 });
  const agentId = ((await api('/api/v1/agents')).json ?? []).find((a) => a.name === AGENT)?.id;
  const screens = [
    ['overview', '/'],
    ['hosts', '/hosts'],
    ['host', `/hosts/${agentId}`],
    ['services', '/services'],
    ['service', `/services/${serviceId}`],
    ['service-edit', `/services/${serviceId}/edit`],
    ['logs', `/logs?service=${serviceId}`],
    ['dns', '/dns'],
    ['modules', '/modules'],
    ['users', '/users'],
    ['enrol', '/enrol'],
    ['activity', '/activity'],
    ['account', '/account'],
  ];
  const wide = [];
  const requests = requestsInFlight(page);
  for (const [name, path] of screens) {
    await page.goto(BASE + path);
    await page.locator('main h1').first().waitFor();
    await requests.settled(); // charts and tables fill in
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > PHONE) wide.push(`${name} ${width} px`);
    await shot(`phone-${name}`);
  }
  check(wide.length === 0, `wider than ${PHONE} px: ${wide.join(', ')}`);
  notes.push(`${screens.length} screens at ${PHONE} px, none scrolls sideways`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  check(!(await nav.isVisible()), 'the navigation is not folded at phone width');
  await page.getByRole('button', { name: 'Menu' }).click();
  await nav.getByRole('link', { name: 'Services' }).waitFor();
  await shot('phone-menu');
  await nav.getByRole('link', { name: 'Services' }).click();
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  check(!(await nav.isVisible()), 'the menu stays open after choosing');
  await page.setViewportSize({ width: 1366, height: 860 });
});

await step('no page errors', async () => {
  check(problems.length === 0, problems.join('\n'));
});

await finish(true);
