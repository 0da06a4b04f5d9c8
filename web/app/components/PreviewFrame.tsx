import { useEffect, useRef } from 'react';

/**
 * Shows rendered HTML in a sandboxed frame of its own origin-less document, /preview.html, which the core serves
 * with a Content-Security-Policy of its own: the template's inline CSS applies (the admin's policy would block it
 * in a srcdoc frame, which inherits the admin's policy), its scripts and any request do not. The HTML is posted
 * to the frame whenever it changes and again when the frame says it is ready.
 */
export function PreviewFrame({ html, title = 'Preview' }: { html: string; title?: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const latest = useRef(html);
  latest.current = html;

  function send() {
    frame.current?.contentWindow?.postMessage({ fleetgatePreview: latest.current }, '*');
  }

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (e.source === frame.current?.contentWindow && e.data?.fleetgatePreviewReady) send();
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  useEffect(() => {
    send();
  }, [html]);

  return (
    <iframe
      ref={frame}
      title={title}
      sandbox="allow-scripts"
      src="/preview.html"
      style={{ width: '100%', minHeight: '24rem', border: '1px solid' }}
    />
  );
}
