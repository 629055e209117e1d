/**
 * `launch-ready export` and `launch-ready verify`: the signed handover PDF from the command
 * line. Export signs with the workspace's identity from the OS keychain; only the built-in lab
 * demo may use a throwaway identity (and its cover says so). Nothing secret is ever printed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunRecord } from '../../shared/run';
import type { Workspace } from '../../shared/workspace';
import type { ExportedHandover, HandoverVerification } from '../core/handover';
import {
  HandoverError,
  credentialValues,
  exportHandover,
  handoverSigningIdentity,
  runToExport,
  verifyHandover,
} from '../core/handover';
import { SCENARIOS, getScenario } from '../core/lab/scenarios';
import { StoreError, WorkspaceStore } from '../core/store/workspace-store';
import { VaultError, openSigningIdentityStore, openVault, vaultCredentials } from '../core/vault';
import { checkSettings, runOnce } from './check-command';
import { openTarget } from './target';
import { UsageError } from './usage-error';

export const HANDOVER_HELP = `  launch-ready export --demo --out FILE           sign a handover PDF of the built-in demo (a fresh lab run)
  launch-ready export --scenario NAME --out FILE  the same for another lab scenario
  launch-ready export --workspace ID --out FILE   a product saved in the app: its last run, signed with its
                                                  identity from the OS keychain (created on first export)
  launch-ready export --workspace FILE --out FILE the product a launch-ready.json/.yaml describes (a fresh run)
  launch-ready verify FILE [--json]               check a handover's signature; prints signer and fingerprint`;

export interface HandoverCommandContext {
  /** Where the app keeps its workspaces (LAUNCH_READY_DATA_DIR or the app's data folder). */
  dataDir: string;
  version: string;
}

/** Exit codes: 0 done, 1 the keychain cannot be used or the export failed, 2 bad input. */
export async function exportCommand(args: string[], ctx: HandoverCommandContext): Promise<number> {
  const out = process.stdout;
  const err = process.stderr;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        demo: { type: 'boolean' },
        scenario: { type: 'string' },
        workspace: { type: 'string' },
        out: { type: 'string' },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
    const scenario = values.scenario ?? (values.demo ? 'demo' : undefined);
    if ((scenario === undefined) === (values.workspace === undefined))
      throw new UsageError('give either --demo (or --scenario NAME) or --workspace ID.');
    if (!values.out) throw new UsageError('give the file to write with --out FILE.');
    const target = resolve(values.out);
    await checkWritable(target);

    const ws = values.workspace;
    const made =
      ws === undefined
        ? await exportFreshRun({ scenario }, ctx.version)
        : savedWorkspaceExists(ws, ctx.dataDir)
          ? await exportSaved(ws, ctx)
          : existsSync(ws)
            ? await exportFreshRun({ workspace: ws }, ctx.version)
            : missingWorkspace(ws, ctx.dataDir);
    await writeAtomically(target, made.pdf);
    out.write(
      `Wrote ${target} (${made.pageCount} pages, ${Math.round(made.pdf.length / 1024)} KB)\n` +
        `Signed by: ${made.signer.commonName}\n` +
        `SHA-256 fingerprint: ${made.signer.fingerprint}\n` +
        (made.signer.kind === 'ephemeral'
          ? 'Identity: demo identity, not kept (a new one for every demo export)\n'
          : made.created
            ? 'Identity: created now for this workspace and saved in the OS keychain\n'
            : 'Identity: this workspace’s, from the OS keychain\n'),
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      return fail(err, 'export', 2, `${(e as Error).message}\nUsage:\n${HANDOVER_HELP}`);
    if (e instanceof VaultError) return fail(err, 'export', 1, e.message);
    if (e instanceof HandoverError)
      return fail(err, 'export', e.code === 'nothing-to-export' ? 2 : 1, e.message);
    if (e instanceof StoreError) return fail(err, 'export', 2, e.message);
    throw e;
  }
}

/** Exit codes: 0 valid, 1 invalid or tampered, 2 bad input (missing file, not a PDF). */
export async function verifyCommand(args: string[]): Promise<number> {
  const out = process.stdout;
  const err = process.stderr;
  let file: string;
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UsageError('give one FILE: the handover PDF to check.');
    file = resolve(positionals[0] as string);
    json = values.json === true;
  } catch (e) {
    return fail(err, 'verify', 2, `${(e as Error).message}\nUsage:\n${HANDOVER_HELP}`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(
      err,
      'verify',
      2,
      code === 'ENOENT'
        ? `${file} does not exist.`
        : `cannot read ${file} (${code ?? (e as Error).message}).`,
    );
  }
  let result: HandoverVerification;
  try {
    result = await verifyHandover(bytes);
  } catch (e) {
    if (e instanceof HandoverError && e.code === 'not-a-pdf')
      return fail(err, 'verify', 2, `${file}: ${e.message}`);
    throw e;
  }
  if (json) out.write(`${JSON.stringify({ file, ...result }, null, 2)}\n`);
  else out.write(describeVerification(file, result));
  return result.valid ? 0 : 1;
}

