/** Stage 6's dashboard: built by the main process from the stored runs, reloaded after each run. */
import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../../shared/api';
import { errorMessage } from '../api-client';
import type { AppState, DashboardSlice } from './types';

export function createDashboardSlice(
  api: ApiClient,
): StateCreator<AppState, [], [], DashboardSlice> {
  return (set, get) => ({
    dashboard: null,
    dashboardState: 'idle',
    dashboardError: null,

    async loadDashboard() {
      const workspaceId = get().current?.id;
      if (!workspaceId) return;
      set({ dashboardState: 'loading', dashboardError: null });
      try {
        const dashboard = await api.getDashboard({ workspaceId });
        if (get().current?.id === workspaceId) set({ dashboard, dashboardState: 'ready' });
      } catch (error) {
        if (get().current?.id === workspaceId)
          set({ dashboardState: 'error', dashboardError: errorMessage(error) });
      }
    },
  });
}
