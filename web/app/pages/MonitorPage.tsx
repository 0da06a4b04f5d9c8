import { useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { ConfirmButton } from '../components/ConfirmButton';
import { Empty, NotFoundPage, QueryState, isMissing } from '../components/QueryState';
import { TimeChart } from '../components/TimeChart';
import { UptimeBars } from '../components/UptimeBars';
import { formatPercent, formatTime, timeAgo } from '../lib/format';
import { describeTiming, latencySeries } from '../lib/monitors';
import { REFRESH_MS } from '../lib/queries';
import { useTitle } from '../lib/title';

/** One monitor: state per agent with the timing split, response time per agent, results log, incidents. */
export default function MonitorPage() {
  const { id = '' } = useParams();
  const { canWrite } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const monitor = useQuery({
    queryKey: ['monitors', id],
    queryFn: () => endpoints.monitor(id),
    refetchInterval: REFRESH_MS,
  });
  const status = useQuery({
    queryKey: ['monitors', id, 'status'],
    queryFn: () => endpoints.monitorStatus(id),
    refetchInterval: REFRESH_MS,
    enabled: !monitor.error,
  });
  const results = useQuery({
    queryKey: ['monitors', id, 'results'],
    queryFn: () => endpoints.monitorResults(id, 500),
    refetchInterval: REFRESH_MS,
    enabled: !monitor.error,
  });
  const incidents = useQuery({
    queryKey: ['incidents', 'subject', id],
    queryFn: () => endpoints.incidents({ subject: id }),
    enabled: !monitor.error,
    retry: false,
  });
  useTitle(monitor.data ? `Monitor ${monitor.data.name}` : 'Monitor');

  const names = useMemo(
    () => Object.fromEntries((status.data?.agents ?? []).map((a) => [a.agentId, a.agentName ?? a.agentId])),
    [status.data],
  );
  const series = useMemo(() => latencySeries(results.data ?? [], names), [results.data, names]);

  if (isMissing(monitor.error))
    return <NotFoundPage what="Monitor" id={id} back="/monitors" backLabel="All monitors" />;

  const remove = async () => {
    await endpoints.deleteMonitor(id);
    await queryClient.invalidateQueries({ queryKey: ['monitors'] });
    navigate('/monitors');
  };

  return (
    <QueryState what="the monitor" pending={monitor.isPending} error={monitor.error} module="monitors">
      {monitor.data && (
        <section aria-labelledby="monitor-title">
          <div className="page-head">
            <h1 id="monitor-title">
              {monitor.data.name} <Badge value={status.data?.state ?? monitor.data.state} />
            </h1>
            {canWrite && (
              <ConfirmButton label="Delete" confirmLabel="Delete the monitor and its results" onConfirm={remove} />
            )}
          </div>
          <p>
            <code>
              {monitor.data.type}
              {monitor.data.recordType ? ` ${monitor.data.recordType}` : ''}
            </code>{' '}
            <code>{monitor.data.target || '—'}</code>
            {monitor.data.serviceId && (
              <>
                {' '}
                on <Link to={`/services/${monitor.data.serviceId}`}>its service</Link>
              </>
            )}{' '}
            every {monitor.data.intervalSeconds} s, DOWN after {monitor.data.confirmations} failures in a row
            {monitor.data.confirmAgents ? ` on ${monitor.data.confirmAgents} agents` : ' on every agent'}. Since{' '}
            {formatTime(monitor.data.stateSince)}.
          </p>
          <p>
            Uptime 24 h: <strong>{formatPercent(status.data?.uptime['24h'])}</strong>, 7 d:{' '}
            <strong>{formatPercent(status.data?.uptime['7d'])}</strong>, 30 d:{' '}
            <strong>{formatPercent(status.data?.uptime['30d'])}</strong> <UptimeBars monitorId={id} />
          </p>

          <h2>Agents</h2>
          <QueryState what="the status" pending={status.isPending} error={status.error}>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Agent</th>
                    <th scope="col">Result</th>
                    <th scope="col">Status</th>
                    <th scope="col">Timing</th>
                    <th scope="col">Error</th>
                    <th scope="col">Checked</th>
                    <th scope="col">Certificate expires</th>
                  </tr>
                </thead>
                <tbody>
                  {(status.data?.agents ?? []).map((a) => (
                    <tr key={a.agentId}>
                      <td>
                        <Link to={`/hosts/${a.agentId}`}>{a.agentName ?? a.agentId}</Link>{' '}
                        {!a.online && <Badge value="OFFLINE" />}
                      </td>
                      <td>{a.ok === null ? '—' : <Badge value={a.ok ? 'OK' : 'FAILED'} />}</td>
                      <td>{a.status ?? '—'}</td>
                      <td className="small">{describeTiming(a.timing)}</td>
                      <td>
                        {a.errorKind ? (
                          <>
                            <code>{a.errorKind}</code> {a.error}
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{timeAgo(a.checkedAt)}</td>
                      <td>{formatTime(a.tlsExpiresAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </QueryState>

          <h2>Response time per agent</h2>
          {series.length === 0 ? (
            <Empty>No timed result yet.</Empty>
          ) : (
            <TimeChart
              title="Response time (ms) per agent"
              series={series}
              label={(s) => s.labels.agent}
              format={(v) => `${v.toFixed(0)} ms`}
              yMin={0}
            />
          )}

          <h2>Incidents</h2>
          <QueryState what="incidents" pending={incidents.isPending} error={incidents.error} module="alerts">
            {(incidents.data ?? []).length === 0 ? (
              <Empty>No incident for this monitor.</Empty>
            ) : (
              <ul>
                {incidents.data!.map((i) => (
                  <li key={i.id}>
                    <Link to={`/incidents/${i.id}`}>{i.rule}</Link> <Badge value={i.state} /> opened{' '}
                    {formatTime(i.openedAt)}
                    {i.resolvedAt && <>, resolved {formatTime(i.resolvedAt)}</>}
                  </li>
                ))}
              </ul>
            )}
          </QueryState>

          <h2>Results</h2>
          <QueryState what="results" pending={results.isPending} error={results.error}>
            {(results.data ?? []).length === 0 ? (
              <Empty>No result yet.</Empty>
            ) : (
              <div className="table-wrap">
                <table aria-label="Results log">
                  <thead>
                    <tr>
                      <th scope="col">Checked</th>
                      <th scope="col">Agent</th>
                      <th scope="col">Result</th>
                      <th scope="col">Status</th>
                      <th scope="col">Latency</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {results.data!.slice(0, 100).map((r) => (
                      <tr key={`${r.agentId} ${r.checkedAt}`}>
                        <td>{formatTime(r.checkedAt)}</td>
                        <td>{names[r.agentId] ?? r.agentId}</td>
                        <td>
                          <Badge value={r.ok ? 'OK' : 'FAILED'} />
                        </td>
                        <td>{r.status ?? '—'}</td>
                        <td>{r.latencyMs === null ? '—' : `${r.latencyMs} ms`}</td>
                        <td>
                          {r.errorKind ? (
                            <>
                              <code>{r.errorKind}</code> {r.error}
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </QueryState>
        </section>
      )}
    </QueryState>
  );
}
