import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, mockApi, renderApp } from '../test/helpers';

const MONITOR = {
  id: 'm1',
  name: 'shop home',
  type: 'http',
  target: 'https://shop.test/',
  intervalSeconds: 60,
  agentIds: ['a1'],
  expect: { statuses: [] },
  followRedirects: true,
  confirmations: 2,
  confirmAgents: null,
  serviceId: null,
  timeoutMs: 10000,
  state: 'DOWN',
  stateSince: new Date().toISOString(),
};
const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();

describe('monitors', () => {
  it('lists monitors with their state and 24 h uptime bars', async () => {
    mockApi({
      'GET /api/v1/monitors': () => [MONITOR],
      'GET /api/v1/monitors/m1/uptime': () => ({
        from: hour,
        hours: [{ hour, checks: 4, ok: 2, uptime: 50, avgLatencyMs: 3 }],
      }),
    });
    renderApp('/monitors');
    const row = (await screen.findByRole('link', { name: 'shop home' }, { timeout: 5000 })).closest('tr')!;
    expect(within(row).getByText('DOWN')).toBeTruthy();
    const bars = await within(row).findByTestId('uptime-bars');
    expect(bars.querySelectorAll('.uptime-bar')).toHaveLength(24);
    expect(bars.querySelectorAll('.uptime-bar.partial')).toHaveLength(1);
  });

  it('adds a monitor and shows the API field errors on the inputs', async () => {
    let posted: unknown = null;
    const calls = mockApi({
      'GET /api/v1/monitors': () => [],
      'GET /api/v1/agents': () => [AGENT],
      'POST /api/v1/monitors': (c) => {
        posted = c.body;
        return {
          status: 400,
          body: { title: 'Invalid input', status: 400, errors: [{ field: 'target', message: 'must be a DNS name' }] },
        };
      },
    });
    renderApp('/monitors');
    await userEvent.click(await screen.findByRole('button', { name: 'Add a monitor' }, { timeout: 5000 }));
    await userEvent.type(screen.getByLabelText('Name'), 'api dns');
    await userEvent.selectOptions(screen.getByLabelText('Type'), 'dns');
    await userEvent.type(screen.getByLabelText('Target'), 'http://x');
    await userEvent.selectOptions(screen.getByLabelText('Record type'), 'MX');
    await userEvent.selectOptions(await screen.findByLabelText('Agents that run the checks'), 'a1');
    await userEvent.click(screen.getByRole('button', { name: 'Add monitor' }));
    expect(await screen.findByText('must be a DNS name')).toBeTruthy();
    expect(posted).toMatchObject({
      name: 'api dns',
      type: 'dns',
      target: 'http://x',
      recordType: 'MX',
      agentIds: ['a1'],
    });
    expect(calls.some((c) => c.method === 'POST')).toBe(true);
  });

  it('shows a monitor with the timing split, its results log and incidents', async () => {
    const checkedAt = new Date().toISOString();
    mockApi({
      'GET /api/v1/monitors/m1': () => MONITOR,
      'GET /api/v1/monitors/m1/status': () => ({
        id: 'm1',
        name: 'shop home',
        state: 'DOWN',
        stateSince: checkedAt,
        uptime: { '24h': 50, '7d': 50 },
        agents: [
          {
            agentId: 'a1',
            agentName: 'web-1',
            online: true,
            ok: false,
            status: 500,
            latencyMs: 12,
            errorKind: 'status',
            error: 'unexpected status 500',
            checkedAt,
            tlsExpiresAt: null,
            timing: { dnsMs: 1, connectMs: 2, firstByteMs: 8, totalMs: 12 },
          },
        ],
      }),
      'GET /api/v1/monitors/m1/results': () => [
        {
          agentId: 'a1',
          ok: false,
          status: 500,
          latencyMs: 12,
          errorKind: 'status',
          error: 'unexpected status 500',
          checkedAt,
          tlsExpiresAt: null,
        },
      ],
      'GET /api/v1/monitors/m1/uptime': () => ({ from: hour, hours: [] }),
      'GET /api/v1/incidents': (c) =>
        c.query.get('subject') === 'm1'
          ? [
              {
                id: 'i1',
                ruleId: 'r',
                rule: 'Monitor down',
                kind: 'monitor.down',
                subject: 'm1',
                state: 'OPEN',
                severity: 'critical',
                value: null,
                threshold: null,
                message: 'Monitor shop home is DOWN',
                labels: {},
                openedAt: checkedAt,
                lastSeenAt: checkedAt,
                resolvedAt: null,
              },
            ]
          : [],
    });
    renderApp('/monitors/m1');
    expect(
      await screen.findByText('dns 1 · connect 2 · first byte 8 · total 12 ms', {}, { timeout: 5000 }),
    ).toBeTruthy();
    const log = await screen.findByRole('table', { name: 'Results log' });
    expect(within(log).getByText('12 ms')).toBeTruthy();
    expect((await screen.findByRole('link', { name: 'Monitor down' })).getAttribute('href')).toBe('/incidents/i1');
  });

  it('lists the monitors of a service on its page', async () => {
    const { SERVICE } = await import('../test/helpers');
    mockApi({
      'GET /api/v1/services/s1': () => SERVICE,
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/monitors': (c) =>
        c.query.get('serviceId') === 's1' ? [{ ...MONITOR, serviceId: 's1', target: '/health', state: 'UP' }] : [],
      'GET /api/v1/monitors/m1/uptime': () => ({ from: hour, hours: [] }),
    });
    renderApp('/services/s1');
    const section = (await screen.findByRole('heading', { name: 'Monitors', level: 2 }, { timeout: 5000 })).closest(
      'section',
    )!;
    expect(await within(section).findByRole('link', { name: 'shop home' })).toBeTruthy();
  });
});
