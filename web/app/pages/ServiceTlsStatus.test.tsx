import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

const STATUS = {
  revision: 3,
  health: 'HEALTHY',
  agents: [{ agentId: 'a1', appliedRevision: 3, state: 'APPLIED', error: null }],
  targets: [{ host: '127.0.0.1', port: 9001, healthy: true }],
};

describe('service page: TLS status', () => {
  const routes = (tls: unknown) => ({
    'GET /api/v1/agents': () => [AGENT],
    'GET /api/v1/services': () => [SERVICE],
    'GET /api/v1/services/s1': () => ({ ...SERVICE, tls: { mode: 'auto', redirectHttp: true } }),
    'GET /api/v1/services/s1/status': () => ({ ...STATUS, tls }),
  });

  it('says why HTTPS is not served when the core reports a problem', async () => {
    mockApi(routes({ mode: 'auto', problem: 'not served over HTTPS: no module serving TLS is installed' }));
    renderApp('/services/s1');
    const note = await screen.findByText(/HTTPS \(auto\): not served over HTTPS/);
    expect(note.getAttribute('role')).toBe('status');
  });

  it('says nothing when TLS is served', async () => {
    mockApi(routes({ mode: 'auto', problem: null }));
    renderApp('/services/s1');
    await screen.findAllByText('APPLIED');
    expect(screen.queryByText(/HTTPS \(auto\)/)).toBeNull();
  });
});
