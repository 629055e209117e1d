import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getApiClient } from './api-client';
import { StoreProvider, createAppStore } from './store';

const api = getApiClient();
const store = createAppStore(api);

// Subscribed for the whole session, outside React, so StrictMode's double effects cannot
// open and close the event stream twice.
api.onRunEvent((event) => store.getState().handleRunEvent(event));
void store.getState().init();

const container = document.getElementById('root');
if (!container) throw new Error('index.html lost its #root element.');

createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
