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
    expect(JSON.parse(localStorage.getItem('fleetgate.session')!).user.username).toBe('admin');
  });

  it('an expired session (401) returns to the login, keeping the route', async () => {
    mockApi({
      ...routes,
      'GET /api/v1/agents': () => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }),
    });
    renderApp('/hosts');
    expect(await screen.findByText(/Your session has expired/)).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/login');
    expect(localStorage.getItem('fleetgate.session')).toBeNull();
    mockApi(routes);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/hosts'));
  });

  it('a session past its expiry time is not restored', async () => {
    mockApi(routes);
    localStorage.setItem('fleetgate.session', JSON.stringify({ token: 't', expiresAt: Date.now() - 1, user: ADMIN }));
    renderApp('/', null);
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
  });

  it('signing out revokes the tokens on the core, then forgets the session', async () => {
    const calls = mockApi({ ...routes, 'POST /api/v1/auth/logout': () => ({ status: 204 }) });
    renderApp('/');
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/auth/logout')).toBe(true));
    expect(calls.find((c) => c.path === '/api/v1/auth/logout')!.headers.Authorization).toBe('Bearer tok');
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
    expect(localStorage.getItem('fleetgate.session')).toBeNull();
    expect(screen.queryByText(/session has expired/)).toBeNull();
  });

  it('signing out still works when the core already refused the token', async () => {
    mockApi({
      ...routes,
      'POST /api/v1/auth/logout': () => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }),
    });
    renderApp('/');
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
    expect(localStorage.getItem('fleetgate.session')).toBeNull();
  });

  it('the session is shared with other tabs, and so is signing out', async () => {
    mockApi(routes);
    renderApp('/', null);
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
    // Another tab signs in: localStorage changes and this tab hears of it.
    localStorage.setItem(
      'fleetgate.session',
      JSON.stringify({ token: 'other-tab', expiresAt: Date.now() + 60_000, user: ADMIN }),
    );
    window.dispatchEvent(new StorageEvent('storage', { key: 'fleetgate.session' }));
    expect(await screen.findByTestId('overview-ready')).toBeTruthy();
    // ... and signs out.
    localStorage.removeItem('fleetgate.session');
    window.dispatchEvent(new StorageEvent('storage', { key: 'fleetgate.session' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
  });

  it('a failed sign-in puts the focus on the password, emptied', async () => {
    mockApi(routes);
    renderApp('/', null);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Username'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Password')));
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });
});
