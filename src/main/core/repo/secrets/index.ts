/**
 * Stage 3's secret scan of the founder's repository: the working tree and every commit on every
 * branch and tag. Finds provider keys and hard-coded secrets, reports each once — where it is
 * now if it is still there, and the commit that first added it — and never returns or logs a
 * value: findings carry a preview (provider prefix and at most the last 4 characters).
 */
import { resolve } from 'node:path';
import { assertFolder } from '../bounded-fs';
import type { RepoScan } from '../types';
import { FindingCollector } from './findings';
import { scanHistory } from './git-history';
import { runGit } from './git-run';
import { ByteBudget, mib } from './scan-text';
import { gitTreeFiles, scanTreeFiles, walkedTreeFiles } from './working-tree';

export interface ScanRepoOptions {
  signal?: AbortSignal;
  /** Larger files (in the tree, or added in one commit) are not scanned. Default 1 MiB. */
  maxFileBytes?: number;
  /** Text scanned in all, tree and history together. Default 512 MiB. */
  maxTotalBytes?: number;
  /** Commits read from the history, newest first. Default 20,000. */
  maxCommits?: number;
  /** Findings returned, most urgent first. Default 500. */
  maxFindings?: number;
}

export const SCAN_DEFAULTS = {
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxCommits: 20_000,
  maxFindings: 500,
} as const;

type GitState = { state: 'repo' } | { state: 'not-a-repo' } | { state: 'unavailable'; why: string };

async function gitState(root: string, signal: AbortSignal): Promise<GitState> {
  const probe = await runGit(root, ['rev-parse', '--is-inside-work-tree'], signal);
  if (probe.missing) return { state: 'unavailable', why: 'git is not installed' };
  const out = probe.stdout.toString('utf8').trim();
  if (probe.code === 0 && out === 'true') return { state: 'repo' };
  if (out === 'false' || /not a git repository/i.test(probe.stderr)) return { state: 'not-a-repo' };
  if (/dubious ownership/i.test(probe.stderr))
    return {
      state: 'unavailable',
      why: 'the repository belongs to another user, so git refuses to read it',
    };
  return { state: 'unavailable', why: probe.stderr.split('\n')[0]?.trim() || 'unknown error' };
}

/**
 * Scans `root` (a folder). Throws an Error with a plain message when `root` does not exist
 * ("Folder not found: …") or is not a folder ("Not a folder: …"); rejects with the signal's
 * reason when aborted. Everything else — no git, caps reached, unreadable files — is a note.
 */
export async function scanRepo(root: string, opts: ScanRepoOptions = {}): Promise<RepoScan> {
  const started = performance.now();
  const abs = resolve(root);
  await assertFolder(abs);
  const maxFileBytes = opts.maxFileBytes ?? SCAN_DEFAULTS.maxFileBytes;
  const maxFindings = opts.maxFindings ?? SCAN_DEFAULTS.maxFindings;
  const budget = new ByteBudget(opts.maxTotalBytes ?? SCAN_DEFAULTS.maxTotalBytes);
  const collector = new FindingCollector(Math.max(maxFindings * 10, 5000));
  const notes: string[] = [];

  // One internal controller, so a failure on one side also stops git on the other.
  const internal = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, internal.signal]) : internal.signal;
  const ctx = { root: abs, collector, budget, maxFileBytes, notes, signal };
  try {
    signal.throwIfAborted();
    let git = await gitState(abs, signal);
    let files: string[] | null = null;
    let commits = 0;
    let scanned = 0;
    if (git.state === 'repo') files = await gitTreeFiles(abs, signal);
    if (git.state === 'repo' && files === null)
      git = { state: 'unavailable', why: 'git ls-files failed' };
    if (files !== null) {
      [scanned, commits] = await Promise.all([
        scanTreeFiles(files, ctx),
        scanHistory({ ...ctx, maxCommits: opts.maxCommits ?? SCAN_DEFAULTS.maxCommits }),
      ]);
    } else {
      notes.push(
        git.state === 'unavailable'
          ? `git could not be used (${git.why}): the files in the folder were scanned, the history was not.`
          : 'Not a git repository: the files in the folder were scanned; there is no history to scan.',
      );
      scanned = await scanTreeFiles(await walkedTreeFiles(abs, notes, signal), ctx);
    }
    if (budget.exhausted)
      notes.push(`Scanning stopped after ${mib(budget.max)} of text: the rest was not scanned.`);
    const { findings, omitted, untracked } = collector.result(maxFindings);
    if (omitted > 0)
      notes.push(`${omitted} more findings are not listed: the list stops at ${maxFindings}.`);
    if (untracked > 0)
      notes.push(
        `${untracked} further secret-like values were too many to track and are not listed.`,
      );
    return {
      root: abs,
      isGitRepo: git.state === 'repo',
      findings,
      stats: {
        commits,
        bytes: budget.used,
        ms: Math.round(performance.now() - started),
        files: scanned,
      },
      notes,
    };
  } catch (err) {
    internal.abort(err);
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw err;
  }
}
