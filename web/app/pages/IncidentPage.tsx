import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { QueryState } from '../components/QueryState';
import { formatNumber, formatTime } from '../lib/format';
import { REFRESH_MS } from '../lib/queries';

/** One incident: what, its timeline and the messages sent about it; operators acknowledge it. */
export default function IncidentPage() {
  const { id = '' } = useParams();
  const { canWrite } = useAuth();
  const queryClient = useQueryClient();
  const incident = useQuery({
    queryKey: ['incident', id],
    queryFn: () => endpoints.incident(id),
    refetchInterval: REFRESH_MS,
  });
  const [error, setError] = useState<string | null>(null);
  const i = incident.data;

  const ack = async () => {
    try {
      await endpoints.ackIncident(id);
      setError(null);
      await queryClient.invalidateQueries({ queryKey: ['incident', id] });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="incident-title">
      <p>
        <Link to="/incidents">Incidents</Link>
      </p>
      <QueryState what="the incident" pending={incident.isPending} error={incident.error} module="alerts">
        {i && (
          <>
            <div className="page-head">
              <h1 id="incident-title">
                {i.rule}: <code>{i.subject}</code>
              </h1>
              {canWrite && i.state === 'OPEN' && !i.ackedAt && (
                <button type="button" onClick={ack}>
                  Acknowledge
                </button>
              )}
            </div>
            {error && (
              <p role="alert" className="notice error">
                {error}
              </p>
            )}
            <dl className="facts">
              <dt>State</dt>
              <dd>
                <Badge value={i.state} /> <Badge value={i.severity} />
                {i.flapping && ' flapping'}
              </dd>
              <dt>Value</dt>
              <dd>
                {formatNumber(i.value)}
                {i.threshold != null && ` (threshold ${i.op ?? ''} ${formatNumber(i.threshold)})`}
              </dd>
              {i.message && (
                <>
                  <dt>Message</dt>
                  <dd>{i.message}</dd>
                </>
              )}
              <dt>Opened</dt>
              <dd>{formatTime(i.openedAt)}</dd>
              <dt>Last seen</dt>
              <dd>{formatTime(i.lastSeenAt)}</dd>
              <dt>Resolved</dt>
              <dd>{i.resolvedAt ? formatTime(i.resolvedAt) : '—'}</dd>
              <dt>Acknowledged</dt>
              <dd>{i.ackedAt ? `${formatTime(i.ackedAt)} by ${i.ackedBy ?? '?'}` : '—'}</dd>
            </dl>
            <h2>Timeline</h2>
            <ol className="timeline">
              {i.timeline.map((e, n) => (
                <li key={n}>
                  <time dateTime={e.at}>{formatTime(e.at)}</time> <strong>{e.type}</strong>
                  {e.detail && ` — ${e.detail}`}
                </li>
              ))}
            </ol>
            <h2>Messages</h2>
            {i.deliveries.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col">Event</th>
                    <th scope="col">State</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Sent</th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {i.deliveries.map((d) => (
                    <tr key={d.id}>
                      <td>{d.channel}</td>
                      <td>{d.event}</td>
                      <td>
                        <Badge value={d.state} />
                      </td>
                      <td>{d.attempts}</td>
                      <td>{d.sentAt ? formatTime(d.sentAt) : '—'}</td>
                      <td>{d.error ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
