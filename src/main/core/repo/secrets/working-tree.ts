/**
 * The working tree's side of the scan: which files to read (git's list of tracked and
 * not-ignored untracked files, or a bounded walk without git), and the keys in each.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadFailure } from '../bounded-fs';
import { LineCounter, readText, walkTree } from '../bounded-fs';
import type { FindingCollector } from './findings';
import { runGit } from './git-run';
import { inBuildDir, isSkippedPath } from './paths';
import type { ByteBudget } from './scan-text';
import { keysInFile, listSome, mib } from './scan-text';

export interface TreeScanContext {
  root: string;
  collector: FindingCollector;
  budget: ByteBudget;
  maxFileBytes: number;
  notes: string[];
  signal?: AbortSignal;
}

function nulList(out: Buffer): string[] {
  return out
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '');
}

/**
 * Files git tracks, plus untracked files no .gitignore covers (the next `git add .` would commit
 * them). Untracked build output is regenerated on every build and is left out; committed build
 * output is shipped as it is and is read. Null when git cannot list the folder.
 */
export async function gitTreeFiles(root: string, signal?: AbortSignal): Promise<string[] | null> {
  const tracked = await runGit(root, ['ls-files', '-z', '--cached'], signal);
  const untracked = await runGit(
    root,
    ['ls-files', '-z', '--others', '--exclude-standard'],
    signal,
  );
  if (tracked.code !== 0 || untracked.code !== 0) return null;
  const files = new Set(nulList(tracked.stdout).filter((p) => !isSkippedPath(p)));
  for (const p of nulList(untracked.stdout)) if (!isSkippedPath(p) && !inBuildDir(p)) files.add(p);
  return [...files].sort();
}

/** Without git: a walk that skips dependency and build folders and never follows symlinks. */
export async function walkedTreeFiles(
  root: string,
  notes: string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const tree = await walkTree(root, { signal });
  if (tree.capped)
    notes.push('The folder holds too many files: only the first 200,000 were looked at.');
  if (tree.unreadableDirs.length > 0)
    notes.push(`Some folders could not be read: ${listSome(tree.unreadableDirs)}.`);
  return tree.files.filter((f) => !f.symlink && !isSkippedPath(f.path)).map((f) => f.path);
}

const CONCURRENCY = 8;

/** Reads and scans `files` (repository-relative); returns how many were scanned. */
export async function scanTreeFiles(files: string[], ctx: TreeScanContext): Promise<number> {
  const skipped: Record<'too-large' | 'unreadable', string[]> = { 'too-large': [], unreadable: [] };
  let scanned = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length && !ctx.budget.exhausted) {
      ctx.signal?.throwIfAborted();
      const path = files[next++]!;
      const why = await scanOne(path, ctx);
      if (why === null) scanned++;
      else if (why === 'too-large' || why === 'unreadable') skipped[why].push(path);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const big = skipped['too-large'].sort();
  if (big.length > 0)
    ctx.notes.push(
      `${big.length} file${big.length === 1 ? '' : 's'} larger than ${mib(ctx.maxFileBytes)} ${big.length === 1 ? 'was' : 'were'} not scanned: ${listSome(big)}.`,
    );
  const unreadable = skipped.unreadable.sort();
  if (unreadable.length > 0)
    ctx.notes.push(`Could not read (permissions?), not scanned: ${listSome(unreadable)}.`);
  return scanned;
}

/** Scans one file; null when scanned, else why not. Symlinks are never followed. */
async function scanOne(
  path: string,
  ctx: TreeScanContext,
): Promise<ReadFailure | 'symlink' | 'budget' | null> {
  const abs = join(ctx.root, path);
  try {
    const info = await lstat(abs);
    if (info.isSymbolicLink()) return 'symlink';
    if (!info.isFile()) return 'not-a-file';
  } catch {
    return 'missing'; // tracked but deleted in the working tree
  }
  const read = await readText(abs, ctx.maxFileBytes);
  if (!read.ok) return read.reason;
  if (!ctx.budget.take(Buffer.byteLength(read.text))) return 'budget';
  const lines = new LineCounter(read.text);
  for (const m of keysInFile(read.text, path)) ctx.collector.addTree(m, path, lines.at(m.index));
  return null;
}
