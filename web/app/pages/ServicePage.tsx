import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { Series, Service, ServiceStatus } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Badge, HealthBadge } from '../components/Badge';
import { ServiceTopClients } from '../components/FirewallTopClients';
import { ServiceMonitors } from '../components/ServiceMonitors';
import { MaintenanceToggle } from '../components/MaintenanceToggle';
import { AutoscalingPanel } from '../components/AutoscalingPanel';
import { ServicePages } from '../components/ServicePages';
import { ConfirmButton } from '../components/ConfirmButton';
import { MetricChart } from '../components/MetricChart';
import { Empty, NotFoundPage, QueryState, isMissing } from '../components/QueryState';
import { ChartsHead, useRangeParam } from '../components/RangePicker';
import { ServiceHistory } from '../components/ServiceHistory';
import { formatNumber, formatTime } from '../lib/format';
import { metricNames } from '../lib/metrics';
import { REFRESH_MS, rollup, useAgents } from '../lib/queries';
import { useTitle } from '../lib/title';
import { Flash, flash } from '../components/Flash';

export default function ServicePage() {
  const { id = '' } = useParams();
  const { canWrite } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [range, setRange] = useRangeParam();
  const service = useQuery({
    queryKey: ['service', id],
    queryFn: () => endpoints.service(id),
    refetchInterval: REFRESH_MS,
  });
  const status = useQuery({
    queryKey: ['service-status', id],
    queryFn: () => endpoints.serviceStatus(id),
    refetchInterval: 2_000,
  });
  const names = useQuery({
    queryKey: ['metrics', 'names'],
    queryFn: () =>
      endpoints
        .metricsNames()
        .then(metricNames)
        .catch(() => [] as string[]),
    staleTime: 60_000,
  });
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const agents = useAgents();
  const hostName = (id?: string) =>
    id ? ((agents.data ?? []).find((a) => a.id === id)?.name ?? id.slice(0, 8)) : 'requests';
  const s = service.data;
  useTitle(s ? `Service ${s.name}` : 'Service');

  const remove = async () => {
    try {
      await endpoints.deleteService(id);
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      navigate('/services', flash(`Deleted ${service.data?.name ?? 'the service'}.`));
    } catch (e) {
      setDeleteError((e as Error).message);
    }
  };

  const labels = { service: id };
  if (isMissing(service.error)) {
    return <DeletedServicePage id={id} canWrite={canWrite} />;
  }
  return (
    <section aria-labelledby="service-title">
      <p className="crumbs">
        <Link to="/services">Services</Link> /
      </p>
      <QueryState what="the service" pending={service.isPending} error={service.error} module="proxy">
        {s && (
          <>
            <div className="page-head">
              <h1 id="service-title">
                {s.name} {status.data && <HealthBadge health={status.data.health} config={rollup(status.data)} />}
              </h1>
              <Link className="button" to={`/logs?service=${encodeURIComponent(id)}`}>
                Logs
              </Link>
              {canWrite && (
                <div className="actions">
                  <Link className="button" to={`/services/${id}/edit`}>
                    Edit
                  </Link>
                  <ConfirmButton label="Delete" onConfirm={remove} />
                </div>
              )}
            </div>
            <Flash />
            {deleteError && (
              <p className="notice error" role="alert">
                Not deleted: {deleteError}
              </p>
            )}
            <Details service={s} />
            {status.data?.tls?.problem && (
              <p className="notice warn" role="status">
                HTTPS ({status.data.tls.mode}): {status.data.tls.problem}
              </p>
            )}
            <Rollout service={s} status={status.data} error={status.error} />
            <ServiceHistory service={s} canWrite={canWrite} />
            {s.containers && <Replicas service={s} status={status.data} canWrite={canWrite} />}
            {s.containers && <AutoscalingPanel serviceId={id} />}
            <ServiceMonitors serviceId={id} />
            <ServiceTopClients serviceId={id} />
            <MaintenanceToggle serviceId={id} />
            <ServicePages service={s} />
          </>
        )}
      </QueryState>

      <ChartsHead title="Traffic" range={range} onChange={setRange} />
      <div className="charts">
        <MetricChart
          title="Requests per second"
          range={range}
          known={names.data}
          format={(v) => formatNumber(v, 1)}
          yMin={0}
          lines={[{ patterns: ['service_requests_per_second'], labels, legend: (x) => hostName(x.labels.agent) }]}
        />
        <MetricChart
          title="Responses by status"
          range={range}
          known={names.data}
          format={(v) => formatNumber(v, 1)}
          yMin={0}
          lines={[
            {
              patterns: [
                'service_responses_per_second',
                /^service_responses?_.*(per_second|rate)$/,
                /^service_(status|responses)/,
              ],
              labels,
              legend: statusLegend,
            },
          ]}
        />
        <MetricChart
          title="Response time"
          range={range}
          known={names.data}
          format={(v) => `${formatNumber(v * 1000, 0)} ms`}
          yMin={0}
          lines={[
            {
              patterns: ['service_response_time_seconds'],
              labels,
              legend: (x) => `p${Math.round(Number(x.labels.quantile ?? 0) * 100)}`,
            },
          ]}
        />
      </div>
    </section>
  );
}

