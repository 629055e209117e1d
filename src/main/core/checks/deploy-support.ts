/**
 * Stage 3 plumbing: the repository folder the founder chose, and one analysis of each kind per
 * run (secret scan, env, deploy path, dependency audit, services), shared by the checks.
 */
import { stat } from 'node:fs/promises';
import type { CheckContext, CheckOutcome } from '../engine/check';
import type { DependencyAudit } from '../repo/dependency-types';
import { auditDependencies } from '../repo/dependencies';
import type { DeployAnalysis } from '../repo/deploy';
import { analyseDeployPath } from '../repo/deploy';
import type { EnvAnalysis } from '../repo/env';
import { analyseEnv } from '../repo/env';
import { scanRepo } from '../repo/secrets';
import { SERVICE_CATALOGUE } from '../repo/service-catalogue';
import type { ServiceInventory } from '../repo/services';
import { inventoryServices } from '../repo/services';
import type { RepoScan } from '../repo/types';
export { count, firstFew, listWords } from './words';

import { outcome } from './outcome';

export { outcome };

export const NO_REPO_SUMMARY =
  'Skipped: choose your repository folder in the workspace settings; this stage reads your code on this computer and sends none of it anywhere.';

/** Messages of the analysers' own "cannot start" errors, shown to the founder as they are. */
const FOLDER_ERRORS = /^(Folder not found|Not a folder):/;

/**
 * Runs `body` with the repository path, or skips when no folder was chosen. A folder that
 * vanished or is a file gives a clear error instead of a stack trace.
 */
async function assertFolder(root: string): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (!info) throw new Error(`Folder not found: ${root}`);
  if (!info.isDirectory()) throw new Error(`Not a folder: ${root}`);
}

export async function withRepo(
  ctx: CheckContext,
  body: (root: string) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const root = ctx.workspace.repoPath;
  if (!root) return outcome('skipped', NO_REPO_SUMMARY, { repo: null });
  try {
    // Every analyser needs the folder; say so the same way for each check.
    await assertFolder(root);
    return await body(root);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (FOLDER_ERRORS.test(message)) {
      return outcome(
        'error',
        `Could not read your repository: ${message}. Choose the folder again in the workspace settings.`,
        { repo: root, error: message },
      );
    }
    throw err;
  }
}

export function scanOf(ctx: CheckContext, root: string): Promise<RepoScan> {
  return ctx.cache.memo(`repo:scan:${root}`, (s) => scanRepo(root, { signal: s }), ctx.signal);
}

export function envOf(ctx: CheckContext, root: string): Promise<EnvAnalysis> {
  return ctx.cache.memo(`repo:env:${root}`, (s) => analyseEnv(root, { signal: s }), ctx.signal);
}

export function deployOf(ctx: CheckContext, root: string): Promise<DeployAnalysis> {
  return ctx.cache.memo(
    `repo:deploy:${root}`,
    (s) => analyseDeployPath(root, { signal: s }),
    ctx.signal,
  );
}

export function auditOf(ctx: CheckContext, root: string): Promise<DependencyAudit> {
  const endpoints = ctx.net.advisories;
  return ctx.cache.memo(
    `repo:audit:${root}`,
    (s) =>
      auditDependencies(root, {
        signal: s,
        // Each request gets the run's HTTP budget, so an advisory database that never answers
        // ends as "skipped" well before the check's own timeout.
        timeoutMs: ctx.net.timeouts.requestMs,
        ...(endpoints ? { npmRegistry: endpoints.npmRegistry, osvApi: endpoints.osvApi } : {}),
      }),
    ctx.signal,
  );
}

export function servicesOf(ctx: CheckContext, root: string): Promise<ServiceInventory> {
  return ctx.cache.memo(
    `repo:services:${root}`,
    async (s) => {
      const [env, scan] = await Promise.all([envOf(ctx, root), scanOf(ctx, root)]);
      const envNames = new Set([
        ...env.usage.variables.map((v) => v.name),
        ...env.documentation.documented,
      ]);
      return inventoryServices(root, {
        signal: s,
        envNames: [...envNames],
        secretProviders: [...new Set(scan.findings.map((f) => f.provider))],
      });
    },
    ctx.signal,
  );
}

/** How to rotate a provider's key, from the service catalogue; a general recipe otherwise. */
export function rotationFor(provider: string): string {
  const p = provider.toLowerCase();
  const entry = SERVICE_CATALOGUE.find(
    (e) => e.name.toLowerCase() === p || e.secretProviders.some((s) => s.toLowerCase() === p),
  );
  return (
    entry?.rotate ??
    `Create a new key in ${provider}'s dashboard, put it in your hosting platform's environment variables, redeploy, then revoke the old key.`
  );
}
