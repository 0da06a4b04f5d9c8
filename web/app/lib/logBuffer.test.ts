import { describe, expect, it } from 'vitest';
import { appendCapped, matches, visibleWindow } from './logBuffer';

const line = (text: string) => ({ timestamp: '2026-01-01T00:00:00Z', stream: 'stdout', text });

describe('appendCapped', () => {
  it('numbers lines and keeps only the newest', () => {
    let state = appendCapped([], [line('a'), line('b'), line('c')], 4, 0);
    expect(state.lines.map((l) => l.seq)).toEqual([0, 1, 2]);
    state = appendCapped(state.lines, [line('d'), line('e'), line('f')], 4, state.nextSeq);
    expect(state.lines.map((l) => l.text)).toEqual(['c', 'd', 'e', 'f']);
    expect(state.dropped).toBe(2);
    expect(state.nextSeq).toBe(6);
  });

  it('returns the same array when nothing arrived (no re-render)', () => {
    const buffer = appendCapped([], [line('a')], 10, 0).lines;
    expect(appendCapped(buffer, [], 10, 1).lines).toBe(buffer);
  });

  it('stays bounded under a flood', () => {
    let lines = appendCapped([], [], 1000, 0).lines;
    let seq = 0;
    for (let i = 0; i < 200; i++) {
      const r = appendCapped(
        lines,
        Array.from({ length: 500 }, (_, j) => line(`${i}-${j}`)),
        1000,
        seq,
      );
      lines = r.lines;
      seq = r.nextSeq;
    }
    expect(lines).toHaveLength(1000);
    expect(lines[999].text).toBe('199-499');
  });
});

describe('time order', () => {
  const at = (text: string, timestamp: string) => ({ timestamp, stream: 'access', text });
  it('puts access-log lines answered out of order in time order, across batches, stably', () => {
    let state = appendCapped(
      [],
      [at('b', '2026-01-01T00:00:02Z'), at('a', '2026-01-01T00:00:01Z'), at('c', '2026-01-01T00:00:03Z')],
      10,
      0,
    );
    expect(state.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    state = appendCapped(
      state.lines,
      [at('e', '2026-01-01T00:00:05Z'), at('b2', '2026-01-01T00:00:02Z'), at('d', '2026-01-01T00:00:04Z')],
      10,
      state.nextSeq,
    );
    expect(state.lines.map((l) => l.text)).toEqual(['a', 'b', 'b2', 'c', 'd', 'e']);
    expect(new Set(state.lines.map((l) => l.seq)).size).toBe(6);
  });

  it('keeps lines without a time where they came', () => {
    const state = appendCapped(
      [],
      [at('x', '2026-01-01T00:00:02Z'), at('no time', ''), at('y', '2026-01-01T00:00:01Z')],
      10,
      0,
    );
    expect(state.lines.map((l) => l.text)).toEqual(['x', 'no time', 'y']);
  });
});

describe('matches', () => {
  it('is case-insensitive and empty matches all', () => {
    expect(matches(line('GET /Health 200'), 'health')).toBe(true);
    expect(matches(line('GET / 200'), 'health')).toBe(false);
    expect(matches(line('x'), '')).toBe(true);
  });
});

describe('visibleWindow', () => {
  it('covers the viewport plus overscan, clamped', () => {
    expect(visibleWindow(10_000, 20, 0, 400, 10)).toEqual({ start: 0, end: 30 });
    expect(visibleWindow(10_000, 20, 2000, 400, 10)).toEqual({ start: 90, end: 130 });
    expect(visibleWindow(50, 20, 900, 400, 10)).toEqual({ start: 35, end: 50 });
  });
});
