import { StrictMode, useEffect } from 'react';
import { App } from './App';
import type { AppStore } from './store';
import { StoreProvider } from './store';

/** The whole renderer tree: the same in the browser and in the build's prerender. */
export function Root({ store }: { store: AppStore }) {
  return (
    <StrictMode>
      <StoreProvider store={store}>
        <Interactive />
        <App />
      </StoreProvider>
    </StrictMode>
  );
}

/**
 * Marks the moment the page answers clicks (React has hydrated or rendered it) for the
 * renderer benchmark; effects never run in the build's prerender.
 */
function Interactive() {
  useEffect(() => {
    if (performance.getEntriesByName(INTERACTIVE_MARK).length === 0)
      performance.mark(INTERACTIVE_MARK);
  }, []);
  return null;
}

export const INTERACTIVE_MARK = 'launch-ready:interactive';
