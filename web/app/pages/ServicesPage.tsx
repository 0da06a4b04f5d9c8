import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { HealthBadge } from '../components/Badge';
import { Empty, QueryState } from '../components/QueryState';
import { rollup, useAgents, useServices, useServiceStatuses } from '../lib/queries';
import { useTitle } from '../lib/title';
import { Flash } from '../components/Flash';

const PAGE = 25;

export default function ServicesPage() {
  useTitle('Services');
  const { canWrite } = useAuth();
  const services = useServices();
  const agents = useAgents();
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const needle = filter.trim().toLowerCase();
  const all = services.data ?? [];
  const rows = all.filter((s) => !needle || `${s.name} ${s.domains.join(' ')}`.toLowerCase().includes(needle));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE, current * PAGE + PAGE);
  const statuses = useServiceStatuses(shown.map((s) => s.id));
  const agentNames = new Map((agents.data ?? []).map((a) => [a.id, a.name]));

  return (
    <section aria-labelledby="services-title">
      <div className="page-head">
        <h1 id="services-title">Services</h1>
        <label className="inline">
          <span>Filter</span>
          <input
            type="search"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setPage(0);
            }}
            placeholder="name or domain"
          />
        </label>
        {canWrite && (
          <Link className="button primary" to="/services/new">
            New service
          </Link>
        )}
      </div>
      <Flash />
      <QueryState what="services" pending={services.isPending} error={services.error} module="proxy">
        {all.length === 0 ? (
          <Empty>
            No service yet.
            {canWrite && (
              <>
                {' '}
                <Link to="/services/new">Create the first one</Link>.
              </>
            )}
          </Empty>
        ) : rows.length === 0 ? (
          <Empty>No service matches “{filter}”.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Domains</th>
                    <th scope="col">Hosts</th>
                    <th scope="col">Upstream</th>
                    <th scope="col">Revision</th>
                    <th scope="col">Health</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((s, i) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/services/${s.id}`}>{s.name}</Link>
                      </td>
                      <td className="truncate">{s.domains.join(', ')}</td>
                      <td className="truncate">
                        {s.agentIds.map((id) => agentNames.get(id) ?? id.slice(0, 8)).join(', ') || '—'}
                      </td>
                      <td>
                        {s.containers
                          ? `${s.containers.replicas ?? 1} × ${s.containers.image}`
                          : `${s.upstream.targets.length} target${s.upstream.targets.length === 1 ? '' : 's'}`}
                      </td>
                      <td>{s.revision}</td>
                      <td>
                        {statuses[i]?.data || s.health ? (
                          <HealthBadge
                            health={statuses[i]?.data?.health ?? s.health}
                            config={rollup(statuses[i]?.data)}
                          />
                        ) : (
                          <span className="muted">…</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {pages > 1 && (
              <nav className="pager" aria-label="Pages">
                <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
                  Previous
                </button>
                <span>
                  Page {current + 1} of {pages} ({rows.length} services)
                </span>
                <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
                  Next
                </button>
              </nav>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
