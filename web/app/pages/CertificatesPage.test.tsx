import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { VIEWER, mockApi, renderApp } from '../test/helpers';

const cert = (id: string, domain: string, state: string, notAfter: string | null, error: string | null = null) => ({
  id,
  source: 'acme',
  serviceId: 's1',
  domains: [domain],
  state,
  issuer: 'CN=Pebble Intermediate',
  notAfter,
  nextRenewal: notAfter,
  error,
  served: state === 'VALID' ? true : null,
  servedError: null,
});

describe('certificates', () => {
  it('lists certificates soonest expiry first with state, error and renew now', async () => {
    const calls = mockApi({
      'GET /api/v1/certificates': () => [
        cert('c2', 'later.test', 'VALID', '2031-01-01T00:00:00Z'),
        cert('c1', 'soon.test', 'FAILED', '2027-01-01T00:00:00Z', 'rate limited by the CA'),
        cert('c3', 'new.test', 'PENDING', null),
      ],
      'POST /api/v1/certificates/c1/renew': () => cert('c1', 'soon.test', 'RENEWING', '2027-01-01T00:00:00Z'),
    });
    renderApp('/certificates');
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('code')?.textContent)).toEqual(['new.test', 'soon.test', 'later.test']);
    expect(rows[0].textContent).toContain('ordering…');
    expect(rows[1].textContent).toContain('rate limited by the CA');
    expect(document.title).toBe('Certificates · Fleetgate');

    await userEvent.click(within(rows[1]).getByRole('button', { name: 'Renew now' }));
    expect(await screen.findByText('Renewal of soon.test started.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/certificates/c1/renew')).toBe(true);
  });

  it('shows the OCSP status of certificates whose issuer runs OCSP', async () => {
    const revoked = {
      ...cert('c4', 'uploaded.test', 'VALID', '2031-01-01T00:00:00Z'),
      source: 'custom',
      ocsp: { status: 'revoked', stapled: true, nextUpdate: null, failures: 3, lastError: 'HTTP 500' },
    };
    const good = {
      ...cert('c5', 'good.test', 'VALID', '2032-01-01T00:00:00Z'),
      ocsp: { status: 'good', stapled: true, nextUpdate: null, failures: 0, lastError: null },
    };
    mockApi({ 'GET /api/v1/certificates': () => [revoked, good] });
    renderApp('/certificates');
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0].textContent).toContain('revoked stapled');
    expect(rows[0].textContent).toContain('HTTP 500');
    expect(rows[1].textContent).toContain('good stapled');
  });

  it('viewers read without actions', async () => {
    mockApi({ 'GET /api/v1/certificates': () => [cert('c2', 'later.test', 'VALID', '2031-01-01T00:00:00Z')] });
    renderApp('/certificates', VIEWER);
    await screen.findByRole('table');
    expect(screen.queryByRole('button', { name: 'Renew now' })).toBeNull();
  });
});
