// Time to interactive of the web admin's fleet overview with a big fleet.
//
//   FLEETGATE_URL=http://127.0.0.1:8080 FLEETGATE_PASSWORD=... node bench/web/overview-tti.mjs [--agents 100] [--services 500] [--runs 5] [--keep]
//
// Seeds the core through its REST API: --agents fake agents enrolled with one-time tokens
// (each syncs once, so they show ONLINE for a while) and --services services spread over
// them (static target 127.0.0.1:9, nothing is contacted). Then headless Chromium
// (playwright-core from web/node_modules, /usr/bin/chromium) opens `/` signed in and
// measures navigation start → overview rendered (hosts and services loaded, summary and
// tables on screen), once cold (empty cache) and --runs times warm. Removes what it created
// unless --keep. Prints figures; asserts nothing.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const BASE = (process.env.FLEETGATE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const PASSWORD = process.env.FLEETGATE_PASSWORD ?? process.env.FLEETGATE_ADMIN_PASSWORD ?? '';
const AGENTS = Number(opt('agents', 100));
const SERVICES = Number(opt('services', 500));
const RUNS = Number(opt('runs', 5));
const KEEP = args.includes('--keep');
const TAG = `tti${Date.now().toString(36)}`;

async function call(path, { method = 'GET', body, token } = {}) {
  const r = await fetch(BASE + path, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (r.status >= 400) throw new Error(`${method} ${path} → ${r.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** Runs fn over items, `width` at a time. */
async function pool(items, width, fn) {
  const out = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

const login = await call('/api/v1/auth/login', { method: 'POST', body: { username: 'admin', password: PASSWORD } });
const token = login.accessToken;
const me = await call('/api/v1/auth/me', { token });

let t0 = Date.now();
const agents = await pool([...Array(AGENTS).keys()], 8, async (i) => {
  const name = `${TAG}-host-${i}`;
  const t = await call('/api/v1/agents/enrollment-tokens', { method: 'POST', body: { name }, token });
  const e = await call('/api/v1/agents/enroll', { method: 'POST', body: { token: t.token, name, hostname: `${name}.bench`, version: 'bench' } });
  await call(`/api/v1/agents/${e.agentId}/sync?wait=0`, {
    method: 'POST', token: e.apiKey, body: { version: 'bench', hostname: `${name}.bench`, address: '127.0.0.1', applied: {}, taskResults: [], metrics: [], status: {} },
  });
  return e.agentId;
});
console.log(`seeded ${AGENTS} agents in ${Date.now() - t0} ms`);
t0 = Date.now();
const services = await pool([...Array(SERVICES).keys()], 8, async (i) => {
  const s = await call('/api/v1/services', {
    method: 'POST', token,
    body: { name: `${TAG}-svc-${i}`, domains: [`svc-${i}.${TAG}.bench.test`], agentIds: [agents[i % agents.length]], upstream: { targets: [{ host: '127.0.0.1', port: 9 }] } },
  });
  return s.id;
});
console.log(`seeded ${SERVICES} services in ${Date.now() - t0} ms`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const session = { token, expiresAt: Date.now() + login.expiresIn * 1000, user: me };

async function measure(context) {
  const page = await context.newPage();
  await page.goto(`${BASE}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__ready, null, { timeout: 60_000 });
  const m = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const bytes = performance.getEntriesByType('resource')
      .filter((r) => r.initiatorType === 'script' || r.initiatorType === 'link' || r.initiatorType === 'css')
      .reduce((sum, r) => sum + r.transferSize, n.transferSize);
    return { tti: window.__ready, dcl: n.domContentLoadedEventEnd, bytes };
  });
  await page.close();
  return m;
}

/**
 * Signed in before the app starts, and a watcher that stamps (performance.now(), ms since
 * navigation start) the moment the overview is rendered: summary and host table on screen.
 */
function withSession(context) {
  return context.addInitScript((s) => {
    sessionStorage.setItem('fleetgate.session', JSON.stringify(s));
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="overview-ready"]') && document.querySelectorAll('#hosts-title ~ table tbody tr').length) {
        window.__ready = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  }, session);
}

const cold = await browser.newContext({ viewport: { width: 1366, height: 860 } });
await withSession(cold);
const first = await measure(cold);
const warm = [];
for (let i = 0; i < RUNS; i++) warm.push(await measure(cold));
await cold.close();
await browser.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`overview with ${AGENTS} hosts and ${SERVICES} services (${BASE}):`);
console.log(`  cold (empty cache): ${first.tti.toFixed(0)} ms to rendered, DOMContentLoaded ${first.dcl.toFixed(0)} ms, ${(first.bytes / 1024).toFixed(1)} KiB transferred`);
console.log(`  warm (cached assets, ${RUNS} runs): median ${median(warm.map((w) => w.tti)).toFixed(0)} ms, min ${Math.min(...warm.map((w) => w.tti)).toFixed(0)} ms, max ${Math.max(...warm.map((w) => w.tti)).toFixed(0)} ms`);

if (!KEEP) {
  t0 = Date.now();
  await pool(services, 8, (id) => call(`/api/v1/services/${id}`, { method: 'DELETE', token }));
  await pool(agents, 8, (id) => call(`/api/v1/agents/${id}`, { method: 'DELETE', token }));
  console.log(`removed the seeded services and agents in ${Date.now() - t0} ms`);
}
