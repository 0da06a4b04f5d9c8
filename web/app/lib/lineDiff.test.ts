import { describe, expect, it } from 'vitest';
import { lineDiff, prettyJson, withContext } from './lineDiff';

const text = (lines: { kind: string; text: string }[]) => lines.map((l) => l.kind + l.text).join('|');

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones in order', () => {
    expect(text(lineDiff('a\nb\nc\nd', 'a\nx\nc\nd\ne'))).toBe(' a|-b|+x| c| d|+e');
  });

  it('equal texts have no change; empty sides are all added or all removed', () => {
    expect(lineDiff('a\nb', 'a\nb').every((l) => l.kind === ' ')).toBe(true);
    expect(text(lineDiff('', 'a'))).toBe('-|+a');
    expect(text(lineDiff('a\nb', 'a'))).toBe(' a|-b');
  });

  it('collapses long unchanged runs outside the context', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const changed = [...old];
    changed[10] = 'new';
    const rows = withContext(lineDiff(old.join('\n'), changed.join('\n')), 2);
    expect(rows[0]).toEqual({ kind: 'skip', count: 8 });
    expect(rows.slice(1, 7).map((r) => ('text' in r ? r.kind + r.text : 'skip'))).toEqual([
      ' l8',
      ' l9',
      '-l10',
      '+new',
      ' l11',
      ' l12',
    ]);
    expect(rows[7]).toEqual({ kind: 'skip', count: 7 });
  });
});

describe('prettyJson', () => {
  it('sorts keys at every depth so key order does not show as a change', () => {
    expect(prettyJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      prettyJson({ a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 }),
    );
    expect(prettyJson({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}');
  });
});
