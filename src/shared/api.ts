/**
 * The one contract between the renderer and the main process. Each method is declared once:
 * its input schema (parsed at the boundary by both transports) and its output type.
 */
import { z } from 'zod';
import type { CheckMeta } from './checks';
import type { Dashboard } from './dashboard';
import type { HandoverCheck, HandoverExport } from './handover';
import { MAX_HANDOVER_BASE64 } from './handover';
import type { CredentialStatus } from './integrations';
import { INTEGRATION_IDS } from './integrations';
import type { RunEvent, RunRecord, Verdict } from './run';
import type { StoreProblem, Workspace, WorkspaceSummary } from './workspace';
import { HostSchema, RouteSchema, WorkspaceSchema } from './workspace';
import type { MethodName } from './methods';
import { METHOD_NAMES } from './methods';

export { IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, METHOD_NAMES } from './methods';
export type { MethodName } from './methods';
export type { ApiErrorCode, Envelope } from './api-errors';
export { ApiError, unwrap } from './api-errors';
import type { Envelope } from './api-errors';

/** Declares a method: `method<Output>()(inputSchema)`. The output exists only as a type. */
function method<O>() {
  return <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });
}

const Empty = z.object({}).strict();
const WorkspaceId = z.object({ workspaceId: z.string().regex(/^[a-z0-9-]{1,64}$/) }).strict();

const PdfUpload = z
  .object({
    pdfBase64: z
      .string()
      .min(1)
      .max(MAX_HANDOVER_BASE64, 'That file is too large to be a handover (over about 9 MB).')
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Not a file the page could read (expected base64).'),
  })
  .strict();

/** What the founder tells about a product, at creation and when editing it. */
const ProductDetails = {
  name: z.string().trim().min(1).max(200).optional(),
  hosts: z.array(HostSchema).max(50).optional(),
  routes: z.array(RouteSchema).max(100).optional(),
  /** Stage 5: where email comes from, own DKIM selectors, the services that send it. */
  sendingDomain: z.string().max(1000).optional(),
  dkimSelectors: WorkspaceSchema.shape.dkimSelectors.optional(),
  emailProviders: WorkspaceSchema.shape.emailProviders,
  /** Stage 3: the code's folder on this computer (absolute; it must exist). */
  repoPath: WorkspaceSchema.shape.repoPath,
  /** Background re-checks while the app is open; null turns them off. */
  watch: WorkspaceSchema.shape.watch.unwrap().nullable().optional(),
  /** Probes that send more than a look, each on only when the founder says so. */
  optIns: WorkspaceSchema.shape.optIns,
  /** Stage 1's red-team set; null removes it. Its URL must be on one of the product's hosts. */
  aiEndpoint: WorkspaceSchema.shape.aiEndpoint.unwrap().nullable().optional(),
};

export interface AppInfo {
  name: string;
  version: string;
  transport: 'electron' | 'web';
  labScenarios: string[];
}

export interface RunSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  verdict: Pick<Verdict, 'demoReady' | 'headline' | 'score'>;
}

export const contract = {
  getAppInfo: method<AppInfo>()(Empty),
  getCatalogue: method<CheckMeta[]>()(Empty),
  listWorkspaces: method<{ workspaces: WorkspaceSummary[]; problems: StoreProblem[] }>()(Empty),
  getWorkspace: method<Workspace>()(WorkspaceId),
  createWorkspace: method<Workspace>()(
    z
      .object({
        /** Validated with normalizeDomain(); the error message names what is wrong. */
        domain: z.string().max(1000),
        ...ProductDetails,
      })
      .strict(),
  ),
  /**
   * Edits a product's details; fields left out stay as they are, and an empty sendingDomain or
   * repoPath clears it. The domain is the product's identity: a new domain is a new product.
   */
  updateWorkspace: method<Workspace>()(WorkspaceId.extend(ProductDetails).strict()),
  /** Removes a product, its run history and its tokens in the keychain. */
  deleteWorkspace: method<{ deleted: true }>()(WorkspaceId),
  /**
   * The native "choose a folder" dialog (Electron only; a browser tab answers 'unsupported' and
   * the page offers a path field). null when the founder cancels.
   */
  chooseFolder: method<{ path: string | null }>()(Empty),
  /** The built-in demo product, probed in the lab; created on first use. */
  openDemo: method<Workspace>()(Empty),
  /** Runs every automated check; progress arrives as RunEvents meanwhile. */
  runChecks: method<RunRecord>()(WorkspaceId),
  getLastRun: method<RunRecord | null>()(WorkspaceId),
  listRuns: method<RunSummary[]>()(WorkspaceId),
  /** Stage 6: availability, p95, failing checks and releases over the recent runs. */
  getDashboard: method<Dashboard>()(WorkspaceId),
  /** Each integration: set or not, where from, at most the last 4 characters — never the secret. */
  listCredentials: method<CredentialStatus[]>()(WorkspaceId),
  /** Saves a token in the OS keychain; answers only its status. */
  setCredential: method<CredentialStatus>()(
    WorkspaceId.extend({
      integration: z.enum(INTEGRATION_IDS),
      secret: z.string().min(1).max(4096),
    }).strict(),
  ),
  /**
   * Records the founder's answer to an ask check (null clears it); the workspace comes back.
   * The check's result follows at the next run.
   */
  answerQuestion: method<Workspace>()(
    WorkspaceId.extend({
      checkId: z.string().min(1).max(200),
      answer: z.enum(['yes', 'no', 'not-sure']).nullable(),
      note: z.string().max(4000).optional(),
    }).strict(),
  ),
  deleteCredential: method<CredentialStatus>()(
    WorkspaceId.extend({ integration: z.enum(INTEGRATION_IDS) }).strict(),
  ),
  /** Stage 7: the signed handover PDF of the product's last run. */
  exportHandover: method<HandoverExport>()(WorkspaceId),
  /** Checks a handover PDF's signature and reads what it says it is about; changes nothing. */
  verifyHandover: method<HandoverCheck>()(PdfUpload),
  /** A valid handover from another copy of the app becomes a product here, with its run. */
  importHandover: method<Workspace>()(PdfUpload),
} as const satisfies Record<MethodName, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
// Every listed name has a declaration, and every declaration a listed name.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameMethods: Exact<keyof Contract, MethodName> = true;
void _sameMethods;

export type ApiInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type ApiOutput<M extends MethodName> = Contract[M]['output'];

/** The one client object the renderer gets, whichever transport carries it. */
export type ApiClient = { [M in MethodName]: (input: ApiInput<M>) => Promise<ApiOutput<M>> } & {
  /** Subscribes to run progress; returns the unsubscribe function. */
  onRunEvent(listener: (event: RunEvent) => void): () => void;
};

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

/** What the Electron preload exposes as `window.launchReady`: the same methods, answering Envelopes. */
export type ElectronBridge = {
  [M in MethodName]: (input: ApiInput<M>) => Promise<Envelope<ApiOutput<M>>>;
} & Pick<ApiClient, 'onRunEvent'>;
