// Shared by the Chromium walks (run.mjs, round.mjs, history.mjs, monitors.mjs, firewall.mjs): their environment,
// the browser, steps and the result line, waiting, checks and plain requests through the agent's nginx.
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 60_000);

/**
 * What every walk reads from its environment: FLEETGATE_URL, FLEETGATE_USER (admin), FLEETGATE_PASSWORD,
 * FLEETGATE_AGENT (name of an enrolled agent), E2E_TARGET_PORT (an upstream on 127.0.0.1), E2E_SCREENSHOTS (the
 * directory, created here) and E2E_TIMEOUT_MS (60000).
 */
export function settings(env = process.env) {
  const shots = env.E2E_SCREENSHOTS ?? 'target/e2e/screenshots';
  mkdirSync(shots, { recursive: true });
  return {
    base: (env.FLEETGATE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
    user: env.FLEETGATE_USER ?? 'admin',
    password: env.FLEETGATE_PASSWORD ?? '',
    agent: env.FLEETGATE_AGENT ?? '',
    targetPort: Number(env.E2E_TARGET_PORT ?? 20390),
    shots,
    timeout: Number(env.E2E_TIMEOUT_MS ?? 60_000),
  };
}

/**
 * The steps of a walk and its result. `step(name, fn)` runs fn: passed, it is logged and named in `checked`;
 * failed, it is logged, `failureShot(name)` is taken and the walk ends with `finish(false, name, message)`.
 * `finish(ok, failed, error)` runs `cleanUp`, closes the browser, prints the last line
 * `E2E-RESULT {ok, failed, error, checked, notes}` and exits (0 when ok).
 */
export function walk({ browser, failureShot, cleanUp = async () => undefined }) {
  const checked = [];
  const notes = [];
  async function finish(ok, failed, error) {
    await cleanUp();
    await browser.close();
    console.log(`E2E-RESULT ${JSON.stringify({ ok, failed, error, checked, notes })}`);
    process.exit(ok ? 0 : 1);
  }
  async function step(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      checked.push(name);
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      const message = String(e?.message ?? e);
      console.log(`FAIL ${name}: ${message}`);
      await failureShot(name).catch(() => undefined);
      await finish(false, name, message);
    }
  }
  return { checked, notes, step, finish };
}

/** The file name part of a step's failure screenshot. */
export const shotName = (name) => name.replace(/\W+/g, '-');

/** Signs in through the login form the page shows (at `path`) and waits for the heading of the screen it opens. */
export async function signIn(page, { base, user, password }, path, heading) {
  await page.goto(base + path);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** Headless Chromium from the Debian package (never a downloaded one: this machine reaches no browser download). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Counts the page's fetch/XHR requests in flight. settled() resolves once none has been in flight for quietMs,
 * or after max ms (a screen that long-polls, like the logs, never goes quiet): data loaded, then drawn.
 */
export function requestsInFlight(page) {
  const open = new Set();
  page.on('request', (r) => {
    if (['fetch', 'xhr'].includes(r.resourceType())) open.add(r);
  });
  const done = (r) => open.delete(r);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    async settled(quietMs = 300, max = 1500) {
      const end = Date.now() + max;
      let quietSince = Date.now();
      while (Date.now() < end) {
        if (open.size > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= quietMs) return;
        await sleep(50);
      }
    },
  };
}

/** Polls fn every 500 ms until it returns a truthy value (returned); a throw counts as not yet. */
export async function until(what, fn, timeout = TIMEOUT) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(500);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** GET http://127.0.0.1:port path with a Host header; resolves the status, 0 when the connection failed. */
export function hit(port, host, path = '/') {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { Host: host }, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

/** JSON requests to the core at base; the bearer token is read at each call (null: none). */
export function apiClient(base, token) {
  return async (path, { method = 'GET', body } = {}) => {
    const t = token();
    const r = await fetch(base + path, {
      method,
      headers: {
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...(t ? { Authorization: `Bearer ${t}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
}

/** A desktop-sized page whose uncaught errors go to problems, and a full-page screenshot into shots. */
export async function openPage(timeout, problems, shots) {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  return { browser, context, page, shot };
}
