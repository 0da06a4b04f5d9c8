import { describe, expect, it, vi } from 'vitest';
import { api, ApiError, buildUrl, onUnauthorized, setToken } from './http';

function answer(status: number, body: unknown, type = 'application/problem+json') {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })),
  );
}

describe('api', () => {
  it('sends the token and JSON, reads JSON', async () => {
    answer(200, { ok: true }, 'application/json');
    setToken('abc');
    expect(await api('/services', { method: 'POST', body: { name: 'x' } })).toEqual({ ok: true });
    const [url, init] = (fetch as unknown as ReturnType<typeof vi.fn>).mock.calls[0];
    expect(url).toBe('/api/v1/services');
    expect(init.headers.Authorization).toBe('Bearer abc');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"name":"x"}');
    setToken(null);
  });

  it('turns problem+json into an ApiError with field errors', async () => {
    answer(400, {
      title: 'Bad Request',
      status: 400,
      detail: 'Invalid service',
      errors: [{ field: 'upstream.targets[1].port', message: 'must be 1..65535' }, { nope: 1 }],
    });
    const e = (await api('/services').catch((x) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.message).toBe('Invalid service');
    expect(e.errors).toEqual([{ field: 'upstream.targets[1].port', message: 'must be 1..65535' }]);
  });

  it('tells 404 apart as a module that is not installed', async () => {
    answer(404, { title: 'Not Found', status: 404 });
    const e = (await api('/dns/zones').catch((x) => x)) as ApiError;
    expect(e.notInstalled).toBe(true);
  });

  it('reports a 401 on an authenticated call only', async () => {
    const heard = vi.fn();
    const off = onUnauthorized(heard);
    answer(401, { title: 'Unauthorized', status: 401 });
    await api('/auth/login', { body: {} }).catch(() => undefined);
    expect(heard).not.toHaveBeenCalled();
    setToken('expired');
    await api('/agents').catch(() => undefined);
    expect(heard).toHaveBeenCalledTimes(1);
    off();
    setToken(null);
  });

  it('network failures become a readable error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const e = (await api('/agents').catch((x) => x)) as ApiError;
    expect(e.status).toBe(0);
    expect(e.message).toMatch(/cannot be reached/);
  });
});

describe('buildUrl', () => {
  it('drops empty parameters and encodes the rest', () => {
    expect(buildUrl('/metrics/query', { name: 'a b', from: 1, cursor: null, filter: '' })).toBe(
      '/api/v1/metrics/query?name=a+b&from=1',
    );
  });
});
