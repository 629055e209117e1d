/**
 * CI configuration: which files exist, whether they run tests, on which triggers, and whether
 * every deploy waits for tests. GitHub Actions is read job by job (steps, needs, local reusable
 * workflows); GitLab by stages; other systems as one ordered list of commands per file.
 */
import { join } from 'node:path';
import { readText } from './bounded-fs';
import type { Tree } from './bounded-fs';
import { classifyAction, classifyCommand } from './ci-commands';
import type { CommandFindings } from './ci-commands';
import { CI_FILE_CAP, gate, isObj, newJob, parseYaml, setTestedFirst, summarise } from './ci-jobs';
import type { CiFile, CiJob } from './ci-jobs';
import { readOtherCi } from './ci-other';

export type { CiFile, CiJob, CiSystem } from './ci-jobs';

/** The local reusable workflow a job calls (`uses: ./.github/workflows/test.yml`). */
const calls = new WeakMap<CiJob, string>();

export interface CiAnalysis {
  files: CiFile[];
  /** Some CI file runs tests. */
  runsTests: boolean;
  /** Triggers of the files that run tests (union, sorted). */
  testTriggers: string[];
  deploys: boolean;
}

type Obj = Record<string, unknown>;
const MAX_WORKFLOWS = 100;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

interface Workflow {
  file: string;
  doc: Obj | null;
  problem: string | null;
}

function workflowPaths(tree: Tree): string[] {
  return tree.files
    .filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(f.path))
    .map((f) => f.path)
    .slice(0, MAX_WORKFLOWS);
}

async function readWorkflows(root: string, tree: Tree): Promise<Workflow[]> {
  const out: Workflow[] = [];
  for (const file of workflowPaths(tree)) {
    const read = await readText(join(root, file), CI_FILE_CAP);
    if (!read.ok) {
      out.push({ file, doc: null, problem: `not read: ${read.reason}` });
      continue;
    }
    const parsed = parseYaml(read.text);
    if (!parsed.ok || !isObj(parsed.value)) {
      out.push({ file, doc: null, problem: 'not valid YAML' });
      continue;
    }
    out.push({ file, doc: parsed.value, problem: null });
  }
  return out;
}

/** Deployment environments named by GitHub Actions jobs (`environment: staging`). */
export async function readWorkflowEnvironments(
  root: string,
  tree: Tree,
): Promise<{ file: string; environments: string[] }[]> {
  return (await readWorkflows(root, tree)).map(({ file, doc }) => {
    const jobs = isObj(doc?.jobs) ? Object.values(doc.jobs) : [];
    const environments = jobs
      .map((j) => (isObj(j) ? j.environment : null))
      .map((e) => (isObj(e) ? str(e.name) : str(e)))
      .filter((e): e is string => e !== null && /^[\w-]+$/.test(e));
    return { file, environments: [...new Set(environments)] };
  });
}

function githubTriggers(on: unknown): string[] | null {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((t): t is string => typeof t === 'string');
  if (isObj(on)) return Object.keys(on);
  return null;
}

const stringList = (v: unknown): string[] =>
  typeof v === 'string'
    ? [v]
    : Array.isArray(v)
      ? v.filter((n): n is string => typeof n === 'string')
      : [];

function githubFile(wf: Workflow, scripts: Record<string, string> | null): CiFile {
  const jobs: CiJob[] = [];
  const rawJobs = isObj(wf.doc?.jobs) ? wf.doc.jobs : {};
  for (const [name, raw] of Object.entries(rawJobs)) {
    if (!isObj(raw)) continue;
    const found: CommandFindings = { tests: [], deploys: [] };
    let testedFirst = false;
    const steps = Array.isArray(raw.steps) ? raw.steps : [];
    for (const step of steps) {
      if (!isObj(step)) continue;
      const run = str(step.run);
      const uses = str(step.uses);
      const f = run ? classifyCommand(run, scripts) : { tests: [], deploys: [] };
      if (uses) {
        const a = classifyAction(uses, isObj(step.with) ? step.with : {});
        f.tests.push(...a.tests);
        f.deploys.push(...a.deploys);
      }
      if (f.deploys.length > 0 && found.deploys.length === 0) testedFirst = found.tests.length > 0;
      found.tests.push(...f.tests);
      found.deploys.push(...f.deploys);
    }
    const job = newJob(name, found, stringList(raw.needs), testedFirst);
    const reusable = str(raw.uses);
    if (reusable?.startsWith('./')) calls.set(job, reusable.slice(2).split('@')[0]!);
    jobs.push(job);
  }
  gate(jobs);
  return summarise({
    system: 'github-actions',
    file: wf.file,
    name: str(wf.doc?.name),
    triggers: githubTriggers(wf.doc?.on),
    jobs,
    problem: wf.problem,
  });
}

/** A job calling a local reusable workflow tests (or deploys) when that workflow does. */
function resolveReusable(files: CiFile[]): void {
  const byPath = new Map(files.map((f) => [f.file, f]));
  for (const f of files) {
    for (const j of f.jobs) {
      const target = byPath.get(calls.get(j) ?? '');
      if (!target || target === f) continue;
      if (target.runsTests) {
        j.runsTests = true;
        j.testEvidence.push(`calls ${target.file}`);
      }
      if (target.deploys) {
        j.deploys = true;
        j.deployEvidence.push(`calls ${target.file}`);
        setTestedFirst(j, target.deployGatedByTests === true);
      }
    }
  }
  for (const f of files) {
    gate(f.jobs);
    Object.assign(f, summarise(f));
  }
}

/**
 * A deploy triggered by `workflow_run` after a workflow that runs tests counts as gated (the
 * usual "deploy when CI passes" pattern; whether it checks the conclusion is not read).
 */
function resolveWorkflowRun(files: CiFile[], docs: Map<string, Obj | null>): void {
  for (const f of files) {
    const on = docs.get(f.file)?.on;
    const wr = isObj(on) && isObj(on.workflow_run) ? on.workflow_run.workflows : null;
    const names = Array.isArray(wr) ? wr.filter((n): n is string => typeof n === 'string') : [];
    if (names.length === 0 || f.deployGatedByTests !== false) continue;
    const upstream = files.filter((o) => o !== f && o.name !== null && names.includes(o.name));
    if (upstream.some((o) => o.runsTests)) {
      for (const j of f.jobs) j.gatedByTests = true;
      f.deployGatedByTests = true;
    }
  }
}

/** Reads every CI configuration it knows; never throws. */
export async function analyseCi(
  root: string,
  tree: Tree,
  scripts: Record<string, string> | null,
): Promise<CiAnalysis> {
  const workflows = await readWorkflows(root, tree);
  const files = workflows.map((wf) => githubFile(wf, scripts));
  resolveReusable(files);
  resolveWorkflowRun(files, new Map(workflows.map((w) => [w.file, w.doc])));
  files.push(...(await readOtherCi(root, tree, scripts)));
  const testing = files.filter((f) => f.runsTests);
  return {
    files,
    runsTests: testing.length > 0,
    testTriggers: [...new Set(testing.flatMap((f) => f.triggers ?? []))].sort(),
    deploys: files.some((f) => f.deploys),
  };
}
