import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, VIEWER, mockApi, renderApp } from '../test/helpers';

const STATUS = {
  revision: 3,
  health: 'HEALTHY',
  agents: [{ agentId: 'a1', appliedRevision: 3, state: 'APPLIED', error: null }],
  targets: [],
};
const SVC = { ...SERVICE, containers: { image: 'demo', replicas: 1 } };
const POLICY = {
  enabled: false,
  minReplicas: 1,
  maxReplicas: 1,
  targets: {},
  max5xxPercent: 50,
  scaleUpStabilizationSeconds: 0,
  scaleDownStabilizationSeconds: 300,
  tolerancePercent: 10,
  maxScaleUpStep: 4,
  maxScaleDownStep: 1,
  cooldownSeconds: 15,
  scaleToZeroAfterSeconds: null,
  manualPauseSeconds: 600,
  sampleMaxAgeSeconds: 30,
  maxHeldRequests: 100,
  startingPageAfterMs: 10000,
  serviceId: 's1',
  pausedUntil: null,
  pausedBy: null,
  updatedAt: null,
};
const DECISIONS = [
  {
    at: '2026-12-04T23:00:10Z',
    from: 1,
    to: 4,
    reason: 'rpsPerReplica: 180 req/s over 1 replica(s) = 180 per replica, target 50 (ratio 3.60) → 4; 1 → 4',
    rule: 'rpsPerReplica',
    changed: true,
    recommended: 4,
    signals: { rps: 180 },
  },
  {
    at: '2026-12-04T23:00:00Z',
    from: 1,
    to: 1,
    reason: 'rpsPerReplica: 30 req/s … (within the 10 % tolerance)',
    rule: 'tolerance',
    changed: false,
    recommended: 1,
    signals: {},
  },
];

describe('service page: autoscaling', () => {
  const routes = (extra: Record<string, (c: { body: unknown }) => unknown> = {}) => ({
    'GET /api/v1/agents': () => [AGENT],
    'GET /api/v1/services/s1': () => SVC,
    'GET /api/v1/services/s1/status': () => STATUS,
    'GET /api/v1/services/s1/autoscaling': () => POLICY,
    'GET /api/v1/services/s1/autoscaling/decisions': () => DECISIONS,
    ...extra,
  });

  it('lists the decisions with their reasons', async () => {
    mockApi(routes());
    renderApp('/services/s1');
    const table = await screen.findByRole('table', { name: 'Autoscaling decisions' });
    expect(within(table).getByText('1 → 4')).toBeTruthy();
    expect(within(table).getByText(/180 req\/s over 1 replica/)).toBeTruthy();
    expect(within(table).getByText('tolerance')).toBeTruthy();
    const chart = screen.getByRole('img', { name: /Replicas \(up to 4\) and rps \(up to 180\.0\), 1 change/ });
    expect(chart.querySelectorAll('[data-marker="change"]').length).toBe(1);
  });

  it('draws the driving signal from the continuous metric series', async () => {
    let asked: URLSearchParams | null = null;
    mockApi(
      routes({
        'GET /api/v1/metrics/query': (c) => {
          asked = (c as unknown as { query: URLSearchParams }).query;
          const t = new Date('2026-12-04T22:59:00Z').getTime();
          return {
            series: [
              {
                name: 'service_requests_per_second',
                labels: { service: 's1' },
                points: [0, 1, 2, 3, 4, 5].map((i) => [t + i * 10_000, i === 4 ? 240 : 20 * i]),
              },
            ],
          };
        },
      }),
    );
    renderApp('/services/s1');
    const chart = await screen.findByRole('img', { name: /rps \(up to 240\.0, 6 samples of the metric series\)/ });
    expect(chart.querySelector('[data-source="metrics"]')).toBeTruthy();
    expect(chart.querySelectorAll('[data-marker="change"]').length).toBe(1);
    expect(asked!.get('name')).toBe('service_requests_per_second');
    expect(asked!.get('service')).toBe('s1');
    expect(asked!.get('agg')).toBe('sum');
  });

  it('switches a policy on and shows the field errors of the core', async () => {
    let sent: Record<string, unknown> | null = null;
    const calls = mockApi(
      routes({
        'PUT /api/v1/services/s1/autoscaling': (c) => {
          sent = c.body as Record<string, unknown>;
          return {
            status: 400,
            body: {
              title: 'Bad Request',
              status: 400,
              errors: [{ field: 'maxReplicas', message: 'must be at least minReplicas (3)' }],
            },
          };
        },
      }),
    );
    renderApp('/services/s1');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Autoscaling policy' });
    await user.clear(within(form).getByLabelText('Min replicas'));
    await user.type(within(form).getByLabelText('Min replicas'), '3');
    await user.type(within(form).getByLabelText('Requests/s per replica'), '50');
    await user.click(within(form).getByRole('button', { name: 'Switch on' }));
    expect(await within(form).findByText('must be at least minReplicas (3)')).toBeTruthy();
    expect(calls.some((c) => c.method === 'PUT')).toBe(true);
    expect(sent).toMatchObject({ enabled: true, minReplicas: 3, maxReplicas: 1, targets: { rpsPerReplica: 50 } });
    expect(sent).not.toHaveProperty('pausedUntil');
  });

  it('sets scale to zero and its hold, and empties it back to never', async () => {
    const sent: Record<string, unknown>[] = [];
    mockApi(
      routes({
        'PUT /api/v1/services/s1/autoscaling': (c) => {
          sent.push(c.body as Record<string, unknown>);
          return { ...POLICY, ...(c.body as object) };
        },
      }),
    );
    renderApp('/services/s1');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Autoscaling policy' });
    expect((within(form).getByLabelText(/Scale to zero after/) as HTMLInputElement).value).toBe('');
    await user.clear(within(form).getByLabelText('Min replicas'));
    await user.type(within(form).getByLabelText('Min replicas'), '0');
    await user.type(within(form).getByLabelText('Requests/s per replica'), '50');
    await user.type(within(form).getByLabelText(/Scale to zero after/), '300');
    await user.clear(within(form).getByLabelText('Starting page after (ms)'));
    await user.type(within(form).getByLabelText('Starting page after (ms)'), '5000');
    await user.click(within(form).getByRole('button', { name: 'Switch on' }));
    await waitFor(() => expect(sent.length).toBe(1));
    expect(sent[0]).toMatchObject({
      minReplicas: 0,
      scaleToZeroAfterSeconds: 300,
      startingPageAfterMs: 5000,
      maxHeldRequests: 100,
    });
  });

  it('a viewer sees the policy but no button', async () => {
    mockApi(routes());
    renderApp('/services/s1', VIEWER);
    await screen.findByRole('form', { name: 'Autoscaling policy' });
    expect(screen.queryByRole('button', { name: 'Switch on' })).toBeNull();
  });

  it('shows nothing when the module is not installed', async () => {
    const r = routes();
    delete (r as Record<string, unknown>)['GET /api/v1/services/s1/autoscaling'];
    delete (r as Record<string, unknown>)['GET /api/v1/services/s1/autoscaling/decisions'];
    mockApi(r);
    renderApp('/services/s1');
    await screen.findAllByText('APPLIED');
    expect(screen.queryByRole('heading', { name: 'Autoscaling' })).toBeNull();
  });
});
