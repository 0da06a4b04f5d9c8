import type { Series } from '../api/types';

export interface Range {
  key: string;
  label: string;
  seconds: number;
  step: string;
}

/** Selectable chart ranges; the step keeps every chart near 90–360 points. */
export const RANGES: Range[] = [
  { key: '15m', label: '15 min', seconds: 900, step: '10s' },
  { key: '1h', label: '1 hour', seconds: 3600, step: '30s' },
  { key: '6h', label: '6 hours', seconds: 21600, step: '2m' },
  { key: '24h', label: '24 hours', seconds: 86400, step: '5m' },
  { key: '7d', label: '7 days', seconds: 604800, step: '1h' },
];

export function rangeByKey(key: string | null | undefined): Range {
  return RANGES.find((r) => r.key === key) ?? RANGES[0];
}

/** [from, to] in epoch millis, `to` rounded down to the step so that refetches share cache keys. */
export function window(range: Range, now: number = Date.now()): { from: number; to: number } {
  const stepMs = stepMillis(range.step);
  const to = Math.floor(now / stepMs) * stepMs;
  return { from: to - range.seconds * 1000, to };
}

export function stepMillis(step: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(step);
  if (!m) throw new Error(`bad step ${step}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * uPlot's columnar data from several series: one shared, sorted x axis (seconds), each
 * series' values on it (null where a series has no point). With `stepMs`, a silence longer
 * than 1.5 steps (an agent down, a module restarted) gets a null row one step after its last
 * point, so the chart shows a gap there instead of a line across it (with `spanGaps: false`).
 */
export function toColumns(series: Series[], stepMs?: number): [number[], ...(number | null)[][]] {
  const xs = new Set<number>();
  for (const s of series) for (const [t] of s.points) xs.add(t);
  const sorted = [...xs].sort((a, b) => a - b);
  const x: number[] = [];
  sorted.forEach((t, i) => {
    if (stepMs && i > 0 && t - sorted[i - 1] > stepMs * 1.5) x.push(sorted[i - 1] + stepMs);
    x.push(t);
  });
  const index = new Map(x.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const col: (number | null)[] = new Array(x.length).fill(null);
    for (const [t, v] of s.points) col[index.get(t)!] = Number.isFinite(v) ? v : null;
    return col;
  });
  return [x.map((t) => t / 1000), ...columns];
}

/**
 * The answer of `/metrics/latest` or `/metrics/top` as group → value. Accepts the shapes a
 * module may reasonably answer: a list of `{<by>|key|labels:{<by>}, value}`, an object
 * `{values|items|top: [...]}`, a `{series:[{labels, points}]}` answer (last point), or a
 * plain map `{group: value}`.
 */
export function latestValues(answer: unknown, by: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!answer) return out;
  if (Array.isArray(answer)) {
    for (const item of answer) addItem(out, item, by);
    return out;
  }
  if (typeof answer === 'object') {
    const o = answer as Record<string, unknown>;
    for (const key of ['values', 'items', 'top', 'latest', 'results']) {
      if (Array.isArray(o[key])) return latestValues(o[key], by);
    }
    if (Array.isArray(o.series)) {
      for (const s of o.series as Series[]) {
        const group = s.labels?.[by];
        const last = s.points?.[s.points.length - 1];
        if (group !== undefined && last) out.set(group, last[1]);
      }
      return out;
    }
    for (const [k, v] of Object.entries(o)) if (typeof v === 'number') out.set(k, v);
  }
  return out;
}

function addItem(out: Map<string, number>, item: unknown, by: string): void {
  if (!item || typeof item !== 'object') return;
  const o = item as Record<string, unknown>;
  const labels = (o.labels ?? {}) as Record<string, unknown>;
  const group = o[by] ?? labels[by] ?? o.key ?? o.group ?? o.id;
  const value = typeof o.value === 'number' ? o.value : Array.isArray(o.point) ? Number(o.point[1]) : NaN;
  if (group !== undefined && group !== null && Number.isFinite(value)) out.set(String(group), value);
}

/** Metric names from `/metrics/names` (a list of strings, of `{name}` objects, or a map). */
export function metricNames(answer: unknown): string[] {
  if (!answer) return [];
  const list = Array.isArray(answer)
    ? answer
    : typeof answer === 'object'
      ? ((answer as Record<string, unknown>).names ?? Object.keys(answer as object))
      : [];
  if (!Array.isArray(list)) return [];
  return list
    .map((n) => (typeof n === 'string' ? n : (n as { name?: string })?.name))
    .filter((n): n is string => typeof n === 'string');
}

/** The first known name matching one of the patterns, in pattern order. */
export function pickName(known: string[], patterns: RegExp[]): string | null {
  for (const p of patterns) {
    const hit = known.find((n) => p.test(n));
    if (hit) return hit;
  }
  return null;
}

/**
 * A round upper end for a value axis: the smallest 1, 2, 2.5, 5 × 10^k at least `v`
 * (0.37 → 0.5, 7 → 10, 1234 → 2000; bytes and percentages too).
 */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return v > 0 ? v : 0;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const candidate = m * power;
    if (candidate >= v * (1 - 1e-9)) return Number(candidate.toPrecision(12));
  }
  return 10 * power;
}

/** A round lower end (negative values mirror niceCeil; positive ones start at 0 unless told). */
export function niceFloor(v: number): number {
  return v >= 0 ? 0 : -niceCeil(-v);
}
