/**
 * The contract's implementation: each handler gets input already parsed by the contract's
 * schema. `invoke` is what both transports call: it validates, runs, and wraps the outcome in
 * an Envelope so errors cross the boundary as plain data.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type {
  ApiErrorCode,
  AppInfo,
  Envelope,
  MethodName,
  ParsedInput,
  ApiOutput,
} from '../../shared/api';
import { ApiError, contract, isMethodName } from '../../shared/api';
import type { RunEvent, RunRecord } from '../../shared/run';
import { normalizeDomain } from '../../shared/domain';
import type { Workspace, WorkspaceSummary } from '../../shared/workspace';
import { CATALOGUE, catalogueMeta } from './checks/catalogue';
import type { Check } from './engine/check';
import { planRun } from './engine/plan';
import { buildDashboard } from './engine/dashboard';
import { executeRun } from './engine/run';
import { vendorEndpointsFromEnv } from './integrations/endpoints-env';
import type { Vault } from './vault';
import { VaultError, openVault, vaultCredentials } from './vault';
import type { CredentialStatus, IntegrationId } from '../../shared/integrations';
import { INTEGRATION_IDS } from '../../shared/integrations';
import type { RunningLab } from './lab/lab';
import { workspaceFromScenario } from './lab/lab';
import { LabManager } from './lab/lab-manager';
import { SCENARIOS, getScenario } from './lab/scenarios';
import type { NetworkContext } from './probes/net-context';
import { internetContext } from './probes/net-context';
import { StoreError, WorkspaceStore } from './store/workspace-store';
import { applyDetails, freshWorkspace } from './workspace-details';
import { startBackgroundChecks } from './background-checks';
import {
  HandoverError,
  credentialValues,
  exportHandover,
  handoverSigningIdentity,
  importHandover,
  runToExport,
  verifyAndRead,
} from './handover';
import type { SigningIdentityStore } from './vault';
import { openSigningIdentityStore } from './vault';

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<ApiOutput<M>> };

export interface CoreApiOptions {
  dataDir: string;
  transport: AppInfo['transport'];
  version: string;
  /** For real domains; the lab builds its own. */
  internet?: NetworkContext;
  labs?: LabManager;
  catalogue?: readonly Check[];
  checkTimeoutMs?: number;
  concurrency?: number;
  /** The credential vault; the OS keychain when absent (opened on first use). */
  vault?: Vault;
  /** The native folder dialog (Electron); without it chooseFolder answers 'unsupported'. */
  pickFolder?: () => Promise<string | null>;
  /** A desktop notification (Electron) when a background re-check finds something worse. */
  notify?: (note: { title: string; body: string }) => void;
  /** Where handover signing identities live; the OS keychain when absent. */
  signingIdentities?: SigningIdentityStore;
}

export interface CoreApi {
  handlers: Handlers;
  invoke(method: string, rawInput: unknown): Promise<Envelope<unknown>>;
  onRunEvent(listener: (event: RunEvent) => void): () => void;
  dispose(): Promise<void>;
}

export const DEMO_WORKSPACE_ID = 'demo';

