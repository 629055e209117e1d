/**
 * CI systems other than GitHub Actions. GitLab is read job by job with its stage order (a later
 * stage runs only when earlier ones pass); CircleCI job by job with workflow `requires`; the
 * rest as ordered command lists, where a test before the first deploy gates it.
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readText } from './bounded-fs';
import type { Tree } from './bounded-fs';
import { classifyCommand } from './ci-commands';
import type { CommandFindings } from './ci-commands';
import { CI_FILE_CAP, gate, isObj, newJob, summarise } from './ci-jobs';
import type { CiFile, CiJob, CiSystem } from './ci-jobs';

type Obj = Record<string, unknown>;
type Scripts = Record<string, string> | null;

const COMMAND_KEYS = new Set([
  'script',
  'before_script',
  'run',
  'command',
  'commands',
  'bash',
  'pwsh',
  'powershell',
  'cmd',
]);

/** Shell commands under the usual keys, in document order. */
function collectCommands(node: unknown, key: string | null, out: string[], depth = 0): void {
  if (depth > 40 || out.length > 2000) return;
  if (typeof node === 'string') {
    if (key !== null && COMMAND_KEYS.has(key)) out.push(node);
  } else if (Array.isArray(node)) {
    for (const item of node) collectCommands(item, key, out, depth + 1);
  } else if (isObj(node)) {
    for (const [k, v] of Object.entries(node)) collectCommands(v, k, out, depth + 1);
  }
}

/** Classifies an ordered command list; `testedFirst` when a test precedes the first deploy. */
function ordered(
  commands: string[],
  scripts: Scripts,
): { found: CommandFindings; testedFirst: boolean } {
  const found: CommandFindings = { tests: [], deploys: [] };
  let testedFirst = false;
  for (const c of commands) {
    const f = classifyCommand(c, scripts);
    if (f.deploys.length > 0 && found.deploys.length === 0) testedFirst = found.tests.length > 0;
    found.tests.push(...f.tests);
    found.deploys.push(...f.deploys);
  }
  return { found, testedFirst };
}

function commandsOf(node: unknown): string[] {
  const out: string[] = [];
  collectCommands(node, null, out);
  return out;
}

const GITLAB_RESERVED = new Set([
  'image', 'services', 'stages', 'variables', 'include', 'default', 'workflow', 'before_script',
  'after_script', 'cache', 'types',
]); // prettier-ignore

