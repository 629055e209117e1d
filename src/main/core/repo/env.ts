/**
 * Stage 3 environment analysis of the founder's repository: which `.env` files exist and whether
 * git protects them, which variables the code reads and whether `.env.example` documents them,
 * and whether staging is configured apart from production. Pure analysis: plain data out, names
 * only — no environment value is ever returned.
 */
import { join, resolve } from 'node:path';
import { assertFolder, isFile, readText, walkTree } from './bounded-fs';
import { classifyEnvFileName, readEnvNames } from './env-files';
import type { EnvFileKind } from './env-files';
import { envGitFacts } from './env-git';
import type { GitState, IgnoreRule } from './env-git';
import { findEnvironments } from './env-environments';
import type { EnvironmentsFound } from './env-environments';
import { scanEnvUsage } from './env-usage';
import type { EnvUsage, EnvVariableUse } from './env-usage';

export type { EnvFileKind } from './env-files';
export type { GitState, IgnoreRule } from './env-git';
export type { EnvironmentEvidence, EnvironmentsFound } from './env-environments';
export type { EnvUsage, EnvUsageStats, EnvVariableUse, SourceLocation } from './env-usage';

/**
 * How git treats an environment file. `tracked`: committed (the worst case — a .gitignore line
 * added later does not untrack it). `ignored`: git will not pick it up. `not-ignored`: untracked
 * and not ignored, one `git add .` away from being committed. `unknown`: no git answer.
 */
export type EnvFileGitStatus = 'tracked' | 'ignored' | 'not-ignored' | 'unknown';

export interface EnvFileReport {
  /** Repository-relative path with forward slashes. */
  path: string;
  kind: EnvFileKind;
  /** The environment its name points at (`production`, `staging`…); null for a plain `.env`. */
  environment: string | null;
  /** Variable names it sets (examples also count commented `# NAME=` lines). Never values. */
  names: string[];
  /** How many of its variables have a non-empty value. */
  valuesSet: number;
  git: EnvFileGitStatus;
  /** Committed to git; null when git could not say. */
  tracked: boolean | null;
  /** Git will not add it (a tracked file is never ignored); null when unknown. */
  ignored: boolean | null;
  /** The ignore rule matching its path even if it is tracked ("listed in .gitignore, but committed before"). */
  ignoreRule: IgnoreRule | null;
  /** False for a file git tracks but that is deleted from the working tree (still in HEAD). */
  inWorkingTree: boolean;
  /** Why its names could not be read (too large, unreadable…), or null. */
  problem: string | null;
}

export interface EnvDocumentation {
  /** `.env.example` and friends found (repository-relative). */
  exampleFiles: string[];
  /** Names the examples document, sorted. */
  documented: string[];
  /** Variables the code reads that no example documents (all of them when there is no example). */
  undocumented: EnvVariableUse[];
  /** Documented names no code reads (may be read by a framework or tool directly). */
  documentedUnused: string[];
}

/** Everything stage 3 needs to judge environment handling; safe to store and show. */
export interface EnvAnalysis {
  /** Absolute path analysed. */
  root: string;
  /** Whether git could be asked: without it, ignore and tracking status are unknown. */
  git: GitState;
  files: EnvFileReport[];
  /** Whether a `.env` created at the root would be ignored by git; null when unknown. */
  newDotenvIgnored: boolean | null;
  usage: EnvUsage;
  documentation: EnvDocumentation;
  environments: EnvironmentsFound;
  /** Plain-words notes: not a git repository, caps reached, files that could not be read… */
  notes: string[];
  ms: number;
}

const ENV_FILE_CAP = 256 * 1024;
const MAX_ENV_FILES = 200;

