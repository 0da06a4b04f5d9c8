import { screen, within } from '@testing-library/react';
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
