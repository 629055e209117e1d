import type { CheckResult, StageNumber } from './checks';

export interface StageScore {
  stage: StageNumber;
  /** 0–100, or null when the stage has no decided results yet. */
  score: number | null;
  counts: Record<'pass' | 'warn' | 'fail' | 'error' | 'skipped' | 'unanswered', number>;
}

export interface Blocker {
  id: string;
  title: string;
  status: 'fail' | 'error';
  summary: string;
}

/** One entry of the ranked risk list: every result that is not a pass. */
export interface Risk {
  id: string;
  title: string;
  stage: CheckResult['stage'];
  impact: CheckResult['impact'];
  status: 'fail' | 'error' | 'warn';
  summary: string;
}

export interface Verdict {
  demoReady: boolean;
  /** One sentence: "Ready to demo" or what blocks it. */
  headline: string;
  blockers: Blocker[];
  /** Every fail, error and warn, ranked by business impact then severity: "fix first" on top. */
  risks: Risk[];
  /** Overall readiness 0–100 (null when nothing was decided). */
  score: number | null;
  stages: StageScore[];
}

export interface RunDiffEntry {
  id: string;
  title: string;
  before: CheckResult['status'] | null;
  after: CheckResult['status'] | null;
}

export interface RunDiff {
  previousRunId: string | null;
  /** Now fail/error, and was not (or did not exist) before. */
  newFailures: RunDiffEntry[];
  /** Was fail/error, now pass/warn. */
  fixed: RunDiffEntry[];
  /** Any other change of status. */
  changed: RunDiffEntry[];
  unchanged: number;
}

export interface RunRecord {
  runId: string;
  workspaceId: string;
  startedAt: string;
  finishedAt: string;
  results: CheckResult[];
  verdict: Verdict;
  diff: RunDiff;
}

/** Streamed while a run is in progress; every event names its workspace and run. */
export type RunEvent =
  | { type: 'run-started'; runId: string; workspaceId: string; total: number }
  | { type: 'check-started'; runId: string; workspaceId: string; id: string }
  | {
      type: 'check-finished';
      runId: string;
      workspaceId: string;
      result: CheckResult;
      done: number;
      total: number;
    }
  | { type: 'run-finished'; runId: string; workspaceId: string; verdict: Verdict }
  /** A background re-check found something worse than the run before (see Workspace.watch). */
  | {
      type: 'regressions';
      runId: string;
      workspaceId: string;
      workspaceName: string;
      regressions: { id: string; title: string; before: string; after: string; summary: string }[];
    };
