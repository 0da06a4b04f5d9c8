import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { Empty, QueryState } from '../components/QueryState';
import { formatTime, timeAgo } from '../lib/format';
import { useTitle } from '../lib/title';

const PAGE = 50;

/** A link to what an action changed, when the app has a page for it. */
function targetLink(action: string, target: string | null) {
  if (!target) return <span className="muted">—</span>;
  const path = action.split(' ')[1] ?? '';
  if (/^\/services\//.test(path) || /^\/services$/.test(path)) {
    return action.startsWith('DELETE') ? (
      <code>{target}</code>
    ) : (
      <Link to={`/services/${encodeURIComponent(target)}`}>
        <code>{target}</code>
      </Link>
    );
  }
  if (/^\/agents\/[^/]+/.test(path) && !action.startsWith('DELETE')) {
    return (
      <Link to={`/hosts/${encodeURIComponent(target)}`}>
        <code>{target}</code>
      </Link>
    );
  }
  return <code>{target}</code>;
}

/** Who changed what through the API, newest first (admins and operators). */
export default function ActivityPage() {
  useTitle('Activity');
  const { canWrite } = useAuth();
  // Cursors of the pages seen so far: [undefined] is the newest page.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const entries = useQuery({
    queryKey: ['activity', before],
    queryFn: () => endpoints.activity(PAGE, before),
    enabled: canWrite,
    refetchInterval: before === undefined ? 10_000 : false,
  });
  if (!canWrite) {
    return (
      <section>
        <h1>Activity</h1>
        <p className="notice info">Only operators and admins can read the activity log.</p>
      </section>
    );
  }
  const list = entries.data ?? [];
  return (
    <section aria-labelledby="activity-title">
      <h1 id="activity-title">Activity</h1>
      <p className="muted">Every change made through the API, newest first. Request bodies are never recorded.</p>
      <QueryState what="the activity log" pending={entries.isPending} error={entries.error}>
        {list.length === 0 ? (
          <Empty>No change recorded{before === undefined ? ' yet' : ' before these'}.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">User</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.id}>
                    <td title={formatTime(e.at)}>{timeAgo(e.at)}</td>
                    <td>{e.user}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{targetLink(e.action, e.target)}</td>
                    <td>{e.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={list.length < PAGE}
          onClick={() => setCursors([...cursors, list[list.length - 1].id])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
