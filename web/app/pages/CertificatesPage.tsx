import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { Empty, QueryState } from '../components/QueryState';
import { formatTime } from '../lib/format';
import { REFRESH_MS } from '../lib/queries';
import { useTitle } from '../lib/title';

/** A certificate as GET /api/v1/certificates answers it (module certificates). */
export interface Certificate {
  id: string;
  source: 'acme' | 'custom';
  serviceId: string | null;
  domains: string[];
  state: 'PENDING' | 'VALID' | 'RENEWING' | 'FAILED';
  issuer: string | null;
  notAfter: string | null;
  nextRenewal: string | null;
  error: string | null;
  served: boolean | null;
  servedError: string | null;
  /** OCSP stapling (absent from cores before it). */
  ocsp?: CertificateOcsp | null;
}

/** OCSP state of a certificate: the core fetches the response, the agents staple it. */
export interface CertificateOcsp {
  status: 'none' | 'pending' | 'good' | 'revoked' | 'unknown';
  stapled: boolean;
  nextUpdate: string | null;
  failures: number;
  lastError: string | null;
}

/** The OCSP cell: nothing for certificates without a responder (Let's Encrypt's), else status and trouble. */
function OcspCell({ ocsp }: { ocsp?: CertificateOcsp | null }) {
  if (!ocsp || ocsp.status === 'none') {
    return <>—</>;
  }
  return (
    <>
      {ocsp.status === 'revoked' ? <span className="error-text">revoked</span> : ocsp.status}
      {ocsp.stapled && <span className="muted small"> stapled</span>}
      {ocsp.failures > 0 && ocsp.lastError && <div className="error-text small">{ocsp.lastError}</div>}
    </>
  );
}

const STATE_TEXT: Record<Certificate['state'], string> = {
  PENDING: 'ordering…',
  RENEWING: 'renewing…',
  VALID: 'valid',
  FAILED: 'failed',
};

/** Soonest expiry first; certificates without one (not issued yet) on top, where progress shows. */
export function byExpiry(a: Certificate, b: Certificate): number {
  if (a.notAfter === b.notAfter) return a.domains[0]?.localeCompare(b.domains[0] ?? '') ?? 0;
  if (a.notAfter === null) return -1;
  if (b.notAfter === null) return 1;
  return a.notAfter < b.notAfter ? -1 : 1;
}

/** Certificates (module certificates): state badges, expiry sorted, last error, renew now. */
export default function CertificatesPage() {
  useTitle('Certificates');
  const { canWrite } = useAuth();
  const queryClient = useQueryClient();
  const certs = useQuery({
    queryKey: ['certificates'],
    queryFn: () => api<Certificate[]>('/certificates'),
    // an order takes seconds: follow it closely while one runs
    refetchInterval: (q) =>
      (q.state.data ?? []).some((c) => c.state === 'PENDING' || c.state === 'RENEWING') ? 1000 : REFRESH_MS * 2,
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const renew = async (c: Certificate) => {
    try {
      await api<Certificate>(`/certificates/${encodeURIComponent(c.id)}/renew`, { method: 'POST', body: {} });
      setMessage({ ok: true, text: `Renewal of ${c.domains.join(', ')} started.` });
      await queryClient.invalidateQueries({ queryKey: ['certificates'] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  const list = [...(certs.data ?? [])].sort(byExpiry);
  return (
    <section aria-labelledby="certs-title">
      <div className="page-head">
        <h1 id="certs-title">Certificates</h1>
      </div>
      {message && (
        <p role="status" className={message.ok ? 'notice ok' : 'notice error'}>
          {message.text}
        </p>
      )}
      <QueryState what="certificates" pending={certs.isPending} error={certs.error} module="certificates">
        {list.length === 0 ? (
          <Empty>
            No certificate yet: set a service's TLS to auto (PUT /api/v1/services/&#123;id&#125;/tls) or request one.
          </Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Domains</th>
                  <th scope="col">State</th>
                  <th scope="col" aria-sort="ascending">
                    Expires
                  </th>
                  <th scope="col">Next renewal</th>
                  <th scope="col">Issuer</th>
                  <th scope="col">Served</th>
                  <th scope="col">OCSP</th>
                  <th scope="col">Last error</th>
                  {canWrite && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.domains.map((d) => (
                        <div key={d}>
                          <code>{d}</code>
                        </div>
                      ))}
                      {c.serviceId && (
                        <Link to={`/services/${c.serviceId}`} className="small">
                          service
                        </Link>
                      )}
                      {c.source === 'custom' && <span className="muted small"> uploaded</span>}
                    </td>
                    <td>
                      <Badge value={c.state} title={STATE_TEXT[c.state]} />
                      {(c.state === 'PENDING' || c.state === 'RENEWING') && (
                        <span className="muted small" role="status">
                          {' '}
                          {STATE_TEXT[c.state]}
                        </span>
                      )}
                    </td>
                    <td>{formatTime(c.notAfter)}</td>
                    <td>{formatTime(c.nextRenewal)}</td>
                    <td className="small">{c.issuer ?? '—'}</td>
                    <td>
                      {c.served === null ? (
                        '—'
                      ) : c.served ? (
                        'yes'
                      ) : (
                        <span className="error-text">{c.servedError ?? 'no'}</span>
                      )}
                    </td>
                    <td>
                      <OcspCell ocsp={c.ocsp} />
                    </td>
                    <td>{c.error ? <pre className="error-text">{c.error}</pre> : '—'}</td>
                    {canWrite && (
                      <td>
                        {c.source === 'acme' && (
                          <button
                            type="button"
                            onClick={() => renew(c)}
                            disabled={c.state === 'PENDING' || c.state === 'RENEWING'}
                          >
                            Renew now
                          </button>
                        )}
                      </td>
                    )}
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
