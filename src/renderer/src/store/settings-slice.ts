import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../../shared/api';
import { errorMessage } from '../api-client';
import type { AppState, SettingsSlice } from './types';

/** Settings beyond tokens: the product's details, the run history, the list of products. */
export function createSettingsSlice(api: ApiClient): StateCreator<AppState, [], [], SettingsSlice> {
  return (set, get) => ({
    runs: null,
    runsState: 'idle',
    runsError: null,
    savingDetails: false,
    detailsError: null,
    detailsSavedAt: null,
    deleting: null,
    deleteError: null,
    folderError: null,

    async loadRuns() {
      const workspaceId = get().current?.id;
      if (!workspaceId) return;
      set({ runsState: 'loading', runsError: null });
      try {
        const runs = await api.listRuns({ workspaceId });
        if (get().current?.id === workspaceId) set({ runs, runsState: 'ready' });
      } catch (error) {
        if (get().current?.id === workspaceId)
          set({ runsState: 'error', runsError: errorMessage(error) });
      }
    },

    async saveDetails(details) {
      const workspaceId = get().current?.id;
      if (!workspaceId || get().savingDetails) return false;
      set({ savingDetails: true, detailsError: null, detailsSavedAt: null });
      try {
        const updated = await api.updateWorkspace({ workspaceId, ...details });
        if (get().current?.id === workspaceId)
          set({ current: updated, detailsSavedAt: updated.updatedAt });
        return true;
      } catch (error) {
        set({ detailsError: errorMessage(error) });
        return false;
      } finally {
        set({ savingDetails: false });
      }
    },

    async deleteWorkspace(workspaceId) {
      if (get().deleting) return false;
      set({ deleting: workspaceId, deleteError: null });
      try {
        await api.deleteWorkspace({ workspaceId });
        if (get().current?.id === workspaceId) get().closeWorkspace();
        else await get().loadWorkspaces();
        return true;
      } catch (error) {
        set({ deleteError: errorMessage(error) });
        return false;
      } finally {
        set({ deleting: null });
      }
    },

    async chooseFolder() {
      set({ folderError: null });
      try {
        return (await api.chooseFolder({})).path;
      } catch (error) {
        set({ folderError: errorMessage(error) });
        return null;
      }
    },
  });
}
