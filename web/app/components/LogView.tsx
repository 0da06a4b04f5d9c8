import { useLayoutEffect, useRef, useState } from 'react';
import type { BufferedLine } from '../lib/logBuffer';
import { visibleWindow } from '../lib/logBuffer';
import { logTime } from '../lib/format';
import { duration, parseAccess, statusTone } from '../lib/accessLog';

const ROW = 20;
/** Wrapped lines have no fixed height, so they are not virtualised: the newest this many are shown. */
export const WRAP_MAX = 1000;

interface Props {
  lines: BufferedLine[];
  follow: boolean;
  height?: number;
  /** Long lines wrap instead of scrolling sideways. */
  wrap?: boolean;
  /** The name of a service id (access-log lines carry the id). */
  serviceName?: (id: string) => string;
}

/**
 * A log: access-log lines as columns (time, status, method, path, service, upstream, time
 * taken), other lines as text. Unwrapped, only the rows on screen are in the DOM, so
 * thousands of lines cost nothing to scroll. While following, new lines keep the view at the
 * bottom.
 */
export function LogView({ lines, follow, height = 480, wrap = false, serviceName = (id) => id }: Props) {
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
  }, [lines, follow, height, wrap]);

  const access = lines.length > 0 && lines.some((l) => l.stream === 'access');
  const merged = lines.some((l) => l.origin);
  const common = {
    ref: box,
    className: `logview${wrap ? ' wrap' : ''}`,
    style: { height },
    onScroll: (e: React.UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop),
    tabIndex: 0,
    role: 'log',
    'aria-label': 'Log lines',
    'aria-live': 'off' as const,
    'data-lines': lines.length,
  };
  const head = access && (
    <div className="logline loghead" aria-hidden="true">
      <span className="c-time">time</span>
      {merged && <span className="c-origin">from</span>}
      <span className="c-status">status</span>
      <span className="c-method">method</span>
      <span className="c-path">path</span>
      <span className="c-svc">service</span>
      <span className="c-up">upstream</span>
      <span className="c-dur">took</span>
    </div>
  );

  if (wrap) {
    const shown = lines.slice(-WRAP_MAX);
    return (
      <div className="logframe">
        {head}
        <div {...common}>
          {shown.map((l) => (
            <Line key={l.seq} line={l} merged={merged} serviceName={serviceName} />
          ))}
        </div>
      </div>
    );
  }
  const { start, end } = visibleWindow(lines.length, ROW, scrollTop, viewport);
  return (
    <div className="logframe">
      {head}
      <div {...common}>
        <div style={{ height: lines.length * ROW, position: 'relative' }}>
          {lines.slice(start, end).map((l, i) => (
            <Line
              key={l.seq}
              line={l}
              merged={merged}
              serviceName={serviceName}
              style={{ position: 'absolute', top: (start + i) * ROW, height: ROW }}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

function Line({
  line,
  merged,
  serviceName,
  style,
}: {
  line: BufferedLine;
  merged: boolean;
  serviceName: (id: string) => string;
  style?: React.CSSProperties;
}) {
  const a = parseAccess(line);
  return (
    <div className={`logline ${line.stream}${a ? ' access' : ''}`} style={style} data-status={a?.status}>
      <time className="c-time" dateTime={line.timestamp}>
        {logTime(line.timestamp)}
      </time>
      {merged && (
        <span className="c-origin" title={line.origin}>
          {line.origin}
        </span>
      )}
      {a ? (
        <>
          <span className={`c-status st-${statusTone(a.status)}`}>{a.status}</span>
          <span className="c-method">{a.method}</span>
          <span className="c-path" title={`${a.host}${a.path}`}>
            {a.path}
          </span>
          <span className="c-svc">{a.service ? serviceName(a.service) : '—'}</span>
          <span className="c-up">{a.upstream || '—'}</span>
          <span className="c-dur">{duration(a.seconds)}</span>
        </>
      ) : (
        <>
          <span className="stream">{line.stream}</span>
          <span className="text">{line.text}</span>
        </>
      )}
    </div>
  );
}