/** Throws only for a missing folder (or an abort); every other oddity becomes a note. */
export async function analyseEnv(
  root: string,
  opts: { signal?: AbortSignal } = {},
): Promise<EnvAnalysis> {
  const started = Date.now();
  const abs = resolve(root);
  await assertFolder(abs);
  const { signal } = opts;
  const notes: string[] = [];
  const tree = await walkTree(abs, { signal });
  if (tree.capped) notes.push('the folder is very large: only part of it was analysed');
  if (tree.symlinkedDirsSkipped > 0) {
    notes.push(`${tree.symlinkedDirsSkipped} symlinked folder(s) were not followed`);
  }
  if (tree.unreadableDirs.length > 0) {
    notes.push(`${tree.unreadableDirs.length} folder(s) could not be read`);
  }

  const isEnvPath = (p: string) => classifyEnvFileName(p.slice(p.lastIndexOf('/') + 1)) !== null;
  const onDisk = tree.files.filter((f) => isEnvPath(f.name)).map((f) => f.path);
  const git = await envGitFacts(
    abs,
    [...onDisk.slice(0, MAX_ENV_FILES), '.env'],
    isEnvPath,
    signal,
  );
  if (git.state === 'not-a-repo') {
    notes.push('not a git repository: whether env files are ignored is unknown');
  } else if (git.problem) notes.push(`${git.problem}: ignore status unknown`);
  // Tracked env files the walk did not see: deleted locally, or inside a skipped folder.
  const onDiskSet = new Set(onDisk);
  const extra = [...git.tracked].filter((p) => !onDiskSet.has(p));

  const paths = [...new Set([...onDisk, ...extra])].sort().slice(0, MAX_ENV_FILES);
  if (onDisk.length + extra.length > MAX_ENV_FILES) {
    notes.push(`more than ${MAX_ENV_FILES} environment files: only the first were reported`);
  }
  const files: EnvFileReport[] = [];
  for (const path of paths) {
    signal?.throwIfAborted();
    const named = classifyEnvFileName(path.slice(path.lastIndexOf('/') + 1))!;
    const inWorkingTree = onDiskSet.has(path) || (await isFile(join(abs, path)));
    let content = { names: [] as string[], valuesSet: 0, allEncrypted: false };
    let problem: string | null = null;
    if (inWorkingTree) {
      const read = await readText(join(abs, path), ENV_FILE_CAP);
      if (read.ok) content = readEnvNames(read.text, named.kind === 'example');
      else problem = `names not read: ${read.reason}`;
    }
    const tracked = git.state === 'repo' ? git.tracked.has(path) : null;
    const rule = git.rules.get(path) ?? null;
    const ruleIgnores = rule !== null && !rule.pattern.startsWith('!');
    // A tracked file is never ignored, whatever .gitignore says.
    const ignored =
      tracked === null ? null : tracked ? false : git.ignoreChecked ? ruleIgnores : null;
    files.push({
      path,
      kind: named.kind === 'env' && content.allEncrypted ? 'encrypted' : named.kind,
      environment: named.environment,
      names: content.names,
      valuesSet: content.valuesSet,
      git: tracked ? 'tracked' : ignored === null ? 'unknown' : ignored ? 'ignored' : 'not-ignored',
      tracked,
      ignored,
      ignoreRule: rule && ruleIgnores ? rule : null,
      inWorkingTree,
      problem,
    });
  }
  const dotenvRule = git.rules.get('.env');
  const newDotenvIgnored = git.ignoreChecked
    ? dotenvRule !== undefined && !dotenvRule.pattern.startsWith('!')
    : null;

  const usage = await scanEnvUsage(abs, tree, signal);
  if (usage.stats.capped)
    notes.push('too many source files: only the first were scanned for variables');
  if (usage.dynamicReads.count > 0) {
    notes.push(
      'the code also reads variables by computed name: the list of variables may be incomplete',
    );
  }

  const examples = files.filter((f) => f.kind === 'example');
  const documented = new Set(examples.flatMap((f) => f.names));
  const read = new Set([...usage.variables, ...usage.runtime].map((v) => v.name));
  const documentation: EnvDocumentation = {
    exampleFiles: examples.map((f) => f.path),
    documented: [...documented].sort(),
    undocumented: usage.variables.filter((v) => !documented.has(v.name)),
    documentedUnused: [...documented].filter((n) => !read.has(n)).sort(),
  };

  const environments = await findEnvironments(abs, tree);
  return {
    root: abs,
    git: git.state,
    files,
    newDotenvIgnored,
    usage,
    documentation,
    environments,
    notes,
    ms: Date.now() - started,
  };
}
