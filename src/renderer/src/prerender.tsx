/**
 * Build time only: the welcome page as HTML, written into index.html so the first paint needs
 * no JavaScript; main.tsx then hydrates it. Rendered from the store's initial state, which is
 * also what the browser's first render sees, so the markup matches.
 */
import { renderToString } from 'react-dom/server';
import type { ApiClient } from '../../shared/api';
import { Root } from './Root';
import { createAppStore } from './store';

export function prerenderWelcome(): string {
  // Nothing is called while rendering; a call would mean the page fetches during render.
  const api = new Proxy({} as ApiClient, {
    get: (_t, name) => () => {
      throw new Error(`The prerender called the API (${String(name)}).`);
    },
  });
  return renderToString(<Root store={createAppStore(api)} />);
}
