import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

describe('page titles', () => {
  const routes = {
    'GET /api/v1/agents': () => [AGENT],
    'GET /api/v1/agents/a1': () => AGENT,
    'GET /api/v1/services': () => [SERVICE],
    'GET /api/v1/services/s1': () => SERVICE,
    'GET /api/v1/services/s1/status': () => ({ revision: 3, health: 'HEALTHY', agents: [], targets: [] }),
  };

  it.each([
    ['/', 'Overview · Fleetgate'],
    ['/services', 'Services · Fleetgate'],
    ['/services/s1', 'Service shop · Fleetgate'],
    ['/hosts/a1', 'Host web-1 · Fleetgate'],
    ['/services/new', 'New service · Fleetgate'],
    ['/nowhere', 'Page not found · Fleetgate'],
  ])('%s is titled "%s"', async (path, title) => {
    mockApi(routes);
    renderApp(path);
    await waitFor(() => expect(document.title).toBe(title));
  });

  it('the login page too', async () => {
    mockApi({});
    renderApp('/', null);
    expect(await screen.findByRole('heading', { name: 'Sign in to Fleetgate' })).toBeTruthy();
    expect(document.title).toBe('Sign in · Fleetgate');
  });
});
