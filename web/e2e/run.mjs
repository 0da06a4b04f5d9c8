// End-to-end walk through the web admin in headless Chromium (playwright-core, the
// machine's /usr/bin/chromium; never a downloaded browser). Run by WebE2EIT, or by hand:
//
//   FLEETGATE_URL=http://127.0.0.1:20300 FLEETGATE_PASSWORD=... FLEETGATE_AGENT=e2e-agent node e2e/run.mjs
//
// Environment: FLEETGATE_URL, FLEETGATE_USER (admin), FLEETGATE_PASSWORD, FLEETGATE_AGENT (name
// of an enrolled agent expected ONLINE), E2E_TARGET_PORT (an upstream listening on 127.0.0.1),
// E2E_PROXY_PORT (the agent's nginx HTTP port, for traffic that must show in the access log),
// E2E_SCREENSHOTS (directory), CHROMIUM (/usr/bin/chromium), E2E_TIMEOUT_MS (60000).
//
// What depends on a module checks the module: with `logs` / `metrics` in /api/v1/modules the
// log lines and chart points must appear; without, the screen must say "Module not
// installed". APPLIED is required once the agent has a proxy applier (its `proxy` section is
// not "waiting: no applier"). The last line printed is `E2E-RESULT {json}`.
import net from 'node:net';
import { check, hit, openPage, settings, shotName, until, walk } from './lib.mjs';

const S = settings();
const { base: BASE, user: USER, password: PASSWORD, agent: AGENT, targetPort: TARGET_PORT, timeout: TIMEOUT } = S;
const PROXY_PORT = process.env.E2E_PROXY_PORT ? Number(process.env.E2E_PROXY_PORT) : null;
const SERVICE = `e2e-web-${Date.now().toString(36)}`;
const DOMAIN = `${SERVICE}.e2e.test`;

const consoleErrors = [];

