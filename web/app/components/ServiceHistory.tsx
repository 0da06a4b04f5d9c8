import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { Service, ServiceRevision } from '../api/types';
import { formatTime } from '../lib/format';
import { lineDiff, prettyJson, withContext } from '../lib/lineDiff';
import { ConfirmButton } from './ConfirmButton';
import { Empty, QueryState } from './QueryState';

const ACTIONS: Record<ServiceRevision['action'], string> = {
  CREATED: 'created',
  UPDATED: 'updated',
  SCALED: 'scaled',
  ROLLED_BACK: 'rolled back',
  MIGRATED: 'history began',
};

/** The service's kept revisions: a diff of each against the current one, and roll back (operators). Loaded when opened. */
export function ServiceHistory({ service, canWrite }: { service: Service; canWrite: boolean }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const queryClient = useQueryClient();
  const revisions = useQuery({
    queryKey: ['service-revisions', service.id, service.revision],
    queryFn: () => endpoints.serviceRevisions(service.id),
    enabled: open,
  });

  const rollback = async (revision: number) => {
    try {
      const s = await endpoints.rollbackService(service.id, revision);
      setMessage({ ok: true, text: `Rolled back to revision ${revision}: now revision ${s.revision}.` });
      setShown(null);
      await queryClient.invalidateQueries({ queryKey: ['service', service.id] });
    } catch (e) {
      const details =
        e instanceof ApiError && e.errors.length ? e.errors.map((x) => `${x.field}: ${x.message}`).join('; ') : '';
      setMessage({ ok: false, text: `Not rolled back: ${(e as Error).message}${details ? ` (${details})` : ''}` });
    }
  };

  return (
    <section aria-labelledby="history-title">
      <div className="page-head">
        <h2 id="history-title">History</h2>
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide history' : 'Show history'}
        </button>
      </div>
      {message && (
        <p className={`notice ${message.ok ? 'ok' : 'error'}`} role="status">
          {message.text}
        </p>
      )}
      {open && (
        <QueryState what="the history" pending={revisions.isPending} error={revisions.error}>
          {revisions.data?.length === 0 ? (
            <Empty>No revision kept.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">When</th>
                  <th scope="col">By</th>
                  <th scope="col">What</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {revisions.data?.map((r) => (
                  <Row
                    key={r.revision}
                    r={r}
                    service={service}
                    canWrite={canWrite}
                    shown={shown === r.revision}
                    onShow={() => setShown(shown === r.revision ? null : r.revision)}
                    onRollback={() => rollback(r.revision)}
                  />
                ))}
              </tbody>
            </table>
          )}
          <p className="muted">The last 100 revisions are kept.</p>
        </QueryState>
      )}
    </section>
  );
}

function Row({
  r,
  service,
  canWrite,
  shown,
  onShow,
  onRollback,
}: {
  r: ServiceRevision;
  service: Service;
  canWrite: boolean;
  shown: boolean;
  onShow: () => void;
  onRollback: () => void;
}) {
  const current = r.revision === service.revision;
  return (
    <>
      <tr data-testid={`revision-${r.revision}`}>
        <td>
          {r.revision}
          {current && <span className="muted"> (current)</span>}
        </td>
        <td>{formatTime(r.changedAt)}</td>
        <td>{r.changedBy ?? '—'}</td>
        <td>
          {ACTIONS[r.action] ?? r.action}
          {r.sourceRevision != null && ` to revision ${r.sourceRevision}`}
        </td>
        <td>
          {!current && (
            <div className="actions">
              <button type="button" aria-expanded={shown} onClick={onShow}>
                {shown ? 'Hide changes' : 'Changes'}
              </button>
              {canWrite && (
                <ConfirmButton
                  label="Roll back to this"
                  confirmLabel={`Yes, restore revision ${r.revision}`}
                  onConfirm={onRollback}
                />
              )}
            </div>
          )}
        </td>
      </tr>
      {shown && (
        <tr>
          <td colSpan={5}>
            <RevisionDiff serviceId={service.id} revision={r.revision} current={service.revision} />
          </td>
        </tr>
      )}
    </>
  );
}

/** What rolling back to `revision` would change: the current configuration (−) against that revision's (+). */
function RevisionDiff({ serviceId, revision, current }: { serviceId: string; revision: number; current: number }) {
  const configs = useQuery({
    queryKey: ['service-revision-pair', serviceId, revision, current],
    queryFn: () =>
      Promise.all([endpoints.serviceRevision(serviceId, current), endpoints.serviceRevision(serviceId, revision)]),
  });
  const rows = configs.data
    ? withContext(lineDiff(prettyJson(configs.data[0].config), prettyJson(configs.data[1].config)))
    : [];
  return (
    <QueryState what="the changes" pending={configs.isPending} error={configs.error}>
      {rows.every((l) => l.kind === ' ' || l.kind === 'skip') ? (
        <Empty>Same configuration as the current revision.</Empty>
      ) : (
        <>
          <p className="muted">
            Rolling back would change the current revision ({current}, −) to revision {revision} (+):
          </p>
          <pre className="diff" data-testid="diff">
            {rows.map((l, i) =>
              l.kind === 'skip' ? (
                <div key={i} className="skip">
                  … {l.count} unchanged line{l.count === 1 ? '' : 's'}
                </div>
              ) : (
                <div key={i} className={l.kind === '+' ? 'add' : l.kind === '-' ? 'del' : undefined}>
                  {l.kind} {l.text}
                </div>
              ),
            )}
          </pre>
        </>
      )}
    </QueryState>
  );
}
