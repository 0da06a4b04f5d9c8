import type { LogLine } from '../api/types';

/** A log line with a sequence number (stable React key). */
export interface BufferedLine extends LogLine {
  seq: number;
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
): { lines: BufferedLine[]; nextSeq: number; dropped: number } {
  if (incoming.length === 0) return { lines: buffer, nextSeq, dropped: 0 };
  const added = incoming.map((l, i) => ({ ...l, seq: nextSeq + i }));
  const all = buffer.concat(added);
  const dropped = Math.max(0, all.length - cap);
  return { lines: dropped ? all.slice(dropped) : all, nextSeq: nextSeq + incoming.length, dropped };
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
