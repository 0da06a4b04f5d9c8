import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { duration, logFile, parseAccess, statusTone } from '../lib/accessLog';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

const access = (t: string, status: number, path: string, service = 's1') => ({
  timestamp: t,
  stream: 'access',
  text: JSON.stringify({
    time: 1,
    service,
    client: '127.0.0.1',
    method: 'GET',
    host: 'shop.example.test',
    path,
    status,
    bytes: 10,
    requestTime: 0.012,
    upstreamTime: '0.011',
    upstream: '127.0.0.1:9001',
    userAgent: 'curl',
  }),
});

describe('access-log lines', () => {
  it('parse into columns; other text stays text', () => {
    expect(parseAccess(access('2026-01-01T00:00:01Z', 502, '/x'))).toEqual({
      status: 502,
      method: 'GET',
      path: '/x',
      host: 'shop.example.test',
      service: 's1',
      upstream: '127.0.0.1:9001',
      seconds: 0.012,
    });
    expect(parseAccess({ timestamp: '', stream: 'access', text: 'not json' })).toBeNull();
    expect(parseAccess({ timestamp: '', stream: 'stdout', text: '{"status":200}' })).toBeNull();
    expect([200, 304, 404, 503, 0].map(statusTone)).toEqual(['ok', 'neutral', 'warn', 'bad', 'bad']);
    expect(duration(0.012)).toBe('12 ms');
    expect(duration(1.5)).toBe('1.50 s');
    expect(logFile([{ timestamp: 't1', stream: 'stdout', text: 'a', origin: 'web-1 shop-0' }])).toBe(
      't1\tweb-1 shop-0\tstdout\ta\n',
    );
  });

  it('show time, coloured status, method, path, the service name, upstream and time taken', async () => {
    mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/agents/a1/containers': () => [],
      'GET /api/v1/agents/a1/nginx/logs/access': ({ query }) => ({
        lines: query.get('cursor')
          ? []
          : [access('2026-01-01T00:00:01Z', 200, '/ok'), access('2026-01-01T00:00:02Z', 503, '/broken')],
        cursor: 'c',
      }),
    });
    renderApp('/logs?agent=a1&source=nginx%3Aaccess');
    const path = await screen.findByText('/broken');
    const row = path.closest('.logline') as HTMLElement;
    expect(row.getAttribute('data-status')).toBe('503');
    expect(within(row).getByText('503').className).toContain('st-bad');
    expect(within(row).getByText('GET')).toBeTruthy();
    expect(within(row).getByText('shop')).toBeTruthy(); // the name, not the id
    expect(within(row).getByText('127.0.0.1:9001')).toBeTruthy();
    expect(within(row).getByText('12 ms')).toBeTruthy();
    expect(within(row).getByText('00:00:02')).toBeTruthy();
    expect(within(screen.getByText('/ok').closest('.logline') as HTMLElement).getByText('200').className).toContain(
      'st-ok',
    );

    await userEvent.click(screen.getByRole('checkbox', { name: 'Wrap lines' }));
    expect(screen.getByRole('log').className).toContain('wrap');
    expect(screen.getByText('/broken')).toBeTruthy();
  });

  it('merges one service across its hosts and replicas, in time order, and downloads what is shown', async () => {
    const second = { ...AGENT, id: 'a2', name: 'web-2' };
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT, second],
      'GET /api/v1/services': () => [{ ...SERVICE, agentIds: ['a1', 'a2'] }],
      'GET /api/v1/services/s1/status': () => ({
        revision: 3,
        agents: [],
        targets: [],
        replicas: [
          { agentId: 'a2', containerId: 'c9', name: 'fg-shop-0', state: 'running', health: 'healthy', ready: true },
        ],
      }),
      'GET /api/v1/agents/a1/nginx/logs/access': ({ query }) => ({
        lines: query.get('cursor') ? [] : [access('2026-01-01T00:00:03Z', 200, '/third')],
        cursor: 'c',
      }),
      'GET /api/v1/agents/a2/nginx/logs/access': ({ query }) => ({
        lines: query.get('cursor') ? [] : [access('2026-01-01T00:00:01Z', 200, '/first')],
        cursor: 'c',
      }),
      'GET /api/v1/agents/a2/containers/c9/logs': ({ query }) => ({
        lines: query.get('cursor')
          ? []
          : [{ timestamp: '2026-01-01T00:00:02.000000001Z', stream: 'stdout', text: 'replica says hi' }],
        cursor: 'c',
      }),
    });
    renderApp('/logs?service=s1');
    await screen.findByText('/third');
    await screen.findByText('/first');
    await screen.findByText('replica says hi');
    const rows = Array.from(screen.getByRole('log').querySelectorAll('.logline'));
    expect(rows.map((r) => r.querySelector('.c-origin')!.textContent)).toEqual([
      'web-2 nginx',
      'web-2 fg-shop-0',
      'web-1 nginx',
    ]);
    expect(screen.getByTestId('log-status').textContent).toContain('merged from 3 logs');
    expect(calls.find((c) => c.path === '/api/v1/agents/a1/nginx/logs/access')!.query.get('filter')).toBe('s1');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logs of shop');

    const created = vi.fn(() => 'blob:x');
    URL.createObjectURL = created;
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await userEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(clicked).toHaveBeenCalled());
    const blob = (created.mock.calls[0] as unknown as [Blob])[0];
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.readAsText(blob);
    });
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[1]),
    ).toEqual(['web-2 nginx', 'web-2 fg-shop-0', 'web-1 nginx']);
    clicked.mockRestore();
  });
});
