// Shared by the Chromium walks (run.mjs, round.mjs, history.mjs, monitors.mjs): the browser, waiting, checks and
// plain requests through the agent's nginx.
import http from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 60_000);

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
