import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SERVICE, VIEWER, mockApi, renderApp } from '../test/helpers';
import { answer, countdown } from './FirewallPage';

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000 + 30_000).toISOString();
const block = (ip: string, detector: string, mode: string) => ({
  ip,
  scope: 'global',
  serviceId: null,
  detector,
  action: 'block',
  mode,
  reason: `${detector} reason`,
  since: new Date().toISOString(),
  expiresAt: inMinutes(10),
  evidence: detector === 'manual' ? {} : { score: 1.5, counts: { notFound: 45 }, samples: [`${ip} "GET /.env" 404`] },
});
const settings = {
  mode: 'shadow',
  allow: [],
  windowSeconds: 60,
  detectors: {
    flood: { mode: null, action: 'limit', threshold: 1200 },
    scan: { mode: 'enforce', action: 'block', threshold: 30 },
  },
};

describe('firewall', () => {
  it('counts down', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(countdown('2026-12-01T10:04:05Z', now)).toBe('4m 05s');
    expect(countdown('2026-12-01T12:30:00Z', now)).toBe('2h 30m');
    expect(countdown('2026-12-01T09:00:00Z', now)).toBe('expired');
  });

  it('names what each action answers', () => {
    expect(answer('block')).toBe('403');
    expect(answer('limit')).toBe('429');
    expect(answer('challenge')).toBe('challenge');
  });

  it('lists blocks with evidence, unblocks, blocks and switches a detector', async () => {
    const calls = mockApi({
      'GET /api/v1/firewall/blocks': () => [
        block('127.0.0.9', 'scan', 'enforce'),
        block('127.0.0.10', 'manual', 'enforce'),
      ],
      'GET /api/v1/firewall/settings': () => settings,
      'DELETE /api/v1/firewall/blocks/127.0.0.9': () => ({ status: 204 }),
      'POST /api/v1/firewall/blocks': () => block('127.0.0.11', 'manual', 'enforce'),
      'PUT /api/v1/firewall/settings': () => settings,
    });
    renderApp('/firewall');
    const table = (await screen.findByText('127.0.0.9')).closest('table')!;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0].textContent).toContain('127.0.0.9');
    expect(rows[0].textContent).toContain('notFound 45');
    expect(rows[0].textContent).toMatch(/10m \d\ds/);
    expect(document.title).toBe('Firewall · Fleetgate');

    await userEvent.click(within(rows[0]).getByRole('button', { name: 'Unblock' }));
    expect(await screen.findByText('Unblocked 127.0.0.9.')).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Address'), '127.0.0.11');
    await userEvent.click(screen.getByRole('button', { name: 'Block' }));
    expect(await screen.findByText('Blocked 127.0.0.11.')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/v1/firewall/blocks');
    expect(post?.body).toEqual({ ip: '127.0.0.11', action: 'block' });
    await userEvent.type(screen.getByLabelText('Address'), '127.0.0.12');
    await userEvent.selectOptions(screen.getByLabelText('Answer'), 'challenge');
    await userEvent.click(screen.getByRole('button', { name: 'Block' }));
    expect(await screen.findByText('Blocked 127.0.0.12.')).toBeTruthy();
    const challenge = calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/firewall/blocks')[1];
    expect(challenge.body).toEqual({ ip: '127.0.0.12', action: 'challenge' });

    await userEvent.selectOptions(screen.getByLabelText('Mode of flood'), 'enforce');
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT');
    expect((put?.body as typeof settings).detectors.flood.mode).toBe('enforce');
  });

  it('edits thresholds, allowlist and rules with the errors on their inputs', async () => {
    let rejected = false;
    const calls = mockApi({
      'GET /api/v1/firewall/blocks': () => [],
      'GET /api/v1/firewall/settings': () => ({
        ...settings,
        rules: [{ id: 'env', target: 'path', regex: false, pattern: '/.env', weight: 2, missingOnly: false }],
      }),
      'PUT /api/v1/firewall/settings': (c) => {
        if (!rejected) {
          rejected = true;
          return {
            status: 400,
            body: {
              title: 'Invalid request',
              status: 400,
              errors: [
                { field: 'detectors.flood.threshold', message: 'must be a number between 10 and 1000000000' },
                { field: 'allow[1]', message: 'must be an IPv4 or IPv6 address or CIDR block' },
                { field: 'rules[0].pattern', message: 'must be a regular expression' },
              ],
            },
          };
        }
        return c.body;
      },
    });
    renderApp('/firewall');
    const threshold = (await screen.findByLabelText('flood threshold')) as HTMLInputElement;
    expect(threshold.value).toBe('1200');
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '5');
    await userEvent.type(screen.getByLabelText('Never blocked'), '127.0.0.1{Enter}not-an-address');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('must be a number between 10 and 1000000000')).toBeTruthy();
    expect(threshold.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('entry 2: must be an IPv4 or IPv6 address or CIDR block')).toBeTruthy();
    expect(screen.getByLabelText('rule 1 pattern').getAttribute('aria-invalid')).toBe('true');
    const bad = calls.filter((c) => c.method === 'PUT')[0].body as typeof settings;
    expect(bad.detectors.flood.threshold).toBe(5);
    expect(bad.allow).toEqual(['127.0.0.1', 'not-an-address']);

    await userEvent.clear(threshold);
    await userEvent.type(threshold, '2400');
    await userEvent.clear(screen.getByLabelText('Never blocked'));
    await userEvent.type(screen.getByLabelText('Never blocked'), '10.0.0.0/8');
    await userEvent.selectOptions(screen.getByLabelText('Action of scan'), 'limit');
    await userEvent.click(screen.getByRole('button', { name: 'Add a rule' }));
    await userEvent.type(screen.getByLabelText('rule 2 id'), 'admin');
    await userEvent.type(screen.getByLabelText('rule 2 pattern'), '/admin.php');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Thresholds, allowlist and rules saved.')).toBeTruthy();
    expect(threshold.getAttribute('aria-invalid')).toBe('false');
    const good = calls.filter((c) => c.method === 'PUT')[1].body as typeof settings & { rules: unknown[] };
    expect(good.detectors.flood).toEqual({ mode: null, action: 'limit', threshold: 2400 });
    expect(good.detectors.scan.action).toBe('limit');
    expect(good.allow).toEqual(['10.0.0.0/8']);
    expect(good.rules[1]).toEqual({
      id: 'admin',
      target: 'path',
      regex: false,
      pattern: '/admin.php',
      weight: 1,
      missingOnly: false,
    });
  });

  it('shows the top clients per service', async () => {
    mockApi({
      'GET /api/v1/firewall/blocks': () => [],
      'GET /api/v1/firewall/settings': () => settings,
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/firewall/top-clients': () => [
        {
          serviceId: 's1',
          clients: [
            { ip: '127.0.0.9', requests: 1500, errors: 300, agents: 2 },
            { ip: '2001:db8::1', requests: 40, errors: 0, agents: 1 },
          ],
        },
        { serviceId: null, clients: [{ ip: '127.0.0.7', requests: 3, errors: 3, agents: 1 }] },
      ],
    });
    renderApp('/firewall');
    const table = await screen.findByRole('table', { name: 'Top clients of shop' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0].textContent).toContain('127.0.0.9');
    expect(rows[0].textContent).toContain('1,500');
    expect(rows[0].textContent).toContain('(20 %)');
    expect(rows[1].textContent).toContain('2001:db8::1');
    expect(screen.getByRole('table', { name: 'Top clients of no service (default server)' })).toBeTruthy();
    await userEvent.click(within(rows[0]).getByRole('button', { name: 'Block…' }));
    expect((screen.getByLabelText('Address') as HTMLInputElement).value).toBe('127.0.0.9');
  });

  it("shows a service's top clients on its page, nothing without the firewall module", async () => {
    const routes = {
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/services/s1': () => SERVICE,
      'GET /api/v1/services/s1/status': () => ({ revision: 3, agents: [], targets: [] }),
    };
    mockApi({
      ...routes,
      'GET /api/v1/firewall/top-clients': (c) =>
        c.query.get('serviceId') === 's1'
          ? [{ serviceId: 's1', clients: [{ ip: '127.0.0.9', requests: 12, errors: 0, agents: 1 }] }]
          : [],
    });
    const first = renderApp('/services/s1');
    const section = await screen.findByRole('region', { name: 'Top clients' });
    expect((await within(section).findByText('127.0.0.9')).textContent).toBe('127.0.0.9');
    first.unmount();
    const calls = mockApi(routes);
    renderApp('/services/s1');
    await screen.findByText('Configuration on each host');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/firewall/top-clients')).toBe(true));
    await new Promise((r) => setTimeout(r, 100)); // the 404 answered
    expect(screen.queryByRole('region', { name: 'Top clients' })).toBeNull();
  });

  it('viewers read without actions', async () => {
    mockApi({
      'GET /api/v1/firewall/blocks': () => [block('127.0.0.9', 'scan', 'shadow')],
      'GET /api/v1/firewall/settings': () => settings,
    });
    renderApp('/firewall', VIEWER);
    await screen.findByText('127.0.0.9');
    await screen.findByLabelText('Mode of flood');
    expect(screen.queryByRole('button', { name: 'Unblock' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Block' })).toBeNull();
    expect((screen.getByLabelText('Mode of flood') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByLabelText('flood threshold').closest('fieldset[disabled]')).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
  });
});
