import type { AppInfo, ApiInput, RunSummary } from '../../../shared/api';
import type { Dashboard } from '../../../shared/dashboard';
import type { HandoverCheck, HandoverExport } from '../../../shared/handover';
import type { CredentialStatus, IntegrationId } from '../../../shared/integrations';
import type { CheckMeta, StageNumber } from '../../../shared/checks';
import type { RunEvent, RunRecord } from '../../../shared/run';
import type { StoreProblem, Workspace, WorkspaceSummary } from '../../../shared/workspace';

/** Where the workspace view is; `checkId` opens and scrolls to one check on a stage page. */
export type Page =
  | { kind: 'overview' }
  | { kind: 'settings'; section?: SettingsSection }
  | { kind: 'stage'; stage: StageNumber; checkId?: string };

export type SettingsSection = 'integrations' | 'product' | 'history' | 'products';

/** Loading state of a piece of data fetched from the main process. */
export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface SessionSlice {
  appInfo: AppInfo | null;
  catalogue: CheckMeta[] | null;
  catalogueState: LoadState;
  /** A problem that stops the app from talking to the main process at all. */
  sessionError: string | null;
  page: Page;
  init(): Promise<void>;
  loadCatalogue(): Promise<void>;
  goTo(page: Page): void;
}

export interface WorkspaceSlice {
  workspaces: WorkspaceSummary[];
  problems: StoreProblem[];
  workspacesState: LoadState;
  workspacesError: string | null;
  current: Workspace | null;
  /** What is being opened right now ('demo', 'create' or a workspace id); buttons wait on it. */
  opening: string | null;
  /** Shown next to the domain field; the typed value stays put. */
  createError: string | null;
  /** Shown on the welcome screen when the demo or a saved workspace fails to open. */
  openError: string | null;
  loadWorkspaces(): Promise<void>;
  openDemo(): Promise<void>;
  /** details: the confirmed hosts and pages, sending domain and code folder (all optional). */
  createWorkspace(
    domain: string,
    details?: Pick<Workspace, 'hosts' | 'routes'> & { sendingDomain?: string; repoPath?: string },
  ): Promise<boolean>;
  openWorkspace(workspaceId: string): Promise<void>;
  closeWorkspace(): void;
  clearCreateError(): void;
  /** The ask check whose answer is being saved. */
  answering: string | null;
  answerError: string | null;
  answerQuestion(
    checkId: string,
    answer: 'yes' | 'no' | 'not-sure',
    note: string,
  ): Promise<boolean>;
}

export interface RunProgress {
  runId: string | null;
  done: number;
  total: number | null;
  /** Checks started and not yet finished, oldest first; checks may run side by side. */
  active: string[];
}

export interface RunSlice {
  lastRun: RunRecord | null;
  lastRunState: LoadState;
  running: boolean;
  progress: RunProgress | null;
  runError: string | null;
  loadLastRun(workspaceId: string): Promise<void>;
  runChecks(): Promise<void>;
  handleRunEvent(event: RunEvent): void;
  /** What background re-checks found worse, newest last (at most 5), until dismissed. */
  regressionAlerts: RegressionAlert[];
  dismissRegressions(runId: string): void;
}

export type RegressionAlert = Omit<Extract<RunEvent, { type: 'regressions' }>, 'type'>;

export interface IntegrationsSlice {
  /** Status only: set or not, the source, at most the last 4 characters. Never a secret. */
  credentials: CredentialStatus[] | null;
  credentialsState: LoadState;
  credentialsError: string | null;
  /** The integration being saved or deleted; its buttons wait on it. */
  changingCredential: IntegrationId | null;
  loadCredentials(): Promise<void>;
  /** Hands the token to the main process (the OS keychain); it is not kept in the store. */
  saveCredential(integration: IntegrationId, secret: string): Promise<boolean>;
  deleteCredential(integration: IntegrationId): Promise<boolean>;
}

export interface DashboardSlice {
  dashboard: Dashboard | null;
  dashboardState: LoadState;
  dashboardError: string | null;
  loadDashboard(): Promise<void>;
}

/** What Settings may change about a product: everything but its id and domain. */
export type DetailsChange = Omit<ApiInput<'updateWorkspace'>, 'workspaceId'>;

export interface SettingsSlice {
  /** The current product's runs, newest first. */
  runs: RunSummary[] | null;
  runsState: LoadState;
  runsError: string | null;
  savingDetails: boolean;
  detailsError: string | null;
  /** updatedAt of the last save from Settings, to say "Saved". */
  detailsSavedAt: string | null;
  /** The workspace being deleted. */
  deleting: string | null;
  deleteError: string | null;
  /** Why the native folder dialog could not open. */
  folderError: string | null;
  loadRuns(): Promise<void>;
  saveDetails(details: DetailsChange): Promise<boolean>;
  deleteWorkspace(workspaceId: string): Promise<boolean>;
  /** The native folder dialog (Electron); null when cancelled or unavailable. */
  chooseFolder(): Promise<string | null>;
}

export interface HandoverSlice {
  exporting: boolean;
  /** The last export's summary (the PDF itself went to the save dialog, not the store). */
  exported: Omit<HandoverExport, 'pdfBase64'> | null;
  exportError: string | null;
  verifying: boolean;
  verification: { fileName: string; result: HandoverCheck } | null;
  verifyError: string | null;
  importing: boolean;
  importError: string | null;
  /** `save` hands the signed PDF to the browser (a download); it is not kept. */
  exportHandover(save: (fileName: string, pdfBase64: string) => void): Promise<void>;
  verifyHandover(fileName: string, pdfBase64: string): Promise<void>;
  importHandover(pdfBase64: string): Promise<void>;
  clearVerification(): void;
}

export type AppState = SessionSlice &
  HandoverSlice &
  SettingsSlice &
  WorkspaceSlice &
  RunSlice &
  IntegrationsSlice &
  DashboardSlice;
