import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { vi } from 'vitest';
import { App } from '../App';
import { AuthProvider } from '../auth/AuthContext';
import type { Me } from '../api/types';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

type Handler = (call: Call) => { status: number; body?: unknown; contentType?: string } | unknown;

/**
 * Replaces fetch with a table of "METHOD /api/v1/path" → handler. A handler returns either
 * `{status, body}` or a body (status 200). Unknown routes answer 404 problem+json, as the
 * core does for a module that is not installed. Returns the calls made.
 */
export function mockApi(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost');
      const method = init.method ?? 'GET';
      const headers = (init.headers ?? {}) as Record<string, string>;
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
      const call = { method, path: url.pathname, query: url.searchParams, body, headers };
      calls.push(call);
      const handler = routes[`${method} ${url.pathname}`];
      if (!handler) return json(404, { title: 'Not Found', status: 404 }, 'application/problem+json');
      const out = handler(call) as { status?: number; body?: unknown; contentType?: string } | undefined;
      if (out && typeof out === 'object' && 'status' in out && typeof out.status === 'number') {
        return json(
          out.status,
          out.body,
          out.contentType ?? (out.status >= 400 ? 'application/problem+json' : 'application/json'),
        );
      }
      return json(200, out, 'application/json');
    }),
  );
  return calls;
}

function json(status: number, body: unknown, type: string): Response {
  if (status === 204 || body === undefined) return new Response(null, { status: status === 200 ? 204 : status });
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

export const ADMIN: Me = { username: 'admin', roles: ['admin'] };
export const VIEWER: Me = { username: 'vera', roles: ['viewer'] };
export const OPERATOR: Me = { username: 'olga', roles: ['operator'] };

/** Signs in (as the stored session would be after a reload) unless user is null. */
export function signIn(user: Me | null, expiresInMs = 3_600_000) {
  if (user) {
    localStorage.setItem(
      'fleetgate.session',
      JSON.stringify({ token: 'tok', expiresAt: Date.now() + expiresInMs, user }),
    );
  }
}

export function LocationProbe() {
  const l = useLocation();
  return <div data-testid="location">{l.pathname + l.search}</div>;
}

export function renderApp(path: string, user: Me | null = ADMIN) {
  signIn(user);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>
          <App />
          <LocationProbe />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export const AGENT = {
  id: 'a1',
  name: 'web-1',
  hostname: 'web-1.lan',
  role: 'host',
  status: 'ONLINE',
  lastSeenAt: new Date().toISOString(),
  version: '0.1.0',
  address: '127.0.0.1',
};

export const SERVICE = {
  id: 's1',
  name: 'shop',
  revision: 3,
  domains: ['shop.example.test'],
  agentIds: ['a1'],
  upstream: { targets: [{ host: '127.0.0.1', port: 9001, weight: 1 }], lbMethod: 'round_robin', healthCheck: null },
  timeouts: { connectSeconds: 5, readSeconds: 60, sendSeconds: 60 },
  maxBodySize: '10m',
  requestHeaders: {},
  responseHeaders: {},
  websockets: false,
  containers: null,
};