function gitlab(
  doc: Obj,
  text: string,
  scripts: Scripts,
): Pick<CiFile, 'jobs' | 'triggers' | 'problem'> {
  const stages = Array.isArray(doc.stages)
    ? doc.stages.filter((s): s is string => typeof s === 'string')
    : ['build', 'test', 'deploy'];
  const order = ['.pre', ...stages, '.post'];
  const resolve = (name: string, key: string, seen: Set<string>): unknown => {
    const job = doc[name];
    if (!isObj(job) || seen.has(name)) return undefined;
    seen.add(name);
    if (job[key] !== undefined) return job[key];
    for (const parent of typeof job.extends === 'string'
      ? [job.extends]
      : Array.isArray(job.extends)
        ? job.extends
        : []) {
      const v = typeof parent === 'string' ? resolve(parent, key, seen) : undefined;
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const globalBefore = commandsOf({
    before_script: isObj(doc.default) ? doc.default.before_script : doc.before_script,
  });
  const jobs: CiJob[] = [];
  const stageOf = new Map<CiJob, number>();
  for (const [name, raw] of Object.entries(doc)) {
    if (name.startsWith('.') || GITLAB_RESERVED.has(name) || !isObj(raw)) continue;
    const script = resolve(name, 'script', new Set());
    if (script === undefined && raw.trigger === undefined) continue;
    const before = resolve(name, 'before_script', new Set());
    const cmds = [
      ...(before === undefined ? globalBefore : commandsOf({ before_script: before })),
      ...commandsOf({ script }),
    ];
    const { found, testedFirst } = ordered(cmds, scripts);
    const rawNeeds = Array.isArray(raw.needs) ? raw.needs : [];
    const needs = rawNeeds
      .map((n) =>
        typeof n === 'string' ? n : isObj(n) && typeof n.job === 'string' ? n.job : null,
      )
      .filter((n): n is string => n !== null);
    const rawStage = resolve(name, 'stage', new Set());
    const stage = typeof rawStage === 'string' ? rawStage : 'test';
    const job = newJob(name, found, needs, testedFirst);
    stageOf.set(job, Math.max(0, order.indexOf(stage)));
    jobs.push(job);
  }
  gate(jobs);
  // Without `needs:`, a job waits for every job of the earlier stages.
  for (const j of jobs) {
    if (j.needs.length === 0 && !j.gatedByTests) {
      j.gatedByTests = jobs.some((o) => o.runsTests && stageOf.get(o)! < stageOf.get(j)!);
    }
  }
  const triggers = ['push'];
  if (/merge_request_event/.test(text)) triggers.push('pull_request');
  if (/["']schedule["']/.test(text)) triggers.push('schedule');
  return {
    jobs,
    triggers,
    problem: doc.include !== undefined ? 'includes other CI files: they were not read' : null,
  };
}

function circleci(doc: Obj, scripts: Scripts): Pick<CiFile, 'jobs' | 'triggers' | 'problem'> {
  const requires = new Map<string, string[]>();
  const orbJobs = new Set<string>();
  for (const wf of isObj(doc.workflows) ? Object.values(doc.workflows) : []) {
    for (const entry of isObj(wf) && Array.isArray(wf.jobs) ? wf.jobs : []) {
      const [name, conf] =
        typeof entry === 'string'
          ? [entry, null]
          : isObj(entry)
            ? (Object.entries(entry)[0] ?? [null, null])
            : [null, null];
      if (typeof name !== 'string') continue;
      if (name.includes('/')) orbJobs.add(name);
      const req =
        isObj(conf) && Array.isArray(conf.requires)
          ? conf.requires.filter((r): r is string => typeof r === 'string')
          : [];
      requires.set(name, [...(requires.get(name) ?? []), ...req]);
    }
  }
  const jobs: CiJob[] = [];
  for (const [name, raw] of Object.entries(isObj(doc.jobs) ? doc.jobs : {})) {
    const { found, testedFirst } = ordered(commandsOf(isObj(raw) ? raw.steps : null), scripts);
    jobs.push(newJob(name, found, requires.get(name) ?? [], testedFirst));
  }
  // Orb jobs (`node/test`, `heroku/deploy-via-git`) run code we cannot see: judge by name.
  for (const name of orbJobs) {
    const found: CommandFindings = {
      tests: /test|spec/i.test(name) ? [`orb job ${name}`] : [],
      deploys: /deploy/i.test(name) ? [`orb job ${name}`] : [],
    };
    jobs.push(newJob(name, found, requires.get(name) ?? [], false));
  }
  gate(jobs);
  return { jobs, triggers: ['push'], problem: null };
}

function bitbucket(doc: Obj, scripts: Scripts): Pick<CiFile, 'jobs' | 'triggers' | 'problem'> {
  const pipelines = isObj(doc.pipelines) ? doc.pipelines : {};
  const jobs: CiJob[] = [];
  const triggers = new Set<string>();
  const kinds: Record<string, string> = {
    default: 'push',
    branches: 'push',
    'pull-requests': 'pull_request',
    tags: 'tag',
    bookmarks: 'push',
    custom: 'manual',
  };
  for (const [kind, value] of Object.entries(pipelines)) {
    if (kinds[kind]) triggers.add(kinds[kind]);
    // `default` is a step list; the others map a branch (or name) to a step list.
    const lists: [string, unknown][] =
      kind === 'default'
        ? [['default', value]]
        : isObj(value)
          ? Object.entries(value).map(([k, v]) => [`${kind}.${k}`, v])
          : [];
    for (const [name, steps] of lists) {
      const { found, testedFirst } = ordered(commandsOf(steps), scripts);
      jobs.push(newJob(name, found, [], testedFirst));
    }
  }
  gate(jobs);
  return { jobs, triggers: [...triggers].sort(), problem: null };
}

function wholeFile(
  system: CiSystem,
  doc: Obj,
  file: string,
  scripts: Scripts,
): Pick<CiFile, 'jobs' | 'triggers' | 'problem'> {
  const read = ordered(commandsOf(doc), scripts);
  const { found } = read;
  let { testedFirst } = read;
  // Travis deploys through a `deploy: provider:` block, which runs only after `script` passes.
  if (system === 'travis' && doc.deploy !== undefined) {
    if (found.deploys.length === 0) testedFirst = found.tests.length > 0;
    found.deploys.push('travis deploy');
  }
  const jobs = [newJob(file, found, [], testedFirst)];
  gate(jobs);
  let triggers: string[] = ['push', 'pull_request'];
  if (system === 'azure-pipelines') {
    triggers = [];
    if (doc.trigger !== 'none') triggers.push('push');
    if (doc.pr !== 'none') triggers.push('pull_request');
    if (doc.schedules !== undefined) triggers.push('schedule');
  } else if (system === 'drone' && isObj(doc.trigger) && doc.trigger.event !== undefined) {
    const ev = doc.trigger.event;
    const list = Array.isArray(ev)
      ? ev
      : isObj(ev) && Array.isArray(ev.include)
        ? ev.include
        : [ev];
    triggers = list.filter((e): e is string => typeof e === 'string');
  }
  return { jobs, triggers, problem: null };
}

const OTHER_FILES: { system: CiSystem; files: string[] }[] = [
  { system: 'gitlab-ci', files: ['.gitlab-ci.yml', '.gitlab-ci.yaml'] },
  { system: 'circleci', files: ['.circleci/config.yml', '.circleci/config.yaml'] },
  { system: 'bitbucket-pipelines', files: ['bitbucket-pipelines.yml', 'bitbucket-pipelines.yaml'] },
  { system: 'azure-pipelines', files: ['azure-pipelines.yml', 'azure-pipelines.yaml'] },
  { system: 'travis', files: ['.travis.yml'] },
  { system: 'drone', files: ['.drone.yml', '.drone.yaml'] },
  { system: 'jenkins', files: ['Jenkinsfile'] },
];

/** Reads the root-level CI files of the other systems; never throws. */
export async function readOtherCi(root: string, tree: Tree, scripts: Scripts): Promise<CiFile[]> {
  const present = new Set(tree.files.map((f) => f.path));
  const out: CiFile[] = [];
  for (const { system, files } of OTHER_FILES) {
    for (const file of files.filter((f) => present.has(f))) {
      const base = {
        system,
        file,
        name: null,
        triggers: null,
        jobs: [] as CiJob[],
        problem: null as string | null,
      };
      const read = await readText(join(root, file), CI_FILE_CAP);
      if (!read.ok) {
        out.push(summarise({ ...base, problem: `not read: ${read.reason}` }));
        continue;
      }
      if (system === 'jenkins') {
        const { found, testedFirst } = ordered(read.text.split('\n'), scripts);
        const jobs = [newJob(file, found, [], testedFirst)];
        gate(jobs);
        out.push(summarise({ ...base, jobs }));
        continue;
      }
      let docs: unknown[];
      try {
        const all = parseAllDocuments(read.text, {
          merge: true,
          uniqueKeys: false,
        });
        if (!Array.isArray(all) || all.some((d) => d.errors.length > 0)) throw new Error('invalid');
        docs = all.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
      } catch {
        out.push(summarise({ ...base, problem: 'not valid YAML' }));
        continue;
      }
      // Drone allows several pipelines, one per YAML document; the others use the first.
      const doc = (
        system === 'drone'
          ? {
              steps: docs.flatMap((d) => (isObj(d) && Array.isArray(d.steps) ? d.steps : [])),
              trigger: isObj(docs[0]) ? docs[0].trigger : undefined,
            }
          : docs[0]
      ) as unknown;
      if (!isObj(doc)) {
        out.push(summarise({ ...base, problem: 'not valid YAML' }));
        continue;
      }
      const read2 =
        system === 'gitlab-ci'
          ? gitlab(doc, read.text, scripts)
          : system === 'circleci'
            ? circleci(doc, scripts)
            : system === 'bitbucket-pipelines'
              ? bitbucket(doc, scripts)
              : wholeFile(system, doc, file, scripts);
      out.push(summarise({ ...base, ...read2 }));
    }
  }
  return out;
}
