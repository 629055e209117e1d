/**
 * Builds a scenario's repository with one `git fast-import` (fast, and the history is
 * byte-for-byte the same on every machine), then checks out main and writes the uncommitted
 * files. git runs with no system or user configuration, so nothing on the machine leaks in.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import type { LabRepo, LabRepoCommit } from './scenario';

const DEFAULT_AUTHOR = { name: 'Lab Founder', email: 'founder@example.test' };
const GIT_TIMEOUT_MS = 30_000;

export interface LabRepoHandle {
  path: string;
  remove(): Promise<void>;
}

export async function createLabRepo(repo: LabRepo, name: string): Promise<LabRepoHandle> {
  const parent = await mkdtemp(join(tmpdir(), `launch-ready-lab-${name}-`));
  const path = join(parent, name);
  const remove = () => rm(parent, { recursive: true, force: true });
  try {
    await mkdir(path);
    await git(path, ['init', '-q', '-b', 'main']);
    await git(path, ['fast-import', '--quiet', '--done'], fastImportStream(repo));
    await git(path, ['checkout', '-q', '-f', 'main']);
    for (const [file, text] of Object.entries(repo.uncommitted ?? {})) {
      const target = inside(path, file);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    return { path, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

/** The fast-import commands for every commit: main first, then each branch off its base. */
function fastImportStream(repo: LabRepo): string {
  const out: string[] = [];
  let mark = 0;
  const mainMarks: number[] = [];
  const commit = (ref: string, c: LabRepoCommit, parent: number | null): number => {
    const who = c.author ?? DEFAULT_AUTHOR;
    const when = Math.floor(Date.parse(c.date) / 1000);
    if (!Number.isFinite(when))
      throw new Error(`Lab repo: commit "${c.message}" has no valid date.`);
    mark += 1;
    const msg = Buffer.from(`${c.message}\n`);
    out.push(
      `commit ${ref}`,
      `mark :${mark}`,
      `author ${who.name} <${who.email}> ${when} +0000`,
      `committer ${who.name} <${who.email}> ${when} +0000`,
      `data ${msg.length}`,
      msg.toString(),
    );
    if (parent !== null) out.push(`from :${parent}`);
    for (const [file, text] of Object.entries(c.files)) {
      const p = quotePath(file);
      if (text === null) {
        out.push(`D ${p}`);
      } else {
        const data = Buffer.from(text);
        out.push(`M 100644 inline ${p}`, `data ${data.length}`, data.toString());
      }
    }
    out.push('');
    return mark;
  };
  let previous: number | null = null;
  for (const c of repo.commits) {
    previous = commit('refs/heads/main', c, previous);
    mainMarks.push(previous);
  }
  for (const b of repo.branches ?? []) {
    let parent = mainMarks[b.from] ?? null;
    for (const c of b.commits) parent = commit(`refs/heads/${b.name}`, c, parent);
  }
  out.push('done', '');
  return out.join('\n');
}

/** fast-import's path syntax: quoted C-style when the path has special characters. */
function quotePath(file: string): string {
  if (!/^[\w./@+-]+$/.test(file)) return JSON.stringify(file);
  return file;
}

function inside(root: string, file: string): string {
  const target = normalize(join(root, file));
  if (!target.startsWith(root + sep)) throw new Error(`Lab repo: "${file}" leaves the repository.`);
  return target;
}

function git(cwd: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: cwd,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        LC_ALL: 'C',
      },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), GIT_TIMEOUT_MS);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Lab repo: could not run git (${err.message}).`, { cause: err }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`Lab repo: git ${args[0]} failed (${code}): ${stderr.trim()}`));
    });
    // A git that exits before reading its input closes the pipe: the exit code tells why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
