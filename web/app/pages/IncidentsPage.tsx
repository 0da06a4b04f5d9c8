import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { Badge } from '../components/Badge';
import { Empty, QueryState } from '../components/QueryState';
import { formatNumber, formatTime, timeAgo } from '../lib/format';
import { REFRESH_MS } from '../lib/queries';

/** Incidents (module alerts): open ones first by default, filters, refreshed on their own. */
export default function IncidentsPage() {
  const [state, setState] = useState('open');
  const [severity, setSeverity] = useState('');
  const [subject, setSubject] = useState('');
  const filter = { state, severity, subject: subject.trim() };
  const list = useQuery({
    queryKey: ['incidents', filter],
    queryFn: () => endpoints.incidents(filter),
    refetchInterval: REFRESH_MS,
  });

  return (
    <section aria-labelledby="incidents-title">
      <div className="page-head">
        <h1 id="incidents-title">Incidents</h1>
        <Link to="/alerts">Rules and channels</Link>
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="">All</option>
          </select>
        </label>{' '}
        <label>
          Severity{' '}
          <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">Any</option>
            <option value="critical">Critical</option>
            <option value="warning">Warning</option>
            <option value="info">Info</option>
          </select>
        </label>{' '}
        <label>
          Subject <input type="search" value={subject} maxLength={500} onChange={(e) => setSubject(e.target.value)} />
        </label>
      </form>
      <QueryState what="incidents" pending={list.isPending} error={list.error} module="alerts">
        {(list.data ?? []).length === 0 ? (
          <Empty>{state === 'open' ? 'No open incident.' : 'No incident matches.'}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Value</th>
                  <th scope="col">State</th>
                  <th scope="col">Since</th>
                  <th scope="col">Resolved</th>
                </tr>
              </thead>
              <tbody>
                {list.data!.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Badge value={i.severity} />
                    </td>
                    <td>
                      <Link to={`/incidents/${i.id}`}>{i.rule}</Link>
                      {i.flapping && <span className="muted small"> flapping</span>}
                    </td>
                    <td>
                      <code>{i.subject}</code>
                    </td>
                    <td>{formatNumber(i.value)}</td>
                    <td>
                      <Badge value={i.state} />
                      {i.ackedBy && <span className="muted small"> ack {i.ackedBy}</span>}
                    </td>
                    <td title={formatTime(i.openedAt)}>{timeAgo(i.openedAt)}</td>
                    <td>{i.resolvedAt ? formatTime(i.resolvedAt) : '—'}</td>
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
