import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, mockApi, renderApp } from '../test/helpers';

const OPEN = {
  id: '0123456789abcdef',
  name: 'web-2',
  createdBy: 'admin',
  createdAt: '2026-01-01T00:00:00Z',
  expiresAt: '2026-01-01T01:00:00Z',
};

describe('enrolment tokens', () => {
  it('lists the open tokens and revokes one after a confirmation', async () => {
    let open = [OPEN];
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/agents/enrollment-tokens': () => open,
      'DELETE /api/v1/agents/enrollment-tokens/0123456789abcdef': () => {
        open = [];
        return { status: 204 };
      },
    });
    renderApp('/enrol');
    const user = userEvent.setup();
    const table = await screen.findByRole('table');
    const row = within(table).getByText('web-2').closest('tr')!;
    expect(within(row).getByText('0123456789abcdef')).toBeTruthy();
    await user.click(within(row).getByRole('button', { name: 'Revoke' }));
    await user.click(within(row).getByRole('button', { name: 'Yes, revoke' }));
    expect((await screen.findByText(/Revoked the token for web-2/)).getAttribute('role')).toBe('status');
    await screen.findByText(/No open token/);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true);
  });

  it('waits for the agent after making a token, then names it', async () => {
    let agents = [AGENT];
    mockApi({
      'GET /api/v1/agents': () => agents,
      'GET /api/v1/agents/enrollment-tokens': () => [],
      'POST /api/v1/agents/enrollment-tokens': () => ({
        status: 201,
        body: {
          token: 'fgt_x',
          expiresAt: '2026-01-01T01:00:00Z',
          command: 'fleetgate-agent --core https://c:8443 --token fgt_x',
        },
      }),
    });
    renderApp('/enrol');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Host name (optional)'), 'web-2');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByTestId('enrol-waiting')).textContent).toContain('Waiting for the agent…');
    // Another host enrolling under another name is not this one.
    agents = [AGENT, { ...AGENT, id: 'a9', name: 'other' }];
    agents = [...agents, { ...AGENT, id: 'a2', name: 'web-2' }];
    await waitFor(() => expect(screen.getByTestId('enrol-arrived').textContent).toContain('web-2 enrolled'), {
      timeout: 12_000,
    });
    expect(within(screen.getByTestId('enrol-arrived')).getByRole('link', { name: 'web-2' }).getAttribute('href')).toBe(
      '/hosts/a2',
    );
  });

  it('hides the list on a core without it', async () => {
    mockApi({ 'GET /api/v1/agents': () => [AGENT] });
    renderApp('/enrol');
    await screen.findByRole('button', { name: 'Create token' });
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.queryByRole('heading', { name: 'Open tokens' })).toBeNull();
  });
});
