import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AGENT, SERVICE, mockApi, renderApp } from '../test/helpers';

const PAGES = [
  { status: '502', code: 502, html: '<p>{{status}}</p>', source: 'shipped' },
  { status: '503', code: 503, html: '<p>down {{service}}</p>', source: 'default' },
];

/** Types into the editor, sees the sandboxed preview get the page as rendered, then saves page 503. */
async function typePreviewAndSave(editor: HTMLTextAreaElement, text: string, rendered: string) {
  const frame = screen.getByTitle('Preview') as HTMLIFrameElement;
  expect(frame.getAttribute('sandbox')).toBe('allow-scripts');
  expect(frame.getAttribute('src')).toBe('/preview.html');
  const posted = vi.spyOn(frame.contentWindow!, 'postMessage');
  await userEvent.clear(editor);
  await userEvent.type(editor, text);
  await new Promise((r) => setTimeout(r, 400));
  expect(posted).toHaveBeenLastCalledWith({ fleetgatePreview: rendered }, '*');
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Page 503 saved.')).toBeTruthy();
}

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
    await typePreviewAndSave(editor, 'x', 'rendered x');
    expect(calls.some((c) => c.method === 'PUT' && c.path === '/api/v1/pages/503')).toBe(true);
    expect(document.title).toBe('Pages · Fleetgate');
  });

  it("edits a service's own page from its page, previewed with the service's name", async () => {
    const own = [
      {
        status: '404',
        code: 404,
        html: '<p>fleet 404</p>',
        source: 'default',
        replaced: true,
        replacesUpstream: false,
      },
      {
        status: '503',
        code: 503,
        html: '<p>fleet {{service}}</p>',
        source: 'default',
        replaced: true,
        replacesUpstream: false,
      },
    ];
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
      'GET /api/v1/services/s1/pages': () => own,
      'POST /api/v1/pages/preview': (call) => {
        const body = (call as { body: { html: string; service: string; domain: string } }).body;
        return { status: '503', html: `${body.html} for ${body.service} at ${body.domain}` };
      },
      'PUT /api/v1/services/s1/pages/503': (call) => {
        own[1] = {
          ...own[1],
          html: (call as { body: { html: string } }).body.html,
          source: 'service',
          replacesUpstream: true,
        };
        return own[1];
      },
      'DELETE /api/v1/services/s1/pages/503': () => undefined,
    });
    renderApp('/services/s1');
    await userEvent.click(await screen.findByRole('button', { name: 'Edit pages' }));
    const editor = (await screen.findByRole('textbox', { name: /Template/ })) as HTMLTextAreaElement;
    expect(editor.value).toBe('<p>fleet {{service}}</p>');
    expect(screen.getByText(/upstream's own 503 answers pass through/)).toBeTruthy();
    await typePreviewAndSave(editor, 'own', 'own for shop at shop.example.test');
    expect(calls.some((c) => c.method === 'PUT' && c.path === '/api/v1/services/s1/pages/503')).toBe(true);
    expect(await screen.findByText(/also replaces the upstream's own 503 answers/)).toBeTruthy();
    await new Promise((r) => setTimeout(r, 400)); // the preview of the saved page has come back
    await userEvent.click(screen.getByRole('button', { name: 'Back to the fleet-wide page' }));
    expect(await screen.findByText('Page 503 is the fleet-wide page again.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/services/s1/pages/503')).toBe(true);
  });

  it('switches a whole host into maintenance from the host page', async () => {
    let enabled = false;
    const calls = mockApi({
      'GET /api/v1/agents/a1': () => AGENT,
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/services': () => [SERVICE],
      'GET /api/v1/agents/a1/maintenance': () => ({
        agentId: 'a1',
        enabled,
        active: enabled,
        message: null,
        retryAfterSeconds: null,
        allow: [],
      }),
      'PUT /api/v1/agents/a1/maintenance': (call) => {
        enabled = (call as { body: { enabled: boolean } }).body.enabled;
        return { agentId: 'a1', enabled, active: enabled, message: 'Kernel', retryAfterSeconds: null, allow: [] };
      },
    });
    renderApp('/hosts/a1');
    await userEvent.type(await screen.findByRole('textbox', { name: 'Message' }), 'Kernel');
    await userEvent.click(screen.getByRole('button', { name: 'Start maintenance' }));
    expect(
      await screen.findByText('In maintenance: visitors of every service on this host get the maintenance page (503).'),
    ).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT' && c.path === '/api/v1/agents/a1/maintenance');
    expect((put as { body: { enabled: boolean; message: string } }).body).toEqual({
      enabled: true,
      allow: [],
      message: 'Kernel',
    });
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
