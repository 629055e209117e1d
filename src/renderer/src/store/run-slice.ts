import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../../shared/api';
import { errorMessage } from '../api-client';
import type { AppState, RunSlice } from './types';

export function createRunSlice(api: ApiClient): StateCreator<AppState, [], [], RunSlice> {
  return (set, get) => {
    /** Answers that arrive after the founder switched workspace belong to another screen. */
    const stillOn = (workspaceId: string) => get().current?.id === workspaceId;

    return {
      lastRun: null,
      lastRunState: 'idle',
      running: false,
      progress: null,
      runError: null,

      async loadLastRun(workspaceId) {
        set({ lastRunState: 'loading' });
        try {
          const lastRun = await api.getLastRun({ workspaceId });
          if (stillOn(workspaceId)) set({ lastRun, lastRunState: 'ready' });
        } catch (error) {
          if (stillOn(workspaceId)) {
            set({
              lastRunState: 'error',
              runError: `Could not load the last results: ${errorMessage(error)}`,
            });
          }
        }
      },

      async runChecks() {
        const { current, running } = get();
        if (!current || running) return;
        const workspaceId = current.id;
        set({
          running: true,
          runError: null,
          progress: { runId: null, done: 0, total: null, active: [] },
        });
        try {
          const record = await api.runChecks({ workspaceId });
          if (stillOn(workspaceId)) {
            set({ lastRun: record, lastRunState: 'ready' });
            void get().loadDashboard();
          }
        } catch (error) {
          if (stillOn(workspaceId)) {
            set({ runError: `The checks did not finish: ${errorMessage(error)}` });
          }
        } finally {
          if (stillOn(workspaceId)) set({ running: false, progress: null });
        }
      },

      regressionAlerts: [],

      dismissRegressions(runId) {
        set({ regressionAlerts: get().regressionAlerts.filter((a) => a.runId !== runId) });
      },

      handleRunEvent(event) {
        const { running, current } = get();
        let { progress } = get();
        // A background re-check found something worse: said on every screen until dismissed.
        if (event.type === 'regressions') {
          const { type: _type, ...alert } = event;
          set({ regressionAlerts: [...get().regressionAlerts, alert].slice(-5) });
          return;
        }
        // A background re-check of the product on screen: show its results.
        if (event.type === 'run-finished' && !running && current?.id === event.workspaceId) {
          void get().loadLastRun(event.workspaceId);
          void get().loadDashboard();
          return;
        }
        if (!running || !progress || current?.id !== event.workspaceId) return;
        if (event.type === 'run-started') {
          set({ progress: { runId: event.runId, done: 0, total: event.total, active: [] } });
          return;
        }
        // Joining a run already under way (another window, a reopened product): adopt it.
        if (progress.runId === null) progress = { ...progress, runId: event.runId };
        if (progress.runId !== event.runId) return;
        switch (event.type) {
          case 'check-started':
            set({ progress: { ...progress, active: [...progress.active, event.id] } });
            break;
          case 'check-finished':
            set({
              progress: {
                ...progress,
                done: event.done,
                total: event.total,
                active: progress.active.filter((id) => id !== event.result.id),
              },
            });
            break;
          case 'run-finished':
            set({
              progress: { ...progress, done: progress.total ?? progress.done, active: [] },
            });
            break;
          default:
            break;
        }
      },
    };
  };
}
