import { useLocation } from 'react-router-dom';

/**
 * The outcome of an action that navigated here ("Saved shop: revision 3.", "Deleted shop."),
 * passed as `navigate(to, { state: { flash } })`. Shown once: it is gone after a reload or
 * when the page is reached another way.
 */
export function Flash() {
  const state = useLocation().state as { flash?: string } | null;
  if (!state?.flash) return null;
  return (
    <p className="notice ok" role="status">
      {state.flash}
    </p>
  );
}

/** Navigation state carrying a flash message. */
export const flash = (text: string) => ({ state: { flash: text } });
