import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Badge } from './Badge';
import { MonitorCreateForm } from './MonitorCreateForm';
import { Empty } from './QueryState';
import { UptimeBars } from './UptimeBars';
import { REFRESH_MS } from '../lib/queries';

/** The monitors attached to a service, on its page; nothing when the monitors module is not installed. */
export function ServiceMonitors({ serviceId }: { serviceId: string }) {
  const { canWrite } = useAuth();
  const [adding, setAdding] = useState(false);
  const q = useQuery({
    queryKey: ['monitors', 'service', serviceId],
    queryFn: () => endpoints.monitors(serviceId),
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  if (q.error instanceof ApiError && q.error.notInstalled) return null;
  return (
    <section aria-labelledby="service-monitors-title">
      <div className="page-head">
        <h2 id="service-monitors-title">Monitors</h2>
        {canWrite && (
          <button type="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
            {adding ? 'Close the form' : 'Add a monitor'}
          </button>
        )}
      </div>
      {adding && <MonitorCreateForm serviceId={serviceId} onDone={() => setAdding(false)} />}
      {q.error ? (
        <p className="notice error" role="alert">
          Could not load the monitors. {(q.error as Error).message}
        </p>
      ) : (q.data ?? []).length === 0 ? (
        <Empty>No monitor checks this service's domain.</Empty>
      ) : (
        <ul className="plain">
          {q.data!.map((m) => (
            <li key={m.id}>
              <Link to={`/monitors/${m.id}`}>{m.name}</Link> <Badge value={m.state} />{' '}
              <code>
                {m.type} {m.target}
              </code>{' '}
              <UptimeBars monitorId={m.id} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
