import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { PreviewFrame } from './PreviewFrame';
import { QueryState } from './QueryState';

/** A page template as GET /api/v1/pages (or /services/{id}/pages) answers it (module pages). */
export interface PageTemplate {
  status: string;
  code: number;
  html: string;
  source: 'service' | 'default' | 'shipped';
  /** service pages: whether it also replaces the upstream's own answers with that status */
  replacesUpstream?: boolean;
}

interface Props {
  /** the collection: '/pages' (fleet-wide) or '/services/{id}/pages' */
  base: string;
  /** the source a page has when it is edited here ('default' fleet-wide, 'service' per service) */
  own: 'default' | 'service';
  /** what resetting goes back to, e.g. 'the shipped page' */
  resetTo: string;
  /** sample values of the preview (a service's name and domain) */
  sample?: { service?: string; domain?: string };
}

/**
 * Edits the pages of one scope: pick a status, edit its mustache template, see it rendered with sample data
 * (POST /pages/preview, debounced) in a sandboxed frame ({@link PreviewFrame}: the template's CSS applies, no script, no same origin), save, reset.
 */
export function PageEditor({ base, own, resetTo, sample }: Props) {
  const { canWrite } = useAuth();
  const queryClient = useQueryClient();
  const pages = useQuery({ queryKey: ['pages', base], queryFn: () => api<PageTemplate[]>(base) });
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
      api<{ html: string }>('/pages/preview', { method: 'POST', body: { html: text, status, ...sample } })
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
  }, [text, status, sample?.service, sample?.domain]);

  const save = async () => {
    try {
      await api<PageTemplate>(`${base}/${status}`, { method: 'PUT', body: { html: text } });
      setMessage({ ok: true, text: `Page ${status} saved.` });
      setHtml(null);
      await queryClient.invalidateQueries({ queryKey: ['pages', base] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  const reset = async () => {
    try {
      await api<void>(`${base}/${status}`, { method: 'DELETE' });
      setMessage({ ok: true, text: `Page ${status} is ${resetTo} again.` });
      setHtml(null);
      await queryClient.invalidateQueries({ queryKey: ['pages', base] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
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
              {p.source === own ? ' (edited)' : ''}
            </option>
          ))}
        </select>
      </label>
      {own === 'service' && current && current.status !== 'maintenance' && (
        <p className="muted">
          {current.replacesUpstream
            ? `This service's own page: it also replaces the upstream's own ${current.status} answers.`
            : `Replaces the ${current.status} answers nginx makes itself; the upstream's own ${current.status} answers pass through until you save a page of this service.`}
        </p>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice ok' : 'notice error'}>
          {message.text}
        </p>
      )}
      <div className="pages-editor">
        <label>
          Template (mustache: {'{{status}} {{reason}} {{service}} {{domain}} {{message}} {{retryAfter}} {{requestId}}'})
          <textarea
            rows={20}
            value={text}
            readOnly={!canWrite}
            onChange={(e) => setHtml(e.target.value)}
            spellCheck={false}
          />
        </label>
        <PreviewFrame html={preview} />
      </div>
      {canWrite && (
        <p>
          <button type="button" onClick={save}>
            Save
          </button>{' '}
          {current?.source === own && (
            <button type="button" onClick={reset}>
              Back to {resetTo}
            </button>
          )}
        </p>
      )}
    </QueryState>
  );
}
