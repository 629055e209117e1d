/**
 * The history's side of the scan: every commit on every branch and tag, streamed from one
 * `git log -p` and parsed as it arrives (never buffered whole), added lines only. Bounded by a
 * commit count and the shared byte budget; an abort kills git at once.
 */
import type { FindingCollector } from './findings';
import { runGit, spawnGit } from './git-run';
import type { AddedText, LogCommit } from './log-parser';
import { LOG_FORMAT, LogParser, lineAt } from './log-parser';
import { historyPathspecs } from './paths';
import type { ByteBudget } from './scan-text';
import { keysInFile, listSome, mib } from './scan-text';

export interface HistoryScanContext {
  root: string;
  collector: FindingCollector;
  budget: ByteBudget;
  maxFileBytes: number;
  maxCommits: number;
  notes: string[];
  signal?: AbortSignal;
}

/**
 * Options that make the output fast to produce and unambiguous to read, whatever the repo's
 * config says: no colour, no external diff or textconv programs, no rename detection (a renamed
 * file's lines count as added again; the oldest commit still wins), deletions left out.
 */
function logArgs(maxCommits: number): string[] {
  return [
    'log',
    '--all',
    '--full-history',
    '-p',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-renames',
    '--no-show-signature',
    '--unified=0',
    '--diff-filter=d',
    '--relative',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    LOG_FORMAT,
    `--max-count=${maxCommits}`,
    '--',
    ...historyPathspecs(),
  ];
}

/** Scans the history into the collector; returns the number of commits read. */
export function scanHistory(ctx: HistoryScanContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const { collector, budget, maxCommits, notes, signal } = ctx;
    // git log leaves out commits with nothing to show (only deletions, only lockfiles): the
    // count comes from rev-list.
    const counting = runGit(ctx.root, ['rev-list', '--all', '--count'], signal).then(
      (r) => (r.code === 0 ? Number(r.stdout.toString('utf8').trim()) || 0 : null),
      () => null,
    );
    let shown = 0;
    const oversized: string[] = [];
    const parser = new LogParser(
      {
        onCommit(_commit: LogCommit) {
          shown++;
          return true;
        },
        onAdded(added: AddedText) {
          if (!budget.take(Buffer.byteLength(added.text))) return false;
          for (const m of keysInFile(added.text, added.path))
            collector.addHistory(m, added.path, lineAt(added, m.index), added.commit);
          return true;
        },
        onOversized(commit: LogCommit, path: string) {
          if (oversized.length < 100) oversized.push(`${path} (${commit.hash.slice(0, 7)})`);
        },
      },
      ctx.maxFileBytes,
    );

    const child = spawnGit(ctx.root, logArgs(maxCommits), signal);
    let stderr = '';
    let stoppedEarly = false;
    let failure: unknown = null;
    // git may exit before reading stdin; its exit code, not EPIPE, says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end();
    child.stdout.on('data', (chunk: Buffer) => {
      if (stoppedEarly) return;
      try {
        if (parser.push(chunk)) return;
      } catch (err) {
        failure = err; // a bug of ours: stop git, report it through the promise
      }
      stoppedEarly = true;
      child.kill('SIGKILL');
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 4096) stderr += b.toString('utf8');
    });
    child.on('error', () => undefined); // reported through 'close'
    child.on('close', async (code) => {
      if (signal?.aborted) return reject(signal.reason);
      if (failure !== null) return reject(failure);
      try {
        if (!stoppedEarly) parser.end();
      } catch (err) {
        return reject(err);
      }
      const total = (await counting) ?? shown;
      if (signal?.aborted) return reject(signal.reason);
      const capped = shown >= maxCommits && total > maxCommits;
      if (capped)
        notes.push(
          `The history has more than ${maxCommits.toLocaleString('en-US')} commits: only the newest ${maxCommits.toLocaleString('en-US')} were scanned.`,
        );
      if (oversized.length > 0)
        notes.push(
          `In the history, files whose added lines exceed ${mib(ctx.maxFileBytes)} were not scanned: ${listSome(oversized)}.`,
        );
      if (code !== 0 && !stoppedEarly) {
        const why = stderr.split('\n')[0]?.trim() || `exit code ${code}`;
        notes.push(`git could not read the whole history (${why}): some commits were not scanned.`);
      }
      resolve(capped ? maxCommits : Math.max(total, shown));
    });
  });
}
