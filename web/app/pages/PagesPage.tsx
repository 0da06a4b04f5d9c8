import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { QueryState } from '../components/QueryState';
import { useTitle } from '../lib/title';

/** A page template as GET /api/v1/pages answers it (module pages). */
export interface PageTemplate {
  status: string;
  code: number;
  html: string;
  source: 'service' | 'default' | 'shipped';
}

/** The fleet-wide error and maintenance pages: pick a status, edit its mustache template, see it live. */
export default function PagesPage() {
  useTitle('Pages');
  const { canWrite } = useAuth();
  const queryClient = useQueryClient();
  const pages = useQuery({ queryKey: ['pages'], queryFn: () => api<PageTemplate[]>('/pages') });
  const [status, setStatus] = useState('503');
  const [html, setHtml] = useState<string | null>(null);
  const [preview, setPreview] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const current = pages.data?.find((p) => p.status === status);
  const text = html ?? current?.html ?? '';

  useEffect(() => {
    if (!text) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      api<{ html: string }>('/pages/preview', { method: 'POST', body: { html: text, status } })
        .then((r) => {
          if (live) {
            setPreview(r.html);
            setMessage(null);
          }
        })
        .catch((e: Error) => {
          if (live) setMessage({ ok: false, text: e.message });
        });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, status]);

  const save = async () => {
    try {
      await api<PageTemplate>(`/pages/${status}`, { method: 'PUT', body: { html: text } });
      setMessage({ ok: true, text: `Page ${status} saved.` });
      setHtml(null);
      await queryClient.invalidateQueries({ queryKey: ['pages'] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  const reset = async () => {
    try {
      await api<void>(`/pages/${status}`, { method: 'DELETE' });
      setMessage({ ok: true, text: `Page ${status} is the shipped one again.` });
      setHtml(null);
      await queryClient.invalidateQueries({ queryKey: ['pages'] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <section aria-labelledby="pages-title">
      <div className="page-head">
        <h1 id="pages-title">Pages</h1>
      </div>
      <QueryState what="pages" pending={pages.isPending} error={pages.error} module="pages">
        <label>
          Page{' '}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setHtml(null);
            }}
          >
            {(pages.data ?? []).map((p) => (
              <option key={p.status} value={p.status}>
                {p.status}
                {p.source === 'default' ? ' (edited)' : ''}
              </option>
            ))}
          </select>
        </label>
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice ok' : 'notice error'}>
            {message.text}
          </p>
        )}
        <div className="pages-editor">
          <label>
            Template (mustache: {'{{status}} {{reason}} {{service}} {{domain}} {{message}} {{retryAfter}}'})
            <textarea
              rows={20}
              value={text}
              readOnly={!canWrite}
              onChange={(e) => setHtml(e.target.value)}
              spellCheck={false}
            />
          </label>
          <iframe
            title="Preview"
            sandbox=""
            srcDoc={preview}
            style={{ width: '100%', minHeight: '24rem', border: '1px solid' }}
          />
        </div>
        {canWrite && (
          <p>
            <button type="button" onClick={save}>
              Save
            </button>{' '}
            {current?.source === 'default' && (
              <button type="button" onClick={reset}>
                Back to the shipped page
              </button>
            )}
          </p>
        )}
      </QueryState>
    </section>
  );
}
