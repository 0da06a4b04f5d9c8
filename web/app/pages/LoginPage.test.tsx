import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ADMIN, AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

const routes = {
  'POST /api/v1/auth/login': ({ body }: { body: any }) =>
    body.password === 'right-password'
      ? { accessToken: 'jwt', tokenType: 'Bearer', expiresIn: 3600 }
      : { status: 401, body: { title: 'Unauthorized', status: 401, detail: 'Bad credentials' } },
  'GET /api/v1/auth/me': () => ADMIN,
  'GET /api/v1/agents': () => [AGENT],
  'GET /api/v1/services': () => [SERVICE],
  'GET /api/v1/services/s1/status': () => ({ revision: 3, agents: [], targets: [] }),
};

describe('login', () => {
  it('sends a signed-out user to the login and back to the intended route', async () => {
    const calls = mockApi(routes);
    renderApp('/services?x=1', null);
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password.');

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'right-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Services' })).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/services?x=1');
    const me = calls.find((c) => c.path === '/api/v1/auth/me')!;
    expect(me.headers.Authorization).toBe('Bearer jwt');
    expect(JSON.parse(sessionStorage.getItem('fleetgate.session')!).user.username).toBe('admin');
  });

  it('an expired session (401) returns to the login, keeping the route', async () => {
    mockApi({
      ...routes,
      'GET /api/v1/agents': () => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }),
    });
    renderApp('/hosts');
    expect(await screen.findByText(/Your session has expired/)).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/login');
    expect(sessionStorage.getItem('fleetgate.session')).toBeNull();
    mockApi(routes);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/hosts'));
  });

  it('a session past its expiry time is not restored', async () => {
    mockApi(routes);
    sessionStorage.setItem('fleetgate.session', JSON.stringify({ token: 't', expiresAt: Date.now() - 1, user: ADMIN }));
    renderApp('/', null);
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
  });

  it('signing out forgets the session', async () => {
    mockApi(routes);
    renderApp('/');
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
    expect(sessionStorage.getItem('fleetgate.session')).toBeNull();
    expect(screen.queryByText(/session has expired/)).toBeNull();
  });
});
