/**
 * Runs git on a folder we did not write. The repository's own config (.git/config) can name
 * commands — an fsmonitor hook, a pager, diff drivers, a GPG program — so git runs with no
 * system or user config, a minimal environment, and `-c` overrides that switch each of them
 * off; callers add `--no-ext-diff --no-textconv` to diffs.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { devNull } from 'node:os';

/** Overrides that beat the repository's config (command-line config has the last word). */
const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  'core.pager=cat',
  'core.quotePath=false',
  `core.attributesFile=${devNull}`,
  `core.excludesFile=${devNull}`,
  `core.hooksPath=${devNull}`,
  'color.ui=false',
  'log.showSignature=false',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'i18n.logOutputEncoding=UTF-8',
];

/** What of the parent environment git may see: enough to run, nothing that redirects it. */
const PASSED_ENV = ['PATH', 'SystemRoot', 'SYSTEMROOT', 'windir', 'TMPDIR', 'TEMP', 'TMP'];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of PASSED_ENV) if (process.env[k] !== undefined) env[k] = process.env[k];
  return {
    ...env,
    HOME: devNull,
    LC_ALL: 'C',
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_ATTR_NOSYSTEM: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
  };
}

/** Starts `git <args>` in `cwd`; the child is SIGKILLed when `signal` aborts. */
export function spawnGit(
  cwd: string,
  args: string[],
  signal?: AbortSignal,
): ChildProcessWithoutNullStreams {
  const config = SAFE_CONFIG.flatMap((c) => ['-c', c]);
  return spawn('git', [...config, '--no-pager', '--no-replace-objects', ...args], {
    cwd,
    env: gitEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
    signal,
    killSignal: 'SIGKILL',
    windowsHide: true,
  });
}

export interface GitOutput {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** git is not installed (spawn failed with ENOENT). */
  missing: boolean;
}

/** Runs a short git command to completion, keeping at most `maxBytes` of its output. */
export function runGit(
  cwd: string,
  args: string[],
  signal?: AbortSignal,
  maxBytes = 64 * 1024 * 1024,
): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args, signal);
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let missing = false;
    // git may exit before reading stdin; its exit code, not EPIPE, says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end();
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size <= maxBytes) out.push(b);
      else child.kill('SIGKILL');
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 4096) stderr += b.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') missing = true;
    });
    child.on('close', (code) => {
      if (signal?.aborted) reject(signal.reason);
      else resolve({ code, stdout: Buffer.concat(out), stderr, missing });
    });
  });
}
