import type { LogLine } from '../api/types';

/** A log line with a sequence number (stable React key). */
export interface BufferedLine extends LogLine {
  seq: number;
  /** Where the line came from, in a merged view ("web-1 nginx", "web-1 shop-2"). */
  origin?: string;
}

/**
 * Appends new lines and keeps only the newest `cap`: a log that grows for hours costs the
 * page a bounded amount of memory (and the view renders only what is on screen).
 */
export function appendCapped(
  buffer: BufferedLine[],
  incoming: LogLine[],
  cap: number,
  nextSeq: number,
  { origin, everyStream = false }: { origin?: string; everyStream?: boolean } = {},
): { lines: BufferedLine[]; nextSeq: number; dropped: number } {
  if (incoming.length === 0) return { lines: buffer, nextSeq, dropped: 0 };
  const added = incoming.map((l, i) => (origin ? { ...l, seq: nextSeq + i, origin } : { ...l, seq: nextSeq + i }));
  const all = buffer.concat(added);
  inTimeOrder(all, buffer.length, everyStream);
  const dropped = Math.max(0, all.length - cap);
  return { lines: dropped ? all.slice(dropped) : all, nextSeq: nextSeq + incoming.length, dropped };
}

/**
 * The time of an access-log line; NaN for other lines (Docker and nginx's error log already
 * come in order) unless `everyStream` (a merged view of several logs orders them all).
 */
function time(line: LogLine, everyStream: boolean): number {
  return (everyStream || line.stream === 'access') && line.timestamp ? Date.parse(line.timestamp) : Number.NaN;
}

/**
 * Moves each access-log line from `from` on back past the lines with a later timestamp (the core may
 * answer access-log lines out of order, e.g. as nginx writes them when requests end, or
 * merged from several files). Stable: lines of the same time keep their order; a line
 * without a timestamp stays where it came. Cheap for the usual case of ordered input.
 */
export function inTimeOrder(lines: BufferedLine[], from = 0, everyStream = false): void {
  for (let i = Math.max(1, from); i < lines.length; i++) {
    const t = time(lines[i], everyStream);
    if (Number.isNaN(t)) continue;
    let j = i;
    while (j > 0) {
      const before = time(lines[j - 1], everyStream);
      if (Number.isNaN(before) || before <= t) break;
      j--;
    }
    if (j < i) {
      const [moved] = lines.splice(i, 1);
      lines.splice(j, 0, moved);
    }
  }
}

/** Case-insensitive text filter applied on the page (the server filter restarts the stream). */
export function matches(line: LogLine, needle: string): boolean {
  return !needle || line.text.toLowerCase().includes(needle.toLowerCase());
}

/** Which rows of a fixed-height list are visible (with some overscan). */
export function visibleWindow(
  total: number,
  rowHeight: number,
  scrollTop: number,
  viewport: number,
  overscan = 20,
): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  const count = Math.ceil(viewport / rowHeight);
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(total, first + count + overscan),
  };
}
