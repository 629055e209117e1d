import { useEffect, useRef } from 'react';

/**
 * Moves keyboard and screen-reader focus to a page's heading when the page appears, so a
 * founder navigating by keyboard lands on the new content instead of staying in the sidebar.
 */
export function useFocusOnMount<T extends HTMLElement>(enabled = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (enabled) ref.current?.focus({ preventScroll: true });
  }, [enabled]);
  return ref;
}
