import { useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import type { AgentBundle } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { ConfirmButton } from '../components/ConfirmButton';
import { Empty, QueryState } from '../components/QueryState';
import { formatBytes, formatTime } from '../lib/format';
import { REFRESH_MS, useAgents } from '../lib/queries';
import { useTitle } from '../lib/title';

export default function ModulesPage() {
  useTitle('Modules');
  const modules = useQuery({ queryKey: ['modules'], queryFn: endpoints.modules, refetchInterval: REFRESH_MS * 2 });
  return (
    <section aria-labelledby="modules-title">
      <h1 id="modules-title">Modules</h1>
      <section aria-labelledby="core-modules">
        <h2 id="core-modules">Core modules</h2>
        <QueryState what="modules" pending={modules.isPending} error={modules.error}>
          {(modules.data ?? []).length === 0 ? (
            <Empty>No module bundle runs in this core.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Module</th>
                  <th scope="col">Bundle</th>
                  <th scope="col">Version</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {modules.data!.map((m) => (
                  <tr key={m.bundle}>
                    <td>{m.name}</td>
                    <td>
                      <code>{m.bundle}</code>
                    </td>
                    <td>{m.version}</td>
                    <td>
                      <Badge value={m.state} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
      <AgentBundles />
    </section>
  );
}

function AgentBundles() {
  const { isAdmin } = useAuth();
  const queryClient = useQueryClient();
  const bundles = useQuery({ queryKey: ['bundles'], queryFn: endpoints.bundles, refetchInterval: REFRESH_MS * 2 });
  const agents = useAgents();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const names = new Map((agents.data ?? []).map((a) => [a.id, a.name]));

  const act = async (what: string, failed: string, action: () => Promise<unknown>) => {
    setMessage(null);
    try {
      await action();
      setMessage({ ok: true, text: what });
      await queryClient.invalidateQueries({ queryKey: ['bundles'] });
    } catch (e) {
      setMessage({ ok: false, text: `${failed}: ${(e as Error).message}` });
    }
  };

  const upload = (e: FormEvent) => {
    e.preventDefault();
    const f = file.current?.files?.[0];
    if (!f) {
      setMessage({ ok: false, text: 'Choose a bundle jar first.' });
      return;
    }
    void act(`Uploaded ${f.name}.`, `Upload of ${f.name} failed`, async () => {
      await endpoints.uploadBundle(f);
      if (file.current) file.current.value = '';
    });
  };

  const where = (b: AgentBundle) =>
    !b.deployments
      ? '—'
      : b.deployments.allAgents
        ? 'every host'
        : b.deployments.agentIds.length
          ? b.deployments.agentIds.map((id) => names.get(id) ?? id.slice(0, 8)).join(', ')
          : 'nowhere';

  return (
    <section aria-labelledby="agent-bundles">
      <h2 id="agent-bundles">Bundles for agents</h2>
      <p className="muted">Handlers and metric plugins that agents install at run time, without a restart.</p>
      {isAdmin && (
        <form className="row" onSubmit={upload}>
          <div className="field">
            <label htmlFor="bundle-file">Bundle jar</label>
            <input id="bundle-file" ref={file} type="file" accept=".jar,application/java-archive" />
          </div>
          <button type="submit">Upload</button>
        </form>
      )}
      {message && (
        <p role="status" className={message.ok ? 'notice ok' : 'notice error'}>
          {message.text}
        </p>
      )}
      <QueryState what="bundles" pending={bundles.isPending} error={bundles.error}>
        {(bundles.data ?? []).length === 0 ? (
          <Empty>No bundle uploaded.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Bundle</th>
                <th scope="col">Version</th>
                <th scope="col">Size</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Deployed to</th>
                {isAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {bundles.data!.map((b) => {
                const deployed = !!b.deployments && (b.deployments.allAgents || b.deployments.agentIds.length > 0);
                return (
                  <tr key={b.id}>
                    <td>
                      <code>{b.symbolicName}</code>
                    </td>
                    <td>{b.version}</td>
                    <td>{formatBytes(b.size)}</td>
                    <td>{formatTime(b.uploadedAt)}</td>
                    <td>{where(b)}</td>
                    {isAdmin && (
                      <td className="actions">
                        {deployed ? (
                          <button
                            type="button"
                            onClick={() =>
                              act(`Undeployed ${b.symbolicName}.`, `Undeploy of ${b.symbolicName} failed`, () =>
                                endpoints.undeployBundle(b.id),
                              )
                            }
                          >
                            Undeploy
                          </button>
                        ) : (
                          <button
                            type="button"
                            onClick={() =>
                              act(
                                `Deployed ${b.symbolicName} to every host.`,
                                `Deploy of ${b.symbolicName} failed`,
                                () => endpoints.deployBundle(b.id),
                              )
                            }
                          >
                            Deploy to all
                          </button>
                        )}
                        <ConfirmButton
                          label="Delete"
                          disabled={deployed}
                          onConfirm={() =>
                            act(`Deleted ${b.symbolicName}.`, `Delete of ${b.symbolicName} failed`, () =>
                              endpoints.deleteBundle(b.id),
                            )
                          }
                        />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </QueryState>
      <HostBundles />
    </section>
  );
}

/** What one host reports about its bundles. */
function HostBundles() {
  const agents = useAgents();
  const [agentId, setAgentId] = useState('');
  const reported = useQuery({
    queryKey: ['agent-bundles', agentId],
    queryFn: () => endpoints.agentBundles(agentId),
    enabled: !!agentId,
    refetchInterval: REFRESH_MS,
  });
  return (
    <section aria-labelledby="host-bundles">
      <h3 id="host-bundles">On a host</h3>
      <label className="inline">
        <span>Host</span>
        <select value={agentId} onChange={(e) => setAgentId(e.target.value)}>
          <option value="">choose a host…</option>
          {(agents.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      {agentId && (
        <QueryState what="the host's bundles" pending={reported.isPending} error={reported.error}>
          {(reported.data ?? []).length === 0 ? (
            <Empty>The host reports no deployed bundle.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Bundle</th>
                  <th scope="col">Version</th>
                  <th scope="col">State</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {reported.data!.map((b) => (
                  <tr key={b.symbolicName}>
                    <td>
                      <code>{b.symbolicName}</code>
                    </td>
                    <td>{b.version}</td>
                    <td>
                      <Badge value={b.state} />
                    </td>
                    <td>{b.error ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      )}
    </section>
  );
}
