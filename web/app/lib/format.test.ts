import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent, logTime, timeAgo } from './format';

describe('format', () => {
  it('bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8.0 GiB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatBytes(undefined)).toBe('—');
  });
  it('percent', () => {
    expect(formatPercent(5.25)).toBe('5.3 %');
    expect(formatPercent(55.5)).toBe('56 %');
    expect(formatPercent(NaN)).toBe('—');
  });
  it('time ago', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(timeAgo('2026-01-01T11:59:50Z', now)).toBe('10 s ago');
    expect(timeAgo('2026-01-01T11:00:00Z', now)).toBe('1 h ago');
    expect(timeAgo('2025-12-30T12:00:00Z', now)).toBe('2 d ago');
    expect(timeAgo(null, now)).toBe('never');
  });
  it('log time keeps milliseconds of a nanosecond timestamp', () => {
    expect(logTime('2026-11-22T10:00:00.123456789Z')).toBe('10:00:00.123');
    expect(logTime('garbage')).toBe('garbage');
  });
});
