import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AGENT, mockApi, renderApp } from '../test/helpers';

describe('navigation on a phone', () => {
  it('folds behind a Menu button that opens it and closes on navigation', async () => {
    mockApi({ 'GET /api/v1/agents': () => [AGENT], 'GET /api/v1/services': () => [] });
    renderApp('/');
    const user = userEvent.setup();
    const toggle = await screen.findByRole('button', { name: 'Menu' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe('main-nav');
    expect(document.querySelector('header')!.className).toBe('topbar');
    await user.click(toggle);
    expect(screen.getByRole('button', { name: 'Close menu' }).getAttribute('aria-expanded')).toBe('true');
    expect(document.querySelector('header')!.className).toBe('topbar menu-open');
    await user.click(screen.getByRole('link', { name: 'Hosts' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/hosts'));
    expect(screen.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false');
  });
});
