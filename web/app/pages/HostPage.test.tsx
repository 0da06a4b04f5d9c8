import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

describe('host page containers', () => {
  it('link a managed container to its service by the service name', async () => {
    mockApi({
      'GET /api/v1/agents/a1': () => AGENT,
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/agents/a1/containers': () => [
        {
          id: 'c1',
          name: 'fg-shop-1',
          image: 'demo:1',
          state: 'running',
          health: 'healthy',
          serviceId: 's1',
          replica: 1,
          hostPort: 31000,
          ready: true,
        },
        {
          id: 'c2',
          name: 'other',
          image: 'x',
          state: 'running',
          health: 'none',
          serviceId: null,
          replica: null,
          hostPort: null,
          ready: true,
        },
      ],
    });
    renderApp('/hosts/a1');
    const link = await screen.findByRole('link', { name: 'shop' });
    expect(link.getAttribute('href')).toBe('/services/s1');
    expect(screen.queryByRole('link', { name: 'service' })).toBeNull();
  });
});
