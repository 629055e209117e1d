/**
 * Export: one run of one workspace → its signed handover PDF. The pieces (data, layout,
 * signature) stay separate so the unsigned document can be checked for reproducibility.
 */
import type { CheckMeta } from '../../../shared/checks';
import type { RunRecord } from '../../../shared/run';
import type { Workspace } from '../../../shared/workspace';
import { catalogueMeta } from '../checks/catalogue';
import type { Credentials } from '../engine/check';
import type { IntegrationId } from '../integrations/types';
import { INTEGRATION_IDS } from '../integrations/types';
import type { SigningIdentity, SigningIdentityStore } from '../vault';
import { createSigningIdentity } from '../vault';
import { composeHandover, saveUnsigned } from './compose';
import { HandoverError } from './errors';
import type { FontFiles } from './fonts';
import type { HandoverData } from './handover-data';
import { buildHandoverData } from './handover-data';
import { signHandover } from './sign';

export interface HandoverInput {
  workspace: Workspace;
  run: RunRecord;
  /** Who signs; its CN and fingerprint are printed on the cover. */
  identity: SigningIdentity;
  appVersion: string;
  /** The app's catalogue (titles, how to fix); the built-in one when absent. */
  catalogue?: readonly CheckMeta[];
  /** The run's credential values: scrubbed from everything, in case one slipped into data. */
  knownSecrets?: readonly string[];
  fonts?: FontFiles;
}

export interface ExportedHandover {
  pdf: Buffer;
  /** A file name to suggest: "<product>-handover-<date>.pdf". */
  fileName: string;
  pageCount: number;
  signer: Pick<SigningIdentity, 'commonName' | 'fingerprint' | 'kind'>;
  data: HandoverData;
}

function prepare(input: HandoverInput) {
  const catalogue = input.catalogue ?? catalogueMeta();
  const data = buildHandoverData({
    workspace: input.workspace,
    run: input.run,
    catalogue,
    signer: input.identity,
    appVersion: input.appVersion,
    knownSecrets: input.knownSecrets,
  });
  return { catalogue, data };
}

/** The composed document before signing: the same input gives the same bytes. */
export async function unsignedHandover(input: HandoverInput): Promise<Uint8Array> {
  const { catalogue, data } = prepare(input);
  const { doc } = await composeHandover(data, { catalogue, fonts: input.fonts });
  return saveUnsigned(doc);
}

export async function exportHandover(
  input: HandoverInput & { signingTime?: Date },
): Promise<ExportedHandover> {
  const { catalogue, data } = prepare(input);
  const { doc, pageCount } = await composeHandover(data, { catalogue, fonts: input.fonts });
  const pdf = await signHandover(doc, input.identity, input.signingTime);
  return {
    pdf,
    fileName: handoverFileName(input.workspace, input.run),
    pageCount,
    signer: {
      commonName: input.identity.commonName,
      fingerprint: input.identity.fingerprint,
      kind: input.identity.kind,
    },
    data,
  };
}

export function handoverFileName(workspace: Workspace, run: RunRecord): string {
  const slug =
    workspace.name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'product';
  return `${slug}-handover-${run.finishedAt.slice(0, 10)}.pdf`;
}

/**
 * Who signs this workspace's handover. A real product: its identity in the keychain, created
 * on first export (a locked or missing keychain is a VaultError, never a fallback). The
 * built-in lab demo may instead use a throwaway identity, which the cover then names as such.
 */
export async function handoverSigningIdentity(
  workspace: Workspace,
  opts: { store: SigningIdentityStore } | { ephemeral: true },
): Promise<{ identity: SigningIdentity; created: boolean }> {
  if ('ephemeral' in opts) {
    if (!workspace.lab)
      throw new HandoverError(
        'identity',
        'Only the built-in lab demo may be signed with a throwaway identity; a real product is signed with its identity from the keychain.',
      );
    return {
      identity: await createSigningIdentity(workspace.name, { kind: 'ephemeral' }),
      created: true,
    };
  }
  return opts.store.getOrCreate(workspace.id, workspace.name);
}

/** The values of a run's credentials, to be scrubbed from the export (never shown). */
export async function credentialValues(
  credentials: Credentials,
  ids: readonly IntegrationId[] = INTEGRATION_IDS,
): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    const value = await credentials.get(id);
    if (value) out.push(value);
  }
  return out;
}

/** The last run of a workspace's history, or HandoverError when there is none to export. */
export function runToExport(workspace: Workspace, runs: readonly RunRecord[]): RunRecord {
  const run = runs.at(-1);
  if (!run)
    throw new HandoverError(
      'nothing-to-export',
      `"${workspace.name}" has no run yet: run the checks first, then export its handover.`,
    );
  return run;
}
