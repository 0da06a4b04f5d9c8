import { useEffect, useRef } from 'react';

export const UNSAVED_QUESTION = 'Leave this page? Your changes are not saved.';

/**
 * While `dirty`: closing or reloading the tab asks the browser's "leave site?" question, and
 * following a link inside the app (nav, crumbs, Cancel) asks `UNSAVED_QUESTION` first. (The
 * app uses a plain BrowserRouter, where react-router's blockers are not available, so links
 * are caught in the capture phase; the browser's back button is not asked about.)
 * Returns `allow()`, to call before navigating away on purpose (after saving).
 */
export function useUnsavedWarning(dirty: boolean): () => void {
  const allowed = useRef(false);
  useEffect(() => {
    if (!dirty) return undefined;
    allowed.current = false;
    const onUnload = (e: BeforeUnloadEvent) => {
      if (allowed.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    const onClick = (e: MouseEvent) => {
      if (allowed.current || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (!a || a.getAttribute('target') === '_blank' || a.hasAttribute('download')) return;
      if (!window.confirm(UNSAVED_QUESTION)) {
        e.preventDefault();
        e.stopPropagation();
      } else {
        allowed.current = true;
      }
    };
    window.addEventListener('beforeunload', onUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);
  return () => {
    allowed.current = true;
  };
}
