/** Pure views of a run, computed in components with useMemo. */
import { STAGES } from '../../../shared/checks';
import type { CheckMeta, CheckResult, StageNumber } from '../../../shared/checks';

export type Stage = (typeof STAGES)[number];

export function stageOf(n: StageNumber): Stage {
  // STAGES covers every StageNumber, so the lookup cannot miss.
  return STAGES.find((s) => s.n === n) ?? STAGES[0];
}

export function byId<T extends { id: string }>(items: readonly T[] | null | undefined) {
  return new Map((items ?? []).map((item) => [item.id, item]));
}

export interface StageRow {
  id: string;
  meta: CheckMeta | null;
  result: CheckResult | null;
}

/**
 * The rows of a stage page: every catalogue check of the stage, then any result of that stage
 * the catalogue does not know (an older run, a newer engine) so nothing found is hidden.
 */
export function stageRows(
  stage: StageNumber,
  catalogue: readonly CheckMeta[] | null,
  results: readonly CheckResult[] | null | undefined,
): StageRow[] {
  const resultById = byId(results);
  const rows: StageRow[] = (catalogue ?? [])
    .filter((meta) => meta.stage === stage)
    .map((meta) => ({ id: meta.id, meta, result: resultById.get(meta.id) ?? null }));
  const known = new Set(rows.map((r) => r.id));
  for (const result of results ?? []) {
    if (result.stage === stage && !known.has(result.id)) {
      rows.push({ id: result.id, meta: null, result });
    }
  }
  return rows;
}

export function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
