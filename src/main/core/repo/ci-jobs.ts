/**
 * The shapes shared by every CI reader, and the rule for "this deploy waits for tests": a job
 * is gated when it runs tests before its first deploy step, or needs (transitively) a job that
 * runs tests.
 */
import { parse } from 'yaml';
import type { CommandFindings } from './ci-commands';

export type CiSystem =
  | 'github-actions'
  | 'gitlab-ci'
  | 'circleci'
  | 'bitbucket-pipelines'
  | 'azure-pipelines'
  | 'travis'
  | 'drone'
  | 'jenkins';

export interface CiJob {
  /** The job's id in the file (or the file name for systems read as one list). */
  name: string;
  runsTests: boolean;
  deploys: boolean;
  /** What made it count as testing: matched command keywords or actions, never whole commands. */
  testEvidence: string[];
  deployEvidence: string[];
  /** Jobs (or stages) that must succeed first. */
  needs: string[];
  /** Tests run before its first deploy step, or a job it needs (transitively) runs tests. */
  gatedByTests: boolean;
}

export interface CiFile {
  system: CiSystem;
  /** Repository-relative path. */
  file: string;
  /** The workflow's `name:` when it has one. */
  name: string | null;
  /** Events that start it (`push`, `pull_request`, `schedule`, `workflow_dispatch`…); null when not knowable. */
  triggers: string[] | null;
  jobs: CiJob[];
  runsTests: boolean;
  deploys: boolean;
  /** Every deploying job waits for tests; null when nothing here deploys. */
  deployGatedByTests: boolean | null;
  /** Why the file could not be read fully (invalid YAML, too large…), or null. */
  problem: string | null;
}

export const CI_FILE_CAP = 512 * 1024;

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses YAML without throwing; aliases capped so a "billion laughs" file cannot blow up. */
export function parseYaml(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parse(text, { maxAliasCount: 100, merge: true, uniqueKeys: false }) };
  } catch {
    return { ok: false };
  }
}

/** Per job: tests ran before its first deploy step (kept off the public shape). */
const testsFirst = new WeakMap<CiJob, boolean>();

/** Marks a job as gated by its own order (tests before the first deploy), e.g. through a reusable workflow. */
export function setTestedFirst(job: CiJob, value: boolean): void {
  testsFirst.set(job, value);
}

export function newJob(
  name: string,
  found: CommandFindings,
  needs: string[],
  testedFirst: boolean,
): CiJob {
  const job: CiJob = {
    name,
    runsTests: found.tests.length > 0,
    deploys: found.deploys.length > 0,
    testEvidence: [...new Set(found.tests)].slice(0, 5),
    deployEvidence: [...new Set(found.deploys)].slice(0, 5),
    needs,
    gatedByTests: false,
  };
  testsFirst.set(job, testedFirst);
  return job;
}

/** Resolves `needs:` chains: a job is gated when it tests before deploying or needs a job that tests. */
export function gate(jobs: CiJob[]): void {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const upstreamTests = (name: string, seen: Set<string>): boolean => {
    const job = byName.get(name);
    if (!job || seen.has(name)) return false;
    seen.add(name);
    return job.needs.some((n) => byName.get(n)?.runsTests || upstreamTests(n, seen));
  };
  for (const j of jobs) {
    j.gatedByTests = (testsFirst.get(j) ?? false) || upstreamTests(j.name, new Set());
  }
}

export function summarise(
  base: Omit<CiFile, 'runsTests' | 'deploys' | 'deployGatedByTests'>,
): CiFile {
  const deploying = base.jobs.filter((j) => j.deploys);
  return {
    ...base,
    runsTests: base.jobs.some((j) => j.runsTests),
    deploys: deploying.length > 0,
    deployGatedByTests: deploying.length === 0 ? null : deploying.every((j) => j.gatedByTests),
  };
}
