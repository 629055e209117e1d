import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../../shared/api';
import type { Workspace } from '../../../shared/workspace';
import { errorMessage } from '../api-client';
import type { AppState, WorkspaceSlice } from './types';

export function createWorkspaceSlice(
  api: ApiClient,
): StateCreator<AppState, [], [], WorkspaceSlice> {
  return (set, get) => {
    /** Switches the app to a workspace and loads what its pages need. */
    function enter(workspace: Workspace): void {
      set({
        current: workspace,
        opening: null,
        openError: null,
        createError: null,
        page: { kind: 'overview' },
        lastRun: null,
        lastRunState: 'idle',
        running: false,
        progress: null,
        runError: null,
        credentials: null,
        credentialsState: 'idle',
        credentialsError: null,
        dashboard: null,
        dashboardState: 'idle',
        dashboardError: null,
        runs: null,
        runsState: 'idle',
        runsError: null,
        detailsError: null,
        detailsSavedAt: null,
        deleteError: null,
        folderError: null,
        exported: null,
        exportError: null,
      });
      void get().loadCatalogue();
      void get().loadLastRun(workspace.id);
      void get().loadDashboard();
    }

    return {
      workspaces: [],
      problems: [],
      workspacesState: 'idle',
      workspacesError: null,
      current: null,
      opening: null,
      createError: null,
      openError: null,

      async loadWorkspaces() {
        set({ workspacesState: 'loading' });
        try {
          const { workspaces, problems } = await api.listWorkspaces({});
          set({ workspaces, problems, workspacesState: 'ready', workspacesError: null });
        } catch (error) {
          set({ workspacesState: 'error', workspacesError: errorMessage(error) });
        }
      },

      async openDemo() {
        if (get().opening) return;
        set({ opening: 'demo', openError: null });
        try {
          enter(await api.openDemo({}));
        } catch (error) {
          set({ opening: null, openError: errorMessage(error) });
        }
      },

      async createWorkspace(domain, details) {
        if (get().opening) return false;
        set({ opening: 'create', createError: null });
        try {
          enter(await api.createWorkspace({ domain, ...details }));
          return true;
        } catch (error) {
          set({ opening: null, createError: errorMessage(error) });
          return false;
        }
      },

      async openWorkspace(workspaceId) {
        if (get().opening) return;
        set({ opening: workspaceId, openError: null });
        try {
          enter(await api.getWorkspace({ workspaceId }));
        } catch (error) {
          set({ opening: null, openError: errorMessage(error) });
        }
      },

      closeWorkspace() {
        set({
          current: null,
          lastRun: null,
          lastRunState: 'idle',
          running: false,
          progress: null,
          credentials: null,
          dashboard: null,
          runs: null,
          page: { kind: 'overview' },
        });
        // The list shows each workspace's last score, which a run may have changed.
        void get().loadWorkspaces();
      },

      answering: null,
      answerError: null,

      async answerQuestion(checkId, answer, note) {
        const workspaceId = get().current?.id;
        if (!workspaceId || get().answering) return false;
        set({ answering: checkId, answerError: null });
        try {
          const trimmed = note.trim();
          const updated = await api.answerQuestion({
            workspaceId,
            checkId,
            answer,
            ...(trimmed ? { note: trimmed } : {}),
          });
          if (get().current?.id === workspaceId) set({ current: updated });
          return true;
        } catch (error) {
          if (get().current?.id === workspaceId) set({ answerError: errorMessage(error) });
          return false;
        } finally {
          set({ answering: null });
        }
      },

      clearCreateError() {
        if (get().createError !== null) set({ createError: null });
      },
    };
  };
}
