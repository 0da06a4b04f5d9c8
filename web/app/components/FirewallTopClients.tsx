import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api/http';
import { REFRESH_MS, useServices } from '../lib/queries';
import { Empty, QueryState } from './QueryState';

/** GET /api/v1/firewall/top-clients: per service, its busiest clients over the agents' last 5–10 minutes. */
export interface TopClientsOfService {
  serviceId: string | null;
  clients: { ip: string; requests: number; errors: number; agents: number }[];
}

/** A service page's section: its busiest clients; nothing when the firewall module is not installed. */
export function ServiceTopClients({ serviceId }: { serviceId: string }) {
  return <FirewallTopClients serviceId={serviceId} section />;
}

/**
 * The busiest clients per service (or of one service), as the agents count them in their access log, with a
 * link to block one from the firewall screen's form ({@code onBlock}).
 */
export function FirewallTopClients({
  serviceId,
  onBlock,
  section,
}: {
  serviceId?: string;
  onBlock?: (ip: string) => void;
  /** A titled section of its own, left out while loading and when the firewall module is not installed. */
  section?: boolean;
}) {
  const top = useQuery({
    queryKey: ['firewall', 'top-clients', serviceId ?? null],
    queryFn: () => api<TopClientsOfService[]>('/firewall/top-clients', { query: { serviceId } }),
    refetchInterval: REFRESH_MS * 2,
  });
  const services = useServices();
  const name = (id: string | null) =>
    id === null ? 'no service (default server)' : (services.data?.find((s) => s.id === id)?.name ?? id);
  const list = top.data ?? [];
  if (section) {
    if (top.isPending || (top.error instanceof ApiError && top.error.notInstalled)) return null;
    return (
      <section aria-labelledby="service-top-clients-title">
        <h2 id="service-top-clients-title">Top clients</h2>
        <p className="muted small">Requests per client over the last 5 to 10 minutes, as the agents count them.</p>
        <FirewallTopClients serviceId={serviceId} onBlock={onBlock} />
      </section>
    );
  }
  return (
    <QueryState what="top clients" pending={top.isPending} error={top.error} module="firewall">
      {list.length === 0 ? (
        <Empty>No requests counted by the agents in the last minutes.</Empty>
      ) : (
        list.map((s) => (
          <div className="table-wrap" key={s.serviceId ?? ''}>
            <table aria-label={`Top clients of ${name(s.serviceId)}`}>
              {!serviceId && (
                <caption>
                  {s.serviceId ? <Link to={`/services/${s.serviceId}`}>{name(s.serviceId)}</Link> : name(s.serviceId)}
                </caption>
              )}
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Requests</th>
                  <th scope="col">Errors (≥ 400)</th>
                  <th scope="col">Agents</th>
                  {onBlock && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {s.clients.map((c) => (
                  <tr key={c.ip}>
                    <td>
                      <code>{c.ip}</code>
                    </td>
                    <td>{c.requests.toLocaleString('en')}</td>
                    <td>
                      {c.errors.toLocaleString('en')}{' '}
                      <span className="muted small">({Math.round((100 * c.errors) / c.requests)} %)</span>
                    </td>
                    <td>{c.agents}</td>
                    {onBlock && (
                      <td>
                        <button type="button" onClick={() => onBlock(c.ip)}>
                          Block…
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
    </QueryState>
  );
}
