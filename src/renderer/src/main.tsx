import './styles.css';
import { createRoot, hydrateRoot } from 'react-dom/client';
import type { ErrorInfo } from 'react';
import { getApiClient } from './api-client';
import { Root } from './Root';
import { createAppStore } from './store';

const api = getApiClient();
const store = createAppStore(api);

// Subscribed for the whole session, outside React, so StrictMode's double effects cannot
// open and close the event stream twice.
api.onRunEvent((event) => store.getState().handleRunEvent(event));
void store.getState().init();

const container = document.getElementById('root');
if (!container) throw new Error('index.html lost its #root element.');

// A mismatch with the prerendered markup is a bug: say so where tests and developers look.
const onRecoverableError = (error: unknown, info: ErrorInfo) =>
  console.error('React recovered from an error:', error, info.componentStack ?? '');

// The build prerenders the welcome page into #root (see scripts/vite-prerender.ts): adopt it.
if (container.firstElementChild) {
  hydrateRoot(container, <Root store={store} />, { onRecoverableError });
} else {
  createRoot(container, { onRecoverableError }).render(<Root store={store} />);
}
