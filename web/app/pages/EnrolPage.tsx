import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { EnrolmentToken } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { CopyButton } from '../components/CopyButton';
import { ConfirmButton } from '../components/ConfirmButton';
import { Badge } from '../components/Badge';
import { useAgents } from '../lib/queries';
import { formatTime } from '../lib/format';
import { useTitle } from '../lib/title';

/** Shell-quotes a value for the command line shown to the user (single quotes when needed). */
export function shellQuote(v: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(v) ? v : `'${v.replace(/'/g, `'"'"'`)}'`;
}

export function enrolCommand(coreUrl: string, token: string, name?: string): string {
  const parts = ['fleetgate-agent', '--core', shellQuote(coreUrl), '--token', shellQuote(token)];
  if (name) parts.push('--name', shellQuote(name));
  return parts.join(' ');
}

export default function EnrolPage() {
  useTitle('Enrol a host');
  const { isAdmin } = useAuth();
  const [name, setName] = useState('');
  const [ttl, setTtl] = useState('60');
  const [token, setToken] = useState<(EnrolmentToken & { name: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The hosts there were when the token was made: a new one is the agent that used it.
  const [before, setBefore] = useState<Set<string> | null>(null);
  const agents = useAgents();
  const queryClient = useQueryClient();

  if (!isAdmin) {
    return (
      <section>
        <h1>Enrol a host</h1>
        <p className="notice info">Only an admin can create enrolment tokens.</p>
      </section>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const minutes = Number(ttl);
    if (!/^\d+$/.test(ttl) || minutes < 1 || minutes > 10080) {
      setError('Validity must be 1 to 10080 minutes (7 days).');
      return;
    }
    setBusy(true);
    try {
      const known = new Set((agents.data ?? (await endpoints.agents().catch(() => []))).map((a) => a.id));
      const t = await endpoints.createEnrolmentToken(name.trim() || undefined, minutes);
      setBefore(known);
      setToken({ ...t, name: name.trim() });
      await queryClient.invalidateQueries({ queryKey: ['enrolment-tokens'] });
    } catch (err) {
      setError(
        err instanceof ApiError && err.errors.length
          ? err.errors.map((x) => `${x.field}: ${x.message}`).join('; ')
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  // The core's own suggestion carries its HTTPS URL and the certificate fingerprint the agent pins;
  // without one (no HTTPS) the page's own address is the best guess.
  const command = !token
    ? ''
    : token.command
      ? token.command + (token.name ? ` --name ${shellQuote(token.name)}` : '')
      : enrolCommand(window.location.origin, token.token, token.name || undefined);
  const arrived =
    token && before
      ? (agents.data ?? []).find((a) => !before.has(a.id) && (!token.name || a.name === token.name))
      : undefined;
  return (
    <section aria-labelledby="enrol-title">
      <h1 id="enrol-title">Enrol a host</h1>
      <p>
        Install the agent distribution on the host, then run the command below there. The token works once and expires;
        the agent keeps its own key afterwards.
      </p>
      <form className="row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="enrol-name">Host name (optional)</label>
          <input
            id="enrol-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="web-1"
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="enrol-ttl">Valid for (minutes)</label>
          <input
            id="enrol-ttl"
            className="short"
            inputMode="numeric"
            value={ttl}
            onChange={(e) => setTtl(e.target.value)}
          />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Create token
        </button>
      </form>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {token && (
        <div className="card" role="status">
          <h2>Run this on the new host</h2>
          <pre className="command" data-testid="enrol-command">
            {command}
          </pre>
          <CopyButton text={command} label="Copy command" />
          {token.coreFingerprint && (
            <p className="muted">
              The agent accepts only the core certificate with SHA-256{' '}
              <code data-testid="core-fingerprint">{token.coreFingerprint}</code>. Check it matches the one{' '}
              <code>./fleetgate up</code> printed before running the command.
            </p>
          )}
          <p className="muted">Expires {formatTime(token.expiresAt)}.</p>
          {arrived ? (
            <p className="notice ok" data-testid="enrol-arrived">
              <Link to={`/hosts/${arrived.id}`}>{arrived.name}</Link> enrolled <Badge value={arrived.status} />
            </p>
          ) : (
            <p className="notice info" data-testid="enrol-waiting">
              <span className="spinner" aria-hidden="true" /> Waiting for the agent… (checked every 5 s; it appears here
              and under <Link to="/hosts">Hosts</Link> once it has enrolled)
            </p>
          )}
        </div>
      )}
      <OpenTokens />
    </section>
  );
}

/** The tokens not yet used nor expired, which an admin may revoke (a core without the list hides it). */
function OpenTokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: ['enrolment-tokens'],
    queryFn: endpoints.openEnrolmentTokens,
    refetchInterval: 10_000,
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (tokens.error instanceof ApiError && tokens.error.status === 404) return null;
  const revoke = async (id: string, label: string) => {
    try {
      await endpoints.revokeEnrolmentToken(id);
      setMessage({ ok: true, text: `Revoked the token ${label}: it can no longer enrol a host.` });
    } catch (e) {
      setMessage({ ok: false, text: `The token ${label} was not revoked: ${(e as Error).message}` });
    }
    await queryClient.invalidateQueries({ queryKey: ['enrolment-tokens'] });
  };
  const list = tokens.data ?? [];
  return (
    <section aria-labelledby="open-tokens-title">
      <h2 id="open-tokens-title">Open tokens</h2>
      {message && (
        <p role="status" className={message.ok ? 'notice ok' : 'notice error'}>
          {message.text}
        </p>
      )}
      {tokens.error && !(tokens.error instanceof ApiError && tokens.error.status === 404) && (
        <p className="notice error" role="alert">
          {(tokens.error as Error).message}
        </p>
      )}
      {tokens.isPending ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="empty">No open token: every token made was used, revoked or has expired.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">For host</th>
              <th scope="col">Made by</th>
              <th scope="col">Made</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => {
              const label = t.name ? `for ${t.name}` : t.id;
              return (
                <tr key={t.id}>
                  <td>
                    {t.name ?? <span className="muted">any name</span>}{' '}
                    <small className="muted">
                      <code>{t.id}</code>
                    </small>
                  </td>
                  <td>{t.createdBy ?? '—'}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>{formatTime(t.expiresAt)}</td>
                  <td>
                    <ConfirmButton label="Revoke" onConfirm={() => void revoke(t.id, label)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
