import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, VIEWER, mockApi, renderApp } from '../test/helpers';

describe('service form', () => {
  it("shows the API's field errors next to their inputs, then saves the corrected service", async () => {
    let attempt = 0;
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [],
      'POST /api/v1/services': ({ body }) => {
        attempt++;
        if ((body as any).upstream.targets[1].port !== 9002) {
          return {
            status: 400,
            body: {
              title: 'Bad Request', status: 400, detail: 'Invalid service',
              errors: [
                { field: 'upstream.targets[1].port', message: 'must be between 1 and 65535' },
                { field: 'domains[0]', message: 'is not a valid domain name' },
              ],
            },
          };
        }
        return { status: 201, body: { ...SERVICE, ...(body as object), id: 'new1', revision: 1 } };
      },
      'GET /api/v1/services/new1': () => ({ ...SERVICE, id: 'new1' }),
      'GET /api/v1/services/new1/status': () => ({ revision: 1, agents: [], targets: [] }),
    });
    renderApp('/services/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Name'), 'shop');
    await user.type(screen.getByLabelText('Domains'), 'bad domain');
    await user.click(screen.getByRole('checkbox', { name: /web-1/ }));
    await user.type(screen.getByLabelText('Port of target 1', { exact: false }), '9001');
    await user.click(screen.getByRole('button', { name: 'Add target' }));
    await user.type(screen.getAllByLabelText(/Port/)[1], '70000');
    await user.click(screen.getByRole('button', { name: 'Create service' }));

    const port = (await screen.findAllByLabelText(/Port/))[1];
    await waitFor(() => expect(port.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = port.getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)!.textContent).toBe('must be between 1 and 65535');
    expect(document.activeElement).toBe(screen.getByLabelText('Domains'));
    expect(screen.getByText('entry 1: is not a valid domain name')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('2 problems');

    await user.clear(port);
    await user.type(port, '9002');
    await user.clear(screen.getByLabelText('Domains'));
    await user.type(screen.getByLabelText('Domains'), 'shop.example.test');
    await user.click(screen.getByRole('button', { name: 'Create service' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services/new1'));
    expect(attempt).toBe(2);
    const sent = calls.filter((c) => c.method === 'POST').at(-1)!.body as any;
    expect(sent.agentIds).toEqual(['a1']);
    expect(sent.upstream.targets).toEqual([{ host: '127.0.0.1', port: 9001, weight: 1 }, { host: '127.0.0.1', port: 9002, weight: 1 }]);
  });

  it('catches what it can before asking the core', async () => {
    const calls = mockApi({ 'GET /api/v1/agents': () => [] });
    renderApp('/services/new');
    await userEvent.click(await screen.findByRole('button', { name: 'Create service' }));
    await screen.findByRole('alert');
    expect(document.getElementById('f-name-error')!.textContent).toBe('is required');
    expect(document.getElementById('f-upstream_targets_0__port-error')!.textContent).toBe('is required');
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('a viewer gets no form and no write buttons', async () => {
    mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/services/s1': () => SERVICE,
      'GET /api/v1/services/s1/status': () => ({ revision: 3, agents: [], targets: [] }),
    });
    const view = renderApp('/services/new', VIEWER);
    expect(await screen.findByText(/Your role is read-only/)).toBeTruthy();
    view.unmount();
    renderApp('/services', VIEWER);
    expect(await screen.findByRole('link', { name: 'shop' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'New service' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Enrol a host' })).toBeNull();
  });

  it('edits an existing service with PUT', async () => {
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/services/s1': () => SERVICE,
      'GET /api/v1/services/s1/status': () => ({ revision: 3, agents: [], targets: [] }),
      'PUT /api/v1/services/s1': ({ body }) => ({ ...SERVICE, ...(body as object), revision: 4 }),
    });
    renderApp('/services/s1/edit');
    const domains = await screen.findByLabelText('Domains');
    expect((domains as HTMLTextAreaElement).value).toBe('shop.example.test');
    await userEvent.type(domains, '\nwww.shop.example.test');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services/s1'));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect((put.body as any).domains).toEqual(['shop.example.test', 'www.shop.example.test']);
  });
});
