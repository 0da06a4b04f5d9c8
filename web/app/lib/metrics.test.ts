import { describe, expect, it } from 'vitest';
import { latestValues, metricNames, pickName, rangeByKey, stepMillis, toColumns, window } from './metrics';

describe('ranges', () => {
  it('rounds the window to the step', () => {
    const r = rangeByKey('1h');
    const { from, to } = window(r, 1_000_000_017);
    expect(to % 30_000).toBe(0);
    expect(to - from).toBe(3_600_000);
    expect(rangeByKey('nonsense').key).toBe('15m');
    expect(stepMillis('2m')).toBe(120_000);
    expect(() => stepMillis('2 weeks')).toThrow();
  });
});

describe('toColumns', () => {
  it('aligns series on one time axis in seconds', () => {
    const cols = toColumns([
      { name: 'a', labels: {}, points: [[1000, 1], [3000, 3]] },
      { name: 'b', labels: {}, points: [[2000, 20], [3000, 30]] },
    ]);
    expect(cols).toEqual([[1, 2, 3], [1, null, 3], [null, 20, 30]]);
  });
});

describe('latestValues', () => {
  it('reads the shapes a metrics module may answer', () => {
    expect(latestValues([{ agent: 'a1', value: 12 }], 'agent').get('a1')).toBe(12);
    expect(latestValues([{ labels: { agent: 'a2' }, value: 5 }], 'agent').get('a2')).toBe(5);
    expect(latestValues({ values: [{ key: 'a3', value: 7 }] }, 'agent').get('a3')).toBe(7);
    expect(latestValues({ series: [{ name: 'x', labels: { agent: 'a4' }, points: [[1, 2], [2, 9]] }] }, 'agent').get('a4')).toBe(9);
    expect(latestValues({ a5: 3 }, 'agent').get('a5')).toBe(3);
    expect(latestValues(null, 'agent').size).toBe(0);
  });
});

describe('names', () => {
  it('reads names and picks by pattern order', () => {
    const known = metricNames([{ name: 'host_network_receive_bytes_total' }, 'host_filesystem_used_percent']);
    expect(known).toEqual(['host_network_receive_bytes_total', 'host_filesystem_used_percent']);
    expect(metricNames({ names: ['a'] })).toEqual(['a']);
    expect(pickName(known, [/^nope$/, /^host_network_(receive|rx)/])).toBe('host_network_receive_bytes_total');
    expect(pickName(known, [/^nope$/])).toBeNull();
  });
});
