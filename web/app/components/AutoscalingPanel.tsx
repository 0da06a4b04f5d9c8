import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/http';
import { metricsQuery } from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { Field } from './Field';
import { placeErrors } from '../lib/fieldErrors';
import { formatTime } from '../lib/format';

interface Targets {
  rpsPerReplica?: number;
  p95Ms?: number;
  inFlightPerReplica?: number;
  cpuPercent?: number;
  memoryPercent?: number;
}

interface Policy {
  enabled: boolean;
  minReplicas: number;
  maxReplicas: number;
  targets: Targets;
  scaleUpStabilizationSeconds: number;
  scaleDownStabilizationSeconds: number;
  scaleToZeroAfterSeconds: number | null;
  startingPageAfterMs?: number;
  maxHeldRequests?: number;
  pausedUntil: string | null;
  pausedBy: string | null;
  [key: string]: unknown;
}

interface Decision {
  at: string;
  from: number;
  to: number;
  reason: string;
  rule: string;
  changed: boolean;
  signals?: Record<string, number>;
}

/** The signal a rule reads, for the chart. */
const SIGNAL_OF: Record<string, string> = {
  rpsPerReplica: 'rps',
  p95Ms: 'p95Ms',
  inFlightPerReplica: 'inFlight',
  cpuPercent: 'cpuPercent',
  memoryPercent: 'memoryPercent',
};

/** The signal the chart shows: the newest change's rule's (else the request rate). */
export function drivingSignal(decisions: Decision[]): string {
  const driving = decisions.find((d) => d.changed && SIGNAL_OF[d.rule]);
  return driving ? SIGNAL_OF[driving.rule] : 'rps';
}

/** The stored metric series of a signal of a service (module metrics), for the signals that have one. */
const SERIES_OF: Record<string, { name: string; agg: string; labels: Record<string, string>; scale: number }> = {
  rps: { name: 'service_requests_per_second', agg: 'sum', labels: {}, scale: 1 },
  p95Ms: { name: 'service_response_time_seconds', agg: 'max', labels: { quantile: '0.95' }, scale: 1000 },
};

/**
 * Replicas (step line, from the recorded decisions: the count changes only there) against the driving signal, a
 * marker on every change. The signal is drawn from the continuous metric series when it is given (module metrics:
 * every sample, not only the decisions'), else from the values the decisions recorded.
 */
export function DecisionChart({ decisions, series }: { decisions: Decision[]; series?: [number, number][] }) {
  const points = [...decisions]
    .reverse()
    .map((d) => ({ ...d, t: new Date(d.at).getTime() }))
    .filter((d) => !Number.isNaN(d.t));
  if (points.length < 2) return null;
  const signal = drivingSignal(decisions);
  const continuous = series && series.length >= 2 ? series : null;
  const W = 600;
  const H = 160;
  const t0 = Math.min(points[0].t, continuous ? continuous[0][0] : Infinity);
  const t1 = Math.max(points[points.length - 1].t, continuous ? continuous[continuous.length - 1][0] : -Infinity);
  const span = Math.max(1, t1 - t0);
  const x = (t: number) => 30 + ((t - t0) / span) * (W - 60);
  const maxReplicas = Math.max(1, ...points.map((p) => Math.max(p.from, p.to)));
  const samples: [number, number][] = continuous
    ? continuous
    : points.filter((p) => typeof p.signals?.[signal] === 'number').map((p) => [p.t, p.signals![signal]]);
  const maxSignal = Math.max(1e-9, ...samples.map((v) => v[1]));
  const yR = (v: number) => H - 20 - (v / maxReplicas) * (H - 40);
  const yS = (v: number) => H - 20 - (v / maxSignal) * (H - 40);
  let step = '';
  points.forEach((p, i) => {
    step += i === 0 ? `M${x(p.t)},${yR(p.to)}` : `H${x(p.t)}V${yR(p.to)}`;
  });
  if (t1 > points[points.length - 1].t) step += `H${x(t1)}`;
  const line = samples.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t)},${yS(v)}`).join('');
  const changes = points.filter((p) => p.changed);
  return (
    <svg
      className="autoscaling-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Replicas (up to ${maxReplicas}) and ${signal} (up to ${maxSignal.toFixed(1)}${
        continuous ? `, ${continuous.length} samples of the metric series` : ''
      }), ${changes.length} change(s)`}
    >
      <path d={step} fill="none" stroke="currentColor" strokeWidth={2} />
      {line && (
        <path
          d={line}
          data-source={continuous ? 'metrics' : 'decisions'}
          fill="none"
          stroke="#d9822b"
          strokeWidth={1.5}
          strokeDasharray="4 3"
        />
      )}
      {changes.map((p, i) => (
        <circle
          key={i}
          data-marker="change"
          cx={x(p.t)}
          cy={yR(p.to)}
          r={4}
          fill={p.to > p.from ? '#2e7d32' : '#c62828'}
        >
          <title>{`${p.from} → ${p.to}: ${p.reason}`}</title>
        </circle>
      ))}
      <text x={2} y={12} fontSize={10}>
        replicas (solid), {signal} (dashed)
      </text>
    </svg>
  );
}

