import { describe, expect, it } from 'vitest';
import {
  latestValues,
  metricNames,
  niceCeil,
  niceFloor,
  pickName,
  rangeByKey,
  stepMillis,
  toColumns,
  window,
} from './metrics';
import { yRange } from '../components/TimeChart';

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
      {
        name: 'a',
        labels: {},
        points: [
          [1000, 1],
          [3000, 3],
        ],
      },
      {
        name: 'b',
        labels: {},
        points: [
          [2000, 20],
          [3000, 30],
        ],
      },
    ]);
    expect(cols).toEqual([
      [1, 2, 3],
      [1, null, 3],
      [null, 20, 30],
    ]);
  });
});

describe('latestValues', () => {
  it('reads the shapes a metrics module may answer', () => {
    expect(latestValues([{ agent: 'a1', value: 12 }], 'agent').get('a1')).toBe(12);
    expect(latestValues([{ labels: { agent: 'a2' }, value: 5 }], 'agent').get('a2')).toBe(5);
    expect(latestValues({ values: [{ key: 'a3', value: 7 }] }, 'agent').get('a3')).toBe(7);
    expect(
      latestValues(
        {
          series: [
            {
              name: 'x',
              labels: { agent: 'a4' },
              points: [
                [1, 2],
                [2, 9],
              ],
            },
          ],
        },
        'agent',
      ).get('a4'),
    ).toBe(9);
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

describe('gaps', () => {
  it('puts a null row one step after a silence longer than 1.5 steps', () => {
    const cols = toColumns(
      [
        {
          name: 'a',
          labels: {},
          points: [
            [10_000, 1],
            [20_000, 2],
            [60_000, 6],
            [70_000, 7],
          ],
        },
      ],
      10_000,
    );
    expect(cols).toEqual([
      [10, 20, 30, 60, 70],
      [1, 2, null, 6, 7],
    ]);
    // Without a step (or without a silence) nothing is added.
    expect(
      toColumns([
        {
          name: 'a',
          labels: {},
          points: [
            [10_000, 1],
            [60_000, 6],
          ],
        },
      ])[0],
    ).toEqual([10, 60]);
    expect(
      toColumns(
        [
          {
            name: 'a',
            labels: {},
            points: [
              [10_000, 1],
              [25_000, 2],
            ],
          },
        ],
        10_000,
      )[0],
    ).toEqual([10, 25]);
  });
});

describe('round axes', () => {
  it('rounds the top up to 1, 2, 2.5 or 5 × 10^k', () => {
    expect([0.37, 7, 10, 47.3, 1234, 3e9].map(niceCeil)).toEqual([0.5, 10, 10, 50, 2000, 5e9]);
    expect(niceCeil(0)).toBe(0);
    expect(niceFloor(5)).toBe(0);
    expect(niceFloor(-3)).toBe(-5);
  });

  it('keeps fixed ends unless the data is above them', () => {
    expect(yRange(0, 47.3, 0)).toEqual([0, 50]);
    expect(yRange(0, 80, 0, 100)).toEqual([0, 100]);
    expect(yRange(0, 130, 0, 100)).toEqual([0, 200]);
    expect(yRange(0, 0, 0)).toEqual([0, 1]);
    expect(yRange(null, null)).toEqual([0, 1]);
  });
});
