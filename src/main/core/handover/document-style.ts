/**
 * The handover's look in one place: status colours and labels, type styles, dates in words
 * (always UTC, so every machine prints the same), and what each kind of identity means.
 */
import type { RGB } from 'pdf-lib';
import { rgb } from 'pdf-lib';
import type { CheckMeta, CheckResult, Status } from '../../../shared/checks';
import type { HandoverFaces } from './fonts';
import type { HandoverData } from './handover-data';
import type { TextStyle } from './page-flow';
import { INK } from './page-flow';

export type CheckInfo = Pick<CheckMeta, 'title' | 'kind' | 'fix' | 'question' | 'why'>;

export const STATUS_COLOR: Record<Status, RGB> = {
  pass: rgb(0.12, 0.5, 0.26),
  warn: rgb(0.7, 0.44, 0.02),
  fail: rgb(0.75, 0.13, 0.13),
  error: rgb(0.52, 0.16, 0.46),
  skipped: rgb(0.45, 0.47, 0.5),
  unanswered: rgb(0.18, 0.38, 0.64),
};

export const STATUS_LABEL: Record<Status, string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIPPED',
  unanswered: 'OPEN',
};

export const KIND_WORDS: Record<CheckMeta['kind'], string> = {
  probe: 'probe',
  integration: 'vendor API',
  ask: 'question for the founder',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "29 November 2026", in UTC: the same on every machine. */
export function longDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${longDate(iso)}, ${hh}:${mm} UTC`;
}

export const IDENTITY_WORDS: Record<HandoverData['signer']['kind'], string> = {
  created:
    'The workspace’s own signing identity: created by Launch Ready on the first export, its key kept in the OS keychain. Later exports of this workspace carry the same fingerprint.',
  imported: 'An identity imported from a PKCS#12 file; its key is kept in the OS keychain.',
  ephemeral:
    'Demo identity, not kept: generated for this export of the built-in lab demo only. The next export has another fingerprint.',
};

/** The sections the contents page lists, in order: fixed, so its page count is known upfront. */
export type Styles = ReturnType<typeof styles>;

export function styles(faces: HandoverFaces) {
  return {
    body: { face: faces.regular, size: 9.2, lineHeight: 13 } satisfies TextStyle,
    small: {
      face: faces.regular,
      size: 8.2,
      lineHeight: 11.4,
      color: INK.muted,
    } satisfies TextStyle,
    label: { face: faces.bold, size: 8, lineHeight: 12, color: INK.muted } satisfies TextStyle,
    strong: { face: faces.bold, size: 9.2, lineHeight: 13 } satisfies TextStyle,
    step: { face: faces.regular, size: 8.6, lineHeight: 12 } satisfies TextStyle,
    faces,
  };
}
export function countLine(results: readonly CheckResult[]): string {
  const c: Record<Status, number> = {
    pass: 0,
    warn: 0,
    fail: 0,
    error: 0,
    skipped: 0,
    unanswered: 0,
  };
  for (const r of results) c[r.status] += 1;
  return `${results.length} checks: ${c.pass} pass · ${c.warn} warn · ${c.fail} fail · ${c.error} could not decide · ${c.skipped} skipped · ${c.unanswered} open questions`;
}
