import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from '../api/types';
import { niceCeil, niceFloor, toColumns } from '../lib/metrics';

const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16'];

interface Props {
  title: string;
  series: Series[];
  /** Legend label of a series, default: its labels joined. */
  label?: (s: Series) => string;
  format?: (v: number) => string;
  height?: number;
  /** The time span shown (epoch ms), else the data's own. */
  xRange?: { from: number; to: number };
  /** Fixed ends of the value axis (e.g. 0 and 100 for percentages); the data may widen the top. */
  yMin?: number;
  yMax?: number;
  /** The data's step in ms: longer silences are drawn as gaps. */
  stepMs?: number;
}

/** A time-series chart (uPlot); its text summary is the accessible name. */
export function TimeChart({
  title,
  series,
  label = defaultLabel,
  format = (v) => v.toFixed(2),
  height = 180,
  xRange,
  yMin,
  yMax,
  stepMs,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo(() => toColumns(series, stepMs), [series, stepMs]);
  const points = series.reduce((n, s) => n + s.points.length, 0);
  const names = series.map(label).join('|');
  // Read by uPlot's range functions on every redraw, so a moving window needs no rebuild.
  const limits = useRef({ xRange, yMin, yMax });
  limits.current = { xRange, yMin, yMax };

  useEffect(() => {
    const el = box.current;
    if (!el || points === 0) return undefined;
    const css = getComputedStyle(document.documentElement);
    const axisColor = css.getPropertyValue('--muted').trim() || '#888';
    const gridColor = css.getPropertyValue('--border').trim() || '#ddd';
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      // Hovering shows each series' value at that time in the legend.
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: {
          time: true,
          range: (_u, min, max) => {
            const r = limits.current.xRange;
            return r ? [r.from / 1000, r.to / 1000] : [min, max];
          },
        },
        y: {
          // Round ends (0 … 50, not 0 … 47.3), so the ticks between are round too.
          range: (_u, min, max) => yRange(min, max, limits.current.yMin, limits.current.yMax),
        },
      },
      axes: [axis, { ...axis, values: (_u, vals) => vals.map((v) => (v === null ? '' : format(v))), size: 70 }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: label(s),
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)),
        })),
      ],
    };
    plot.current = new uPlot(opts, data as uPlot.AlignedData, el);
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuild when the set of series changes; data alone goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [names, height, points === 0]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  const summary = series
    .map((s) => {
      const last = s.points[s.points.length - 1];
      return `${label(s)}: ${last ? format(last[1]) : 'no data'}`;
    })
    .join(', ');

  return (
    <figure className="chart" data-points={points}>
      <figcaption>{title}</figcaption>
      {points === 0 ? (
        <p className="empty">No data points in this range yet.</p>
      ) : (
        <div ref={box} role="img" aria-label={`${title}. Latest: ${summary}`} />
      )}
    </figure>
  );
}

/** The value axis' ends: the fixed ones when given (the data may widen the top), else round numbers around the data. */
export function yRange(min: number | null, max: number | null, lo?: number, hi?: number): [number, number] {
  const dataMin = min ?? 0;
  const dataMax = max ?? 0;
  const bottom = lo ?? niceFloor(dataMin);
  const top = hi !== undefined && hi >= dataMax ? hi : niceCeil(dataMax);
  return [bottom, top > bottom ? top : bottom + niceCeil(Math.abs(bottom) || 1)];
}

function defaultLabel(s: Series): string {
  const parts = Object.entries(s.labels ?? {})
    .filter(([k]) => k !== 'agent')
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ') : s.name;
}
