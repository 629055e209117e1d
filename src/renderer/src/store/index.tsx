/**
 * One zustand store per app, built around an ApiClient so tests can hand it a fake. Components
 * read it only through useAppStore(selector) and re-render when their selection changes.
 */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../../../shared/api';
import { createDashboardSlice } from './dashboard-slice';
import { createHandoverSlice } from './handover-slice';
import { createIntegrationsSlice } from './integrations-slice';
import { createRunSlice } from './run-slice';
import { createSessionSlice } from './session-slice';
import { createSettingsSlice } from './settings-slice';
import type { AppState } from './types';
import { createWorkspaceSlice } from './workspace-slice';

export type AppStore = StoreApi<AppState>;

export function createAppStore(api: ApiClient): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(api)(...a),
    ...createWorkspaceSlice(api)(...a),
    ...createRunSlice(api)(...a),
    ...createIntegrationsSlice(api)(...a),
    ...createDashboardSlice(api)(...a),
    ...createSettingsSlice(api)(...a),
    ...createHandoverSlice(api)(...a),
  }));
}

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext value={store}>{children}</StoreContext>;
}

export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore needs a <StoreProvider> above it.');
  return store;
}

/** Select a slice of state; return primitives or stored references, never fresh objects. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}

export type { AppState, DetailsChange, Page, RunProgress, SettingsSection } from './types';
