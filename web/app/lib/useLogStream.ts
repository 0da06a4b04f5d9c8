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

/** One log to follow: `source` is `nginx:access`, `nginx:error` or `container:<id>`. */
export interface LogSource {
  agentId: string;
  source: string;
  /** Text the core filters the lines by. */
  filter?: string;
  /** Shown beside each line in a merged view. */
  origin?: string;
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
  options: StreamOptions = {},
): LogStream {
  return useLogStreams(agentId && source ? [{ agentId, source, filter }] : [], paused, options);
}

/**
 * Follows several logs at once (one service across its hosts and replicas), each with its
 * own cursor, into one buffer in time order. An error of one source is reported while the
 * others go on.
 */
export function useLogStreams(
  sources: LogSource[],
  paused: boolean,
  { tail = 200, cap = 5000, intervalMs = 1500 }: StreamOptions = {},
): LogStream {
  const [state, setState] = useState<LogStream>({ lines: [], dropped: 0, error: null, polls: 0 });
  const pausedRef = useRef(paused);
  const wake = useRef<() => void>(() => undefined);
  pausedRef.current = paused;
  const key = JSON.stringify(sources);

  useEffect(() => {
    if (!paused) wake.current();
  }, [paused]);

  useEffect(() => {
    setState({ lines: [], dropped: 0, error: null, polls: 0 });
    const list = JSON.parse(key) as LogSource[];
    if (list.length === 0) return undefined;
    const controller = new AbortController();
    const merged = list.length > 1;
    let seq = 0;
    let stopped = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const wakers: (() => void)[] = [];

    list.forEach((src, n) => {
      let cursor: string | null = null;
      const schedule = (ms: number) => {
        clearTimeout(timers[n]);
        if (!stopped) timers[n] = setTimeout(tick, ms);
      };
      wakers.push(() => schedule(0));

      async function tick() {
        if (pausedRef.current) return; // resumed through wake()
        let delay = intervalMs;
        try {
          const page = await endpoints.logs(
            src.agentId,
            src.source,
            { tail, cursor, filter: src.filter || undefined, limit: 1000 },
            controller.signal,
          );
          if (stopped) return;
          cursor = page.cursor ?? cursor;
          const lines = page.lines ?? [];
          const start = seq;
          seq += lines.length;
          setState((s) => {
            const next = appendCapped(s.lines, lines, cap, start, { origin: src.origin, everyStream: merged });
            return { lines: next.lines, dropped: s.dropped + next.dropped, error: null, polls: s.polls + 1 };
          });
          if (page.truncated) delay = 100;
        } catch (e) {
          if (stopped || (e as Error).name === 'AbortError') return;
          const error = merged && src.origin ? new Error(`${src.origin}: ${(e as Error).message}`) : (e as Error);
          setState((s) => ({ ...s, error: merged ? error : (e as Error), polls: s.polls + 1 }));
          // An unknown container or a missing module will not come back by itself soon.
          delay = e instanceof ApiError && e.status === 404 ? 15_000 : Math.max(3000, intervalMs * 2);
        }
        schedule(delay);
      }
      schedule(0);
    });
    wake.current = () => wakers.forEach((w) => w());
    return () => {
      stopped = true;
      controller.abort();
      timers.forEach((t) => clearTimeout(t));
      wake.current = () => undefined;
    };
  }, [key, tail, cap, intervalMs]);

  return state;
}
