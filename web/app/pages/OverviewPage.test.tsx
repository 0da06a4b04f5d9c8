import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

describe('overview', () => {
  it('shows hosts, services with their state, and the problems', async () => {
    const offline = { ...AGENT, id: 'a2', name: 'web-2', status: 'OFFLINE', lastSeenAt: '2020-01-01T00:00:00Z' };
    mockApi({
      'GET /api/v1/agents': () => [AGENT, offline],
      'GET /api/v1/services': () => [SERVICE, { ...SERVICE, id: 's2', name: 'blog', domains: ['blog.test'] }],
      'GET /api/v1/services/s1/status': () => ({
        revision: 3,
        agents: [{ agentId: 'a1', appliedRevision: 3, state: 'APPLIED', error: null }],
        targets: [{ host: '127.0.0.1', port: 9001, healthy: true }],
      }),
      'GET /api/v1/services/s2/status': () => ({
        revision: 3,
        agents: [{ agentId: 'a1', appliedRevision: 2, state: 'FAILED', error: 'nginx: [emerg] bad' }],
        targets: [{ host: '127.0.0.1', port: 9002, healthy: false }],
      }),
      // The shape bundles/metrics answers; `latest` sums a group, so the page asks for cpu=total.
      'GET /api/v1/metrics/latest': ({ query }) =>
        query.get('name') === 'host_cpu_usage_percent' && query.get('cpu') === 'total'
          ? {
              name: 'host_cpu_usage_percent',
              by: 'agent',
              items: [{ labels: { agent: 'a1' }, value: 42, timestamp: 1, series: 1 }],
            }
          : { items: [] },
    });
    renderApp('/');
    expect(await screen.findByTestId('overview-ready')).toBeTruthy();
    expect(screen.getByTestId('hosts-online').textContent).toBe('1 / 2');
    expect(screen.getByTestId('services-count').textContent).toBe('2');
    const hosts = screen.getByRole('region', { name: /Hosts/ });
    expect(await within(hosts).findByText('42 %')).toBeTruthy();
    expect(within(hosts).getAllByRole('row')[1].textContent).toContain('web-2'); // offline first
    const problems = screen.getByRole('region', { name: 'Last problems' });
    expect(await within(problems).findByText('Service blog failed on web-1')).toBeTruthy();
    expect(within(problems).getByText('nginx: [emerg] bad')).toBeTruthy();
    expect(within(problems).getByText('Host web-2 is offline')).toBeTruthy();
    expect(within(problems).getByText('Service blog: 1 unhealthy target')).toBeTruthy();
  });

  it('says the services module is missing instead of breaking', async () => {
    mockApi({ 'GET /api/v1/agents': () => [] });
    renderApp('/');
    expect(await screen.findByTestId('not-installed')).toBeTruthy();
    expect(screen.getByText(/No host is enrolled yet/)).toBeTruthy();
  });
});
