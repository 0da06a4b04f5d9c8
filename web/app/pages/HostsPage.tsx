import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge } from '../components/Badge';
import { Empty, QueryState } from '../components/QueryState';
import { formatBytes, formatPercent, timeAgo } from '../lib/format';
import { useAgents, useLatest } from '../lib/queries';
import { useTitle } from '../lib/title';

/** `latest` sums the series of a group: only the all-CPU series. */
const CPU_TOTAL = { cpu: 'total' };

export default function HostsPage() {
  useTitle('Hosts');
  const agents = useAgents();
  const cpu = useLatest('host_cpu_usage_percent', 'agent', CPU_TOTAL);
  const used = useLatest('host_memory_used_bytes', 'agent');
  const total = useLatest('host_memory_total_bytes', 'agent');
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const rows = (agents.data ?? [])
    .filter((a) => !needle || `${a.name} ${a.hostname} ${a.status} ${a.role}`.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section aria-labelledby="hosts-title">
      <div className="page-head">
        <h1 id="hosts-title">Hosts</h1>
        <label className="inline">
          <span>Filter</span>
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="name, status, role"
          />
        </label>
      </div>
      <QueryState what="hosts" pending={agents.isPending} error={agents.error}>
        {(agents.data ?? []).length === 0 ? (
          <Empty>
            No host is enrolled yet. <Link to="/enrol">Enrol a host</Link> with the agent.
          </Empty>
        ) : rows.length === 0 ? (
          <Empty>No host matches “{filter}”.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Enrolled hosts</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Version</th>
                  <th scope="col">Role</th>
                  <th scope="col">CPU now</th>
                  <th scope="col">Memory now</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => {
                  const u = used.data?.get(a.id);
                  const t = total.data?.get(a.id);
                  return (
                    <tr key={a.id}>
                      <td>
                        <Link to={`/hosts/${a.id}`}>{a.name}</Link>
                        <div className="muted small">{a.hostname}</div>
                      </td>
                      <td>
                        <Badge value={a.status} />
                      </td>
                      <td title={a.lastSeenAt ?? ''}>{timeAgo(a.lastSeenAt)}</td>
                      <td>{a.version || '—'}</td>
                      <td>{a.role}</td>
                      <td>{formatPercent(cpu.data?.get(a.id))}</td>
                      <td>
                        {u === undefined
                          ? '—'
                          : `${formatBytes(u)}${t ? ` of ${formatBytes(t)} (${formatPercent((u / t) * 100)})` : ''}`}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}
