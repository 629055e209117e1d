import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../../shared/api';
import { errorMessage } from '../api-client';
import type { AppState, SessionSlice } from './types';

export function createSessionSlice(api: ApiClient): StateCreator<AppState, [], [], SessionSlice> {
  return (set, get) => ({
    appInfo: null,
    catalogue: null,
    catalogueState: 'idle',
    sessionError: null,
    page: { kind: 'overview' },

    async init() {
      const [info] = await Promise.allSettled([api.getAppInfo({}), get().loadWorkspaces()]);
      if (info.status === 'fulfilled') set({ appInfo: info.value, sessionError: null });
      else set({ sessionError: errorMessage(info.reason) });
    },

    async loadCatalogue() {
      // The catalogue is the same for every workspace: fetch once per session.
      const state = get().catalogueState;
      if (state === 'ready' || state === 'loading') return;
      set({ catalogueState: 'loading' });
      try {
        const catalogue = await api.getCatalogue({});
        set({ catalogue, catalogueState: 'ready' });
      } catch (error) {
        set({ catalogueState: 'error', sessionError: errorMessage(error) });
      }
    },

    goTo(page) {
      set({ page });
    },
  });
}
