/** `check --format json`: the run as one JSON document (the contract's result types). */
import type { CheckResult } from '../../../shared/checks';
import type { RunRecord, Verdict } from '../../../shared/run';

export interface RunDocument {
  verdict: Verdict;
  results: Pick<
    CheckResult,
    'id' | 'stage' | 'status' | 'summary' | 'impact' | 'durationMs' | 'evidence'
  >[];
  startedAt: string;
  finishedAt: string;
}

export function runDocument(record: RunRecord): RunDocument {
  return {
    verdict: record.verdict,
    results: record.results.map(({ id, stage, status, summary, impact, durationMs, evidence }) => ({
      id,
      stage,
      status,
      summary,
      impact,
      durationMs,
      evidence,
    })),
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
}
