/** What changed since the previous run, keyed by check id. */
import type { CheckMeta, CheckResult, Status } from '../../../shared/checks';
import type { RunDiff, RunDiffEntry, RunRecord } from '../../../shared/run';

const BAD: ReadonlySet<Status> = new Set(['fail', 'error']);
const GOOD: ReadonlySet<Status> = new Set(['pass', 'warn']);

export function diffRuns(
  previous: Pick<RunRecord, 'runId' | 'results'> | null,
  results: readonly CheckResult[],
  meta: ReadonlyMap<string, Pick<CheckMeta, 'title'>>,
): RunDiff {
  const diff: RunDiff = {
    previousRunId: previous?.runId ?? null,
    newFailures: [],
    fixed: [],
    changed: [],
    unchanged: 0,
  };
  const before = new Map(previous?.results.map((r) => [r.id, r.status]) ?? []);
  const seen = new Set<string>();
  for (const r of results) {
    seen.add(r.id);
    const was = before.get(r.id) ?? null;
    const entry: RunDiffEntry = {
      id: r.id,
      title: meta.get(r.id)?.title ?? r.id,
      before: was,
      after: r.status,
    };
    if (was === r.status) diff.unchanged += 1;
    else if (BAD.has(r.status) && (was === null || !BAD.has(was))) diff.newFailures.push(entry);
    else if (was !== null && BAD.has(was) && GOOD.has(r.status)) diff.fixed.push(entry);
    else diff.changed.push(entry);
  }
  // Checks that ran last time but not now (removed or not planned) are a change, not silence.
  for (const [id, was] of before) {
    if (!seen.has(id))
      diff.changed.push({ id, title: meta.get(id)?.title ?? id, before: was, after: null });
  }
  return diff;
}
