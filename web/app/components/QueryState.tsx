import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTitle } from '../lib/title';
import { ApiError } from '../api/http';

interface Props {
  /** What is loading, for the screen reader: "hosts", "services"… */
  what: string;
  pending: boolean;
  error: unknown;
  /** The module that serves this endpoint, named in the "not installed" state. */
  module?: string;
  children?: ReactNode;
}

/** Loading, error and "module not installed" states of a query, else its content. */
export function QueryState({ what, pending, error, module, children }: Props) {
  if (error) return <ErrorBox error={error} module={module} what={what} />;
  if (pending) {
    return (
      <p className="muted" role="status" aria-live="polite">
        Loading {what}…
      </p>
    );
  }
  return <>{children}</>;
}

export function ErrorBox({ error, module, what }: { error: unknown; module?: string; what?: string }) {
  if (error instanceof ApiError && error.notInstalled && module) {
    return <NotInstalled module={module} />;
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="notice error" role="alert">
      <strong>Could not load {what ?? 'this'}.</strong> {message}
    </div>
  );
}

export function NotInstalled({ module }: { module: string }) {
  return (
    <div className="notice info" role="note" data-testid="not-installed">
      <strong>Module not installed.</strong> The <code>{module}</code> module is not running in this core, so there is
      nothing to show here. Install it (feature <code>fleetgate-{module}</code>) and this view fills in.
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Whether a query failed because what it asked for does not exist (unknown, deleted or malformed id). */
export function isMissing(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.missing || (error.status === 400 && error.errors.some((e) => e.field === 'id'));
}

/** The page of an id that does not exist (any more), with the way back to its list. */
export function NotFoundPage({
  what,
  id,
  back,
  backLabel,
}: {
  what: string;
  id: string;
  back: string;
  backLabel: string;
}) {
  useTitle(`${what} not found`);
  return (
    <section aria-labelledby="not-found-title" data-testid="not-found">
      <h1 id="not-found-title">{what} not found</h1>
      <p>
        There is no {what.toLowerCase()} <code>{id}</code>. It may have been deleted, or the link is wrong.
      </p>
      <p>
        <Link to={back}>{backLabel}</Link>
      </p>
    </section>
  );
}
