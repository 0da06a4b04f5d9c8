import { useEffect, useRef, useState } from 'react';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { appendCapped, type BufferedLine } from './logBuffer';

export interface LogStream {
  lines: BufferedLine[];
  /** Lines dropped from the top of the buffer so far. */
  dropped: number;
  error: ApiError | Error | null;
  /** Polls done (the e2e and the status line use it). */
  polls: number;
}

export interface StreamOptions {
  tail?: number;
  cap?: number;
  intervalMs?: number;
}

/**
 * Follows a log: the last `tail` lines first, then every `intervalMs` only the lines after
 * the cursor (at once again while the core says it cut the answer short). A pause keeps the
 * cursor, so resuming loses nothing; the buffer keeps the newest `cap` lines.
 */
export function useLogStream(
  agentId: string,
  source: string,
  filter: string,
  paused: boolean,
  { tail = 200, cap = 5000, intervalMs = 1500 }: StreamOptions = {},
): LogStream {
  const [state, setState] = useState<LogStream>({ lines: [], dropped: 0, error: null, polls: 0 });
  const pausedRef = useRef(paused);
  const wake = useRef<() => void>(() => undefined);
  pausedRef.current = paused;

  useEffect(() => {
    if (!paused) wake.current();
  }, [paused]);

  useEffect(() => {
    setState({ lines: [], dropped: 0, error: null, polls: 0 });
    if (!agentId || !source) return undefined;
    const controller = new AbortController();
    let cursor: string | null = null;
    let seq = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const schedule = (ms: number) => {
      clearTimeout(timer);
      if (!stopped) timer = setTimeout(tick, ms);
    };
    wake.current = () => schedule(0);

    async function tick() {
      if (pausedRef.current) return; // resumed through wake()
      let delay = intervalMs;
      try {
        const page = await endpoints.logs(agentId, source, { tail, cursor, filter: filter || undefined, limit: 1000 }, controller.signal);
        if (stopped) return;
        cursor = page.cursor ?? cursor;
        const lines = page.lines ?? [];
        const start = seq;
        seq += lines.length;
        setState((s) => {
          const next = appendCapped(s.lines, lines, cap, start);
          return { lines: next.lines, dropped: s.dropped + next.dropped, error: null, polls: s.polls + 1 };
        });
        if (page.truncated) delay = 100;
      } catch (e) {
        if (stopped || (e as Error).name === 'AbortError') return;
        setState((s) => ({ ...s, error: e as Error, polls: s.polls + 1 }));
        // An unknown container or a missing module will not come back by itself soon.
        delay = e instanceof ApiError && e.status === 404 ? 15_000 : Math.max(3000, intervalMs * 2);
      }
      schedule(delay);
    }

    schedule(0);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
      wake.current = () => undefined;
    };
  }, [agentId, source, filter, tail, cap, intervalMs]);

  return state;
}
