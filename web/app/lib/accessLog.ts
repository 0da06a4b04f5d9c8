import type { LogLine } from '../api/types';

/** One nginx access-log line as the agent writes it (`log_format fleetgate_json`). */
export interface AccessEntry {
  status: number;
  method: string;
  path: string;
  host: string;
  /** The service id ("" for requests no service took). */
  service: string;
  /** `$upstream_addr`: "127.0.0.1:9001", several comma-separated after a retry, "" when none. */
  upstream: string;
  /** `$request_time` in seconds. */
  seconds: number | null;
}

/** The fields of an access-log line, or null when the text is not such a JSON line. */
export function parseAccess(line: LogLine): AccessEntry | null {
  if (line.stream !== 'access' || !line.text.startsWith('{')) return null;
  try {
    const j = JSON.parse(line.text) as Record<string, unknown>;
    if (typeof j.status !== 'number') return null;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      status: j.status,
      method: text(j.method),
      path: text(j.path),
      host: text(j.host),
      service: text(j.service),
      upstream: text(j.upstream),
      seconds: typeof j.requestTime === 'number' ? j.requestTime : null,
    };
  } catch {
    return null;
  }
}

/** Badge tone of an HTTP status: 2xx ok, 3xx neutral, 4xx warn, 5xx (and 0) bad. */
export function statusTone(status: number): 'ok' | 'neutral' | 'warn' | 'bad' {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 400) return 'neutral';
  if (status >= 400 && status < 500) return 'warn';
  return 'bad';
}

/** 0.0123 s → "12 ms", 1.5 → "1.50 s". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '';
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

/** The shown lines as a text file: time, where from, and the line as the source wrote it. */
export function logFile(lines: (LogLine & { origin?: string })[]): string {
  return (
    lines.map((l) => [l.timestamp, l.origin, l.stream, l.text].filter((x) => x).join('\t')).join('\n') +
    (lines.length ? '\n' : '')
  );
}
