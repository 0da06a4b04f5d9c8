import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { EnrolmentToken } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { CopyButton } from '../components/CopyButton';
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
      const t = await endpoints.createEnrolmentToken(name.trim() || undefined, minutes);
      setToken({ ...t, name: name.trim() });
    } catch (err) {
      setError(err instanceof ApiError && err.errors.length ? err.errors.map((x) => `${x.field}: ${x.message}`).join('; ') : (err as Error).message);
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
  return (
    <section aria-labelledby="enrol-title">
      <h1 id="enrol-title">Enrol a host</h1>
      <p>
        Install the agent distribution on the host, then run the command below there. The token works once and
        expires; the agent keeps its own key afterwards.
      </p>
      <form className="row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="enrol-name">Host name (optional)</label>
          <input id="enrol-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="web-1" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="enrol-ttl">Valid for (minutes)</label>
          <input id="enrol-ttl" className="short" inputMode="numeric" value={ttl} onChange={(e) => setTtl(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy}>Create token</button>
      </form>
      {error && <p className="notice error" role="alert">{error}</p>}
      {token && (
        <div className="card" role="status">
          <h2>Run this on the new host</h2>
          <pre className="command" data-testid="enrol-command">{command}</pre>
          <CopyButton text={command} label="Copy command" />
          {token.coreFingerprint && (
            <p className="muted">
              The agent accepts only the core certificate with SHA-256{' '}
              <code data-testid="core-fingerprint">{token.coreFingerprint}</code>. Check it matches the one{' '}
              <code>./fleetgate up</code> printed before running the command.
            </p>
          )}
          <p className="muted">
            Expires {formatTime(token.expiresAt)}. Once the agent has enrolled it appears under <Link to="/hosts">Hosts</Link>.
          </p>
        </div>
      )}
    </section>
  );
}
