import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, OPERATOR, SERVICE, VIEWER, mockApi, renderApp } from '../test/helpers';

const STATUS = { revision: 3, health: 'HEALTHY', agents: [], targets: [], replicas: [] };
const config = (port: number) => ({
  name: 'shop',
  domains: ['shop.example.test'],
  upstream: { targets: [{ host: '127.0.0.1', port }] },
});
const REVISIONS = [
  { revision: 3, changedAt: '2026-01-01T00:03:00Z', changedBy: 'olga', action: 'UPDATED', sourceRevision: null },
  { revision: 2, changedAt: '2026-01-01T00:02:00Z', changedBy: 'bob', action: 'ROLLED_BACK', sourceRevision: 1 },
  { revision: 1, changedAt: '2026-01-01T00:01:00Z', changedBy: 'admin', action: 'CREATED', sourceRevision: null },
];

function api(rollback: () => unknown) {
  let service = SERVICE;
  const calls = mockApi({
    'GET /api/v1/agents': () => [AGENT],
    'GET /api/v1/services/s1': () => service,
    'GET /api/v1/services/s1/status': () => STATUS,
    'GET /api/v1/services/s1/revisions': () => REVISIONS,
    'GET /api/v1/services/s1/revisions/3': () => ({ ...REVISIONS[0], config: config(9003) }),
    'GET /api/v1/services/s1/revisions/1': () => ({ ...REVISIONS[2], config: config(9001) }),
    'POST /api/v1/services/s1/rollback': () => {
      const out = rollback();
      if (out && typeof out === 'object' && 'status' in out) return out;
      service = { ...SERVICE, revision: 4 };
      return service;
    },
  });
  return calls;
}

describe('service history', () => {
  it('lists revisions when opened and shows the changes a rollback would make', async () => {
    const calls = api(() => ({}));
    renderApp('/services/s1', VIEWER);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Show history' }));
    expect(calls.some((c) => c.path === '/api/v1/services/s1/revisions')).toBe(true);
    const row1 = await screen.findByTestId('revision-1');
    expect(row1.textContent).toContain('admin');
    expect(screen.getByTestId('revision-2').textContent).toContain('rolled back to revision 1');
    expect(screen.getByTestId('revision-3').textContent).toContain('(current)');
    expect(within(screen.getByTestId('revision-3')).queryByRole('button', { name: 'Changes' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Roll back to this' })).toBeNull(); // viewers only read

    await user.click(within(row1).getByRole('button', { name: 'Changes' }));
    const diff = await screen.findByTestId('diff');
    const del = [...diff.querySelectorAll('.del')].map((d) => d.textContent);
    const add = [...diff.querySelectorAll('.add')].map((d) => d.textContent);
    expect(del).toHaveLength(1);
    expect(del[0]).toMatch(/^- +"port": 9003$/);
    expect(add).toHaveLength(1);
    expect(add[0]).toMatch(/^\+ +"port": 9001$/);
  });

  it('rolls back after confirmation and says how it went', async () => {
    let refuse = true;
    const calls = api(() =>
      refuse
        ? {
            status: 409,
            body: {
              title: 'Conflict',
              status: 409,
              detail: 'Revision 1 is no longer valid',
              errors: [{ field: 'agentIds[0]', message: 'is not enrolled' }],
            },
          }
        : {},
    );
    renderApp('/services/s1', OPERATOR);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Show history' }));
    const row1 = await screen.findByTestId('revision-1');
    await user.click(within(row1).getByRole('button', { name: 'Roll back to this' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false); // not before confirming
    await user.click(within(row1).getByRole('button', { name: 'Yes, restore revision 1' }));
    expect((await screen.findByText(/^Not rolled back: /)).textContent).toContain('agentIds[0]: is not enrolled');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ revision: 1 });

    refuse = false;
    await user.click(within(screen.getByTestId('revision-1')).getByRole('button', { name: 'Roll back to this' }));
    await user.click(within(screen.getByTestId('revision-1')).getByRole('button', { name: 'Yes, restore revision 1' }));
    expect((await screen.findByText('Rolled back to revision 1: now revision 4.')).getAttribute('role')).toBe('status');
    await waitFor(() =>
      expect(calls.filter((c) => c.path === '/api/v1/services/s1/revisions').length).toBeGreaterThan(1),
    );
  });
});
