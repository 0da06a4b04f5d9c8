import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/http';
import { useAuth } from '../auth/AuthContext';

interface Maintenance {
  enabled: boolean;
  active: boolean;
  message: string | null;
  retryAfterSeconds: number | null;
  allow: string[];
}

/** A service's maintenance mode (module pages) on its page; nothing when the module is not installed. */
export function MaintenanceToggle({ serviceId }: { serviceId: string }) {
  const { canWrite } = useAuth();
  const queryClient = useQueryClient();
  const key = ['maintenance', serviceId];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api<Maintenance>(`/services/${encodeURIComponent(serviceId)}/maintenance`),
    retry: false,
  });
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (q.error instanceof ApiError && q.error.notInstalled) return null;
  const m = q.data;

  const toggle = async () => {
    if (!m) return;
    try {
      const body: Record<string, unknown> = { enabled: !m.enabled, allow: m.allow };
      if (message.trim()) body.message = message.trim();
      else if (m.message) body.message = m.message;
      if (m.retryAfterSeconds) body.retryAfterSeconds = m.retryAfterSeconds;
      await api<Maintenance>(`/services/${encodeURIComponent(serviceId)}/maintenance`, { method: 'PUT', body });
      setError(null);
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="maintenance-title">
      <h2 id="maintenance-title">Maintenance</h2>
      {m && (
        <p>
          {m.active ? 'In maintenance: visitors get the maintenance page (503).' : 'Not in maintenance.'}
          {m.allow.length > 0 && (
            <>
              {' '}
              Still served: <code>{m.allow.join(', ')}</code>.
            </>
          )}
        </p>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {canWrite && m && (
        <p>
          {!m.enabled && (
            <label>
              Message <input value={message} onChange={(e) => setMessage(e.target.value)} maxLength={2000} />
            </label>
          )}{' '}
          <button type="button" onClick={toggle}>
            {m.enabled ? 'End maintenance' : 'Start maintenance'}
          </button>
        </p>
      )}
    </section>
  );
}
