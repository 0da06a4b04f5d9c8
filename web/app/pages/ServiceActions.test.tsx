import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

const STATUS = { revision: 3, health: 'HEALTHY', agents: [], targets: [], replicas: [] };

describe('service actions say how they went', () => {
  it('delete: "Deleted shop." on the list, or why not on the page', async () => {
    let refuse = true;
    mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [],
      'GET /api/v1/services/s1': () => SERVICE,
      'GET /api/v1/services/s1/status': () => STATUS,
      'DELETE /api/v1/services/s1': () =>
        refuse
          ? { status: 409, body: { title: 'Conflict', status: 409, detail: 'changed meanwhile' } }
          : { status: 204 },
    });
    renderApp('/services/s1');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Not deleted: /);
    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services'));
    expect((await screen.findByText('Deleted shop.')).getAttribute('role')).toBe('status');
  });

  it('scale: the failure is named as one', async () => {
    const service = { ...SERVICE, containers: { image: 'img', replicas: 1 } };
    mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services/s1': () => service,
      'GET /api/v1/services/s1/status': () => STATUS,
      'PUT /api/v1/services/s1/replicas': () => ({
        status: 409,
        body: {
          title: 'Conflict',
          status: 409,
          detail: 'busy',
          errors: [{ field: 'replicas', message: 'kept changing' }],
        },
      }),
    });
    renderApp('/services/s1');
    const user = userEvent.setup();
    const input = await screen.findByLabelText('Desired replicas');
    await user.clear(input);
    await user.type(input, '3');
    await user.click(screen.getByRole('button', { name: 'Scale' }));
    expect((await screen.findByText(/^Not scaled: kept changing$/)).getAttribute('role')).toBe('status');
  });

  it('deploy: the failure names the bundle and the reason', async () => {
    mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/modules': () => [],
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
      'POST /api/v1/bundles/b1/deployments': () => ({
        status: 409,
        body: { title: 'Conflict', status: 409, detail: 'signature mismatch' },
      }),
    });
    renderApp('/modules');
    await userEvent.click(await screen.findByRole('button', { name: 'Deploy to all' }));
    const message = await screen.findByText(/^Deploy of dev.fleetgate.agent.probe failed: /);
    expect(message.className).toContain('error');
  });
});