const TARGETS: { key: keyof Targets; label: string }[] = [
  { key: 'rpsPerReplica', label: 'Requests/s per replica' },
  { key: 'p95Ms', label: 'p95 response time (ms)' },
  { key: 'inFlightPerReplica', label: 'In flight per replica' },
  { key: 'cpuPercent', label: 'CPU % of the limit' },
  { key: 'memoryPercent', label: 'Memory % of the limit' },
];

/** Scale to zero: empty = never (scaleToZeroAfterSeconds null), the others then keep the core's defaults. */
const ZERO = ['scaleToZeroAfterSeconds', 'startingPageAfterMs', 'maxHeldRequests'] as const;

const INPUTS = [
  'minReplicas',
  'maxReplicas',
  'scaleUpStabilizationSeconds',
  'scaleDownStabilizationSeconds',
  ...ZERO,
  ...TARGETS.map((t) => `targets.${t.key}`),
  'targets',
];

type Draft = Record<string, string>;

function draftOf(p: Policy): Draft {
  const d: Draft = {
    minReplicas: String(p.minReplicas),
    maxReplicas: String(p.maxReplicas),
    scaleUpStabilizationSeconds: String(p.scaleUpStabilizationSeconds),
    scaleDownStabilizationSeconds: String(p.scaleDownStabilizationSeconds),
  };
  for (const k of ZERO) d[k] = p[k] == null ? '' : String(p[k]);
  for (const t of TARGETS) d[`targets.${t.key}`] = p.targets[t.key] == null ? '' : String(p.targets[t.key]);
  return d;
}

/**
 * A service's autoscaling (module scaling) on its page: the policy form and the loop's latest decisions, each
 * with its reason. Nothing when the module is not installed.
 */
