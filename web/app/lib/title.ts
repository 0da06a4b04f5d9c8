import { useEffect } from 'react';

/** Sets the tab's title to "<what> · Fleetgate" while the page is shown (history and tabs tell pages apart). */
export function useTitle(what: string | null | undefined): void {
  useEffect(() => {
    document.title = what ? `${what} · Fleetgate` : 'Fleetgate';
  }, [what]);
}
