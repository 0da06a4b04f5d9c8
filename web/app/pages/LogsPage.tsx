import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { LogView } from '../components/LogView';
import { Empty, NotInstalled } from '../components/QueryState';
import { matches } from '../lib/logBuffer';
import { useAgents } from '../lib/queries';
import { useLogStream } from '../lib/useLogStream';
import { useTitle } from '../lib/title';

export default function LogsPage() {
  useTitle('Logs');
  const [params, setParams] = useSearchParams();
  const agents = useAgents();
  const agentId = params.get('agent') ?? '';
  const source = params.get('source') ?? '';
  const [paused, setPaused] = useState(false);
  const [follow, setFollow] = useState(true);
  const [filterText, setFilterText] = useState('');
  const [serverFilter, setServerFilter] = useState('');
  const containers = useQuery({
    queryKey: ['containers', agentId],
    queryFn: () => endpoints.agentContainers(agentId),
    enabled: !!agentId,
  });
  const stream = useLogStream(agentId, source, serverFilter, paused);

  // The filter goes to the core (it searches the whole log) once typing pauses.
  useEffect(() => {
    const t = setTimeout(() => setServerFilter(filterText.trim()), 400);
    return () => clearTimeout(t);
  }, [filterText]);

  const choose = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) (v ? p.set(k, v) : p.delete(k));
    setParams(p, { replace: true });
  };

  // Lines already shown are filtered on the page at once, while the core is asked.
  const shown = filterText ? stream.lines.filter((l) => matches(l, filterText)) : stream.lines;
  const err = stream.error;

  return (
    <section aria-labelledby="logs-title">
      <div className="page-head">
        <h1 id="logs-title">Logs</h1>
      </div>
      <div className="toolbar">
        <label className="inline">
          <span>Host</span>
          <select value={agentId} onChange={(e) => choose({ agent: e.target.value, source: '' })}>
            <option value="">choose a host…</option>
            {(agents.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>{a.name} ({a.status})</option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>Log</span>
          <select value={source} onChange={(e) => choose({ source: e.target.value })} disabled={!agentId}>
            <option value="">choose a log…</option>
            <optgroup label="nginx">
              <option value="nginx:access">nginx access log</option>
              <option value="nginx:error">nginx error log</option>
            </optgroup>
            <optgroup label="containers">
              {(containers.data ?? []).map((c) => (
                <option key={c.id} value={`container:${c.id}`}>{c.name} ({c.state})</option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="inline">
          <span>Filter</span>
          <input type="search" value={filterText} onChange={(e) => setFilterText(e.target.value)} placeholder="text in the line" />
        </label>
        <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
      </div>

      {!agentId || !source ? (
        <Empty>Choose a host and one of its logs: nginx's access or error log, or a container's output.</Empty>
      ) : (
        <>
          {err instanceof ApiError && err.status === 404 && !/container/i.test(err.message) ? (
            <NotInstalled module="logs" />
          ) : err ? (
            <p className="notice error" role="alert">{err.message}</p>
          ) : null}
          <p className="muted small" role="status" aria-live="polite" data-testid="log-status">
            {paused ? 'Paused' : 'Live'} · {shown.length} line{shown.length === 1 ? '' : 's'} shown
            {stream.dropped > 0 && ` · ${stream.dropped} older lines trimmed`}
          </p>
          <LogView lines={shown} follow={follow && !paused} />
        </>
      )}
    </section>
  );
}
