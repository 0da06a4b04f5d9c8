import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { MonitorCreateForm } from '../components/MonitorCreateForm';
import { Empty, QueryState } from '../components/QueryState';
import { UptimeBars } from '../components/UptimeBars';
import { timeAgo } from '../lib/format';
import { REFRESH_MS } from '../lib/queries';
import { useTitle } from '../lib/title';

/** Uptime monitors (module monitors): state, 24 h bars, and the form to add one. */
export default function MonitorsPage() {
  useTitle('Monitors');
  const { canWrite } = useAuth();
  const monitors = useQuery({
    queryKey: ['monitors'],
    queryFn: () => endpoints.monitors(),
    refetchInterval: REFRESH_MS,
  });
  const [adding, setAdding] = useState(false);

  return (
    <section aria-labelledby="monitors-title">
      <div className="page-head">
        <h1 id="monitors-title">Monitors</h1>
        {canWrite && !monitors.error && (
          <button type="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
            {adding ? 'Close the form' : 'Add a monitor'}
          </button>
        )}
      </div>
      {adding && <MonitorCreateForm onDone={() => setAdding(false)} />}
      <QueryState what="monitors" pending={monitors.isPending} error={monitors.error} module="monitors">
        {(monitors.data ?? []).length === 0 ? (
          <Empty>
            No monitor yet: add one to check a URL, a certificate, a DNS record or a resource endpoint from your hosts.
          </Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Target</th>
                  <th scope="col">State</th>
                  <th scope="col">Last 24 h</th>
                  <th scope="col">Every</th>
                  <th scope="col">Agents</th>
                </tr>
              </thead>
              <tbody>
                {monitors.data!.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/monitors/${m.id}`}>{m.name}</Link>
                    </td>
                    <td>
                      {m.type}
                      {m.recordType ? ` ${m.recordType}` : ''}
                    </td>
                    <td>
                      <code>{m.target || '—'}</code>
                      {m.serviceId && (
                        <>
                          {' '}
                          <Link to={`/services/${m.serviceId}`} className="small">
                            service
                          </Link>
                        </>
                      )}
                    </td>
                    <td>
                      <Badge value={m.state} /> <span className="muted small">{timeAgo(m.stateSince)}</span>
                    </td>
                    <td>
                      <UptimeBars monitorId={m.id} />
                    </td>
                    <td>{m.intervalSeconds} s</td>
                    <td>{m.agentIds.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}