export function createCoreApi(opts: CoreApiOptions): CoreApi {
  const store = new WorkspaceStore(opts.dataDir);
  const labs = opts.labs ?? new LabManager();
  const catalogue = opts.catalogue ?? CATALOGUE;
  const listeners = new Set<(event: RunEvent) => void>();
  let openedVault: Vault | undefined = opts.vault;
  const vault = (): Vault => (openedVault ??= openVault());
  let openedSigning: SigningIdentityStore | undefined = opts.signingIdentities;
  const signing = (): SigningIdentityStore => (openedSigning ??= openSigningIdentityStore());
  const running = new Map<string, { promise: Promise<RunRecord>; stop: AbortController }>();

  const emit = (event: RunEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        /* one broken listener must not stop a run */
      }
    }
  };

  const loadWorkspace = async (id: string) => {
    try {
      return await store.get(id);
    } catch (err) {
      throw fromStoreError(err);
    }
  };

  const run = async (stored: Workspace, signal: AbortSignal): Promise<RunRecord> => {
    const lab = stored.lab ? await labs.get(stored.lab) : null;
    const net = lab
      ? lab.net
      : (opts.internet ?? internetContext({ vendors: vendorEndpointsFromEnv(process.env) }));
    // A lab product's repository is generated on this machine; the path is never stored.
    const labRepo = lab ? await lab.repo() : null;
    const workspace = labRepo ? { ...stored, repoPath: labRepo } : stored;
    const history = await store.runs(workspace.id);
    // A lab product uses the lab's own tokens; a real one the keychain (or environment).
    const credentials = lab ? lab.credentials : vaultCredentials(vault(), workspace.id);
    const record = await executeRun(planRun(catalogue, workspace), workspace, net, {
      credentials,
      previous: history.at(-1) ?? null,
      onEvent: emit,
      checkTimeoutMs: opts.checkTimeoutMs,
      concurrency: opts.concurrency,
      signal,
    });
    // A run cut short by shutdown is all errors: keep it out of the history.
    if (signal.aborted)
      throw new ApiError('internal', 'The run was stopped because Launch Ready is closing.');
    await store.appendRun(workspace.id, record);
    return record;
  };

  /** The workspace remembers which integrations are connected (ids only, never a secret). */
  const saveIntegrations = async (ws: Workspace, id: IntegrationId, connected: boolean) => {
    const integrations = { ...ws.integrations };
    if (connected) integrations[id] = integrations[id] ?? {};
    else delete integrations[id];
    try {
      await store.save({ ...ws, integrations, updatedAt: new Date().toISOString() });
    } catch (err) {
      throw fromStoreError(err);
    }
  };

  const background = startBackgroundChecks({
    workspaces: async () => (await store.list()).files.map((f) => f.workspace),
    workspace: (id) => store.get(id).catch(() => null),
    run: (workspaceId) => handlers.runChecks({ workspaceId }),
    onRegressions: (ws, record, regressions) => {
      emit({
        type: 'regressions',
        runId: record.runId,
        workspaceId: ws.id,
        workspaceName: ws.name,
        regressions,
      });
      const first = regressions[0];
      opts.notify?.({
        title: `${ws.name}: ${regressions.length === 1 ? 'something got worse' : `${regressions.length} things got worse`}`,
        body: first ? `${first.title}: ${first.summary}`.slice(0, 240) : '',
      });
    },
  });

  // Creating, editing or deleting a product may change what is watched; a failed listing
  // keeps the current schedules.
  const refreshBackground = () => background.refresh().catch(() => undefined);
  void refreshBackground();

  const handlers: Handlers = {
    async getAppInfo() {
      return {
        name: 'Launch Ready',
        version: opts.version,
        transport: opts.transport,
        labScenarios: Object.keys(SCENARIOS),
      };
    },
    async getCatalogue() {
      return catalogueMeta(catalogue);
    },
    async listWorkspaces() {
      const { files, problems } = await store.list();
      const workspaces: WorkspaceSummary[] = files.map(({ workspace: w, runs }) => {
        const last = runs.at(-1);
        return {
          id: w.id,
          name: w.name,
          domain: w.domain,
          ...(w.lab ? { lab: w.lab } : {}),
          lastRunAt: last?.finishedAt ?? null,
          lastScore: last?.verdict.score ?? null,
          demoReady: last?.verdict.demoReady ?? null,
        };
      });
      return { workspaces, problems };
    },
    async getWorkspace({ workspaceId }) {
      return loadWorkspace(workspaceId);
    },
    async createWorkspace({ domain: typed, ...details }) {
      const checked = normalizeDomain(typed);
      if (!checked.ok) throw new ApiError('invalid-input', checked.message);
      const domain = checked.domain;
      const workspace = await applyDetails(
        freshWorkspace(newWorkspaceId(domain), checked.display, domain),
        details,
      );
      await store.save(workspace);
      await refreshBackground();
      return workspace;
    },
    async updateWorkspace({ workspaceId, ...details }) {
      const ws = await loadWorkspace(workspaceId);
      if (ws.lab) {
        throw new ApiError(
          'invalid-input',
          'The demo product is fixed: its hosts and pages are the lab’s. Create a workspace for your own domain to edit one.',
        );
      }
      const updated = await applyDetails(ws, details);
      try {
        await store.save({ ...updated, updatedAt: new Date().toISOString() });
      } catch (err) {
        throw fromStoreError(err);
      }
      await refreshBackground();
      return store.get(workspaceId);
    },
    async deleteWorkspace({ workspaceId }) {
      const ws = await loadWorkspace(workspaceId);
      if (running.has(workspaceId)) {
        throw new ApiError(
          'invalid-input',
          'Checks are running for this product; delete it once they finish.',
        );
      }
      // Tokens go first: if the keychain cannot be reached the product stays, so nothing is
      // left behind that the founder can no longer see.
      if (!ws.lab && Object.keys(ws.integrations).length > 0) {
        for (const id of INTEGRATION_IDS) await withVault(() => vault().delete(ws.id, id));
      }
      // Its handover signing identity too; with no keychain at all there can be none.
      if (!ws.lab) {
        await withVault(() =>
          signing()
            .delete(ws.id)
            .catch((err: unknown) => {
              if (err instanceof VaultError && err.code === 'unavailable') return false;
              throw err;
            }),
        );
      }
      try {
        await store.delete(workspaceId);
      } catch (err) {
        throw fromStoreError(err);
      }
      await refreshBackground();
      return { deleted: true as const };
    },
    async chooseFolder() {
      if (!opts.pickFolder) {
        throw new ApiError(
          'unsupported',
          'This window cannot open a folder dialog; type the folder’s full path instead.',
        );
      }
      return { path: await opts.pickFolder() };
    },
    async openDemo() {
      try {
        return await store.get(DEMO_WORKSPACE_ID);
      } catch (err) {
        if (!(err instanceof StoreError && err.code !== 'newer-version')) throw fromStoreError(err);
      }
      const workspace = workspaceFromScenario(getScenario('demo'), DEMO_WORKSPACE_ID);
      await store.save(workspace);
      return workspace;
    },
    async runChecks({ workspaceId }) {
      // A second click while a run is going joins it instead of probing twice; registered
      // before any await so two calls in the same tick share one run.
      const inFlight = running.get(workspaceId);
      if (inFlight) return inFlight.promise;
      const stop = new AbortController();
      const promise = loadWorkspace(workspaceId)
        .then((workspace) => run(workspace, stop.signal))
        .finally(() => running.delete(workspaceId));
      running.set(workspaceId, { promise, stop });
      return promise;
    },
    async getLastRun({ workspaceId }) {
      await loadWorkspace(workspaceId);
      return (await store.runs(workspaceId)).at(-1) ?? null;
    },
    async getDashboard({ workspaceId }) {
      await loadWorkspace(workspaceId);
      return buildDashboard(workspaceId, await store.runs(workspaceId));
    },
    async answerQuestion({ workspaceId, checkId, answer, note }) {
      const ws = await loadWorkspace(workspaceId);
      const check = catalogue.find((c) => c.id === checkId);
      if (!check || check.kind !== 'ask') {
        throw new ApiError(
          'invalid-input',
          `"${checkId.slice(0, 80)}" is not a question Launch Ready asks.`,
        );
      }
      const answers = { ...ws.answers };
      if (answer === null) delete answers[checkId];
      else {
        const trimmed = note?.trim();
        answers[checkId] = {
          answer,
          ...(trimmed ? { note: trimmed } : {}),
          answeredAt: new Date().toISOString(),
        };
      }
      const updated: Workspace = { ...ws, answers, updatedAt: new Date().toISOString() };
      try {
        await store.save(updated);
      } catch (err) {
        throw fromStoreError(err);
      }
      return updated;
    },
    async listCredentials({ workspaceId }) {
      const ws = await loadWorkspace(workspaceId);
      if (ws.lab) return labCredentialStatus(await labs.get(ws.lab));
      return withVault(() => vault().list(ws.id));
    },
    async setCredential({ workspaceId, integration, secret }) {
      const ws = await loadWorkspace(workspaceId);
      refuseLab(ws);
      const status = await withVault(() => vault().set(ws.id, integration, secret));
      await saveIntegrations(ws, integration, true);
      return status;
    },
    async deleteCredential({ workspaceId, integration }) {
      const ws = await loadWorkspace(workspaceId);
      refuseLab(ws);
      await withVault(() => vault().delete(ws.id, integration));
      await saveIntegrations(ws, integration, false);
      return withVault(() => vault().status(ws.id, integration));
    },
    async exportHandover({ workspaceId }) {
      const ws = await loadWorkspace(workspaceId);
      const run = await withHandover(async () => runToExport(ws, await store.runs(ws.id)));
      const lab = ws.lab ? await labs.get(ws.lab) : null;
      // The lab demo signs with a throwaway identity (the cover says so); a real product with
      // its own, kept in the keychain and created on first export.
      const { identity } = await withHandover(() =>
        withVault(() =>
          handoverSigningIdentity(ws, lab ? { ephemeral: true } : { store: signing() }),
        ),
      );
      // Every credential value the run could have seen is scrubbed from the document.
      const knownSecrets = await credentialValues(
        lab ? lab.credentials : vaultCredentials(vault(), ws.id),
      ).catch((err: unknown) => {
        if (err instanceof VaultError && err.code === 'unavailable') return [];
        throw err;
      });
      const out = await withHandover(() =>
        exportHandover({ workspace: ws, run, identity, appVersion: opts.version, knownSecrets }),
      );
      return {
        fileName: out.fileName,
        pdfBase64: out.pdf.toString('base64'),
        pageCount: out.pageCount,
        bytes: out.pdf.length,
        signer: out.signer,
      };
    },
    async verifyHandover({ pdfBase64 }) {
      const pdf = Buffer.from(pdfBase64, 'base64');
      const { verification: v, data } = await withHandover(() => verifyAndRead(pdf));
      return {
        valid: v.valid,
        reason: v.reason,
        signerCommonName: v.signerCommonName,
        fingerprint: v.fingerprint,
        selfSigned: v.selfSigned,
        signedAt: v.signedAt,
        attachmentPresent: v.attachmentPresent,
        declaredFingerprintMatches: v.declaredFingerprintMatches,
        product: data
          ? {
              name: data.workspace.name,
              domain: data.workspace.domain,
              runFinishedAt: data.run.finishedAt,
              headline: data.run.verdict.headline,
            }
          : null,
      };
    },
    async importHandover({ pdfBase64 }) {
      const { data } = await withHandover(() => importHandover(Buffer.from(pdfBase64, 'base64')));
      const now = new Date().toISOString();
      const from = data.workspace;
      const id = newWorkspaceId(from.domain);
      // A new product here: the details and answers it carries, its run as the history's first.
      // Integrations are named only; their tokens never travel in a handover.
      const workspace: Workspace = {
        ...from,
        id,
        name: `${from.name} (imported)`,
        createdAt: now,
        updatedAt: now,
      };
      delete workspace.repoPath; // a folder on someone else's computer
      try {
        await store.save(workspace);
        await store.appendRun(id, { ...data.run, workspaceId: id });
      } catch (err) {
        throw fromStoreError(err);
      }
      await refreshBackground();
      return workspace;
    },
    async listRuns({ workspaceId }) {
      await loadWorkspace(workspaceId);
      return (await store.runs(workspaceId))
        .map((r) => ({
          runId: r.runId,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
          verdict: {
            demoReady: r.verdict.demoReady,
            headline: r.verdict.headline,
            score: r.verdict.score,
          },
        }))
        .reverse();
    },
  };

  return {
    handlers,
    async invoke(method, rawInput) {
      if (!isMethodName(method)) return failure('not-found', `There is no method "${method}".`);
      const parsed = contract[method].input.safeParse(rawInput ?? {});
      if (!parsed.success) return failure('invalid-input', z.prettifyError(parsed.error));
      try {
        const handler = handlers[method] as (input: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (err) {
        if (err instanceof ApiError) return failure(err.code, err.message);
        if (err instanceof StoreError) {
          const e = fromStoreError(err);
          return failure(e.code, e.message);
        }
        return failure(
          'internal',
          `Something went wrong inside Launch Ready: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    },
    onRunEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      background.stop();
      const runs = [...running.values()];
      for (const r of runs) r.stop.abort();
      await Promise.allSettled(runs.map((r) => r.promise));
      await labs.stopAll();
    },
  };
}

/** A keychain that is locked or missing is its own kind of error: the message says what to do. */
async function withVault<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof VaultError) {
      throw new ApiError(err.code === 'invalid' ? 'invalid-input' : 'keychain', err.message);
    }
    throw err;
  }
}

/** A fresh workspace id: the domain made safe, and a random suffix so two never collide. */
function newWorkspaceId(domain: string): string {
  return `${domain.replace(/[^a-z0-9]+/g, '-').slice(0, 50)}-${randomBytes(3).toString('hex')}`;
}

/** A handover file that is not one, or nothing to export, is the founder's to fix: say what. */
async function withHandover<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HandoverError) {
      throw new ApiError(err.code === 'fonts-missing' ? 'internal' : 'invalid-input', err.message);
    }
    throw err;
  }
}

function refuseLab(ws: Workspace): void {
  if (ws.lab) {
    throw new ApiError(
      'invalid-input',
      'This is a lab product: it uses the lab’s own vendor accounts, so there is no token to save. Create a workspace for your real domain to connect your accounts.',
    );
  }
}

/** A lab product's integrations: set when its scenario connects them, never a character shown. */
async function labCredentialStatus(lab: RunningLab): Promise<CredentialStatus[]> {
  const out: CredentialStatus[] = [];
  for (const integration of INTEGRATION_IDS) {
    const set = (await lab.credentials.get(integration)) !== null;
    out.push({ integration, set, last4: null, source: set ? 'lab' : null });
  }
  return out;
}

function failure(code: ApiErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function fromStoreError(err: unknown): ApiError {
  if (err instanceof StoreError)
    return new ApiError(err.code === 'not-found' ? 'not-found' : 'store', err.message);
  if (err instanceof ApiError) return err;
  return new ApiError('internal', err instanceof Error ? err.message : String(err));
}
