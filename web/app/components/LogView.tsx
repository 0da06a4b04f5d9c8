import { useLayoutEffect, useRef, useState } from 'react';
import type { BufferedLine } from '../lib/logBuffer';
import { visibleWindow } from '../lib/logBuffer';
import { logTime } from '../lib/format';

const ROW = 20;

/**
 * A virtualised log: only the rows on screen are in the DOM, so thousands of lines cost
 * nothing to scroll. While following, new lines keep the view at the bottom.
 */
export function LogView({ lines, follow, height = 480 }: { lines: BufferedLine[]; follow: boolean; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setViewport(el.clientHeight || height);
    if (follow) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [lines, follow, height]);

  const { start, end } = visibleWindow(lines.length, ROW, scrollTop, viewport);
  return (
    <div
      ref={box}
      className="logview"
      style={{ height }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      tabIndex={0}
      role="log"
      aria-label="Log lines"
      aria-live="off"
      data-lines={lines.length}
    >
      <div style={{ height: lines.length * ROW, position: 'relative' }}>
        {lines.slice(start, end).map((l, i) => (
          <div key={l.seq} className={`logline ${l.stream}`} style={{ top: (start + i) * ROW, height: ROW }}>
            <time dateTime={l.timestamp}>{logTime(l.timestamp)}</time>
            <span className="stream">{l.stream}</span>
            <span className="text">{l.text}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
