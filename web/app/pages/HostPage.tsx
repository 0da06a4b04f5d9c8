import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { Series } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { ConfirmButton } from '../components/ConfirmButton';
import { MaintenanceToggle } from '../components/MaintenanceToggle';
import { MetricChart } from '../components/MetricChart';
import { Empty, NotFoundPage, NotInstalled, QueryState, isMissing } from '../components/QueryState';
import { ChartsHead, useRangeParam } from '../components/RangePicker';
import { formatBytes, formatPercent, formatTime, timeAgo } from '../lib/format';
import { metricNames } from '../lib/metrics';
import { REFRESH_MS } from '../lib/queries';
import { useTitle } from '../lib/title';

export default function HostPage() {
  const { id = '' } = useParams();
  const [range, setRange] = useRangeParam();
  const { isAdmin } = useAuth();
  const navigate = useNavigate();
  const agent = useQuery({ queryKey: ['agent', id], queryFn: () => endpoints.agent(id), refetchInterval: REFRESH_MS });
  const names = useQuery({
    queryKey: ['metrics', 'names'],
    queryFn: async () => {
      try {
        return metricNames(await endpoints.metricsNames());
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    },
    staleTime: 60_000,
  });
  const a = agent.data;
  useTitle(a ? `Host ${a.name}` : 'Host');
  const labels = { agent: id };

  const remove = async () => {
    await endpoints.removeAgent(id);
    navigate('/hosts');
  };

  if (isMissing(agent.error) || (agent.error instanceof ApiError && agent.error.notInstalled)) {
    // Hosts are core (platform/agents): a 404 here is always an unknown host.
    return <NotFoundPage what="Host" id={id} back="/hosts" backLabel="All hosts" />;
  }
  return (
    <section aria-labelledby="host-title">
      <p className="crumbs">
        <Link to="/hosts">Hosts</Link> /
      </p>
      <QueryState what="the host" pending={agent.isPending} error={agent.error}>
        {a && (
          <>
            <div className="page-head">
              <h1 id="host-title">
                {a.name} <Badge value={a.status} />
              </h1>
              {isAdmin && <ConfirmButton label="Remove host" onConfirm={remove} />}
            </div>
            <dl className="facts">
              <div>
                <dt>Hostname</dt>
                <dd>{a.hostname}</dd>
              </div>
              <div>
                <dt>Address</dt>
                <dd>{a.address ?? '—'}</dd>
              </div>
              <div>
                <dt>Role</dt>
                <dd>{a.role}</dd>
              </div>
              <div>
                <dt>Agent version</dt>
                <dd>{a.version || '—'}</dd>
              </div>
              <div>
                <dt>Last seen</dt>
                <dd title={formatTime(a.lastSeenAt)}>{timeAgo(a.lastSeenAt)}</dd>
              </div>
              <div>
                <dt>Id</dt>
                <dd>
                  <code>{a.id}</code>
                </dd>
              </div>
            </dl>
            <MaintenanceToggle agentId={a.id} />
          </>
        )}
      </QueryState>

      <ChartsHead title="Usage" range={range} onChange={setRange} />
      <div className="charts">
        <MetricChart
          title="CPU %"
          range={range}
          known={names.data}
          format={percent}
          yMin={0}
          yMax={100}
          lines={[{ patterns: ['host_cpu_usage_percent'], labels: { ...labels, cpu: 'total' }, legend: () => 'CPU' }]}
        />
        <MetricChart
          title="Memory"
          range={range}
          known={names.data}
          format={formatBytes}
          yMin={0}
          lines={[
            { patterns: ['host_memory_used_bytes'], labels, legend: () => 'used' },
            { patterns: ['host_memory_total_bytes'], labels, legend: () => 'total' },
          ]}
        />
        <MetricChart
          title="Disk used %"
          range={range}
          known={names.data}
          format={percent}
          yMin={0}
          yMax={100}
          lines={[
            {
              patterns: ['host_filesystem_used_percent', /^host_(filesystem|fs|disk)_.*used.*percent$/],
              labels,
              legend: mount,
            },
          ]}
        />
        <MetricChart
          title="Network"
          range={range}
          known={names.data}
          format={(v) => `${formatBytes(v)}/s`}
          yMin={0}
          lines={[
            {
              patterns: ['host_network_receive_bytes_per_second', /^host_network_(receive|rx).*bytes/],
              labels,
              legend: (s) => `in ${s.labels.interface ?? s.labels.device ?? ''}`,
            },
            {
              patterns: ['host_network_transmit_bytes_per_second', /^host_network_(transmit|tx).*bytes/],
              labels,
              legend: (s) => `out ${s.labels.interface ?? s.labels.device ?? ''}`,
            },
          ]}
        />
      </div>

      <Containers agentId={id} />
    </section>
  );
}

const percent = (v: number) => `${v.toFixed(0)} %`;

function mount(s: Series): string {
  return s.labels.mountpoint ?? s.labels.mount ?? s.labels.path ?? s.labels.device ?? 'disk';
}

/** The agent's containers (as last reported) with their current CPU and memory. */
function Containers({ agentId }: { agentId: string }) {
  const containers = useQuery({
    queryKey: ['containers', agentId],
    queryFn: () => endpoints.agentContainers(agentId),
    refetchInterval: REFRESH_MS,
  });
  const usage = useQuery({
    queryKey: ['metrics', 'container-usage', agentId],
    queryFn: async () => {
      const to = Date.now();
      const q = (name: string) =>
        endpoints
          .metricsQuery({ name, from: to - 120_000, to, step: '10s', labels: { agent: agentId } })
          .then((a) => lastByContainer(a.series ?? []))
          .catch(() => new Map<string, number>());
      const [cpu, mem] = await Promise.all([q('container_cpu_usage_percent'), q('container_memory_used_bytes')]);
      return { cpu, mem };
    },
    refetchInterval: 10_000,
  });
  // Managed containers link to their service by name (the services module may be absent: ids then).
  const services = useQuery({
    queryKey: ['services'],
    queryFn: endpoints.services,
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const serviceNames = new Map((services.data ?? []).map((s) => [s.id, s.name]));

  return (
    <section aria-labelledby="containers-title">
      <h2 id="containers-title">Containers</h2>
      {containers.error instanceof ApiError && containers.error.status === 404 ? (
        <NotInstalled module="docker" />
      ) : (
        <QueryState what="containers" pending={containers.isPending} error={containers.error}>
          {(containers.data ?? []).length === 0 ? (
            <Empty>This host reports no container.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Image</th>
                    <th scope="col">State</th>
                    <th scope="col">Health</th>
                    <th scope="col">CPU</th>
                    <th scope="col">Memory</th>
                    <th scope="col">Service</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {containers.data!.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <code>{c.name}</code>
                      </td>
                      <td className="truncate">{c.image}</td>
                      <td>
                        <Badge value={c.state} />
                      </td>
                      <td>
                        <Badge value={c.health} />
                      </td>
                      <td>{formatPercent(usage.data?.cpu.get(c.name) ?? usage.data?.cpu.get(c.id))}</td>
                      <td>{formatBytes(usage.data?.mem.get(c.name) ?? usage.data?.mem.get(c.id))}</td>
                      <td>
                        {c.serviceId ? (
                          <Link to={`/services/${c.serviceId}`}>
                            {serviceNames.get(c.serviceId) ?? c.serviceId.slice(0, 8)}
                          </Link>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>
                        <Link
                          to={`/logs?agent=${encodeURIComponent(agentId)}&source=${encodeURIComponent(`container:${c.id}`)}`}
                        >
                          Logs
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      )}
    </section>
  );
}

function lastByContainer(series: Series[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of series) {
    const last = s.points[s.points.length - 1];
    const key = s.labels.container ?? s.labels.container_id;
    if (key && last) out.set(key, last[1]);
  }
  return out;
}
