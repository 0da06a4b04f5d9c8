import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { VIEWER, mockApi, renderApp, type Call } from '../test/helpers';

const entry = (id: number, action: string, target: string | null) => ({
  id,
  at: new Date(Date.now() - id * 1000).toISOString(),
  user: 'alice',
  action,
  target,
  status: 204,
});

describe('activity', () => {
  it('lists who changed what, newest first, and pages with the cursor', async () => {
    const first = Array.from({ length: 50 }, (_, i) => entry(100 - i, 'PUT /services/s1', 's1'));
    const calls = mockApi({
      'GET /api/v1/activity': ({ query }: Call) =>
        query.get('before') === '51' ? [entry(50, 'DELETE /users/bob', 'bob')] : first,
    });
    renderApp('/activity');
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(51);
    expect(rows[1].textContent).toContain('alice');
    expect(rows[1].textContent).toContain('PUT /services/s1');
    expect(within(rows[1]).getByRole('link', { name: 's1' }).getAttribute('href')).toBe('/services/s1');
    expect(calls[calls.length - 1].query.get('limit')).toBe('50');

    await userEvent.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('DELETE /users/bob')).toBeTruthy();
    expect(calls.some((c) => c.path === '/api/v1/activity' && c.query.get('before') === '51')).toBe(true);
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Newer' }));
    expect((await screen.findAllByText('PUT /services/s1')).length).toBe(50);
  });

  it('says so when nothing was recorded', async () => {
    mockApi({ 'GET /api/v1/activity': () => [] });
    renderApp('/activity');
    expect(await screen.findByText('No change recorded yet.')).toBeTruthy();
  });

  it('viewers neither see the link nor ask the core', async () => {
    const calls = mockApi({});
    renderApp('/activity', VIEWER);
    expect(await screen.findByText('Only operators and admins can read the activity log.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Activity' })).toBeNull();
    expect(calls.some((c) => c.path === '/api/v1/activity')).toBe(false);
  });
});
