/** Selectors shared by components; each returns a stored reference or a primitive. */
import type { AppState } from './types';

export const selectCurrent = (s: AppState) => s.current;
export const selectPage = (s: AppState) => s.page;
export const selectCatalogue = (s: AppState) => s.catalogue;
export const selectCatalogueState = (s: AppState) => s.catalogueState;
export const selectLoadCatalogue = (s: AppState) => s.loadCatalogue;
export const selectSessionError = (s: AppState) => s.sessionError;
export const selectLastRun = (s: AppState) => s.lastRun;
export const selectLastRunState = (s: AppState) => s.lastRunState;
export const selectRunning = (s: AppState) => s.running;
export const selectProgress = (s: AppState) => s.progress;
export const selectRunError = (s: AppState) => s.runError;
export const selectStageScores = (s: AppState) => s.lastRun?.verdict.stages ?? null;
export const selectGoTo = (s: AppState) => s.goTo;
export const selectRunChecks = (s: AppState) => s.runChecks;
export const selectCredentials = (s: AppState) => s.credentials;
export const selectCredentialsState = (s: AppState) => s.credentialsState;
export const selectCredentialsError = (s: AppState) => s.credentialsError;
export const selectChangingCredential = (s: AppState) => s.changingCredential;
export const selectDashboard = (s: AppState) => s.dashboard;
export const selectDashboardState = (s: AppState) => s.dashboardState;
export const selectDashboardError = (s: AppState) => s.dashboardError;
export const selectAppInfo = (s: AppState) => s.appInfo;
export const selectWorkspaces = (s: AppState) => s.workspaces;
export const selectRuns = (s: AppState) => s.runs;
export const selectRunsState = (s: AppState) => s.runsState;
export const selectRunsError = (s: AppState) => s.runsError;
