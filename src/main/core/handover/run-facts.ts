/**
 * A run's evidence, read defensively: evidence comes from older and newer runs too, so every
 * field is checked for its type, and a missing one leaves a gap ("not checked"), never an
 * exception. The reference sections of the handover are built from these readers.
 */
import type { CheckMeta, CheckResult } from '../../../shared/checks';
import type { HandoverData } from './handover-data';

export type Rec = Record<string, unknown>;

export function rec(v: unknown): Rec | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null;
}
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function recs(v: unknown): Rec[] {
  return list(v)
    .map(rec)
    .filter((x): x is Rec => x !== null);
}
export function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
export function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === 'string' && x !== '');
}

export class RunFacts {
  private readonly byId: Map<string, CheckResult>;

  constructor(
    readonly data: HandoverData,
    readonly meta: ReadonlyMap<string, Pick<CheckMeta, 'title' | 'kind' | 'fix' | 'question'>>,
  ) {
    this.byId = new Map(data.run.results.map((r) => [r.id, r]));
  }

  result(id: string): CheckResult | undefined {
    return this.byId.get(id);
  }

  /** A result's evidence when the check decided something (not skipped or errored). */
  evidence(id: string): Rec | null {
    const r = this.byId.get(id);
    if (!r || r.status === 'skipped' || r.status === 'error') return null;
    return rec(r.evidence);
  }

  get results(): CheckResult[] {
    return this.data.run.results;
  }
}
