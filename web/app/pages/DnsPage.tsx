import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { ConfirmButton } from '../components/ConfirmButton';
import { ZoneForm } from '../components/ZoneForm';
import type { DnsZone } from '../api/types';
import { Empty, QueryState } from '../components/QueryState';
import { formatTime } from '../lib/format';
import { REFRESH_MS } from '../lib/queries';
import { useTitle } from '../lib/title';

/** DNS zones Fleetgate updates (module dns) and the records it keeps there. */
export default function DnsPage() {
  useTitle('DNS');
  const { isAdmin } = useAuth();
  const queryClient = useQueryClient();
  const zones = useQuery({ queryKey: ['dns', 'zones'], queryFn: endpoints.dnsZones, refetchInterval: REFRESH_MS * 2 });
  const records = useQuery({
    queryKey: ['dns', 'records'],
    queryFn: endpoints.dnsRecords,
    refetchInterval: REFRESH_MS * 2,
    enabled: !zones.error,
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // null: no form; 'new': adding; a zone id: editing that zone.
  const [editing, setEditing] = useState<string | null>(null);
  const saved = async (z: DnsZone, verb: string) => {
    setEditing(null);
    setMessage({ ok: true, text: `${verb} ${z.zone}: its records are being sent to ${z.server}.` });
    await queryClient.invalidateQueries({ queryKey: ['dns'] });
  };
  // A zone whose server cannot be cleaned (502) may still be forgotten, leaving its records there.
  const [unreachable, setUnreachable] = useState<DnsZone | null>(null);
  const remove = async (z: DnsZone, force = false) => {
    setUnreachable(null);
    try {
      await endpoints.deleteDnsZone(z.id, force);
      setMessage({
        ok: true,
        text: force
          ? `Deleted ${z.zone}; records left on its server stay there.`
          : `Deleted ${z.zone} and the records Fleetgate made there.`,
      });
    } catch (e) {
      setMessage({ ok: false, text: `${z.zone} was not deleted: ${(e as Error).message}` });
      if (e instanceof ApiError && e.status === 502) setUnreachable(z);
    }
    await queryClient.invalidateQueries({ queryKey: ['dns'] });
  };

  const sync = async () => {
    try {
      await endpoints.dnsSync();
      setMessage({ ok: true, text: 'Full reconciliation started.' });
      await queryClient.invalidateQueries({ queryKey: ['dns'] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <section aria-labelledby="dns-title">
      <div className="page-head">
        <h1 id="dns-title">DNS</h1>
        {isAdmin && !zones.error && (
          <button type="button" onClick={sync}>
            Sync now
          </button>
        )}
      </div>
      {message && (
        <p role="status" className={message.ok ? 'notice ok' : 'notice error'}>
          {message.text}
        </p>
      )}
      {unreachable && (
        <p className="actions">
          <ConfirmButton
            label={`Delete ${unreachable.zone} anyway`}
            confirmLabel="Yes, forget it and its records"
            onConfirm={() => void remove(unreachable, true)}
          />
        </p>
      )}
      <QueryState what="DNS zones" pending={zones.isPending} error={zones.error} module="dns">
        <section aria-labelledby="zones-title">
          <h2 id="zones-title">
            Zones
            {isAdmin && editing === null && (
              <button type="button" onClick={() => setEditing('new')}>
                Add zone
              </button>
            )}
          </h2>
          {editing === 'new' && <ZoneForm onDone={(z) => void saved(z, 'Added')} onCancel={() => setEditing(null)} />}
          {(zones.data ?? []).length === 0 ? (
            <Empty>
              No zone yet. Fleetgate keeps A/AAAA records of service domains only in the zones listed here
              {isAdmin ? ': add one with the DNS server that takes its updates (RFC 2136).' : '; an admin adds them.'}
            </Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Zone</th>
                  <th scope="col">Server</th>
                  <th scope="col">State</th>
                  <th scope="col">Records</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">Last error</th>
                  {isAdmin && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {zones.data!.map((z) => (
                  <tr key={z.id}>
                    <td>
                      <code>{z.zone}</code> <span className="muted small">{z.provider}</span>
                    </td>
                    <td>
                      <code>
                        {z.server}:{z.port}
                      </code>
                    </td>
                    <td>
                      <Badge value={z.status?.state} />
                    </td>
                    <td>
                      {z.status?.records
                        ? `${z.status.records.synced} synced, ${z.status.records.pending} pending, ${z.status.records.failed} failed`
                        : '—'}
                    </td>
                    <td>{formatTime(z.status?.lastSyncAt)}</td>
                    <td>{z.status?.lastError ? <pre className="error-text">{z.status.lastError}</pre> : '—'}</td>
                    {isAdmin && (
                      <td>
                        <div className="actions">
                          <button type="button" onClick={() => setEditing(z.id)} aria-label={`Edit ${z.zone}`}>
                            Edit
                          </button>
                          <ConfirmButton label="Delete" onConfirm={() => void remove(z)} />
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {editing && editing !== 'new' && zones.data?.find((z) => z.id === editing) && (
            <ZoneForm
              key={editing}
              zone={zones.data.find((z) => z.id === editing)}
              onDone={(z) => void saved(z, 'Saved')}
              onCancel={() => setEditing(null)}
            />
          )}
        </section>
        <section aria-labelledby="records-title">
          <h2 id="records-title">Records</h2>
          <QueryState what="DNS records" pending={records.isPending} error={records.error} module="dns">
            {(records.data ?? []).length === 0 ? (
              <Empty>No record: no service domain falls in a configured zone.</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Domain</th>
                      <th scope="col">Type</th>
                      <th scope="col">Value</th>
                      <th scope="col">Zone</th>
                      <th scope="col">State</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {records.data!.map((r) => (
                      <tr key={`${r.domain} ${r.type} ${r.value}`}>
                        <td>
                          <code>{r.domain}</code>
                          {r.serviceId && (
                            <>
                              {' '}
                              <Link to={`/services/${r.serviceId}`} className="small">
                                service
                              </Link>
                            </>
                          )}
                        </td>
                        <td>{r.type}</td>
                        <td>
                          <code>{r.value}</code>
                        </td>
                        <td>{r.zone}</td>
                        <td>
                          <Badge value={r.state} />
                        </td>
                        <td>{r.lastError ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </QueryState>
        </section>
      </QueryState>
    </section>
  );
}