export function describeVerification(file: string, r: HandoverVerification): string {
  const lines = [`${basename(file)}: ${r.valid ? 'VALID' : 'INVALID'} — ${r.reason}`];
  if (r.signerCommonName !== null)
    lines.push(
      `Signer: ${r.signerCommonName}${r.selfSigned ? ' (self-signed: compare the fingerprint with the one you were given)' : ''}`,
    );
  if (r.fingerprint !== null) lines.push(`SHA-256 fingerprint: ${r.fingerprint}`);
  if (r.signedAt !== null) lines.push(`Signed at: ${r.signedAt}`);
  lines.push(
    `Attached data: ${r.attachmentPresent ? 'launch-ready-handover.json present' : 'none'}`,
  );
  return `${lines.join('\n')}\n`;
}

type Made = ExportedHandover & { created: boolean };

/**
 * A fresh run, then its handover: a lab scenario (signed with a throwaway identity, as the
 * cover says) or a workspace file (signed with that workspace's identity from the keychain).
 */
async function exportFreshRun(
  from: { scenario?: string; workspace?: string },
  version: string,
): Promise<Made> {
  const target = await openTarget(from, []);
  try {
    const run = await runOnce(target, checkSettings({}));
    const { identity, created } = await handoverSigningIdentity(
      target.workspace,
      target.lab ? { ephemeral: true } : { store: openSigningIdentityStore() },
    );
    const made = await exportHandover({
      workspace: target.workspace,
      run,
      identity,
      appVersion: version,
      knownSecrets: await credentialValues(target.credentials),
    });
    return { ...made, created };
  } finally {
    await target.close();
  }
}

function savedWorkspaceExists(id: string, dataDir: string): boolean {
  if (!/^[a-z0-9-]{1,64}$/.test(id)) return false;
  return existsSync(join(dataDir, 'workspaces', `${id}.json`));
}

function missingWorkspace(ws: string, dataDir: string): never {
  throw new UsageError(
    `there is no saved workspace "${ws}" in ${dataDir}, and no workspace file of that name.`,
  );
}

/** A saved product's last run, signed with its identity from the keychain (made on first use). */
async function exportSaved(id: string, ctx: HandoverCommandContext): Promise<Made> {
  const store = new WorkspaceStore(ctx.dataDir);
  let workspace: Workspace;
  let runs: RunRecord[];
  try {
    workspace = await store.get(id);
    runs = await store.runs(id);
  } catch (e) {
    if (e instanceof StoreError && e.code === 'not-found') missingWorkspace(id, ctx.dataDir);
    throw e;
  }
  const run = runToExport(workspace, runs);
  const { identity, created } = await handoverSigningIdentity(workspace, {
    store: openSigningIdentityStore(),
  });
  const made = await exportHandover({
    workspace,
    run,
    identity,
    appVersion: ctx.version,
    knownSecrets: await knownSecrets(workspace),
  });
  return { ...made, created };
}

/** The credential values the run could have used: scrubbed from the PDF, never printed. */
async function knownSecrets(workspace: Workspace): Promise<string[]> {
  // A lab product ran with its scenario's own tokens (Slack's webhook path is the secret part
  // of its URL), which are not in the keychain.
  if (workspace.lab) {
    const scenario = SCENARIOS[workspace.lab] ? getScenario(workspace.lab) : null;
    return Object.values(scenario?.vendors?.tokens ?? {}).filter((t): t is string => !!t);
  }
  return credentialValues(vaultCredentials(openVault(), workspace.id));
}

async function checkWritable(target: string): Promise<void> {
  const dir = dirname(target);
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new UsageError(`the folder ${dir} does not exist.`);
  }
  if (!info.isDirectory()) throw new UsageError(`${dir} is not a folder.`);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`${target} is a folder: give a file name.`);
}

/** Temp file then rename: a reader never sees half a PDF. */
async function writeAtomically(target: string, bytes: Buffer): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes, { mode: 0o644 });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function fail(err: NodeJS.WritableStream, command: string, code: number, message: string): number {
  err.write(`launch-ready ${command}: ${message}\n`);
  return code;
}