export function AutoscalingPanel({ serviceId }: { serviceId: string }) {
  const { canWrite } = useAuth();
  const queryClient = useQueryClient();
  const base = `/services/${encodeURIComponent(serviceId)}/autoscaling`;
  const policy = useQuery({ queryKey: ['autoscaling', serviceId], queryFn: () => api<Policy>(base), retry: false });
  const decisions = useQuery({
    queryKey: ['autoscaling-decisions', serviceId],
    queryFn: () => api<Decision[]>(`${base}/decisions?limit=20`),
    retry: false,
    refetchInterval: 10_000,
  });
  const signal = drivingSignal(decisions.data ?? []);
  const oldest = decisions.data?.length ? new Date(decisions.data[decisions.data.length - 1].at).getTime() : NaN;
  const seriesOf = SERIES_OF[signal];
  const metric = useQuery({
    queryKey: ['autoscaling-signal', serviceId, signal, oldest],
    enabled: !!seriesOf && !Number.isNaN(oldest),
    retry: false,
    refetchInterval: 10_000,
    queryFn: async () => {
      const to = Date.now();
      const from = Math.min(oldest, to - 60_000);
      const answer = await metricsQuery({
        name: seriesOf.name,
        from,
        to,
        step: `${Math.max(10, Math.ceil((to - from) / 300_000))}s`,
        agg: seriesOf.agg,
        labels: { service: serviceId, ...seriesOf.labels },
      });
      const points = answer.series[0]?.points ?? [];
      return points.map(([t, v]) => [t, v * seriesOf.scale] as [number, number]);
    },
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  if (policy.error instanceof ApiError && policy.error.notInstalled) return null;
  const p = policy.data;
  const values = draft ?? (p ? draftOf(p) : null);

  const save = async (enabled: boolean, e?: FormEvent) => {
    e?.preventDefault();
    if (!p || !values) return;
    const body: Record<string, unknown> = {
      ...p,
      enabled,
      minReplicas: Number(values.minReplicas),
      maxReplicas: Number(values.maxReplicas),
      scaleUpStabilizationSeconds: Number(values.scaleUpStabilizationSeconds),
      scaleDownStabilizationSeconds: Number(values.scaleDownStabilizationSeconds),
      targets: Object.fromEntries(
        TARGETS.filter((t) => values[`targets.${t.key}`]?.trim()).map((t) => [
          t.key,
          Number(values[`targets.${t.key}`]),
        ]),
      ),
    };
    for (const k of ZERO) {
      if (values[k]?.trim()) body[k] = Number(values[k]);
      else if (k === 'scaleToZeroAfterSeconds') body[k] = null;
      else delete body[k];
    }
    for (const k of ['serviceId', 'pausedUntil', 'pausedBy', 'updatedAt']) delete body[k];
    try {
      await api<Policy>(base, { method: 'PUT', body });
      setErrors({});
      setDraft(null);
      await queryClient.invalidateQueries({ queryKey: ['autoscaling', serviceId] });
      await queryClient.invalidateQueries({ queryKey: ['autoscaling-decisions', serviceId] });
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) setErrors(placeErrors(err.errors, INPUTS));
      else setErrors({ '': [(err as Error).message] });
    }
  };

  const input = (name: string, label: string) => (
    <Field key={name} name={name} label={label} errors={errors}>
      {(props) => (
        <input
          {...props}
          type="number"
          step="any"
          value={values?.[name] ?? ''}
          disabled={!canWrite}
          onChange={(e) => setDraft({ ...(values ?? {}), [name]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <section aria-labelledby="autoscaling-title">
      <h2 id="autoscaling-title">Autoscaling</h2>
      {p && (
        <p>
          {p.enabled ? `On: ${p.minReplicas}–${p.maxReplicas} replicas.` : 'Off.'}
          {p.pausedUntil && new Date(p.pausedUntil).getTime() > Date.now() && (
            <>
              {' '}
              Paused until {formatTime(p.pausedUntil)} after a manual change{p.pausedBy ? ` by ${p.pausedBy}` : ''}.
            </>
          )}
        </p>
      )}
      {errors[''] && (
        <p className="notice error" role="alert">
          {errors[''].join(' ')}
        </p>
      )}
      {values && (
        <form onSubmit={(e) => save(true, e)} aria-label="Autoscaling policy">
          {input('minReplicas', 'Min replicas')}
          {input('maxReplicas', 'Max replicas')}
          {TARGETS.map((t) => input(`targets.${t.key}`, t.label))}
          {errors.targets && (
            <p className="notice error" role="alert">
              {errors.targets.join(' ')}
            </p>
          )}
          {input('scaleUpStabilizationSeconds', 'Scale-up window (s)')}
          {input('scaleDownStabilizationSeconds', 'Scale-down window (s)')}
          {input('scaleToZeroAfterSeconds', 'Scale to zero after (s idle; empty = never)')}
          {input('startingPageAfterMs', 'Starting page after (ms)')}
          {input('maxHeldRequests', 'Requests held per agent while starting')}
          {canWrite && (
            <p>
              <button type="submit">{p?.enabled ? 'Save' : 'Switch on'}</button>{' '}
              {p?.enabled && (
                <button type="button" onClick={() => save(false)}>
                  Switch off
                </button>
              )}
            </p>
          )}
        </form>
      )}
      <h3>Decisions</h3>
      {decisions.data && <DecisionChart decisions={decisions.data} series={metric.data} />}
      {decisions.data && decisions.data.length === 0 && <p>No decision yet.</p>}
      {decisions.data && decisions.data.length > 0 && (
        <table aria-label="Autoscaling decisions">
          <thead>
            <tr>
              <th>Time</th>
              <th>Replicas</th>
              <th>Rule</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {decisions.data.map((d, i) => (
              <tr key={`${d.at}-${i}`} className={d.changed ? 'changed' : undefined}>
                <td>{formatTime(d.at)}</td>
                <td>{d.changed ? `${d.from} → ${d.to}` : d.to}</td>
                <td>{d.rule}</td>
                <td>{d.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
