import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { OPERATOR, VIEWER, mockApi, renderApp } from '../test/helpers';

const INCIDENT = {
  id: 'i1',
  ruleId: 'r1',
  rule: 'CPU above 85%',
  kind: 'metric',
  subject: 'agent=a1,cpu=total',
  state: 'OPEN',
  severity: 'critical',
  value: 91.5,
  threshold: 85,
  op: '>',
  metric: 'host_cpu_usage_percent',
  message: 'cpu = 91.5 > 85',
  labels: { agent: 'a1' },
  openedAt: '2026-12-01T10:00:00Z',
  lastSeenAt: '2026-12-01T10:05:00Z',
  resolvedAt: null,
  ackedAt: null,
  ackedBy: null,
  flapping: false,
};

describe('incidents page', () => {
  it('lists open incidents and asks the API again with the chosen filters', async () => {
    const calls = mockApi({
      'GET /api/v1/incidents': ({ query }) => (query.get('severity') === 'info' ? [] : [INCIDENT]),
    });
    renderApp('/incidents', VIEWER);
    expect(await screen.findByText('CPU above 85%')).toBeTruthy();
    expect(screen.getByText('agent=a1,cpu=total')).toBeTruthy();
    expect(calls[0].query.get('state')).toBe('open');
    await userEvent.selectOptions(screen.getByLabelText('Severity'), 'info');
    expect(await screen.findByText('No open incident.')).toBeTruthy();
    const last = calls[calls.length - 1];
    expect(last.query.get('severity')).toBe('info');
    expect(last.query.get('state')).toBe('open');
    await userEvent.selectOptions(screen.getByLabelText('State'), '');
    await waitFor(() => expect(calls[calls.length - 1].query.get('state')).toBeNull());
  });

  it('says the alerts module is missing instead of breaking', async () => {
    mockApi({});
    renderApp('/incidents');
    expect(await screen.findByTestId('not-installed')).toBeTruthy();
  });
});

describe('incident page', () => {
  it('shows the timeline and messages, and an operator acknowledges it', async () => {
    let acked = false;
    const calls = mockApi({
      'GET /api/v1/incidents/i1': () => ({
        ...INCIDENT,
        ackedAt: acked ? '2026-12-01T10:06:00Z' : null,
        ackedBy: acked ? 'olga' : null,
        timeline: [
          { at: '2026-12-01T10:00:00Z', type: 'opened', detail: 'cpu = 91.5 > 85' },
          { at: '2026-12-01T10:00:01Z', type: 'sent', detail: 'opened via telegram channel ops' },
        ],
        deliveries: [
          {
            id: 1,
            incidentId: 'i1',
            channelId: 'c1',
            channel: 'ops',
            event: 'opened',
            state: 'SENT',
            attempts: 1,
            createdAt: '2026-12-01T10:00:00Z',
            sentAt: '2026-12-01T10:00:01Z',
            nextAttemptAt: null,
            error: null,
          },
        ],
      }),
      'POST /api/v1/incidents/i1/ack': () => {
        acked = true;
        return INCIDENT;
      },
    });
    renderApp('/incidents/i1', OPERATOR);
    expect(await screen.findByText('opened via telegram channel ops', { exact: false })).toBeTruthy();
    const messages = screen.getAllByRole('table')[0];
    expect(within(messages).getByText('SENT')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull());
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/incidents/i1/ack')).toBe(true);
    expect(await screen.findByText(/by olga/)).toBeTruthy();
  });

  it('a viewer cannot acknowledge', async () => {
    mockApi({ 'GET /api/v1/incidents/i1': () => ({ ...INCIDENT, timeline: [], deliveries: [] }) });
    renderApp('/incidents/i1', VIEWER);
    expect(await screen.findByText('Timeline')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  });
});

describe('alerts page', () => {
  const routes = {
    'GET /api/v1/alerts/rules': () => [
      {
        id: 'r1',
        name: 'CPU above 85%',
        kind: 'metric',
        enabled: true,
        severity: 'warning',
        metric: 'host_cpu_usage_percent',
        labels: { cpu: 'total' },
        aggregate: 'last',
        windowSeconds: 0,
        op: '>',
        threshold: 85,
        forSeconds: 0,
        clearForSeconds: 300,
        repeatIntervalSeconds: 0,
        channelIds: ['c1'],
        builtin: true,
      },
    ],
    'GET /api/v1/alerts/channels': () => [
      {
        id: 'c1',
        name: 'ops telegram',
        type: 'telegram',
        settings: { botToken: '********', chatId: '-1' },
        ratePerMinute: 20,
        enabled: true,
        blockedUntil: null,
      },
    ],
  };

  it('shows rules and channels, sends a test and shows its result', async () => {
    const calls = mockApi({
      ...routes,
      'POST /api/v1/alerts/channels/c1/test': () => ({ ok: false, error: 'Telegram answered 401: Unauthorized' }),
    });
    renderApp('/alerts', OPERATOR);
    expect(await screen.findByText('host_cpu_usage_percent{cpu="total"} > 85')).toBeTruthy();
    expect(await screen.findAllByText('ops telegram')).toHaveLength(2); // the channel, and the rule's channel
    await userEvent.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByText('failed: Telegram answered 401: Unauthorized')).toBeTruthy();
    expect(calls.filter((c) => c.path.endsWith('/test'))).toHaveLength(1);
  });

  it('previews a template and shows why one does not render', async () => {
    const calls = mockApi({
      ...routes,
      'POST /api/v1/alerts/templates/preview': ({ body }) => {
        const b = body as { body?: string };
        return b.body?.includes('{{#')
          ? {
              status: 400,
              body: {
                title: 'Invalid request',
                status: 400,
                errors: [{ field: 'body', message: 'does not render: Failed to close section' }],
              },
            }
          : {
              title: '[WARNING] CPU above 85%: agent=web-1',
              text: b.body ? 'custom CPU above 85%' : '[WARNING] CPU above 85%: agent=web-1\nValue: 91.50',
            };
      },
    });
    renderApp('/alerts', VIEWER);
    await screen.findByText('Template preview');
    expect(screen.queryByRole('button', { name: 'Send test' })).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Channel type'), 'email');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByLabelText('preview')).textContent).toContain('Value: 91.50');
    const sent = calls.find((c) => c.path.endsWith('/preview'))!.body as Record<string, string>;
    expect(sent).toEqual({ channelType: 'email', event: 'opened' });
    await userEvent.type(screen.getByRole('textbox', { name: /mustache/ }), '{{{{#rule}} open');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toBe('does not render: Failed to close section');
  });
});

describe('overview', () => {
  it('shows how many incidents are open', async () => {
    mockApi({
      'GET /api/v1/agents': () => [],
      'GET /api/v1/services': () => [],
      'GET /api/v1/incidents': () => [INCIDENT, { ...INCIDENT, id: 'i2' }],
    });
    renderApp('/', VIEWER);
    await waitFor(() => expect(screen.getByTestId('incidents-open').textContent).toBe('2'));
  });

  it('shows a dash without the alerts module', async () => {
    mockApi({ 'GET /api/v1/agents': () => [], 'GET /api/v1/services': () => [] });
    renderApp('/', VIEWER);
    await waitFor(() => expect(screen.getByTestId('incidents-open').textContent).toBe('—'));
  });
});
