/**
 * Bounded reads of the founder's repository for the stage 3 analysers: a walk that never follows
 * symlinks (so loops cannot trap it), skips dependency and build folders, and stops at a cap;
 * and a text read that refuses anything too large, binary, or not a regular file — reporting
 * why instead of throwing.
 */
import { constants } from 'node:fs';
import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders that hold dependencies, build output, caches or vendored code, never the founder's own source. */
const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.output',
  '.vercel',
  '.netlify',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.angular',
  '.docusaurus',
  '.expo',
  '.serverless',
  '.aws-sam',
  '.terraform',
  '.yarn',
  '.pnpm-store',
  'storybook-static',
  'coverage',
  '.nyc_output',
  '.venv',
  'venv',
  '__pycache__',
  'site-packages',
  '.tox',
  '.nox',
  '.eggs',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'target',
  '.gradle',
  '.idea',
  'Pods',
  'DerivedData',
  '.dart_tool',
  'tmp',
  '.tmp',
]);

export interface TreeEntry {
  /** Repository-relative path with forward slashes. */
  path: string;
  name: string;
  /** A symlink to a file: listed (its name may matter) but never read through by the walk. */
  symlink: boolean;
}

export interface Tree {
  files: TreeEntry[];
  /** Relative paths of folders walked (root excluded). */
  dirs: string[];
  /** The walk stopped at the entry cap: later folders were not seen. */
  capped: boolean;
  symlinkedDirsSkipped: number;
  unreadableDirs: string[];
}

export interface WalkOptions {
  maxEntries?: number;
  maxDepth?: number;
  signal?: AbortSignal;
}

/** Throws a plain-words Error when `root` is missing or not a folder; every other oddity is reported. */
export async function assertFolder(root: string): Promise<void> {
  let info;
  try {
    info = await stat(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new Error(`Folder not found: ${root}`, { cause: err });
    throw new Error(`Cannot open the folder ${root}: ${code ?? String(err)}`, { cause: err });
  }
  if (!info.isDirectory()) throw new Error(`Not a folder: ${root}`);
}

/** Breadth-first walk in name order, so results are the same on every run. */
export async function walkTree(root: string, opts: WalkOptions = {}): Promise<Tree> {
  const maxEntries = opts.maxEntries ?? 200_000;
  const maxDepth = opts.maxDepth ?? 24;
  const tree: Tree = {
    files: [],
    dirs: [],
    capped: false,
    symlinkedDirsSkipped: 0,
    unreadableDirs: [],
  };
  const queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  let seen = 0;
  for (let i = 0; i < queue.length; i++) {
    opts.signal?.throwIfAborted();
    const { rel, depth } = queue[i]!;
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch {
      tree.unreadableDirs.push(rel);
      continue;
    }
    // A Python virtualenv may be named anything (`.env` is common): its marker file gives it away.
    if (rel !== '' && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
    if (rel !== '') tree.dirs.push(rel);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (++seen > maxEntries) {
        tree.capped = true;
        return tree;
      }
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.endsWith('.egg-info') && depth + 1 <= maxDepth) {
          queue.push({ rel: path, depth: depth + 1 });
        }
      } else if (e.isFile()) {
        tree.files.push({ path, name: e.name, symlink: false });
      } else if (e.isSymbolicLink()) {
        let target;
        try {
          target = await stat(join(root, path));
        } catch {
          continue; // dangling or looping link
        }
        if (target.isDirectory()) tree.symlinkedDirsSkipped++;
        else if (target.isFile()) tree.files.push({ path, name: e.name, symlink: true });
      }
    }
  }
  return tree;
}

export type ReadFailure = 'missing' | 'not-a-file' | 'too-large' | 'binary' | 'unreadable';

export type TextRead = { ok: true; text: string } | { ok: false; reason: ReadFailure };

/** Plain words for a failed read, for notes. */
export function describeFailure(file: string, reason: ReadFailure, cap: number): string {
  switch (reason) {
    case 'missing':
      return `${file}: not found`;
    case 'not-a-file':
      return `${file}: not a regular file, skipped`;
    case 'too-large':
      return `${file}: larger than ${Math.round(cap / 1024)} KiB, skipped`;
    case 'binary':
      return `${file}: binary, skipped`;
    case 'unreadable':
      return `${file}: could not be read (permissions?), skipped`;
  }
}

const BINARY_PROBE = 8192;

/**
 * Reads a file as UTF-8 when it is a regular file of at most `maxBytes` with no NUL byte in its
 * first 8 KiB. Opened non-blocking so a FIFO named like a config file cannot hang the scan.
 */
export async function readText(path: string, maxBytes: number): Promise<TextRead> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing' };
    if (code === 'EISDIR') return { ok: false, reason: 'not-a-file' };
    return { ok: false, reason: 'unreadable' };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: 'not-a-file' };
    if (info.size > maxBytes) return { ok: false, reason: 'too-large' };
    // Read one byte past the cap: a file that grew since stat() is still refused.
    const buf = Buffer.alloc(Math.min(maxBytes + 1, info.size + 1));
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { ok: false, reason: 'too-large' };
    if (buf.subarray(0, Math.min(length, BINARY_PROBE)).includes(0)) {
      return { ok: false, reason: 'binary' };
    }
    return { ok: true, text: buf.toString('utf8', 0, length) };
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Whether a regular file (or a link to one) exists at `path`. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** 1-based line number of `index` in `text`, counting from a known earlier position. */
export class LineCounter {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  at(index: number): number {
    if (index < this.pos) {
      this.pos = 0;
      this.line = 1;
    }
    for (let i = this.pos; i < index; i++) if (this.text.charCodeAt(i) === 10) this.line++;
    this.pos = index;
    return this.line;
  }
}