// ---- a small API client, for probing what is installed and for setup --------------------
let token = null;
async function api(path, { method = 'GET', body, auth = token } = {}) {
  const r = await fetch(BASE + path, {
    method,
    headers: {
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(auth ? { Authorization: `Bearer ${auth}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: r.status, json };
}

/** One GET through the agent's nginx with a Host header (fetch() drops Host; node:http keeps it). */

// ---- the walk ---------------------------------------------------------------------------
const { browser, context, page, shot } = await openPage(TIMEOUT, consoleErrors, S.shots);
page.on('console', (m) => {
  // A 404 of a module that is not installed is an expected resource error, not an app error.
  if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
});

const { notes, step, finish } = walk({ browser, failureShot: (name) => shot(`failure-${shotName(name)}`) });

let agentId = null;
let modules = [];
let serviceId = null;
let applied = false;

/** A loopback port nothing listens on (taken from the OS, then released). */
function deadPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

await step('signed-out visit goes to login, then back to the intended route', async () => {
  await page.goto(`${BASE}/services`);
  await page.getByRole('heading', { name: 'Sign in to Fleetgate' }).waitFor();
  await shot('login');
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong username or password.').waitFor();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  check(new URL(page.url()).pathname === '/services', `landed on ${page.url()}`);
  const login = await api('/api/v1/auth/login', {
    method: 'POST',
    body: { username: USER, password: PASSWORD },
    auth: null,
  });
  check(login.status === 200, `API login ${login.status}`);
  token = login.json.accessToken;
  modules = ((await api('/api/v1/modules')).json ?? []).map((m) => m.name);
  notes.push(`core modules: ${modules.join(', ') || 'none'}`);
});

await step('overview shows the local agent ONLINE', async () => {
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByTestId('overview-ready').waitFor();
  const row = page.getByRole('region', { name: /Hosts/ }).getByRole('row').filter({ hasText: AGENT });
  await row.getByText('ONLINE', { exact: true }).waitFor();
  agentId = (await api('/api/v1/agents')).json.find((a) => a.name === AGENT)?.id;
  check(agentId, `agent ${AGENT} not listed by the API`);
  await shot('overview');
});

await step('hosts list and host page with charts', async () => {
  await page.getByRole('link', { name: 'Hosts', exact: true }).click();
  const row = page.getByRole('row').filter({ hasText: AGENT });
  await row.getByText('ONLINE', { exact: true }).waitFor();
  await shot('hosts');
  await row.getByRole('link', { name: AGENT }).click();
  await page.getByRole('heading', { name: new RegExp(AGENT) }).waitFor();
  const cpu = page.locator('figure.chart').filter({ hasText: 'CPU %' });
  if (modules.includes('metrics')) {
    // The agent sends host metrics every few seconds; the chart refetches every 10 s.
    await until(
      'CPU chart data points',
      async () => Number(await cpu.getAttribute('data-points')) > 0,
      Math.max(TIMEOUT, 90_000),
    );
    notes.push(`host CPU chart: ${await cpu.getAttribute('data-points')} points`);
  } else {
    await cpu.getByTestId('not-installed').waitFor();
    notes.push('metrics module absent: charts say "Module not installed"');
  }
  await shot('host');
});

await step('create a service: field error from the API, then corrected', async () => {
  await page.getByRole('link', { name: 'Services', exact: true }).click();
  await page.getByRole('link', { name: 'New service' }).click();
  await page.getByLabel('Name', { exact: true }).fill(SERVICE);
  await page.getByLabel('Domains').fill('bad_domain!.e2e.test');
  await page.getByRole('checkbox', { name: new RegExp(AGENT) }).check();
  await page.getByLabel('Port of target 1', { exact: false }).fill(String(TARGET_PORT));
  await page.getByRole('button', { name: 'Create service' }).click();
  const domains = page.getByLabel('Domains');
  await until('domains marked invalid', async () => (await domains.getAttribute('aria-invalid')) === 'true');
  const errorId = (await domains.getAttribute('aria-describedby')).split(' ').find((id) => id.endsWith('-error'));
  const message = await page.locator(`#${errorId}`).textContent();
  check(message && message.length > 3, 'no error text next to Domains');
  notes.push(`domain error shown: "${message}"`);
  await shot('service-invalid');
  await domains.fill(DOMAIN);
  await page.getByRole('button', { name: 'Create service' }).click();
  await page.getByRole('heading', { name: new RegExp(SERVICE) }).waitFor();
  serviceId = new URL(page.url()).pathname.split('/').pop();
  check((await api(`/api/v1/services/${serviceId}`)).json?.domains?.[0] === DOMAIN, 'service not stored');
});

await step('service reaches APPLIED on the agent', async () => {
  const row = page.getByTestId(`rollout-${agentId}`);
  await row.waitFor();
  // Either the agent applies it, or it has no proxy applier at all (no nginx driver deployed).
  const outcome = await until('APPLIED, or an agent without a proxy applier', async () => {
    if (await row.getByText('APPLIED', { exact: true }).count()) return 'applied';
    const state = (await api(`/api/v1/agents/${agentId}/state`)).json?.sections?.proxy;
    return /no applier/i.test(state?.error ?? '') ? state.error : null;
  });
  if (outcome === 'applied') {
    applied = true;
    notes.push('service APPLIED on the agent');
  } else {
    await row.getByText(/no applier/).waitFor(); // the agent's error is shown next to the state
    notes.push(`APPLIED not reachable: the agent has no proxy applier ("${outcome}"), shown on the service page`);
  }
  await shot('service');
});

await step('health: HEALTHY for a served service, DOWN when its only target is down', async () => {
  if (!applied) {
    notes.push('health badges not checked: the agent has no proxy applier (health stays UNKNOWN)');
    return;
  }
  const port = await deadPort();
  const made = await api('/api/v1/services', {
    method: 'POST',
    body: {
      name: `${SERVICE}-down`,
      domains: [`down-${DOMAIN}`],
      agentIds: [agentId],
      upstream: {
        targets: [{ host: '127.0.0.1', port }],
        healthCheck: { path: '/', intervalSeconds: 1, timeoutSeconds: 1, fall: 1, rise: 1 },
      },
    },
  });
  check(made.status === 201, `create the broken service: ${made.status} ${JSON.stringify(made.json)}`);
  const downId = made.json.id;
  await page.goto(`${BASE}/services`);
  const good = page.getByRole('row').filter({ has: page.getByRole('link', { name: SERVICE, exact: true }) });
  await good.getByText('HEALTHY', { exact: true }).waitFor();
  const bad = page.getByRole('row').filter({ has: page.getByRole('link', { name: `${SERVICE}-down`, exact: true }) });
  await bad.getByText('DOWN', { exact: true }).waitFor();
  check((await bad.getByText('APPLIED', { exact: true }).count()) === 0, 'the broken service still shows APPLIED');
  check((await api(`/api/v1/services/${downId}/status`)).json?.health === 'DOWN', 'status health is not DOWN');
  check(
    (await api('/api/v1/services')).json.find((x) => x.id === downId)?.health === 'DOWN',
    'list health is not DOWN',
  );
  await shot('services-health');
  await page.goto(`${BASE}/services/${downId}`);
  await page.getByRole('heading', { level: 1 }).getByText('DOWN', { exact: true }).waitFor();
  check((await page.title()) === `Service ${SERVICE}-down · Fleetgate`, `title: ${await page.title()}`);
  await shot('service-down');
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  notes.push(`a service whose only target (127.0.0.1:${port}) is down shows DOWN`);
});

await step('not-found pages for an unknown service and host', async () => {
  await page.goto(`${BASE}/services/00000000-0000-4000-8000-00000000dead`);
  await page.getByRole('heading', { name: 'Service not found' }).waitFor();
  check((await page.getByTestId('not-installed').count()) === 0, 'says module not installed');
  check((await page.locator('figure.chart').count()) === 0, 'draws charts');
  await shot('service-not-found');
  await page.goto(`${BASE}/hosts/00000000-0000-4000-8000-00000000beef`);
  await page.getByRole('heading', { name: 'Host not found' }).waitFor();
  check((await page.locator('figure.chart').count()) === 0, 'draws charts for an unknown host');
  await page.getByRole('link', { name: 'All hosts' }).click();
  await page.getByRole('heading', { name: 'Hosts' }).waitFor();
});

await step('logs: new lines arrive while watching', async () => {
  await page.goto(`${BASE}/logs?agent=${agentId}&source=${encodeURIComponent('nginx:access')}`);
  await page.getByRole('heading', { name: 'Logs' }).waitFor();
  if (!modules.includes('logs')) {
    await page.getByTestId('not-installed').waitFor();
    notes.push('logs module absent: the logs screen says "Module not installed"');
    await shot('logs');
    return;
  }
  const status = page.getByTestId('log-status');
  await status.waitFor();
  const count = async () => Number(/(\d+) lines? shown/.exec((await status.textContent()) ?? '')?.[1] ?? -1);
  await until(
    'the first answer of the log',
    async () => (await count()) >= 0 && !(await page.getByRole('alert').count()),
    TIMEOUT,
  );
  const before = await count();
  check(PROXY_PORT, 'E2E_PROXY_PORT is needed to make traffic for the access log');
  const marker = `/e2e-${Date.now()}`;
  await until('new access-log lines on screen', async () => {
    for (let i = 0; i < 3; i++) {
      await hit(PROXY_PORT, DOMAIN, marker);
    }
    return (await count()) > before && (await page.getByText(marker).count()) > 0;
  });
  notes.push(
    `access log grew from ${before} to ${await count()} lines on screen; through nginx the service answered ${await hit(PROXY_PORT, DOMAIN, '/')}`,
  );
  await page.getByRole('button', { name: 'Pause' }).click();
  await status.getByText(/^Paused/).waitFor();
  await shot('logs');
  await page.getByRole('button', { name: 'Resume' }).click();
});

await step('service traffic chart', async () => {
  await page.goto(`${BASE}/services/${serviceId}`);
  const rps = page.locator('figure.chart').filter({ hasText: 'Requests per second' });
  await rps.waitFor();
  if (!modules.includes('metrics') || !PROXY_PORT) {
    notes.push('service traffic chart not checked (metrics module or proxy port absent)');
    return;
  }
  // Traffic through the agent's nginx becomes service_requests_per_second at the next interval.
  await until(
    'service RPS chart data points',
    async () => {
      await Promise.all(Array.from({ length: 5 }, () => hit(PROXY_PORT, DOMAIN, '/')));
      return Number(await rps.getAttribute('data-points')) > 0;
    },
    Math.max(TIMEOUT, 90_000),
  );
  notes.push(`service RPS chart: ${await rps.getAttribute('data-points')} points`);
  await shot('service-traffic');
});

await step('dns zones and records', async () => {
  await page.getByRole('link', { name: 'DNS', exact: true }).click();
  await page.getByRole('heading', { name: 'DNS', exact: true }).waitFor();
  if (modules.includes('dns')) {
    await page.getByRole('heading', { name: 'Zones' }).waitFor();
  } else {
    await page.getByTestId('not-installed').waitFor();
    notes.push('dns module absent: the DNS screen says "Module not installed"');
  }
  await shot('dns');
});

await step('modules and agent bundles', async () => {
  await page.getByRole('link', { name: 'Modules' }).click();
  await page.getByRole('heading', { name: 'Core modules' }).waitFor();
  for (const m of modules) await page.getByRole('cell', { name: m, exact: true }).first().waitFor();
  await shot('modules');
});

await step('enrol a host shows the exact command', async () => {
  await page.getByRole('link', { name: 'Enrol a host' }).click();
  await page.getByLabel('Host name (optional)').fill('web-e2e-9');
  await page.getByRole('button', { name: 'Create token' }).click();
  const command = (await page.getByTestId('enrol-command').textContent()) ?? '';
  // the core suggests its HTTPS address and the certificate the agent pins
  check(
    /^fleetgate-agent --core https:\/\/\S+ --token \S+ --core-fingerprint sha256:[0-9a-f]{64} --name web-e2e-9$/.test(
      command,
    ),
    `command: ${command}`,
  );
  const fingerprint = (await page.getByTestId('core-fingerprint').textContent()) ?? '';
  check(command.includes(`--core-fingerprint ${fingerprint}`), `fingerprint shown: ${fingerprint}`);
  // the one-line install: pinned to the core's key, the token in the script's URL
  const install = (await page.getByTestId('install-command').textContent()) ?? '';
  check(
    /^curl -fsSk --pinnedpubkey 'sha256\/\/[A-Za-z0-9+/]{43}=' 'https:\/\/\S+\/api\/v1\/agents\/install\.sh\?token=[A-Za-z0-9_-]+' \| sudo sh$/.test(
      install,
    ),
    `install command: ${install}`,
  );
  await shot('enrol');
});

await step('dark theme and laptop width', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  check((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'theme not dark');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  check(!overflow, 'the overview scrolls sideways at 1280 px');
  await page.getByTestId('overview-ready').waitFor();
  await shot('overview-dark');
  await page.getByRole('button', { name: /Switch to light theme/ }).click();
});

await step('alerts: a channel and a rule through the forms, field errors, send test', async () => {
  await page.getByRole('link', { name: 'Incidents', exact: true }).click();
  await page.getByRole('link', { name: 'Rules and channels' }).click();
  await page.getByRole('button', { name: 'New channel' }).click();
  const channel = page.getByRole('form', { name: 'New channel' });
  const hook = `${SERVICE} hook`;
  await channel.getByLabel('Name', { exact: true }).fill(hook);
  await channel.getByLabel('Type').selectOption('webhook');
  const url = channel.getByLabel('URL', { exact: true });
  await url.fill('ftp://nowhere.e2e.test/');
  await channel.getByRole('button', { name: 'Create channel' }).click();
  await until('URL marked invalid', async () => (await url.getAttribute('aria-invalid')) === 'true');
  notes.push(`webhook URL error shown: "${await channel.locator('[data-field-error]').first().textContent()}"`);
  await url.fill(`http://127.0.0.1:${TARGET_PORT}/alerts-hook`);
  await channel.getByRole('button', { name: 'Create channel' }).click();
  await page.getByText(`Channel ${hook} saved.`).waitFor();
  const row = page.getByRole('row', { name: new RegExp(hook) });
  await row.getByRole('button', { name: 'Send test' }).click();
  await until('the test message sent', async () => (await row.getByRole('status').textContent()) === 'sent');

  await page.getByRole('button', { name: 'New rule' }).click();
  const rule = page.getByRole('form', { name: 'New rule' });
  await rule.getByLabel('Name', { exact: true }).fill(`${SERVICE} 5xx`);
  await rule.getByLabel('Metric', { exact: true }).fill('service_5xx_ratio_percent');
  await rule.getByLabel('Label filters').fill(`service=${serviceId}`);
  await rule.getByLabel('Threshold', { exact: true }).fill('5');
  const repeat = rule.getByLabel('Repeat every (s)');
  await repeat.fill('30');
  await rule.getByRole('checkbox', { name: new RegExp(hook) }).check();
  await rule.getByRole('button', { name: 'Create rule' }).click();
  await until('repeat interval marked invalid', async () => (await repeat.getAttribute('aria-invalid')) === 'true');
  await repeat.fill('');
  await rule.getByRole('button', { name: 'Create rule' }).click();
  await page.getByText(`Rule ${SERVICE} 5xx saved.`).waitFor();
  await shot('alerts');
  const rules = (await api('/api/v1/alerts/rules')).json ?? [];
  const made = rules.find((r) => r.name === `${SERVICE} 5xx`);
  check(
    made?.metric === 'service_5xx_ratio_percent' &&
      made?.labels?.service === serviceId &&
      made?.channelIds?.length === 1,
    `rule not stored as entered: ${JSON.stringify(made)}`,
  );
  check((await api(`/api/v1/alerts/rules/${made.id}`, { method: 'DELETE' })).status === 204, 'rule not deleted');
  check(
    (await api(`/api/v1/alerts/channels/${made.channelIds[0]}`, { method: 'DELETE' })).status === 204,
    'channel not deleted',
  );
});

await step('viewer sees no write controls', async () => {
  const viewer = `viewer${Date.now().toString(36)}`;
  const made = await api('/api/v1/users', {
    method: 'POST',
    body: { username: viewer, password: 'viewer-password-1', roles: ['viewer'] },
  });
  check(made.status === 201, `create viewer: ${made.status}`);
  const other = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const p = await other.newPage();
  await p.goto(`${BASE}/login`);
  await p.getByLabel('Username').fill(viewer);
  await p.getByLabel('Password').fill('viewer-password-1');
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('link', { name: 'Services', exact: true }).click();
  await p.getByRole('link', { name: SERVICE }).waitFor();
  check((await p.getByRole('link', { name: 'New service' }).count()) === 0, 'viewer sees New service');
  check((await p.getByRole('link', { name: 'Enrol a host' }).count()) === 0, 'viewer sees Enrol');
  await p.getByRole('link', { name: SERVICE }).click();
  await p.getByRole('heading', { name: new RegExp(SERVICE) }).waitFor();
  check((await p.getByRole('button', { name: 'Delete' }).count()) === 0, 'viewer sees Delete');
  await other.close();
});

await step('a user created in the Users screen signs in; the change is in the activity log', async () => {
  const name = `op${Date.now().toString(36)}`;
  await page.goto(`${BASE}/users`);
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Username').fill(name);
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByText('must have at least 10 characters').waitFor();
  await form.getByLabel('Password').fill('operator-password-1');
  await form.getByRole('checkbox', { name: 'operator' }).check();
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByText(`User ${name} created.`).waitFor();
  await page.getByRole('rowheader', { name: new RegExp(name) }).waitFor();
  await shot('users');

  const other = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const p = await other.newPage();
  await p.goto(`${BASE}/services`);
  await p.getByLabel('Username').fill(name);
  await p.getByLabel('Password').fill('operator-password-1');
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('heading', { name: 'Services' }).waitFor();
  check((await p.getByRole('link', { name: 'New service' }).count()) === 1, 'the operator cannot create services');
  check((await p.getByRole('link', { name: 'Users' }).count()) === 0, 'an operator sees Users');
  // The session is shared with a second tab: no second sign-in.
  const tab = await other.newPage();
  await tab.goto(`${BASE}/hosts`);
  await tab.getByRole('heading', { name: 'Hosts' }).waitFor();
  check((await tab.title()) === 'Hosts · Fleetgate', `title: ${await tab.title()}`);
  // Sign out in one tab: the core revokes the tokens and the other tab follows.
  await tab.getByRole('button', { name: 'Sign out' }).click();
  await p.getByRole('heading', { name: 'Sign in to Fleetgate' }).waitFor();
  await other.close();

  await page.goto(`${BASE}/activity`);
  const row = page.getByRole('row').filter({ hasText: 'POST /users' }).filter({ hasText: name });
  await row.first().waitFor();
  check((await row.first().textContent()).includes(USER), 'activity entry without the admin');
  await page.getByRole('row').filter({ hasText: 'POST /services' }).filter({ hasText: serviceId }).first().waitFor();
  const entries = (await api('/api/v1/activity?limit=5')).json;
  check(
    entries[0].user === name && entries[0].action === 'POST /auth/logout',
    `newest entry: ${JSON.stringify(entries[0])}`,
  );
  await shot('activity');
});

await step('an expired session returns to the login and keeps the route', async () => {
  await page.goto(`${BASE}/hosts`);
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('fleetgate.session'));
    localStorage.setItem('fleetgate.session', JSON.stringify({ ...s, token: 'expired.jwt.token' }));
  });
  await page.reload();
  await page.getByText('Your session has expired').waitFor();
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Hosts' }).waitFor();
  check(new URL(page.url()).pathname === '/hosts', `landed on ${page.url()}`);
});

await step('delete the service and sign out', async () => {
  await page.goto(`${BASE}/services/${serviceId}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  check((await api(`/api/v1/services/${serviceId}`)).status === 404, 'service still there');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to Fleetgate' }).waitFor();
});

await step('no console errors', async () => {
  check(consoleErrors.length === 0, `console: ${consoleErrors.join(' | ')}`);
});

await finish(true);
