import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, describeTiming, latencySeries, monitorBody, uptimeBars } from './monitors';

const NOW = Date.parse('2026-12-04T18:30:00Z');

describe('uptime bars', () => {
  it('fill 24 hours ending now, with a tone per hour', () => {
    const bars = uptimeBars(
      [
        { hour: '2026-12-04T18:00:00Z', checks: 30, ok: 30, uptime: 100, avgLatencyMs: 3 },
        { hour: '2026-12-04T17:00:00Z', checks: 60, ok: 45, uptime: 75, avgLatencyMs: 3 },
        { hour: '2026-12-04T16:00:00Z', checks: 60, ok: 0, uptime: 0, avgLatencyMs: null },
      ],
      NOW,
    );
    expect(bars).toHaveLength(24);
    expect(bars[23]).toMatchObject({ hour: Date.parse('2026-12-04T18:00:00Z'), tone: 'up', uptime: 100 });
    expect(bars[22].tone).toBe('partial');
    expect(bars[21].tone).toBe('down');
    expect(bars[0]).toMatchObject({ tone: 'none', uptime: null, hour: Date.parse('2026-12-03T19:00:00Z') });
  });
});

describe('latency series', () => {
  it('one series per agent, oldest first, by agent name, failures without latency left out', () => {
    const series = latencySeries(
      [
        {
          agentId: 'a2',
          ok: true,
          status: 200,
          latencyMs: 9,
          errorKind: null,
          error: null,
          checkedAt: '2026-12-04T18:00:20Z',
          tlsExpiresAt: null,
        },
        {
          agentId: 'a1',
          ok: true,
          status: 200,
          latencyMs: 5,
          errorKind: null,
          error: null,
          checkedAt: '2026-12-04T18:00:10Z',
          tlsExpiresAt: null,
        },
        {
          agentId: 'a1',
          ok: true,
          status: 200,
          latencyMs: 4,
          errorKind: null,
          error: null,
          checkedAt: '2026-12-04T18:00:00Z',
          tlsExpiresAt: null,
        },
        {
          agentId: 'a1',
          ok: false,
          status: null,
          latencyMs: null,
          errorKind: 'dns',
          error: 'x',
          checkedAt: '2026-12-04T18:00:30Z',
          tlsExpiresAt: null,
        },
      ],
      { a1: 'web-1' },
    );
    expect(series.map((s) => s.labels.agent)).toEqual(['web-1', 'a2']);
    expect(series[0].points).toEqual([
      [Date.parse('2026-12-04T18:00:00Z'), 4],
      [Date.parse('2026-12-04T18:00:10Z'), 5],
    ]);
  });
});

describe('monitor form', () => {
  it('sends what was filled in, typed', () => {
    expect(
      monitorBody({
        ...EMPTY_FORM,
        name: 'shop',
        target: ' https://shop.test/ ',
        agentIds: ['a1'],
        statuses: '200, 204',
        confirmAgents: '1',
      }),
    ).toEqual({
      name: 'shop',
      type: 'http',
      target: 'https://shop.test/',
      intervalSeconds: 60,
      agentIds: ['a1'],
      confirmations: 2,
      confirmAgents: 1,
      expect: { statuses: [200, 204] },
    });
    expect(
      monitorBody({
        ...EMPTY_FORM,
        name: 'd',
        type: 'dns',
        target: 'x.test',
        recordType: 'MX',
        resolver: '127.0.0.1:53',
        values: '10 mx.test.',
        agentIds: ['a1'],
        intervalSeconds: 'ten',
      }),
    ).toMatchObject({
      type: 'dns',
      recordType: 'MX',
      resolver: '127.0.0.1:53',
      intervalSeconds: 'ten',
      expect: { values: ['10 mx.test.'] },
    });
  });

  it('describes the timing phases', () => {
    expect(describeTiming({ dnsMs: 1, connectMs: 2, tlsMs: 5, firstByteMs: 30, totalMs: 40 })).toBe(
      'dns 1 · connect 2 · tls 5 · first byte 30 · total 40 ms',
    );
    expect(describeTiming(undefined)).toBe('—');
  });
});
