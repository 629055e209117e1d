import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/**
 * false while the page is the build's prerendered HTML (and during hydration), true once React
 * runs it: controls stay disabled until a click can reach their handlers.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
