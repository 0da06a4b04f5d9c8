import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';
import { enrolCommand, shellQuote } from './EnrolPage';

describe('enrol', () => {
  it('creates a token and shows the exact agent command', async () => {
    const calls = mockApi({
      'POST /api/v1/agents/enrollment-tokens': () => ({
        status: 201,
        body: { token: 'fgt_abc-DEF', expiresAt: '2026-01-01T01:00:00Z' },
      }),
    });
    renderApp('/enrol');
    await userEvent.type(await screen.findByLabelText('Host name (optional)'), 'web-9');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    const command = await screen.findByTestId('enrol-command');
    expect(command.textContent).toBe(
      `fleetgate-agent --core ${window.location.origin} --token fgt_abc-DEF --name web-9`,
    );
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ name: 'web-9', ttlMinutes: 60 });
  });

  it('shows the command the core suggests, with the certificate to pin', async () => {
    const fp = 'sha256:' + 'ab'.repeat(32);
    mockApi({
      'POST /api/v1/agents/enrollment-tokens': () => ({
        status: 201,
        body: {
          token: 'fgt_x',
          expiresAt: '2026-01-01T01:00:00Z',
          coreFingerprint: fp,
          command: `fleetgate-agent --core https://core.example:8443 --token fgt_x --core-fingerprint ${fp}`,
        },
      }),
    });
    renderApp('/enrol');
    await userEvent.type(await screen.findByLabelText('Host name (optional)'), 'web 9');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByTestId('enrol-command')).textContent).toBe(
      `fleetgate-agent --core https://core.example:8443 --token fgt_x --core-fingerprint ${fp} --name 'web 9'`,
    );
    expect(screen.getByTestId('core-fingerprint').textContent).toBe(fp);
  });

  it('quotes what a shell would split', () => {
    expect(shellQuote("it's a b")).toBe(`'it'"'"'s a b'`);
    expect(enrolCommand('http://h:1', 't')).toBe('fleetgate-agent --core http://h:1 --token t');
  });
});

describe('hosts', () => {
  it('lists hosts with usage now', async () => {
    mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/metrics/latest': ({ query }) => {
        if (query.get('name') === 'host_cpu_usage_percent' && query.get('cpu') !== 'total') return { items: [] };
        const v = {
          host_cpu_usage_percent: 12.5,
          host_memory_used_bytes: 2 * 1024 ** 3,
          host_memory_total_bytes: 8 * 1024 ** 3,
        }[query.get('name')!];
        return [{ agent: 'a1', value: v }];
      },
    });
    renderApp('/hosts');
    const row = (await screen.findByRole('link', { name: 'web-1' })).closest('tr')!;
    await waitFor(() => expect(row.textContent).toContain('2.0 GiB of 8.0 GiB (25 %)'));
    expect(row.textContent).toContain('13 %');
    expect(row.textContent).toContain('ONLINE');
  });

  it('host page: charts from the metrics API, containers, and missing modules said plainly', async () => {
    const now = Date.now();
    const calls = mockApi({
      'GET /api/v1/agents/a1': () => AGENT,
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/metrics/names': () => ['host_cpu_usage_percent', 'host_memory_used_bytes'],
      'GET /api/v1/metrics/query': ({ query }) => ({
        series:
          query.get('name') === 'host_cpu_usage_percent'
            ? [
                {
                  name: 'host_cpu_usage_percent',
                  labels: { agent: 'a1', cpu: 'total' },
                  points: [
                    [now - 20000, 10],
                    [now - 10000, 30],
                  ],
                },
              ]
            : [],
      }),
    });
    renderApp('/hosts/a1');
    const cpu = (await screen.findByText('CPU %')).closest('figure')!;
    await waitFor(() => expect(cpu.getAttribute('data-points')).toBe('2'));
    expect(within(cpu).getByRole('img').getAttribute('aria-label')).toContain('CPU: 30 %');
    expect(await screen.findByTestId('not-installed')).toBeTruthy(); // containers endpoint absent
    const q = calls.find((c) => c.query.get('name') === 'host_cpu_usage_percent')!;
    expect(q.query.get('agent')).toBe('a1');
    expect(q.query.get('cpu')).toBe('total');
    expect(q.query.get('step')).toBe('10s');
    await userEvent.click(screen.getByRole('button', { name: '6 hours' }));
    await waitFor(() => expect(calls.some((c) => c.query.get('step') === '2m')).toBe(true));
  });
});

