/**
 * What git says about the environment files: which are tracked (committed — the worst case) and
 * which .gitignore rule, if any, covers each. Read-only git commands, with the repository's
 * fsmonitor hook disabled so reading a folder never runs its code.
 */
import { spawn } from 'node:child_process';
import { devNull } from 'node:os';

const GIT_TIMEOUT_MS = 20_000;
const MAX_OUTPUT = 8 * 1024 * 1024;

/** `repo`: a work tree; `not-a-repo`: plain folder; `unavailable`: git missing, refused or timed out. */
export type GitState = 'repo' | 'not-a-repo' | 'unavailable';

interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
  failed?: 'missing' | 'timeout' | 'too-much-output';
}

/**
 * The parent's environment minus the variables that point git at another repository: run from
 * a git hook (a test in pre-commit, say), GIT_DIR and GIT_INDEX_FILE would name the wrong one.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_COMMON_DIR',
    'GIT_OBJECT_DIRECTORY',
    'GIT_NAMESPACE',
    'GIT_PREFIX',
  ]) {
    delete env[key];
  }
  return env;
}

function runGit(
  cwd: string,
  args: string[],
  input: string | null,
  signal?: AbortSignal,
): Promise<GitResult> {
  return new Promise((resolve) => {
    // The user's global excludes file is not read: a rule that only exists on the founder's
    // laptop does not stop a teammate from committing the same file.
    const fullArgs = ['-c', 'core.fsmonitor=false', '-c', `core.excludesFile=${devNull}`, ...args];
    const child = spawn('git', fullArgs, {
      cwd,
      env: {
        ...inheritedEnv(),
        GIT_TERMINAL_PROMPT: '0',
        GIT_OPTIONAL_LOCKS: '0',
        LC_ALL: 'C',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failed: GitResult['failed'];
    const timer = setTimeout(() => {
      failed = 'timeout';
      child.kill('SIGKILL');
    }, GIT_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > MAX_OUTPUT) {
        failed = 'too-much-output';
        child.kill('SIGKILL');
      } else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 4096) err += b.toString();
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') failed = 'missing';
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: err, failed });
    });
    // git may exit before reading stdin; its exit code, not EPIPE, says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

export interface IgnoreRule {
  /** The ignore file that matched, relative to the repository's top level (`.gitignore`, `.git/info/exclude`). */
  source: string;
  line: number;
  pattern: string;
}

export interface EnvGitFacts {
  state: GitState;
  /** Why git could not answer, in plain words (when `state` is not `repo`). */
  problem: string | null;
  /** Tracked environment-like files, relative to the analysed folder. */
  tracked: Set<string>;
  /** The rule that decides each asked path (a `!negation` rule means "not ignored"). */
  rules: Map<string, IgnoreRule>;
  /** check-ignore answered: a path without a rule is known not to be ignored. */
  ignoreChecked: boolean;
}

/** git pathspecs for every file name `isEnvFileName` could accept, at any depth. */
const ENV_PATHSPECS = [':(glob)**/.env', ':(glob)**/.env.*', ':(glob)**/*.env', ':(glob)**/.envrc'];

/**
 * Asks git, from `root`, which env files are tracked (`isEnvPath` filters git's list) and which
 * ignore rule matches each of `paths` plus every tracked env file — matched regardless of
 * tracking, via --no-index; the caller combines the two.
 */
export async function envGitFacts(
  root: string,
  paths: string[],
  isEnvPath: (path: string) => boolean,
  signal?: AbortSignal,
): Promise<EnvGitFacts> {
  const facts: EnvGitFacts = {
    state: 'repo',
    problem: null,
    tracked: new Set(),
    rules: new Map(),
    ignoreChecked: false,
  };
  const probe = await runGit(root, ['rev-parse', '--is-inside-work-tree'], null, signal);
  signal?.throwIfAborted();
  if (probe.failed === 'missing') {
    return { ...facts, state: 'unavailable', problem: 'git is not installed' };
  }
  if (probe.code !== 0 || probe.stdout.trim() !== 'true') {
    if (/not a git repository/i.test(probe.stderr) || probe.stdout.trim() === 'false') {
      return { ...facts, state: 'not-a-repo', problem: 'not a git repository' };
    }
    const why = probe.failed ?? (probe.stderr.split('\n')[0]?.trim() || 'unknown error');
    return { ...facts, state: 'unavailable', problem: `git could not read the folder: ${why}` };
  }

  const ls = await runGit(
    root,
    ['ls-files', '-z', '--cached', '--', ...ENV_PATHSPECS],
    null,
    signal,
  );
  if (ls.code === 0 && !ls.failed) {
    for (const p of ls.stdout.split('\0')) if (p && isEnvPath(p)) facts.tracked.add(p);
  } else {
    return { ...facts, state: 'unavailable', problem: 'git ls-files failed' };
  }

  const asked = [...new Set([...paths, ...facts.tracked])];
  if (asked.length > 0) {
    const ci = await runGit(
      root,
      // Each line is matched as a path, not a glob: check-ignore takes no pathspec magic.
      ['check-ignore', '--no-index', '-v', '-n', '-z', '--stdin'],
      asked.map((p) => `${p}\0`).join(''),
      signal,
    );
    // Exit 1 only means "nothing matched"; 128 is a real error.
    if ((ci.code === 0 || ci.code === 1) && !ci.failed) {
      facts.ignoreChecked = true;
      const f = ci.stdout.split('\0');
      for (let i = 0; i + 3 < f.length; i += 4) {
        const [source, line, pattern, path] = [f[i]!, f[i + 1]!, f[i + 2]!, f[i + 3]!];
        if (source) facts.rules.set(path, { source, line: Number(line) || 0, pattern });
      }
    } else {
      facts.problem = 'git check-ignore failed';
    }
  }
  return facts;
}
