import { useQuery } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { Series } from '../api/types';
import { pickName, stepMillis, window, type Range } from '../lib/metrics';

/** A label added to each series: which of the chart's lines it answers. */
const LINE = '__line';
import { NotInstalled } from './QueryState';
import { TimeChart } from './TimeChart';

/** One line source of a chart: the first metric name matching a pattern, with label filters. */
export interface MetricLine {
  patterns: (string | RegExp)[];
  labels: Record<string, string>;
  agg?: string;
  /** Legend text; default: the series' labels. */
  legend?: (s: Series) => string;
}

interface Props {
  title: string;
  lines: MetricLine[];
  range: Range;
  known: string[] | undefined;
  format?: (v: number) => string;
  refreshMs?: number;
  yMin?: number;
  yMax?: number;
}

/** A chart fed by `/metrics/query`; "module not installed" when the metrics module is absent. */
export function MetricChart({ title, lines, range, known, format, refreshMs = 10_000, yMin, yMax }: Props) {
  const names = lines.map((l) => resolve(l.patterns, known));
  const query = useQuery({
    queryKey: ['metrics', 'chart', title, range.key, names, lines.map((l) => l.labels)],
    queryFn: async ({ signal }) => {
      const { from, to } = window(range);
      const parts = await Promise.all(
        lines.map(async (line, i) => {
          const name = names[i];
          if (!name) return [] as Series[];
          const answer = await endpoints.metricsQuery(
            { name, from, to, step: range.step, agg: line.agg, labels: line.labels },
            signal,
          );
          // The legend is made at render time: host names may arrive after the data.
          return (answer.series ?? []).map((s) => ({ ...s, labels: { ...s.labels, [LINE]: String(i) } }));
        }),
      );
      return parts.flat();
    },
    refetchInterval: refreshMs,
    placeholderData: (previous) => previous,
  });

  if (query.error instanceof ApiError && query.error.status === 404) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <NotInstalled module="metrics" />
      </figure>
    );
  }
  if (query.error) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="notice error" role="alert">
          {(query.error as Error).message}
        </p>
      </figure>
    );
  }
  if (names.every((n) => !n)) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="empty">{known ? 'No agent reports this metric yet.' : 'Loading…'}</p>
      </figure>
    );
  }
  return (
    <TimeChart
      title={title}
      series={query.data ?? []}
      format={format}
      label={(s) => lines[Number(s.labels[LINE])]?.legend?.(s) ?? defaultLegend(s)}
      stepMs={stepMillis(range.step)}
      xRange={window(range)}
      yMin={yMin}
      yMax={yMax}
    />
  );
}

function resolve(patterns: (string | RegExp)[], known: string[] | undefined): string | null {
  const exact = patterns.filter((p): p is string => typeof p === 'string');
  // Exact names (from the API contract) are used even before /metrics/names answers.
  if (!known || known.length === 0) return exact[0] ?? null;
  const regexes = patterns.map((p) => (typeof p === 'string' ? new RegExp(`^${p}$`) : p));
  return pickName(known, regexes) ?? exact[0] ?? null;
}

function defaultLegend(s: Series): string {
  const parts = Object.entries(s.labels ?? {})
    .filter(([k]) => k !== 'agent' && k !== 'service' && k !== LINE)
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ') : s.name;
}
