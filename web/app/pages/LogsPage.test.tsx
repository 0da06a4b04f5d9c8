import { act, renderHook, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useLogStream } from '../lib/useLogStream';
import { AGENT, mockApi, renderApp } from '../test/helpers';

const line = (n: number) => ({ timestamp: `2026-01-01T00:00:0${n % 10}.5Z`, stream: 'stdout', text: `line ${n}` });

describe('log stream', () => {
  it('tails, then follows with the cursor; a pause stops polling and resume loses nothing', async () => {
    let next = 0;
    const calls = mockApi({
      'GET /api/v1/agents/a1/containers/c1/logs': ({ query }) => {
        const batch = [line(next++), line(next++)];
        return { lines: batch, cursor: `cur-${next}`, truncated: false, tail: query.get('tail') };
      },
    });
    const { result, rerender } = renderHook(
      ({ paused }) => useLogStream('a1', 'container:c1', '', paused, { intervalMs: 10, tail: 50 }),
      {
        initialProps: { paused: false },
      },
    );
    await waitFor(() => expect(result.current.lines.length).toBeGreaterThanOrEqual(6));
    expect(calls[0].query.get('cursor')).toBeNull();
    expect(calls[0].query.get('tail')).toBe('50');
    expect(calls[1].query.get('cursor')).toBe('cur-2');
    expect(calls[2].query.get('cursor')).toBe('cur-4');
    rerender({ paused: true });
    const count = calls.length;
    await act(() => new Promise((r) => setTimeout(r, 60)));
    expect(calls.length).toBeLessThanOrEqual(count + 1); // at most the request in flight
    const frozen = calls.length;
    rerender({ paused: false });
    await waitFor(() => expect(calls.length).toBeGreaterThan(frozen));
    expect(calls[frozen].query.get('cursor')).toBe(`cur-${frozen * 2}`);
    const texts = result.current.lines.map((l) => l.text);
    expect(texts).toEqual(texts.map((_, i) => `line ${i}`)); // in order, nothing repeated or lost
  });

  it('keeps only the newest lines', async () => {
    let next = 0;
    mockApi({
      'GET /api/v1/agents/a1/nginx/logs/access': () => ({
        lines: Array.from({ length: 40 }, () => line(next++)),
        cursor: `c${next}`,
      }),
    });
    const { result } = renderHook(() => useLogStream('a1', 'nginx:access', '', false, { intervalMs: 5, cap: 100 }));
    await waitFor(() => expect(result.current.dropped).toBeGreaterThan(0));
    expect(result.current.lines.length).toBe(100);
    for (const l of result.current.lines) expect(l.text).toBe(`line ${l.seq}`); // the newest, in order
    expect(result.current.lines[0].seq).toBe(result.current.lines.at(-1)!.seq - 99);
  });
});

describe('logs page', () => {
  it('shows lines of the chosen container and filters them', async () => {
    mockApi({
      'GET /api/v1/agents': () => [AGENT],
      'GET /api/v1/agents/a1/containers': () => [
        { id: 'c1', name: 'fg-shop-0', image: 'x', state: 'running', health: 'healthy', serviceId: null },
      ],
      'GET /api/v1/agents/a1/containers/c1/logs': ({ query }) => ({
        lines: query.get('cursor') ? [] : [line(1), { ...line(2), text: 'GET /health 200' }],
        cursor: 'c',
      }),
    });
    renderApp('/logs?agent=a1&source=container%3Ac1');
    expect(await screen.findByText('GET /health 200')).toBeTruthy();
    expect(screen.getByText('line 1')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Filter'), 'HEALTH');
    expect(screen.queryByText('line 1')).toBeNull();
    expect(screen.getByText('GET /health 200')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(screen.getByTestId('log-status').textContent).toMatch(/^Paused/);
  });

  it('says when the logs module is not installed', async () => {
    mockApi({ 'GET /api/v1/agents': () => [AGENT], 'GET /api/v1/agents/a1/containers': () => [] });
    renderApp('/logs?agent=a1&source=nginx%3Aerror');
    expect(await screen.findByTestId('not-installed')).toBeTruthy();
    expect(screen.getByTestId('not-installed').textContent).toContain('logs');
  });
});
