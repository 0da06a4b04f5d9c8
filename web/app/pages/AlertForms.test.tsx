import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ADMIN, OPERATOR, VIEWER, mockApi, renderApp } from '../test/helpers';
import { parseLabels } from './AlertForms';

const RULE = {
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
  clearThreshold: 80,
  forSeconds: 0,
  clearForSeconds: 300,
  repeatIntervalSeconds: 0,
  channelIds: [],
  builtin: true,
};
const CHANNEL = {
  id: 'c1',
  name: 'ops telegram',
  type: 'telegram',
  settings: { botToken: '********', chatId: '-1' },
  ratePerMinute: 20,
  enabled: true,
  blockedUntil: null,
};
const invalid = (...errors: { field: string; message: string }[]) => ({
  status: 400,
  body: { title: 'Invalid request', status: 400, errors },
});

describe('labels', () => {
  it('reads name=value lines and says which line is wrong', () => {
    expect(parseLabels('cpu=total\n\n agent = "a1" ')).toEqual({ labels: { cpu: 'total', agent: 'a1' } });
    expect(parseLabels('cpu=total\noops').error).toBe('line 2: write name=value');
  });
});

describe('rule form', () => {
  it('creates a metric rule, showing the API’s errors at their inputs first', async () => {
    let attempts = 0;
    const calls = mockApi({
      'GET /api/v1/alerts/rules': () => [RULE],
      'GET /api/v1/alerts/channels': () => [CHANNEL],
      'POST /api/v1/alerts/rules': ({ body }) => {
        attempts++;
        if (attempts === 1) {
          return invalid(
            { field: 'metric', message: 'must be a metric name like host_cpu_usage_percent' },
            { field: 'clearThreshold', message: 'must be at most the threshold' },
          );
        }
        return { ...RULE, ...(body as object), id: 'r2', builtin: false };
      },
    });
    renderApp('/alerts', OPERATOR);
    await userEvent.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = screen.getByRole('form', { name: 'New rule' });
    await userEvent.click(within(form).getByRole('button', { name: 'Create rule' }));
    expect(within(form).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByText('is required')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await userEvent.type(within(form).getByLabelText('Name'), '5xx on shop');
    await userEvent.type(within(form).getByLabelText('Metric'), 'service 5xx');
    await userEvent.type(within(form).getByLabelText('Label filters'), 'service=shop');
    await userEvent.type(within(form).getByLabelText('Threshold'), '5');
    await userEvent.type(within(form).getByLabelText('Clear threshold'), '9');
    await userEvent.type(within(form).getByLabelText('For (s)'), '60');
    await userEvent.click(within(form).getByLabelText(/ops telegram/));
    await userEvent.click(within(form).getByRole('button', { name: 'Create rule' }));
    expect(await within(form).findByText('must be a metric name like host_cpu_usage_percent')).toBeTruthy();
    expect(within(form).getByLabelText('Metric').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByLabelText('Clear threshold').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByText('must be at most the threshold')).toBeTruthy();

    await userEvent.clear(within(form).getByLabelText('Metric'));
    await userEvent.type(within(form).getByLabelText('Metric'), 'service_5xx_ratio_percent');
    await userEvent.clear(within(form).getByLabelText('Clear threshold'));
    await userEvent.type(within(form).getByLabelText('Clear threshold'), '4');
    await userEvent.click(within(form).getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByText('Rule 5xx on shop saved.')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'New rule' })).toBeNull();
    const posts = calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/alerts/rules');
    expect(posts[1].body).toEqual({
      name: '5xx on shop',
      kind: 'metric',
      severity: 'warning',
      enabled: true,
      channelIds: ['c1'],
      forSeconds: 60,
      repeatIntervalSeconds: 0,
      metric: 'service_5xx_ratio_percent',
      labels: { service: 'shop' },
      aggregate: 'last',
      op: '>',
      windowSeconds: 0,
      threshold: 5,
      clearThreshold: 4,
      clearForSeconds: 0,
    });
  });

  it('edits a rule and creates an event rule without metric fields', async () => {
    const calls = mockApi({
      'GET /api/v1/alerts/rules': () => [RULE],
      'GET /api/v1/alerts/channels': () => [CHANNEL],
      'PUT /api/v1/alerts/rules/r1': ({ body }) => ({ ...RULE, ...(body as object) }),
      'POST /api/v1/alerts/rules': ({ body }) => ({ ...RULE, ...(body as object), id: 'r3' }),
    });
    renderApp('/alerts', OPERATOR);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit rule CPU above 85%' }));
    const form = screen.getByRole('form', { name: 'Edit rule CPU above 85%' });
    expect((within(form).getByLabelText('Label filters') as HTMLTextAreaElement).value).toBe('cpu=total');
    const threshold = within(form).getByLabelText('Threshold');
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '90');
    await userEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await screen.findByText('Rule CPU above 85% saved.');
    const put = calls.find((c) => c.method === 'PUT')!.body as Record<string, unknown>;
    expect(put).toMatchObject({ threshold: 90, clearThreshold: 80, clearForSeconds: 300, labels: { cpu: 'total' } });

    await userEvent.click(screen.getByRole('button', { name: 'New rule' }));
    const event = screen.getByRole('form', { name: 'New rule' });
    await userEvent.selectOptions(within(event).getByLabelText('Kind'), 'event');
    expect(within(event).queryByLabelText('Metric')).toBeNull();
    await userEvent.type(within(event).getByLabelText('Name'), 'Shop down');
    await userEvent.type(within(event).getByLabelText('Event kind'), 'service.down');
    await userEvent.type(within(event).getByLabelText('For (s)'), '120');
    await userEvent.click(within(event).getByRole('button', { name: 'Create rule' }));
    await screen.findByText('Rule Shop down saved.');
    const post = calls.find((c) => c.method === 'POST')!.body as Record<string, unknown>;
    expect(post).toEqual({
      name: 'Shop down',
      kind: 'event',
      severity: 'warning',
      enabled: true,
      channelIds: [],
      forSeconds: 120,
      repeatIntervalSeconds: 0,
      eventKind: 'service.down',
    });
  });

  it('is not offered to viewers; channels are not offered to operators', async () => {
    mockApi({ 'GET /api/v1/alerts/rules': () => [RULE], 'GET /api/v1/alerts/channels': () => [CHANNEL] });
    renderApp('/alerts', VIEWER);
    await screen.findByText('CPU above 85%');
    expect(screen.queryByRole('button', { name: 'New rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit/ })).toBeNull();
  });

  it('operators edit rules but not channels', async () => {
    mockApi({ 'GET /api/v1/alerts/rules': () => [RULE], 'GET /api/v1/alerts/channels': () => [CHANNEL] });
    renderApp('/alerts', OPERATOR);
    await screen.findByRole('button', { name: 'New rule' });
    expect(screen.queryByRole('button', { name: 'New channel' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit channel ops telegram' })).toBeNull();
  });
});

describe('channel form', () => {
  it('creates a channel with per-field errors from the API', async () => {
    let attempts = 0;
    const calls = mockApi({
      'GET /api/v1/alerts/rules': () => [],
      'GET /api/v1/alerts/channels': () => [],
      'GET /api/v1/alerts/channel-types': () => ['email', 'telegram', 'webhook'],
      'POST /api/v1/alerts/channels': ({ body }) => {
        attempts++;
        return attempts === 1
          ? invalid(
              { field: 'settings.to[1]', message: 'must be an e-mail address' },
              { field: 'settings.host', message: 'is required' },
            )
          : {
              ...(body as object),
              id: 'c2',
              ratePerMinute: 20,
              blockedUntil: null,
              settings: { ...(body as { settings: object }).settings, password: '********' },
            };
      },
    });
    renderApp('/alerts', ADMIN);
    await userEvent.click(await screen.findByRole('button', { name: 'New channel' }));
    const form = screen.getByRole('form', { name: 'New channel' });
    await waitFor(() =>
      expect(
        within(form)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toContain('webhook'),
    );
    await userEvent.selectOptions(within(form).getByLabelText('Type'), 'email');
    await userEvent.type(within(form).getByLabelText('Name'), 'ops mail');
    await userEvent.type(within(form).getByLabelText('To'), 'ops@fleet.test\nnot-an-address');
    await userEvent.type(within(form).getByLabelText('From'), 'alerts@fleet.test');
    await userEvent.type(within(form).getByLabelText('SMTP port'), '2525');
    await userEvent.type(within(form).getByLabelText('SMTP password'), 'smtp-pw');
    await userEvent.click(within(form).getByRole('button', { name: 'Create channel' }));
    expect(await within(form).findByText('entry 2: must be an e-mail address')).toBeTruthy();
    expect(within(form).getByLabelText('To').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByLabelText('SMTP host').getAttribute('aria-invalid')).toBe('true');

    await userEvent.type(within(form).getByLabelText('SMTP host'), '127.0.0.1');
    await userEvent.click(within(form).getByRole('button', { name: 'Create channel' }));
    expect(await screen.findByText('Channel ops mail saved.')).toBeTruthy();
    const sent = calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/alerts/channels')[1].body;
    expect(sent).toEqual({
      name: 'ops mail',
      type: 'email',
      enabled: true,
      settings: {
        to: ['ops@fleet.test', 'not-an-address'],
        from: 'alerts@fleet.test',
        host: '127.0.0.1',
        port: 2525,
        password: 'smtp-pw',
      },
    });
  });

  it('keeps a stored secret when its input stays empty, and sends a test', async () => {
    const calls = mockApi({
      'GET /api/v1/alerts/rules': () => [],
      'GET /api/v1/alerts/channels': () => [CHANNEL],
      'GET /api/v1/alerts/channel-types': () => ['telegram'],
      'PUT /api/v1/alerts/channels/c1': ({ body }) => ({ ...CHANNEL, ...(body as object) }),
      'POST /api/v1/alerts/channels/c1/test': () => ({ ok: true, error: null }),
    });
    renderApp('/alerts', ADMIN);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit channel ops telegram' }));
    const form = screen.getByRole('form', { name: 'Edit channel ops telegram' });
    expect((within(form).getByLabelText('Bot token') as HTMLInputElement).value).toBe('');
    expect(within(form).getByText('set; empty keeps it (write-only)')).toBeTruthy();
    const chat = within(form).getByLabelText('Chat id');
    await userEvent.clear(chat);
    await userEvent.type(chat, '-1002');
    await userEvent.click(within(form).getByRole('button', { name: 'Save channel' }));
    await screen.findByText('Channel ops telegram saved.');
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({
      name: 'ops telegram',
      type: 'telegram',
      enabled: true,
      ratePerMinute: 20,
      settings: { botToken: '********', chatId: '-1002' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByText('sent')).toBeTruthy();
  });
});
