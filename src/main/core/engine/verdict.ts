/**
 * The verdict and readiness scores. The formula (also in README):
 *   weight by impact: critical 8, high 4, medium 2, low 1
 *   points by status: pass 1, warn 0.5, fail 0, error 0; skipped and unanswered do not count
 *   score = round(100 × Σ weight·points / Σ weight) over the counted results (null if none)
 *   demo-ready = at least one counted result, and no fail or error on a critical or high check
 * An error blocks as a fail does: a check that could not decide is never a silent pass.
 */
import type { CheckMeta, CheckResult, Impact, StageNumber, Status } from '../../../shared/checks';
import { IMPACT_RANK, STAGES, STATUS_RANK } from '../../../shared/checks';
import type { Blocker, Risk, StageScore, Verdict } from '../../../shared/run';

export const IMPACT_WEIGHT: Record<Impact, number> = { critical: 8, high: 4, medium: 2, low: 1 };
const POINTS: Partial<Record<Status, number>> = { pass: 1, warn: 0.5, fail: 0, error: 0 };

export function score(results: readonly CheckResult[]): number | null {
  let total = 0;
  let earned = 0;
  for (const r of results) {
    const p = POINTS[r.status];
    if (p === undefined) continue;
    total += IMPACT_WEIGHT[r.impact];
    earned += IMPACT_WEIGHT[r.impact] * p;
  }
  return total === 0 ? null : Math.round((100 * earned) / total);
}

function counts(results: readonly CheckResult[]): StageScore['counts'] {
  const c = { pass: 0, warn: 0, fail: 0, error: 0, skipped: 0, unanswered: 0 };
  for (const r of results) c[r.status] += 1;
  return c;
}

/** Results ranked by business impact, then by how bad the status is. */
export function rankResults<T extends Pick<CheckResult, 'impact' | 'status'>>(
  results: readonly T[],
): T[] {
  return [...results].sort(
    (a, b) =>
      IMPACT_RANK[a.impact] - IMPACT_RANK[b.impact] ||
      STATUS_RANK[a.status] - STATUS_RANK[b.status],
  );
}

export function computeVerdict(
  results: readonly CheckResult[],
  meta: ReadonlyMap<string, Pick<CheckMeta, 'title'>>,
): Verdict {
  const blockers: Blocker[] = rankResults(
    results.filter(
      (r) =>
        (r.status === 'fail' || r.status === 'error') &&
        (r.impact === 'critical' || r.impact === 'high'),
    ),
  ).map((r) => ({
    id: r.id,
    title: meta.get(r.id)?.title ?? r.id,
    status: r.status as 'fail' | 'error',
    summary: r.summary,
  }));
  const risks: Risk[] = rankResults(
    results.filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn'),
  ).map((r) => ({
    id: r.id,
    title: meta.get(r.id)?.title ?? r.id,
    stage: r.stage,
    impact: r.impact,
    status: r.status as Risk['status'],
    summary: r.summary,
  }));
  const overall = score(results);
  const demoReady = overall !== null && blockers.length === 0;
  const stages: StageScore[] = STAGES.map(({ n }) => {
    const own = results.filter((r) => r.stage === (n as StageNumber));
    return { stage: n, score: score(own), counts: counts(own) };
  });
  let headline: string;
  if (demoReady) headline = 'Ready to demo: no critical or high-impact problem found.';
  else if (overall === null) headline = 'Not checked yet: no check could reach a decision.';
  else {
    const first = blockers[0];
    headline = `Not ready to demo: ${blockers.length} blocker${blockers.length === 1 ? '' : 's'}${
      first ? ` — fix first: ${first.title}` : ''
    }.`;
  }
  return { demoReady, headline, blockers, risks, score: overall, stages };
}
