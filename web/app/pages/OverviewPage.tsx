import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import type { Agent, Service, ServiceStatus } from '../api/types';
import { Badge, HealthBadge } from '../components/Badge';
import { Empty, QueryState } from '../components/QueryState';
import { formatPercent, timeAgo } from '../lib/format';
import { REFRESH_MS, rollup, useAgents, useLatest, useServices, useServiceStatuses } from '../lib/queries';
import { useTitle } from '../lib/title';

/** How many services' rollout states the overview checks (one request each). */
const CHECKED = 20;
const HOSTS_SHOWN = 12;
/** `latest` sums the series of a group: only the all-CPU series. */
const CPU_TOTAL = { cpu: 'total' };

interface Problem {
  key: string;
  what: string;
  detail: string;
  link: string;
}

export function OverviewPage() {
  useTitle('Overview');
  const agents = useAgents();
  const services = useServices();
  const cpu = useLatest('host_cpu_usage_percent', 'agent', CPU_TOTAL);
  const list = services.data ?? [];
  const checked = list.slice(0, CHECKED);
  const statuses = useServiceStatuses(checked.map((s) => s.id));
  const byId = new Map(checked.map((s, i) => [s.id, statuses[i]?.data]));
  const hosts = agents.data ?? [];
  const online = hosts.filter((a) => a.status === 'ONLINE').length;
  const problems = findProblems(hosts, checked, byId);
  // module alerts; absent (404): the card shows a dash
  const incidents = useQuery({
    queryKey: ['incidents', { state: 'open' }],
    queryFn: () => endpoints.incidents({ state: 'open' }),
    refetchInterval: REFRESH_MS,
  });
  const ready = !agents.isPending && !services.isPending;
  const updated = Math.max(agents.dataUpdatedAt, services.dataUpdatedAt);

  return (
    <section aria-labelledby="overview-title" data-testid={ready ? 'overview-ready' : undefined}>
      <div className="page-head">
        <h1 id="overview-title">Fleet overview</h1>
        <p className="muted" aria-live="off">
          {updated ? `Updated ${timeAgo(new Date(updated).toISOString())}; refreshes every 5 s` : ''}
        </p>
      </div>

      <div className="cards">
        <div className="card stat">
          <span className="stat-label">Hosts online</span>
          <span className="stat-value" data-testid="hosts-online">
            {agents.data ? `${online} / ${hosts.length}` : '…'}
          </span>
        </div>
        <div className="card stat">
          <span className="stat-label">Services</span>
          <span className="stat-value" data-testid="services-count">
            {services.data ? list.length : '…'}
          </span>
        </div>
        <div className="card stat">
          <span className="stat-label">Problems</span>
          <span className={`stat-value${problems.length ? ' bad-text' : ''}`}>{ready ? problems.length : '…'}</span>
        </div>
        <div className="card stat">
          <span className="stat-label">
            <Link to="/incidents">Open incidents</Link>
          </span>
          <span className={`stat-value${incidents.data?.length ? ' bad-text' : ''}`} data-testid="incidents-open">
            {incidents.data ? incidents.data.length : incidents.error ? '—' : '…'}
          </span>
        </div>
      </div>

      <div className="columns">
        <section aria-labelledby="hosts-title" className="card">
          <h2 id="hosts-title">
            Hosts{' '}
            <Link to="/hosts" className="small">
              all hosts
            </Link>
          </h2>
          <QueryState what="hosts" pending={agents.isPending} error={agents.error}>
            {hosts.length === 0 ? (
              <Empty>
                No host is enrolled yet. <Link to="/enrol">Enrol a host</Link>.
              </Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Host</th>
                    <th scope="col">Status</th>
                    <th scope="col">CPU</th>
                    <th scope="col">Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {sortHosts(hosts)
                    .slice(0, HOSTS_SHOWN)
                    .map((a) => (
                      <tr key={a.id}>
                        <td>
                          <Link to={`/hosts/${a.id}`}>{a.name}</Link>
                        </td>
                        <td>
                          <Badge value={a.status} />
                        </td>
                        <td>{formatPercent(cpu.data?.get(a.id))}</td>
                        <td>{timeAgo(a.lastSeenAt)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
            {hosts.length > HOSTS_SHOWN && <p className="muted">and {hosts.length - HOSTS_SHOWN} more.</p>}
          </QueryState>
        </section>

        <section aria-labelledby="services-title" className="card">
          <h2 id="services-title">
            Services{' '}
            <Link to="/services" className="small">
              all services
            </Link>
          </h2>
          <QueryState what="services" pending={services.isPending} error={services.error} module="proxy">
            {list.length === 0 ? (
              <Empty>
                No service yet. <Link to="/services/new">Create one</Link>.
              </Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">Domains</th>
                    <th scope="col">Health</th>
                  </tr>
                </thead>
                <tbody>
                  {checked.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/services/${s.id}`}>{s.name}</Link>
                      </td>
                      <td className="truncate">{s.domains.join(', ')}</td>
                      <td>
                        {byId.get(s.id) ? (
                          <HealthBadge health={byId.get(s.id)?.health} config={rollup(byId.get(s.id))} />
                        ) : (
                          <span className="muted">…</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {list.length > CHECKED && <p className="muted">and {list.length - CHECKED} more.</p>}
          </QueryState>
        </section>
      </div>

      <section aria-labelledby="problems-title" className="card">
        <h2 id="problems-title">Last problems</h2>
        {!ready ? (
          <p className="muted">Checking…</p>
        ) : problems.length === 0 ? (
          <Empty>No problem: every host is online and every checked service is applied.</Empty>
        ) : (
          <ul className="problems">
            {problems.map((p) => (
              <li key={p.key}>
                <Link to={p.link}>{p.what}</Link> <span className="muted">{p.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

function sortHosts(hosts: Agent[]): Agent[] {
  return [...hosts].sort((a, b) =>
    a.status === b.status ? a.name.localeCompare(b.name) : a.status === 'OFFLINE' ? -1 : 1,
  );
}

export function findProblems(
  hosts: Agent[],
  services: Service[],
  statuses: Map<string, ServiceStatus | undefined>,
): Problem[] {
  const problems: Problem[] = [];
  const names = new Map(hosts.map((h) => [h.id, h.name]));
  for (const h of hosts) {
    if (h.status === 'OFFLINE') {
      problems.push({
        key: `host-${h.id}`,
        what: `Host ${h.name} is offline`,
        detail: `last seen ${timeAgo(h.lastSeenAt)}`,
        link: `/hosts/${h.id}`,
      });
    }
  }
  for (const s of services) {
    const st = statuses.get(s.id);
    if (!st) continue;
    for (const a of st.agents) {
      if (a.state === 'FAILED') {
        problems.push({
          key: `svc-${s.id}-${a.agentId}`,
          what: `Service ${s.name} failed on ${names.get(a.agentId) ?? a.agentId}`,
          detail: a.error ?? '',
          link: `/services/${s.id}`,
        });
      }
    }
    const down = st.targets.filter((t) => t.healthy === false);
    if (down.length) {
      problems.push({
        key: `tgt-${s.id}`,
        what: `Service ${s.name}: ${down.length} unhealthy target${down.length > 1 ? 's' : ''}`,
        detail: down.map((t) => `${t.host}:${t.port}`).join(', '),
        link: `/services/${s.id}`,
      });
    }
  }
  return problems;
}
