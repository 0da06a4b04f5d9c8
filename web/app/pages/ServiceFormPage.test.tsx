import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
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
              title: 'Bad Request',
              status: 400,
              detail: 'Invalid service',
              errors: [
                { field: 'upstream.targets[1].port', message: 'must be between 1 and 65535' },
                { field: 'domains[0]', message: 'is taken by service blog' },
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
    await user.type(screen.getByLabelText('Domains'), 'blog.example.test');
    // The only host is ticked already.
    expect((screen.getByRole('checkbox', { name: /web-1/ }) as HTMLInputElement).checked).toBe(true);
    await user.type(screen.getByLabelText('Port of target 1', { exact: false }), '9001');
    await user.click(screen.getByRole('button', { name: 'Add target' }));
    await user.type(screen.getAllByLabelText(/Port/)[1], '70000');
    await user.click(screen.getByRole('button', { name: 'Create service' }));

    const port = (await screen.findAllByLabelText(/Port/))[1];
    await waitFor(() => expect(port.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = port.getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)!.textContent).toBe('must be between 1 and 65535');
    expect(document.activeElement).toBe(screen.getByLabelText('Domains'));
    expect(screen.getByText('entry 1: is taken by service blog')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('2 problems');

    await user.clear(port);
    await user.type(port, '9002');
    await user.clear(screen.getByLabelText('Domains'));
    await user.type(screen.getByLabelText('Domains'), 'shop.example.test');
    await user.click(screen.getByRole('button', { name: 'Create service' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services/new1'));
    expect((await screen.findByText(/Created shop: revision 1./)).getAttribute('role')).toBe('status');
    expect(attempt).toBe(2);
    const sent = calls.filter((c) => c.method === 'POST').at(-1)!.body as any;
    expect(sent.agentIds).toEqual(['a1']);
    expect(sent.upstream.targets).toEqual([
      { host: '127.0.0.1', port: 9001, weight: 1 },
      { host: '127.0.0.1', port: 9002, weight: 1 },
    ]);
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

  it('shows every problem at once and clears each as it is fixed', async () => {
    mockApi({ 'GET /api/v1/agents': () => [] });
    renderApp('/services/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Domains'), 'ok.test\nnot a domain');
    await user.type(screen.getByLabelText('Port of target 1', { exact: false }), 'http');
    await user.click(screen.getByRole('button', { name: 'Create service' }));
    expect((await screen.findByRole('alert')).textContent).toContain('3 problems');
    expect(document.getElementById('f-name-error')!.textContent).toBe('is required');
    expect(document.getElementById('f-domains-error')!.textContent).toBe(
      'entry 2: "not a domain" is not a domain name (one domain per line)',
    );
    expect(document.getElementById('f-upstream_targets_0__port-error')!.textContent).toBe('must be a whole number');

    await user.type(screen.getByLabelText('Name'), 'shop');
    expect(document.getElementById('f-name-error')).toBeNull();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByRole('alert').textContent).toContain('2 problems');
    const port = screen.getByLabelText('Port of target 1', { exact: false });
    await user.clear(port);
    await user.type(port, '80');
    expect(document.getElementById('f-upstream_targets_0__port-error')).toBeNull();
    expect(document.getElementById('f-domains-error')).not.toBeNull();
  });

  it('drops the empty target row when containers are on, says why, and takes limits', async () => {
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT, { ...AGENT, id: 'a2', name: 'web-2', status: 'OFFLINE' }],
      'POST /api/v1/services': ({ body }) => ({
        status: 201,
        body: { ...SERVICE, ...(body as object), id: 'n2', revision: 1 },
      }),
      'GET /api/v1/services/n2': () => ({ ...SERVICE, id: 'n2' }),
    });
    renderApp('/services/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Name'), 'app');
    await user.type(screen.getByLabelText('Domains'), 'app.test');
    // Two hosts: none is chosen for the user; an OFFLINE one gets a warning when ticked.
    const offline = await screen.findByRole('checkbox', { name: /web-2/ });
    expect((offline as HTMLInputElement).checked).toBe(false);
    await user.click(offline);
    expect(screen.getByText(/web-2 is OFFLINE/).textContent).toContain('only once back online');
    await user.click(screen.getByRole('checkbox', { name: 'Run containers for this service' }));
    expect(screen.queryByLabelText('Port of target 1', { exact: false })).toBeNull();
    expect(screen.getByText(/The containers below are the targets/)).toBeTruthy();
    await user.type(screen.getByLabelText('Image'), 'fleetgate/demo:latest');
    await user.type(screen.getByLabelText('CPU limit'), '0.5');
    await user.type(screen.getByLabelText('Memory limit'), '128m');
    await user.selectOptions(screen.getByLabelText('Restart policy'), 'on-failure');
    await user.click(screen.getByRole('checkbox', { name: 'Active health check' }));
    expect(screen.getByText(/before a target is taken out/)).toBeTruthy();
    expect(screen.getByLabelText('Rise').getAttribute('aria-describedby')).toBe('f-upstream_healthCheck_rise-hint');
    await user.click(screen.getByRole('button', { name: 'Create service' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services/n2'));
    const sent = calls.find((c) => c.method === 'POST')!.body as any;
    expect(sent.agentIds).toEqual(['a2']);
    expect(sent.upstream.targets).toEqual([]);
    expect(sent.containers).toMatchObject({
      image: 'fleetgate/demo:latest',
      cpus: 0.5,
      memory: '128m',
      restartPolicy: 'on-failure',
    });
  });

  it('asks before leaving with unsaved changes', async () => {
    mockApi({ 'GET /api/v1/agents': () => [AGENT], 'GET /api/v1/services': () => [] });
    renderApp('/services/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Name'), 'half');
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await user.click(screen.getByRole('link', { name: 'Cancel' }));
    expect(confirm).toHaveBeenCalledWith('Leave this page? Your changes are not saved.');
    expect(screen.getByTestId('location').textContent).toBe('/services/new');
    confirm.mockReturnValue(true);
    await user.click(screen.getByRole('link', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services'));
    confirm.mockRestore();
  });

  it('does not ask about a form left as it came (the only host ticked by the page)', async () => {
    mockApi({ 'GET /api/v1/agents': () => [AGENT], 'GET /api/v1/services': () => [] });
    renderApp('/services/new');
    const box = await screen.findByRole('checkbox', { name: /web-1/ });
    await waitFor(() => expect((box as HTMLInputElement).checked).toBe(true));
    const confirm = vi.spyOn(window, 'confirm');
    await userEvent.click(screen.getByRole('link', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services'));
    expect(confirm).not.toHaveBeenCalled();
    confirm.mockRestore();
  });
});

describe('service form: HTTPS', () => {
  const CERT = {
    id: 'c1',
    source: 'custom',
    domains: ['shop.example.test'],
    state: 'VALID',
    notAfter: '2027-03-01T00:00:00Z',
  };

  it('sends tls auto with the redirect, and shows the field errors of the core', async () => {
    let attempt = 0;
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [],
      'POST /api/v1/services': ({ body }) => {
        attempt++;
        if (attempt === 1) {
          return {
            status: 400,
            body: {
              title: 'Bad Request',
              status: 400,
              errors: [{ field: 'tls.hstsMaxAgeSeconds', message: 'must be at most 63072000' }],
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
    await user.type(screen.getByLabelText('Domains'), 'shop.example.test');
    await user.type(screen.getByLabelText('Port of target 1', { exact: false }), '9001');
    expect(screen.queryByLabelText('Redirect HTTP to HTTPS')).toBeNull();
    await user.selectOptions(screen.getByLabelText('TLS'), 'auto');
    expect((screen.getByLabelText('Redirect HTTP to HTTPS') as HTMLInputElement).checked).toBe(true);
    await user.type(screen.getByLabelText('HSTS max-age (s)'), '99999999');
    await user.click(screen.getByRole('button', { name: 'Create service' }));

    const hsts = screen.getByLabelText('HSTS max-age (s)');
    await waitFor(() => expect(hsts.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(hsts.getAttribute('aria-describedby')!.split(' ').at(-1)!)!.textContent).toBe(
      'must be at most 63072000',
    );
    await user.clear(hsts);
    await user.type(hsts, '31536000');
    await user.click(screen.getByRole('button', { name: 'Create service' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/services/new1'));
    const sent = calls.filter((c) => c.method === 'POST').at(-1)!.body as any;
    expect(sent.tls).toEqual({ mode: 'auto', redirectHttp: true, hstsMaxAgeSeconds: 31536000 });
    expect(calls.some((c) => c.path === '/api/v1/certificates')).toBe(false);
  });

  it('picks an uploaded certificate for custom, and keeps the setting when editing', async () => {
    const existing = {
      ...SERVICE,
      id: 's1',
      tls: { mode: 'custom', certificateId: 'c1', redirectHttp: false, hstsMaxAgeSeconds: null },
    };
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [existing],
      'GET /api/v1/services/s1': () => existing,
      'GET /api/v1/services/s1/status': () => ({ revision: 2, agents: [], targets: [] }),
      'GET /api/v1/certificates': () => [CERT, { ...CERT, id: 'a1', source: 'acme', domains: ['other.test'] }],
      'PUT /api/v1/services/s1': ({ body }) => ({ ...existing, ...(body as object), revision: 2 }),
    });
    renderApp('/services/s1/edit');
    const user = userEvent.setup();
    const picker = await screen.findByLabelText('Certificate');
    await waitFor(() => expect((picker as HTMLSelectElement).value).toBe('c1'));
    expect(screen.queryByRole('option', { name: /other.test/ })).toBeNull();
    expect((screen.getByLabelText('Redirect HTTP to HTTPS') as HTMLInputElement).checked).toBe(false);
    await user.selectOptions(picker, '');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(picker.getAttribute('aria-invalid')).toBe('true'));
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    await user.selectOptions(picker, 'c1');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const sent = calls.find((c) => c.method === 'PUT')!.body as any;
    expect(sent.tls).toEqual({ mode: 'custom', certificateId: 'c1', redirectHttp: false, hstsMaxAgeSeconds: null });
  });
});