describe('service page', () => {
  it('shows per-host state with the nginx error, targets, replicas and scales', async () => {
    const svc = { ...SERVICE, containers: { image: 'demo', replicas: 2 } };
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services/s1': () => svc,
      'GET /api/v1/services/s1/status': () => ({
        revision: 3,
        agents: [
          {
            agentId: 'a1',
            appliedRevision: 2,
            state: 'FAILED',
            error: 'nginx: [emerg] unknown directive',
            containers: { desired: 2, running: 1, ready: 1, state: 'SCALING', error: null },
          },
        ],
        targets: [{ host: '127.0.0.1', port: 19701, healthy: true }],
        replicas: [
          {
            agentId: 'a1',
            containerId: 'c1',
            name: 'fg-shop-0-abc',
            state: 'running',
            health: 'healthy',
            host: '127.0.0.1',
            port: 19701,
            ready: true,
          },
        ],
      }),
      'PUT /api/v1/services/s1/replicas': () => ({ ...svc, revision: 4 }),
    });
    renderApp('/services/s1');
    expect(await screen.findByText('nginx: [emerg] unknown directive')).toBeTruthy();
    expect(screen.getByText('fg-shop-0-abc')).toBeTruthy();
    expect(screen.getByTestId('rollout-a1').textContent).toContain('1/2 ready');
    expect(screen.getByTestId('rollout-a1').textContent).toContain('SCALING');
    expect(screen.getAllByText('127.0.0.1:19701', { selector: 'td > code' })).toHaveLength(2); // target and replica
    const input = screen.getByLabelText('Desired replicas');
    await userEvent.clear(input);
    await userEvent.type(input, '5');
    await userEvent.click(screen.getByRole('button', { name: 'Scale' }));
    expect(await screen.findByText('Scaling to 5.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ replicas: 5 });
    // The traffic charts say the metrics module is missing.
    expect((await screen.findAllByTestId('not-installed')).length).toBeGreaterThan(0);
  });
});

describe('modules', () => {
  it('lists core modules and agent bundles; deploys', async () => {
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/modules': () => [
        { name: 'proxy', bundle: 'dev.fleetgate.proxy', version: '0.1.0', state: 'ACTIVE' },
      ],
      'GET /api/v1/bundles': () => [
        {
          id: 'b1',
          symbolicName: 'dev.fleetgate.agent.probe',
          version: '0.1.0',
          sha256: 'x',
          size: 2048,
          uploadedAt: '2026-01-01T00:00:00Z',
          deployments: { allAgents: false, agentIds: [] },
        },
      ],
      'POST /api/v1/bundles/b1/deployments': () => ({}),
    });
    renderApp('/modules');
    expect(await screen.findByText('dev.fleetgate.proxy')).toBeTruthy();
    expect(await screen.findByText('dev.fleetgate.agent.probe')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Deploy to all' }));
    expect(await screen.findByText('Deployed dev.fleetgate.agent.probe to every host.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/bundles/b1/deployments')).toBe(true);
  });
});

describe('dns', () => {
  it('shows zones and records, or that the module is missing', async () => {
    mockApi({
      'GET /api/v1/dns/zones': () => [
        {
          id: 'z1',
          zone: 'example.test.',
          provider: 'rfc2136',
          server: '127.0.0.1',
          port: 53,
          ttl: 60,
          status: {
            state: 'ERROR',
            lastSyncAt: null,
            lastError: 'REFUSED',
            records: { synced: 1, pending: 0, failed: 1, deleting: 0 },
          },
        },
      ],
      'GET /api/v1/dns/records': () => [
        {
          domain: 'shop.example.test',
          type: 'A',
          value: '127.0.0.1',
          zone: 'example.test.',
          state: 'SYNCED',
          serviceId: 's1',
        },
      ],
    });
    const view = renderApp('/dns');
    expect(await screen.findByText('shop.example.test')).toBeTruthy();
    expect(screen.getByText('REFUSED')).toBeTruthy();
    expect(screen.getByText('1 synced, 0 pending, 1 failed')).toBeTruthy();
    view.unmount();
    mockApi({});
    renderApp('/dns');
    expect(await screen.findByTestId('not-installed')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
  });
});
