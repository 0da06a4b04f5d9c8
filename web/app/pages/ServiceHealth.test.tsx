import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

const DOWN_STATUS = {
  revision: 3,
  health: 'DOWN',
  agents: [{ agentId: 'a1', appliedRevision: 3, state: 'APPLIED', error: null }],
  targets: [{ host: '127.0.0.1', port: 9001, healthy: false }],
};

describe('service health', () => {
  const routes = {
    'GET /api/v1/agents': () => [AGENT],
    'GET /api/v1/services': () => [{ ...SERVICE, health: 'DOWN' }],
    'GET /api/v1/services/s1': () => SERVICE,
    'GET /api/v1/services/s1/status': () => DOWN_STATUS,
  };

  it('overview shows DOWN, not APPLIED, for a service whose only target is down', async () => {
    mockApi(routes);
    renderApp('/');
    const services = await screen.findByRole('region', { name: /Services/ });
    const badge = await within(services).findByText('DOWN');
    expect(badge.className).toContain('bad');
    expect(badge.getAttribute('title')).toBe('configuration APPLIED');
    expect(within(services).queryByText('APPLIED')).toBeNull();
  });

  it('the list and the service page show the health badge', async () => {
    mockApi(routes);
    renderApp('/services');
    const row = (await screen.findByRole('link', { name: SERVICE.name })).closest('tr')!;
    expect(await within(row as HTMLElement).findByText('DOWN')).toBeTruthy();
    expect(within(row as HTMLElement).queryByText('APPLIED')).toBeNull();
  });

  it('degraded is amber, unknown grey', async () => {
    mockApi({ ...routes, 'GET /api/v1/services/s1/status': () => ({ ...DOWN_STATUS, health: 'DEGRADED' }) });
    renderApp('/services/s1');
    const title = await screen.findByRole('heading', { level: 1 });
    const badge = await within(title).findByText('DEGRADED');
    expect(badge.className).toContain('warn');
  });

  it('a core without health says UNKNOWN in grey', async () => {
    mockApi({ ...routes, 'GET /api/v1/services/s1/status': () => ({ ...DOWN_STATUS, health: undefined }) });
    renderApp('/services/s1');
    const title = await screen.findByRole('heading', { level: 1 });
    const badge = await within(title).findByText('UNKNOWN');
    expect(badge.className).toContain('neutral');
  });
});
