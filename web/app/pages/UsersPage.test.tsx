import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ADMIN, OPERATOR, mockApi, renderApp, type Call } from '../test/helpers';

function usersApi() {
  let users = [
    { username: 'admin', roles: ['admin'], createdAt: '2026-01-01T00:00:00Z' },
    { username: 'olga', roles: ['operator'], createdAt: '2026-01-02T00:00:00Z' },
  ];
  const calls = mockApi({
    'GET /api/v1/auth/me': () => ADMIN,
    'GET /api/v1/users': () => users,
    'POST /api/v1/users': ({ body }: Call) => {
      const b = body as { username: string; password: string; roles: string[] };
      if (b.password.length < 10) {
        return {
          status: 400,
          body: {
            title: 'Bad Request',
            status: 400,
            errors: [{ field: 'password', message: 'must have at least 10 characters' }],
          },
        };
      }
      const u = { username: b.username, roles: b.roles, createdAt: '2026-02-01T00:00:00Z' };
      users = [...users, u];
      return { status: 201, body: u };
    },
    'PUT /api/v1/users/olga/roles': ({ body }: Call) => {
      users = users.map((u) => (u.username === 'olga' ? { ...u, roles: (body as { roles: string[] }).roles } : u));
      return users[1];
    },
    'PUT /api/v1/users/olga/password': () => ({ status: 204 }),
    'DELETE /api/v1/users/olga': () => {
      users = users.filter((u) => u.username !== 'olga');
      return { status: 204 };
    },
  });
  return calls;
}

describe('users', () => {
  it('lists users and creates one, showing field errors on the inputs', async () => {
    const calls = usersApi();
    renderApp('/users');
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('rowheader', { name: /olga/ })).toBeTruthy();
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'New user' });
    await user.type(within(form).getByLabelText('Username'), 'nina');
    await user.type(within(form).getByLabelText('Password'), 'short');
    await user.click(within(form).getByRole('checkbox', { name: 'operator' }));
    await user.click(within(form).getByRole('button', { name: 'Create user' }));
    expect(await within(form).findByText('must have at least 10 characters')).toBeTruthy();
    expect(within(form).getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');

    await user.clear(within(form).getByLabelText('Password'));
    await user.type(within(form).getByLabelText('Password'), 'nina-password');
    await user.click(within(form).getByRole('button', { name: 'Create user' }));
    expect(await within(form).findByText('User nina created.')).toBeTruthy();
    const post = calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/users').at(-1)!;
    expect(post.body).toEqual({ username: 'nina', password: 'nina-password', roles: ['viewer', 'operator'] });
    expect(await within(screen.getByRole('table')).findByRole('rowheader', { name: /nina/ })).toBeTruthy();
  });

  it('changes roles, resets a password and deletes a user', async () => {
    const calls = usersApi();
    renderApp('/users');
    const row = (await screen.findByRole('rowheader', { name: /olga/ })).closest('tr')!;
    const user = userEvent.setup();
    await user.click(within(row).getByRole('checkbox', { name: 'viewer' }));
    await user.click(within(row).getByRole('checkbox', { name: 'operator' }));
    await user.click(within(row).getByRole('button', { name: 'Save roles' }));
    expect(await within(row).findByText(/Roles saved/)).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/v1/users/olga/roles')!.body).toEqual({ roles: ['viewer'] });

    await user.type(within(row).getByLabelText('New password for olga'), 'olga-new-password');
    await user.click(within(row).getByRole('button', { name: 'Reset' }));
    expect(await within(row).findByText(/Password reset/)).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/v1/users/olga/password')!.body).toEqual({
      password: 'olga-new-password',
    });

    await user.click(within(row).getByRole('button', { name: 'Delete olga' }));
    await user.click(within(row).getByRole('button', { name: /delete/i }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: /olga/ })).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/users/olga')).toBe(true);
  });

  it('is for admins only: no nav link, no list call', async () => {
    const calls = mockApi({});
    renderApp('/users', OPERATOR);
    expect(await screen.findByText('Only an admin can manage users.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull();
    expect(calls.some((c) => c.path === '/api/v1/users')).toBe(false);
  });
});

describe('account', () => {
  it('changes the own password with the current one, then signs in again with the new one', async () => {
    const calls = mockApi({
      'PUT /api/v1/users/olga/password': ({ body }: Call) =>
        (body as { currentPassword: string }).currentPassword === 'olga-password'
          ? { status: 204 }
          : { status: 403, body: { title: 'Forbidden', status: 403, detail: 'The current password is wrong' } },
      'POST /api/v1/auth/login': () => ({ accessToken: 'new-jwt', tokenType: 'Bearer', expiresIn: 3600 }),
      'GET /api/v1/auth/me': () => OPERATOR,
    });
    renderApp('/account', OPERATOR);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Change password' }));
    expect(screen.getByText('is required')).toBeTruthy();
    expect(screen.getByText('must have at least 10 characters')).toBeTruthy();
    await user.type(screen.getByLabelText('Current password'), 'guess');
    await user.type(screen.getByLabelText('New password'), 'olga-new-password');
    await user.type(screen.getByLabelText('New password again'), 'olga-new-password');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The current password is wrong.');

    await user.clear(screen.getByLabelText('Current password'));
    await user.type(screen.getByLabelText('Current password'), 'olga-password');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Password changed/)).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/v1/auth/login')!.body).toEqual({
      username: 'olga',
      password: 'olga-new-password',
    });
    expect(JSON.parse(localStorage.getItem('fleetgate.session')!).token).toBe('new-jwt');
  });

  it('"sign out everywhere" revokes the tokens on the core', async () => {
    const calls = mockApi({ 'POST /api/v1/auth/logout': () => ({ status: 204 }) });
    renderApp('/account', OPERATOR);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/auth/logout')).toBe(true);
  });
});