function statusLegend(s: Series): string {
  return s.labels.status ?? s.labels.code ?? s.labels.class ?? s.labels.status_class ?? s.name;
}

function Details({ service: s }: { service: Service }) {
  return (
    <dl className="facts">
      <div className="wide">
        <dt>Domains</dt>
        <dd>
          {s.domains.map((d) => (
            <div key={d}>
              <code>{d}</code>
            </div>
          ))}
        </dd>
      </div>
      <div>
        <dt>Load balancing</dt>
        <dd>{s.upstream.lbMethod.replace('_', ' ')}</dd>
      </div>
      <div>
        <dt>Health check</dt>
        <dd>{s.upstream.healthCheck ? <code>{s.upstream.healthCheck.path}</code> : 'passive only'}</dd>
      </div>
      <div>
        <dt>Revision</dt>
        <dd>{s.revision}</dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>{formatTime(s.updatedAt)}</dd>
      </div>
      {s.containers && (
        <div>
          <dt>Image</dt>
          <dd>
            <code>{s.containers.image}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

function Rollout({ service, status, error }: { service: Service; status?: ServiceStatus; error: unknown }) {
  const agents = useAgents();
  const names = new Map((agents.data ?? []).map((a) => [a.id, a.name]));
  return (
    <>
      <section aria-labelledby="rollout-title">
        <h2 id="rollout-title">Configuration on each host</h2>
        <QueryState what="the status" pending={!status && !error} error={error}>
          {status && status.agents.length === 0 ? (
            <Empty>The service is placed on no host: no nginx serves it. Edit it to choose hosts.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col">State</th>
                  <th scope="col">Live revision</th>
                  <th scope="col">nginx error</th>
                  {service.containers && <th scope="col">Replicas</th>}
                </tr>
              </thead>
              <tbody>
                {status?.agents.map((a) => (
                  <tr key={a.agentId} data-testid={`rollout-${a.agentId}`}>
                    <td>
                      <Link to={`/hosts/${a.agentId}`}>{names.get(a.agentId) ?? a.agentId}</Link>
                    </td>
                    <td>
                      <Badge value={a.state} />
                    </td>
                    <td>
                      {a.appliedRevision ?? '—'} <span className="muted">of {service.revision}</span>
                    </td>
                    <td>{a.error ? <pre className="error-text">{a.error}</pre> : '—'}</td>
                    {service.containers && (
                      <td>
                        {a.containers ? (
                          <>
                            {a.containers.ready}/{a.containers.desired} ready <Badge value={a.containers.state} />
                            {a.containers.error && <pre className="error-text">{a.containers.error}</pre>}
                          </>
                        ) : (
                          <span className="muted">not reported</span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
      <section aria-labelledby="targets-title">
        <h2 id="targets-title">Targets</h2>
        {status && status.targets.length === 0 ? (
          <Empty>No target yet{service.containers ? ': replicas appear here once running.' : '.'}</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Health</th>
              </tr>
            </thead>
            <tbody>
              {status?.targets.map((t) => (
                <tr key={`${t.host}:${t.port}`}>
                  <td>
                    <code>
                      {t.host.includes(':') ? `[${t.host}]` : t.host}:{t.port}
                    </code>
                  </td>
                  <td>
                    <Badge value={t.healthy === null ? 'unknown' : t.healthy ? 'healthy' : 'unhealthy'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function Replicas({ service, status, canWrite }: { service: Service; status?: ServiceStatus; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [wanted, setWanted] = useState(String(service.containers?.replicas ?? 1));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const replicas = status?.replicas ?? [];

  const scale = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(wanted);
    if (!/^\d+$/.test(wanted.trim()) || n > 100) {
      setMessage({ ok: false, text: 'Replicas must be a whole number from 0 to 100.' });
      return;
    }
    try {
      await endpoints.scaleService(service.id, n);
      setMessage({ ok: true, text: `Scaling to ${n}.` });
      await queryClient.invalidateQueries({ queryKey: ['service', service.id] });
    } catch (err) {
      const text =
        err instanceof ApiError && err.errors.length
          ? err.errors.map((x) => x.message).join('; ')
          : (err as Error).message;
      setMessage({
        ok: false,
        text:
          err instanceof ApiError && err.status === 404
            ? 'Scaling is not available in this core.'
            : `Not scaled: ${text}`,
      });
    }
  };

  return (
    <section aria-labelledby="replicas-title">
      <h2 id="replicas-title">Replicas</h2>
      {canWrite && (
        <form className="row" onSubmit={scale}>
          <div className="field">
            <label htmlFor="replicas">Desired replicas</label>
            <input
              id="replicas"
              className="short"
              inputMode="numeric"
              value={wanted}
              onChange={(e) => setWanted(e.target.value)}
            />
          </div>
          <button type="submit">Scale</button>
          {message && (
            <span role="status" className={message.ok ? 'ok-text' : 'bad-text'}>
              {message.text}
            </span>
          )}
        </form>
      )}
      {replicas.length === 0 ? (
        <Empty>No replica reported yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Container</th>
              <th scope="col">State</th>
              <th scope="col">Health</th>
              <th scope="col">Endpoint</th>
              <th scope="col">In upstream</th>
              <th scope="col">
                <span className="sr-only">Logs</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {replicas.map((r) => (
              <tr key={r.containerId}>
                <td>
                  <code>{r.name}</code>
                </td>
                <td>
                  <Badge value={r.state} />
                </td>
                <td>
                  <Badge value={r.health} />
                </td>
                <td>
                  {r.port ? (
                    <code>
                      {r.host ?? '127.0.0.1'}:{r.port}
                    </code>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{r.ready ? 'yes' : 'no'}</td>
                <td>
                  <Link
                    to={`/logs?agent=${encodeURIComponent(r.agentId)}&source=${encodeURIComponent(`container:${r.containerId}`)}`}
                  >
                    Logs
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A deleted service's kept history, with restore (operators); a plain not-found page for an id without history. */
function DeletedServicePage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const revisions = useQuery({
    queryKey: ['service-revisions', id, 'deleted'],
    queryFn: () => endpoints.serviceRevisions(id),
    retry: false,
  });
  const last = revisions.data?.[0];
  const deleted = last?.action === 'DELETED' ? last : undefined;
  const lastConfig = useQuery({
    queryKey: ['service-revision', id, deleted?.revision],
    queryFn: () => endpoints.serviceRevision(id, deleted!.revision),
    enabled: !!deleted,
  });
  const name = typeof lastConfig.data?.config?.name === 'string' ? lastConfig.data.config.name : undefined;
  useTitle(deleted ? `Deleted service ${name ?? ''}`.trim() : 'Service');
  if (revisions.isPending) return <p className="muted">Loading…</p>;
  if (!deleted) return <NotFoundPage what="Service" id={id} back="/services" backLabel="All services" />;
  return (
    <section aria-labelledby="deleted-service-title" data-testid="deleted-service">
      <p className="crumbs">
        <Link to="/services">Services</Link> /
      </p>
      <h1 id="deleted-service-title">
        {name ?? id} <span className="badge neutral">deleted</span>
      </h1>
      <p className="notice info">
        Deleted {formatTime(deleted.changedAt)}
        {deleted.changedBy ? ` by ${deleted.changedBy}` : ''}. Its history is kept: restoring a revision creates the
        service again with the same id (its domains must still be free).
      </p>
      <ServiceHistory service={{ id, revision: deleted.revision }} canWrite={canWrite} deleted />
    </section>
  );
}
