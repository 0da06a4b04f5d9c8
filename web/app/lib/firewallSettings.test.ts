import { describe, expect, it } from 'vitest';
import { inputKeys, number, toBody, toDraft, type FirewallSettingsBody } from './firewallSettings';

const server: FirewallSettingsBody = {
  mode: 'shadow',
  allow: ['10.0.0.0/8'],
  windowSeconds: 60,
  ttlSeconds: 600,
  maxTtlSeconds: 86400,
  capacity: 50000,
  detectors: {
    flood: { mode: null, action: 'limit', threshold: 1200, baselineFactor: 4 },
    scan: { mode: 'enforce', action: 'block', threshold: 30, ratio: 0.5 },
  },
  rules: [{ id: 'env', target: 'path', regex: false, pattern: '/.env', weight: 2, missingOnly: false }],
};

describe('firewall settings form', () => {
  it('round-trips the settings through the draft unchanged', () => {
    expect(toBody(server, toDraft(server))).toEqual(server);
  });

  it('keeps modes from the server, takes numbers, lines and rules from the draft', () => {
    const d = toDraft(server);
    d.detectors.flood.params.threshold = ' 2400 ';
    d.detectors.scan.action = 'limit';
    d.detectors.scan.params.ratio = 'half';
    d.allow = '10.0.0.0/8\n\n  2001:db8::/32 \n';
    d.rules.push({ id: 'x', target: 'userAgent', regex: true, pattern: 'evil', weight: '3', missingOnly: true });
    d.windowSeconds = '';
    const body = toBody({ ...server, mode: 'enforce' }, d);
    expect(body.mode).toBe('enforce');
    expect(body.detectors.flood).toEqual({ mode: null, action: 'limit', threshold: 2400, baselineFactor: 4 });
    expect(body.detectors.scan).toEqual({ mode: 'enforce', action: 'limit', threshold: 30, ratio: 'half' });
    expect(body.allow).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    expect(body.rules?.[1]).toEqual({
      id: 'x',
      target: 'userAgent',
      regex: true,
      pattern: 'evil',
      weight: 3,
      missingOnly: true,
    });
    expect(body.windowSeconds).toBe('');
    expect(body.capacity).toBe(50000);
  });

  it('reads numbers or keeps the text for the core to reject', () => {
    expect(number('0.25')).toBe(0.25);
    expect(number('1e3')).toBe(1000);
    expect(number('many')).toBe('many');
    expect(number('')).toBe('');
  });

  it('lists the inputs errors can land on', () => {
    const keys = inputKeys(toDraft(server));
    expect(keys).toContain('detectors.flood.threshold');
    expect(keys).toContain('detectors.scan.action');
    expect(keys).toContain('rules[0].pattern');
    expect(keys).toContain('allow');
  });
});
