import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { FirewallSettingsForm } from '../components/FirewallSettingsForm';
import { FirewallTopClients } from '../components/FirewallTopClients';
import { Empty, QueryState } from '../components/QueryState';
import type { FirewallSettingsBody } from '../lib/firewallSettings';
import { formatTime } from '../lib/format';
import { REFRESH_MS } from '../lib/queries';
import { useTitle } from '../lib/title';

/** A block as GET /api/v1/firewall/blocks answers it (module firewall). */
export interface FirewallBlock {
  ip: string;
  scope: 'global' | 'service';
  serviceId: string | null;
  detector: string;
  action: 'block' | 'limit' | 'challenge';
  mode: 'enforce' | 'shadow';
  reason: string;
  since: string;
  expiresAt: string;
  evidence: {
    score?: number;
    counts?: Record<string, number>;
    samples?: string[];
  };
}

/** GET /api/v1/firewall/settings (the rest is sent back unchanged). */
export type FirewallSettings = FirewallSettingsBody;

/** What a blocked client gets for an action. */
export function answer(action: string): string {
  return action === 'limit' ? '429' : action === 'challenge' ? 'challenge' : '403';
}

/** "4m 05s" until {@code iso}, "expired" when past. */
export function countdown(iso: string, now: number): string {
  const s = Math.floor((Date.parse(iso) - now) / 1000);
  if (!(s > 0)) return 'expired';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${sec}s`;
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * Firewall (module 6): blocked clients with evidence and countdown, block/unblock, detector modes, thresholds,
 * allowlist and rules, top clients per service.
 */
export default function FirewallPage() {
  useTitle('Firewall');
  const { canWrite } = useAuth();
  const queryClient = useQueryClient();
  const now = useNow();
  const blocks = useQuery({
    queryKey: ['firewall', 'blocks'],
    queryFn: () => api<FirewallBlock[]>('/firewall/blocks'),
    refetchInterval: REFRESH_MS,
  });
  const settings = useQuery({
    queryKey: ['firewall', 'settings'],
    queryFn: () => api<FirewallSettings>('/firewall/settings'),
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [ip, setIp] = useState('');
  const [ttl, setTtl] = useState('');
  const [action, setAction] = useState<FirewallBlock['action']>('block');

  const run = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setMessage({ ok: true, text: done });
      await queryClient.invalidateQueries({ queryKey: ['firewall'] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  const block = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { ip: ip.trim(), action };
    if (ttl.trim() !== '') body.ttlSeconds = Number(ttl);
    void run(() => api('/firewall/blocks', { method: 'POST', body }), `Blocked ${ip.trim()}.`).then(() => setIp(''));
  };

  const unblock = (b: FirewallBlock) =>
    run(
      () =>
        api(
          `/firewall/blocks/${encodeURIComponent(b.ip)}${b.serviceId ? `?serviceId=${encodeURIComponent(b.serviceId)}` : ''}`,
          { method: 'DELETE' },
        ),
      `Unblocked ${b.ip}.`,
    );

  const setMode = (detector: string | null, mode: string) => {
    const s = settings.data;
    if (!s) return;
    const next: FirewallSettings =
      detector === null
        ? { ...s, mode: mode as FirewallSettings['mode'] }
        : {
            ...s,
            detectors: {
              ...s.detectors,
              [detector]: { ...s.detectors[detector], mode: mode === 'inherit' ? null : (mode as 'enforce') },
            },
          };
    void run(() => api('/firewall/settings', { method: 'PUT', body: next }), 'Settings saved.');
  };

  const list = blocks.data ?? [];
  return (
    <section aria-labelledby="fw-title">
      <div className="page-head">
        <h1 id="fw-title">Firewall</h1>
      </div>
      {message && (
        <p role="status" className={message.ok ? 'notice ok' : 'notice error'}>
          {message.text}
        </p>
      )}
      {canWrite && (
        <form className="toolbar" onSubmit={block} aria-label="Block a client">
          <label>
            Address <input value={ip} onChange={(e) => setIp(e.target.value)} required placeholder="203.0.113.7" />
          </label>
          <label>
            TTL (s){' '}
            <input value={ttl} onChange={(e) => setTtl(e.target.value)} inputMode="numeric" placeholder="default" />
          </label>
          <label>
            Answer{' '}
            <select value={action} onChange={(e) => setAction(e.target.value as FirewallBlock['action'])}>
              <option value="block">403</option>
              <option value="limit">429</option>
              <option value="challenge">browser check (challenge)</option>
            </select>
          </label>
          <button type="submit">Block</button>
        </form>
      )}
      <h2>Blocked clients</h2>
      <QueryState what="blocked clients" pending={blocks.isPending} error={blocks.error} module="firewall">
        {list.length === 0 ? (
          <Empty>No client is blocked.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Detector</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Expires in</th>
                  <th scope="col">Reason and evidence</th>
                  {canWrite && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.map((b) => (
                  <tr key={`${b.ip} ${b.serviceId ?? ''}`}>
                    <td>
                      <code>{b.ip}</code>
                    </td>
                    <td>{b.serviceId ? <Link to={`/services/${b.serviceId}`}>service</Link> : 'everywhere'}</td>
                    <td>
                      {b.detector} <span className="muted small">({answer(b.action)})</span>
                    </td>
                    <td>
                      <Badge value={b.mode === 'enforce' ? 'ENFORCE' : 'SHADOW'} title={b.mode} />
                    </td>
                    <td title={formatTime(b.expiresAt)}>{countdown(b.expiresAt, now)}</td>
                    <td>
                      {b.reason}
                      {(b.evidence.samples?.length || b.evidence.counts) && (
                        <details>
                          <summary>
                            Evidence{b.evidence.score !== undefined ? ` (score ${b.evidence.score})` : ''}
                          </summary>
                          {b.evidence.counts && (
                            <p className="small">
                              {Object.entries(b.evidence.counts)
                                .map(([k, v]) => `${k} ${v}`)
                                .join(' · ')}
                            </p>
                          )}
                          {b.evidence.samples?.map((s, i) => (
                            <pre key={i} className="small">
                              {s}
                            </pre>
                          ))}
                        </details>
                      )}
                    </td>
                    {canWrite && (
                      <td>
                        <button type="button" onClick={() => unblock(b)}>
                          Unblock
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <h2>Detectors</h2>
      <QueryState what="firewall settings" pending={settings.isPending} error={settings.error} module="firewall">
        {settings.data && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Detector</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>
                    <strong>All (default)</strong>
                  </td>
                  <td>
                    <select
                      aria-label="Mode of all detectors"
                      value={settings.data.mode}
                      disabled={!canWrite}
                      onChange={(e) => setMode(null, e.target.value)}
                    >
                      <option value="shadow">shadow (report only)</option>
                      <option value="enforce">enforce</option>
                    </select>
                  </td>
                  <td />
                </tr>
                {Object.entries(settings.data.detectors).map(([name, d]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td>
                      <select
                        aria-label={`Mode of ${name}`}
                        value={d.mode ?? 'inherit'}
                        disabled={!canWrite}
                        onChange={(e) => setMode(name, e.target.value)}
                      >
                        <option value="inherit">as all ({settings.data!.mode})</option>
                        <option value="shadow">shadow</option>
                        <option value="enforce">enforce</option>
                        <option value="off">off</option>
                      </select>
                    </td>
                    <td>{answer(d.action)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <h2>Thresholds, allowlist and rules</h2>
      {settings.data && <FirewallSettingsForm settings={settings.data} canWrite={canWrite} />}
      <h2>Top clients per service</h2>
      <p className="muted small">Requests per client over the last 5 to 10 minutes, as the agents count them.</p>
      <FirewallTopClients onBlock={canWrite ? setIp : undefined} />
    </section>
  );
}
