import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

const PAGES = [
  { status: '502', code: 502, html: '<p>{{status}}</p>', source: 'shipped' },
  { status: '503', code: 503, html: '<p>down {{service}}</p>', source: 'default' },
];

describe('pages', () => {
  it('edits a page with a live preview in a sandboxed iframe and saves it', async () => {
    const calls = mockApi({
      'GET /api/v1/pages': () => PAGES,
      'POST /api/v1/pages/preview': (call) => ({
        status: '503',
        html: `rendered ${(call as { body: { html: string } }).body.html}`,
      }),
      'PUT /api/v1/pages/503': (call) => ({ ...PAGES[1], html: (call as { body: { html: string } }).body.html }),
    });
    renderApp('/pages');
    const editor = (await screen.findByRole('textbox')) as HTMLTextAreaElement;
    expect(editor.value).toBe('<p>down {{service}}</p>');
    const frame = screen.getByTitle('Preview') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    await userEvent.clear(editor);
    await userEvent.type(editor, 'x');
    await new Promise((r) => setTimeout(r, 400));
    expect(frame.getAttribute('srcdoc')).toBe('rendered x');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Page 503 saved.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'PUT' && c.path === '/api/v1/pages/503')).toBe(true);
    expect(document.title).toBe('Pages · Fleetgate');
  });

  it('switches a service into maintenance from its page', async () => {
    let enabled = false;
    const calls = mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services/s1': () => SERVICE,
      'GET /api/v1/services/s1/status': () => ({
        revision: 3,
        health: 'HEALTHY',
        agents: [],
        targets: [],
        replicas: [],
      }),
      'GET /api/v1/services/s1/maintenance': () => ({
        enabled,
        active: enabled,
        message: null,
        retryAfterSeconds: null,
        allow: [],
      }),
      'PUT /api/v1/services/s1/maintenance': (call) => {
        enabled = (call as { body: { enabled: boolean } }).body.enabled;
        return { enabled, active: enabled, message: null, retryAfterSeconds: null, allow: [] };
      },
    });
    renderApp('/services/s1');
    await userEvent.click(await screen.findByRole('button', { name: 'Start maintenance' }));
    expect(await screen.findByText('In maintenance: visitors get the maintenance page (503).')).toBeTruthy();
    expect(calls.some((c) => c.method === 'PUT' && c.path === '/api/v1/services/s1/maintenance')).toBe(true);
  });
});
