import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { OPERATOR, mockApi, renderApp } from '../test/helpers';
import { zoneBody } from '../components/ZoneForm';

const ZONE = {
  id: 'z1',
  zone: 'example.test.',
  provider: 'rfc2136',
  server: '127.0.0.1',
  port: 53,
  ttl: 60,
  tsigKeyName: 'fg',
  tsigAlgorithm: 'hmac-sha256',
  tsigSecretSet: true,
  status: { state: 'OK', lastSyncAt: null, lastError: null },
};

describe('dns zones', () => {
  it("adds a zone from the empty state, with the core's field errors on the inputs", async () => {
    let zones: unknown[] = [];
    const calls = mockApi({
      'GET /api/v1/dns/zones': () => zones,
      'GET /api/v1/dns/records': () => [],
      'POST /api/v1/dns/zones': ({ body }) => {
        if ((body as any).server === 'bad host') {
          return {
            status: 400,
            body: {
              title: 'Bad Request',
              status: 400,
              errors: [{ field: 'server', message: 'is not an IP or host name' }],
            },
          };
        }
        zones = [{ ...ZONE, ...(body as object), id: 'z2' }];
        return { status: 201, body: zones[0] };
      },
    });
    renderApp('/dns');
    const user = userEvent.setup();
    const empty = await screen.findByText(/No zone yet/);
    expect(empty.textContent).not.toContain('`');
    await user.click(screen.getByRole('button', { name: 'Add zone' }));
    await user.click(screen.getByRole('button', { name: 'Add zone' })); // the form's submit: nothing typed yet
    expect(document.getElementById('f-zone-error')!.textContent).toBe('is required');
    expect(document.getElementById('f-server-error')!.textContent).toBe('is required');
    await user.type(screen.getByLabelText('Zone'), 'example.test');
    expect(document.getElementById('f-zone-error')).toBeNull();
    await user.type(screen.getByLabelText('DNS server'), 'bad host');
    await user.click(screen.getByRole('button', { name: 'Add zone' }));
    expect((await screen.findByText('is not an IP or host name')).id).toBe('f-server-error');
    await user.clear(screen.getByLabelText('DNS server'));
    await user.type(screen.getByLabelText('DNS server'), '10.0.0.53');
    await user.click(screen.getByRole('button', { name: 'Add zone' }));
    expect((await screen.findByText(/Added example.test/)).getAttribute('role')).toBe('status');
    expect(calls.filter((c) => c.method === 'POST').at(-1)!.body).toEqual({
      zone: 'example.test',
      server: '10.0.0.53',
      port: 53,
      ttl: 60,
    });
  });

  it('edits a zone, keeping the stored TSIG secret when left empty', async () => {
    const calls = mockApi({
      'GET /api/v1/dns/zones': () => [ZONE],
      'GET /api/v1/dns/records': () => [],
      'PUT /api/v1/dns/zones/z1': ({ body }) => ({ ...ZONE, ...(body as object) }),
    });
    renderApp('/dns');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit example.test.' }));
    const form = screen.getByRole('form', { name: 'Edit zone example.test.' });
    expect((within(form).getByLabelText('Zone') as HTMLInputElement).readOnly).toBe(true);
    expect(within(form).getByText('base64; empty keeps the stored one')).toBeTruthy();
    const ttl = within(form).getByLabelText('TTL (s)');
    await user.clear(ttl);
    await user.type(ttl, '300');
    await user.click(within(form).getByRole('button', { name: 'Save zone' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({
      zone: 'example.test.',
      server: '127.0.0.1',
      port: 53,
      ttl: 300,
      tsigKeyName: 'fg',
      tsigAlgorithm: 'hmac-sha256',
    });
    expect(await screen.findByText(/Saved example.test./)).toBeTruthy();
  });

  it('offers to delete anyway when the server cannot be cleaned (502)', async () => {
    let zones: unknown[] = [ZONE];
    const calls = mockApi({
      'GET /api/v1/dns/zones': () => zones,
      'GET /api/v1/dns/records': () => [],
      'DELETE /api/v1/dns/zones/z1': ({ query }) => {
        if (query.get('force') !== 'true')
          return { status: 502, body: { title: 'Bad Gateway', status: 502, detail: 'connection refused' } };
        zones = [];
        return { status: 204 };
      },
    });
    renderApp('/dns');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect((await screen.findByText(/example.test. was not deleted/)).textContent).toContain('connection refused');
    await user.click(screen.getByRole('button', { name: 'Delete example.test. anyway' }));
    await user.click(screen.getByRole('button', { name: 'Yes, forget it and its records' }));
    expect(await screen.findByText(/Deleted example.test.; records left on its server stay there./)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.query.get('force'))).toEqual([null, 'true']);
  });

  it('operators see zones without write controls', async () => {
    mockApi({ 'GET /api/v1/dns/zones': () => [ZONE], 'GET /api/v1/dns/records': () => [] });
    renderApp('/dns', OPERATOR);
    await screen.findByText('example.test.');
    expect(screen.queryByRole('button', { name: 'Add zone' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit/ })).toBeNull();
  });

  it('wants a secret with a new key name', () => {
    const base = {
      zone: 'a.test',
      server: '1.2.3.4',
      port: '53',
      ttl: 'x',
      tsigKeyName: 'k',
      tsigAlgorithm: 'hmac-sha256',
      tsigSecret: '',
    };
    expect(zoneBody(base, false).errors).toEqual([
      { field: 'ttl', message: 'must be a whole number' },
      { field: 'tsigSecret', message: 'is required with a key name' },
    ]);
    expect(zoneBody({ ...base, ttl: '60' }, true).body).toEqual({
      zone: 'a.test',
      server: '1.2.3.4',
      port: 53,
      ttl: 60,
      tsigKeyName: 'k',
      tsigAlgorithm: 'hmac-sha256',
    });
  });
});
