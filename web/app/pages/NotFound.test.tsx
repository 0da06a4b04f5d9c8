import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../test/helpers';

const problem = (status: number, detail: string, errors: unknown[] = []) => ({
  status,
  body: { title: status === 404 ? 'Not Found' : 'Bad Request', status, detail, errors },
});

describe('not-found pages', () => {
  it('an unknown service id says so, not "module not installed", and draws no chart', async () => {
    const id = '6f1f0f0c-0000-4000-8000-000000000001';
    mockApi({
      'GET /api/v1/agents': () => [],
      [`GET /api/v1/services/${id}`]: () => problem(404, `Service ${id} not found`),
      [`GET /api/v1/services/${id}/status`]: () => problem(404, `Service ${id} not found`),
    });
    renderApp(`/services/${id}`);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Service not found');
    expect(screen.getByText(id)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'All services' }).getAttribute('href')).toBe('/services');
    expect(screen.queryByTestId('not-installed')).toBeNull();
    expect(screen.queryByText('Traffic')).toBeNull();
  });

  it('a malformed service id is not found either', async () => {
    mockApi({
      'GET /api/v1/services/nope': () =>
        problem(400, 'Invalid input', [{ field: 'id', message: 'is not a service id (a UUID)' }]),
    });
    renderApp('/services/nope');
    expect(await screen.findByTestId('not-found')).toBeTruthy();
  });

  it('without the proxy module the service page still says "not installed"', async () => {
    mockApi({});
    renderApp('/services/6f1f0f0c-0000-4000-8000-000000000001');
    expect((await screen.findAllByTestId('not-installed')).length).toBeGreaterThan(0);
    expect(screen.getByText('proxy')).toBeTruthy();
    expect(screen.queryByTestId('not-found')).toBeNull();
  });

  it('an unknown host has a not-found page instead of four empty charts', async () => {
    mockApi({ 'GET /api/v1/agents/ghost': () => problem(404, 'Agent ghost not found') });
    renderApp('/hosts/ghost');
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Host not found');
    expect(screen.getByRole('link', { name: 'All hosts' })).toBeTruthy();
    expect(screen.queryByText('Usage')).toBeNull();
    expect(screen.queryByText('CPU %')).toBeNull();
  });
});
