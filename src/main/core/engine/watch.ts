/**
 * Re-checking on a schedule: each run is compared with the one before, and only what got worse
 * is reported — a new failure, or a pass that became a warning (a certificate entering its
 * warning window). A problem that stays is not reported again.
 */
import type { RunRecord } from '../../../shared/run';

export interface Regression {
  id: string;
  title: string;
  before: string;
  after: string;
  summary: string;
}

/** What got worse between two runs (the run's own diff against `previous`). */
export function regressionsOf(run: RunRecord): Regression[] {
  if (run.diff.previousRunId === null) return [];
  const summaries = new Map(run.results.map((r) => [r.id, r.summary]));
  const worse = [
    ...run.diff.newFailures,
    // pass → warn: still working, but heading for trouble (e.g. a certificate's warning window).
    ...run.diff.changed.filter((c) => c.before === 'pass' && c.after === 'warn'),
  ];
  return worse.map((c) => ({
    id: c.id,
    title: c.title,
    before: c.before ?? 'not checked',
    after: c.after ?? 'not checked',
    summary: summaries.get(c.id) ?? '',
  }));
}

/** "30s", "15m", "6h", "1d" → milliseconds; at least 1 s, at most 30 days. */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an interval like 30s, 15m, 6h or 1d.`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    (m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h' | 'd'
  ];
  const ms = Number(m[1]) * unit;
  if (ms < 1000 || ms > 30 * 86_400_000) throw new Error(`"${text}": give between 1s and 30d.`);
  return ms;
}

export interface WatchOptions {
  everyMs: number;
  /** One full run; `previous` is the run before (null the first time). */
  runOnce(previous: RunRecord | null): Promise<RunRecord>;
  onRun(run: RunRecord, regressions: Regression[], n: number): void;
  signal: AbortSignal;
  /** Stop after this many runs (for a bounded watch); unbounded when absent. */
  maxRuns?: number;
}

/**
 * Runs now, then every `everyMs` after the previous run ended (runs never overlap), until the
 * signal aborts or maxRuns is reached. A run that throws ends the watch with that error.
 */
export async function watchLoop(opts: WatchOptions): Promise<number> {
  let previous: RunRecord | null = null;
  let n = 0;
  while (!opts.signal.aborted && (opts.maxRuns === undefined || n < opts.maxRuns)) {
    const run = await opts.runOnce(previous);
    n += 1;
    opts.onRun(run, regressionsOf(run), n);
    previous = run;
    if (opts.maxRuns !== undefined && n >= opts.maxRuns) break;
    await sleep(opts.everyMs, opts.signal);
  }
  return n;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
