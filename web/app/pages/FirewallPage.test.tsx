import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { VIEWER, mockApi, renderApp } from '../test/helpers';
import { countdown } from './FirewallPage';

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000 + 30_000).toISOString();
const block = (ip: string, detector: string, mode: string) => ({
  ip,
  scope: 'global',
  serviceId: null,
  detector,
  action: 'block',
  mode,
  reason: `${detector} reason`,
  since: new Date().toISOString(),
  expiresAt: inMinutes(10),
  evidence: detector === 'manual' ? {} : { score: 1.5, counts: { notFound: 45 }, samples: [`${ip} "GET /.env" 404`] },
});
const settings = {
  mode: 'shadow',
  allow: [],
  windowSeconds: 60,
  detectors: {
    flood: { mode: null, action: 'limit', threshold: 1200 },
    scan: { mode: 'enforce', action: 'block', threshold: 30 },
  },
};

describe('firewall', () => {
  it('counts down', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(countdown('2026-12-01T10:04:05Z', now)).toBe('4m 05s');
    expect(countdown('2026-12-01T12:30:00Z', now)).toBe('2h 30m');
    expect(countdown('2026-12-01T09:00:00Z', now)).toBe('expired');
  });

  it('lists blocks with evidence, unblocks, blocks and switches a detector', async () => {
    const calls = mockApi({
      'GET /api/v1/firewall/blocks': () => [
        block('127.0.0.9', 'scan', 'enforce'),
        block('127.0.0.10', 'manual', 'enforce'),
      ],
      'GET /api/v1/firewall/settings': () => settings,
      'DELETE /api/v1/firewall/blocks/127.0.0.9': () => ({ status: 204 }),
      'POST /api/v1/firewall/blocks': () => block('127.0.0.11', 'manual', 'enforce'),
      'PUT /api/v1/firewall/settings': () => settings,
    });
    renderApp('/firewall');
    const table = (await screen.findByText('127.0.0.9')).closest('table')!;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0].textContent).toContain('127.0.0.9');
    expect(rows[0].textContent).toContain('notFound 45');
    expect(rows[0].textContent).toMatch(/10m \d\ds/);
    expect(document.title).toBe('Firewall · Fleetgate');

    await userEvent.click(within(rows[0]).getByRole('button', { name: 'Unblock' }));
    expect(await screen.findByText('Unblocked 127.0.0.9.')).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Address'), '127.0.0.11');
    await userEvent.click(screen.getByRole('button', { name: 'Block' }));
    expect(await screen.findByText('Blocked 127.0.0.11.')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/v1/firewall/blocks');
    expect(post?.body).toEqual({ ip: '127.0.0.11', action: 'block' });

    await userEvent.selectOptions(screen.getByLabelText('Mode of flood'), 'enforce');
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT');
    expect((put?.body as typeof settings).detectors.flood.mode).toBe('enforce');
  });

  it('viewers read without actions', async () => {
    mockApi({
      'GET /api/v1/firewall/blocks': () => [block('127.0.0.9', 'scan', 'shadow')],
      'GET /api/v1/firewall/settings': () => settings,
    });
    renderApp('/firewall', VIEWER);
    await screen.findByText('127.0.0.9');
    await screen.findByLabelText('Mode of flood');
    expect(screen.queryByRole('button', { name: 'Unblock' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Block' })).toBeNull();
    expect((screen.getByLabelText('Mode of flood') as HTMLSelectElement).disabled).toBe(true);
  });
});
