/**
 * The handover's data: what the PDF shows and, as JSON, what it carries inside
 * (launch-ready-handover.json) for another copy of the app to import. Built from one run and
 * its workspace; dates come from the run, so the same run gives the same document.
 */
import { z } from 'zod';
import type { CheckMeta } from '../../../shared/checks';
import { IMPACTS, STATUSES } from '../../../shared/checks';
import type { RunRecord } from '../../../shared/run';
import type { Workspace } from '../../../shared/workspace';
import { AnswerSchema, WorkspaceSchema } from '../../../shared/workspace';
import type { SigningIdentity, SigningIdentityKind } from '../vault';
import { HandoverError } from './errors';
import { scrubSecrets } from './scrub';

export const HANDOVER_FORMAT = 'launch-ready-handover';
export const HANDOVER_FORMAT_VERSION = 1;
export const HANDOVER_ATTACHMENT_NAME = 'launch-ready-handover.json';

export interface HandoverSigner {
  commonName: string;
  /** SHA-256 of the signer's certificate, AA:BB:… — printed on the cover, checked by verify. */
  fingerprint: string;
  kind: SigningIdentityKind;
  selfSigned: boolean;
}

export type HandoverCheck = Pick<CheckMeta, 'id' | 'stage' | 'title' | 'impact' | 'kind'>;

export interface HandoverData {
  format: typeof HANDOVER_FORMAT;
  formatVersion: typeof HANDOVER_FORMAT_VERSION;
  app: { name: 'Launch Ready'; version: string };
  /** The workspace as stored (it holds integration ids only, never a token), scrubbed. */
  workspace: Workspace;
  /** The founder's answers to the ask checks (also inside workspace), by check id. */
  answers: Workspace['answers'];
  /** The run the document reports: its results, verdict and diff, as the store keeps it. */
  run: RunRecord;
  /** What each check in the run is, so a copy with another catalogue can still show titles. */
  checks: HandoverCheck[];
  signer: HandoverSigner;
  /** Strings in which a secret-looking value was replaced by "[redacted]". */
  redactions: number;
}

export interface BuildHandoverDataInput {
  workspace: Workspace;
  run: RunRecord;
  catalogue: readonly CheckMeta[];
  signer: Pick<SigningIdentity, 'commonName' | 'fingerprint' | 'kind' | 'selfSigned'>;
  appVersion: string;
  /** Values that must never appear: the run's credentials (tokens, webhook URLs). */
  knownSecrets?: readonly string[];
}

export function buildHandoverData(input: BuildHandoverDataInput): HandoverData {
  const { workspace, run } = input;
  if (run.workspaceId !== workspace.id)
    throw new HandoverError(
      'nothing-to-export',
      `The run ${run.runId} belongs to workspace "${run.workspaceId}", not "${workspace.id}".`,
    );
  const inRun = new Set(run.results.map((r) => r.id));
  const checks: HandoverCheck[] = input.catalogue
    .filter((c) => inRun.has(c.id))
    .map(({ id, stage, title, impact, kind }) => ({ id, stage, title, impact, kind }));
  const raw = {
    workspace,
    answers: workspace.answers,
    run: {
      runId: run.runId,
      workspaceId: run.workspaceId,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      results: run.results,
      verdict: run.verdict,
      diff: run.diff,
    },
  };
  const { value, redactions } = scrubSecrets(raw, input.knownSecrets);
  return {
    format: HANDOVER_FORMAT,
    formatVersion: HANDOVER_FORMAT_VERSION,
    app: { name: 'Launch Ready', version: input.appVersion },
    workspace: value.workspace,
    answers: value.answers,
    run: value.run,
    checks,
    signer: {
      commonName: input.signer.commonName,
      fingerprint: input.signer.fingerprint,
      kind: input.signer.kind,
      selfSigned: input.signer.selfSigned,
    },
    redactions,
  };
}

/** The attachment's bytes: stable key order (as built), so the same data gives the same bytes. */
export function serializeHandoverData(data: HandoverData): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(data, null, 2)}\n`);
}

const ResultSchema = z.looseObject({
  id: z.string(),
  stage: z.number().int().min(1).max(7),
  impact: z.enum(IMPACTS),
  status: z.enum(STATUSES),
  summary: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  durationMs: z.number(),
});

const HandoverDataSchema = z.object({
  format: z.literal(HANDOVER_FORMAT),
  formatVersion: z.literal(HANDOVER_FORMAT_VERSION),
  app: z.object({ name: z.literal('Launch Ready'), version: z.string() }),
  workspace: WorkspaceSchema,
  answers: z.record(z.string(), AnswerSchema),
  run: z.looseObject({
    runId: z.string(),
    workspaceId: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    results: z.array(ResultSchema),
    verdict: z.looseObject({
      demoReady: z.boolean(),
      headline: z.string(),
      score: z.number().nullable(),
      risks: z.array(z.unknown()),
    }),
    diff: z.unknown(),
  }),
  checks: z.array(
    z.object({
      id: z.string(),
      stage: z.number().int(),
      title: z.string(),
      impact: z.enum(IMPACTS),
      kind: z.enum(['probe', 'integration', 'ask']),
    }),
  ),
  signer: z.object({
    commonName: z.string(),
    fingerprint: z.string(),
    kind: z.enum(['created', 'imported', 'ephemeral']),
    selfSigned: z.boolean(),
  }),
  redactions: z.number().int().min(0),
});

/** Parses an attachment's bytes; HandoverError 'bad-attachment' says what is wrong. */
export function parseHandoverData(bytes: Uint8Array): HandoverData {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new HandoverError(
      'bad-attachment',
      `The attached ${HANDOVER_ATTACHMENT_NAME} is not valid JSON.`,
    );
  }
  const format = (json as { format?: unknown; formatVersion?: unknown } | null) ?? {};
  if (format.format === HANDOVER_FORMAT && format.formatVersion !== HANDOVER_FORMAT_VERSION)
    throw new HandoverError(
      'bad-attachment',
      `This handover was written in format version ${String(format.formatVersion)}; this copy of Launch Ready reads version ${HANDOVER_FORMAT_VERSION}. Update Launch Ready to import it.`,
    );
  const parsed = HandoverDataSchema.safeParse(json);
  if (!parsed.success)
    throw new HandoverError(
      'bad-attachment',
      `The attached ${HANDOVER_ATTACHMENT_NAME} is not Launch Ready handover data: ${z.prettifyError(parsed.error).slice(0, 300)}`,
    );
  return parsed.data as unknown as HandoverData;
}
