import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { Agent, ServiceStatus } from '../api/types';
import { LogView, WRAP_MAX } from '../components/LogView';
import { Empty, NotInstalled } from '../components/QueryState';
import { logFile } from '../lib/accessLog';
import { matches } from '../lib/logBuffer';
import { REFRESH_MS, useAgents, useServices } from '../lib/queries';
import { useLogStreams, type LogSource } from '../lib/useLogStream';
import { useTitle } from '../lib/title';

export default function LogsPage() {
  useTitle('Logs');
  const [params, setParams] = useSearchParams();
  const agents = useAgents();
  const services = useServices();
  const agentId = params.get('agent') ?? '';
  const source = params.get('source') ?? '';
  const serviceId = params.get('service') ?? '';
  const [paused, setPaused] = useState(false);
  const [follow, setFollow] = useState(true);
  const [wrap, setWrap] = useState(false);
  const [filterText, setFilterText] = useState('');
  const [serverFilter, setServerFilter] = useState('');
  const containers = useQuery({
    queryKey: ['containers', agentId],
    queryFn: () => endpoints.agentContainers(agentId),
    enabled: !!agentId && !serviceId,
  });
  const status = useQuery({
    queryKey: ['service-status', serviceId],
    queryFn: () => endpoints.serviceStatus(serviceId),
    enabled: !!serviceId,
    refetchInterval: REFRESH_MS,
  });
  const service = (services.data ?? []).find((s) => s.id === serviceId);
  const sources = useMemo<LogSource[]>(() => {
    if (serviceId)
      return service ? serviceSources(service.id, service.agentIds, status.data, agents.data ?? [], serverFilter) : [];
    return agentId && source ? [{ agentId, source, filter: serverFilter }] : [];
  }, [serviceId, service, status.data, agents.data, agentId, source, serverFilter]);
  const stream = useLogStreams(sources, paused);
  const serviceNames = useMemo(() => new Map((services.data ?? []).map((s) => [s.id, s.name])), [services.data]);

  // The filter goes to the core (it searches the whole log) once typing pauses.
  useEffect(() => {
    const t = setTimeout(() => setServerFilter(filterText.trim()), 400);
    return () => clearTimeout(t);
  }, [filterText]);

  const choose = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) v ? p.set(k, v) : p.delete(k);
    setParams(p, { replace: true });
  };

  // Lines already shown are filtered on the page at once, while the core is asked.
  const shown = filterText ? stream.lines.filter((l) => matches(l, filterText)) : stream.lines;
  const err = stream.error;
  const download = () => {
    const name = serviceId
      ? (service?.name ?? serviceId)
      : `${(agents.data ?? []).find((a) => a.id === agentId)?.name ?? agentId}-${source.replace(/[^\w-]+/g, '-')}`;
    saveText(`${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`, logFile(shown));
  };

  return (
    <section aria-labelledby="logs-title">
      <div className="page-head">
        <h1 id="logs-title">Logs{service && <> of {service.name}</>}</h1>
      </div>
      <div className="toolbar">
        <label className="inline">
          <span>Service</span>
          <select value={serviceId} onChange={(e) => choose({ service: e.target.value, agent: '', source: '' })}>
            <option value="">one host's log…</option>
            {(services.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} (every host and replica)
              </option>
            ))}
          </select>
        </label>
        {!serviceId && (
          <>
            <label className="inline">
              <span>Host</span>
              <select value={agentId} onChange={(e) => choose({ agent: e.target.value, source: '' })}>
                <option value="">choose a host…</option>
                {(agents.data ?? []).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.status})
                  </option>
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
                    <option key={c.id} value={`container:${c.id}`}>
                      {c.name} ({c.state})
                    </option>
                  ))}
                </optgroup>
              </select>
            </label>
          </>
        )}
        <label className="inline">
          <span>Filter</span>
          <input
            type="search"
            value={filterText}
            onChange={(e) => setFilterText(e.target.value)}
            placeholder="text in the line"
          />
        </label>
        <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label className="check">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap lines
        </label>
        <button type="button" onClick={download} disabled={shown.length === 0}>
          Download
        </button>
      </div>

      {sources.length === 0 ? (
        serviceId ? (
          <Empty>{service ? 'The service is on no host yet: no log to show.' : 'Loading the service…'}</Empty>
        ) : (
          <Empty>
            Choose a host and one of its logs: nginx's access or error log, or a container's output — or one service,
            merged across its hosts and replicas.
          </Empty>
        )
      ) : (
        <>
          {err instanceof ApiError && err.status === 404 && !/container/i.test(err.message) ? (
            <NotInstalled module="logs" />
          ) : err ? (
            <p className="notice error" role="alert">
              {err.message}
            </p>
          ) : null}
          <p className="muted small" role="status" aria-live="polite" data-testid="log-status">
            {paused ? 'Paused' : 'Live'} · {shown.length} line{shown.length === 1 ? '' : 's'} shown
            {sources.length > 1 && ` · merged from ${sources.length} logs`}
            {stream.dropped > 0 && ` · ${stream.dropped} older lines trimmed`}
            {wrap && shown.length > WRAP_MAX && ` · wrapped: the newest ${WRAP_MAX} on screen, all in the download`}
          </p>
          <LogView
            lines={shown}
            follow={follow && !paused}
            wrap={wrap}
            serviceName={(id) => serviceNames.get(id) ?? id.slice(0, 8)}
          />
        </>
      )}
    </section>
  );
}

/**
 * One service's logs: the access log of every host it is placed on (only its lines: the
 * core filters by the service id, which every line of it carries) and the output of each
 * of its replicas.
 */
export function serviceSources(
  id: string,
  agentIds: string[],
  status: ServiceStatus | undefined,
  agents: Agent[],
  filter: string,
): LogSource[] {
  const name = (agentId: string) => agents.find((a) => a.id === agentId)?.name ?? agentId.slice(0, 8);
  const hosts = [...new Set([...agentIds, ...(status?.agents ?? []).map((a) => a.agentId)])];
  return [
    // The access log is filtered by the id on the core; a typed filter is then applied on the page.
    ...hosts.map((agentId) => ({ agentId, source: 'nginx:access', filter: id, origin: `${name(agentId)} nginx` })),
    ...(status?.replicas ?? []).map((r) => ({
      agentId: r.agentId,
      source: `container:${r.containerId}`,
      filter,
      origin: `${name(r.agentId)} ${r.name}`,
    })),
  ];
}

/** Offers text as a file download (nothing leaves the browser). */
function saveText(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
