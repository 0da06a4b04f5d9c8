import { describe, expect, it } from 'vitest';
import { inputId, nearest, placeErrors } from './fieldErrors';

const inputs = [
  'name',
  'domains',
  'upstream.targets',
  'upstream.targets[0].port',
  'upstream.targets[1].port',
  'containers.env',
];

describe('placeErrors', () => {
  it('puts an error on the input with the same path', () => {
    const placed = placeErrors([{ field: 'upstream.targets[1].port', message: 'must be 1..65535' }], inputs);
    expect(placed).toEqual({ 'upstream.targets[1].port': ['must be 1..65535'] });
  });

  it('falls back to the nearest parent input, naming the entry', () => {
    const placed = placeErrors(
      [
        { field: 'domains[2]', message: 'is not a domain name' },
        { field: 'containers.env.BAD NAME', message: 'is not a variable name' },
        { field: 'upstream.targets[7].host', message: 'is required' },
      ],
      inputs,
    );
    expect(placed.domains).toEqual(['entry 3: is not a domain name']);
    expect(placed['containers.env']).toEqual(['BAD NAME: is not a variable name']);
    expect(placed['upstream.targets']).toEqual(['entry 8 host: is required']);
  });

  it('keeps what matches no input for the form summary', () => {
    const placed = placeErrors(
      [
        { field: 'tls.certificate', message: 'unknown' },
        { field: '', message: 'boom' },
      ],
      inputs,
    );
    expect(placed['']).toEqual(['tls.certificate: unknown', 'boom']);
  });
});

describe('nearest', () => {
  it('walks up dots and brackets', () => {
    const known = new Set(['a', 'a.b']);
    expect(nearest('a.b[3].c', known)).toBe('a.b');
    expect(nearest('a[1]', known)).toBe('a');
    expect(nearest('z.y', known)).toBe('');
  });
});

describe('inputId', () => {
  it('makes a valid id from a path', () => {
    expect(inputId('upstream.targets[1].port')).toBe('f-upstream_targets_1__port');
  });
});
