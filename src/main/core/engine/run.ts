/**
 * Runs a plan: bounded concurrency, a per-check timeout with AbortSignal, progress events.
 * A check that throws or overruns becomes an `error` result; the run always finishes.
 */
import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../../../shared/checks';
import type { RunEvent, RunRecord } from '../../../shared/run';
import type { Workspace } from '../../../shared/workspace';
import type { HostResolution } from '../probes/dns';
import { resolveHost } from '../probes/dns';
import { ProbeError } from '../probes/errors';
import type { NetworkContext } from '../probes/net-context';
import type { Check, CheckContext, CheckOutcome, Credentials, RunCache } from './check';
import { NO_CREDENTIALS } from './check';
import { diffRuns } from './diff';
import type { RunPlan } from './plan';
import { computeVerdict } from './verdict';

export interface RunOptions {
  /** Checks in flight at once. */
  concurrency?: number;
  /** Hard ceiling for one check, whatever its probes do. */
  checkTimeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  previous?: Pick<RunRecord, 'runId' | 'results'> | null;
  now?: () => Date;
  /** Vendor tokens; none when absent (integration checks are then skipped). */
  credentials?: Credentials;
}

// Probes wait on the network, not the CPU: enough in flight that a run takes about as long as
// its slowest check, and a blackhole ends within one check timeout.
export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_CHECK_TIMEOUT_MS = 20_000;

export async function executeRun(
  plan: RunPlan,
  workspace: Workspace,
  net: NetworkContext,
  opts: RunOptions = {},
): Promise<RunRecord> {
  const now = opts.now ?? (() => new Date());
  const runId = randomUUID();
  const startedAt = now();
  const emit = opts.onEvent ?? (() => {});
  const total = plan.checks.length;
  const runAbort = new AbortController();
  const unlink = link(opts.signal, runAbort);
  const cache = createRunCache(net, runAbort.signal);
  const credentials = opts.credentials ?? NO_CREDENTIALS;
  const results: CheckResult[] = new Array(total);
  let done = 0;
  let next = 0;

  emit({ type: 'run-started', runId, workspaceId: workspace.id, total });
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const check = plan.checks[index] as Check;
      emit({ type: 'check-started', runId, workspaceId: workspace.id, id: check.id });
      const result = await runOne(
        check,
        { workspace, net, cache, credentials, now: startedAt },
        runAbort.signal,
        opts.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      );
      results[index] = result;
      done += 1;
      emit({ type: 'check-finished', runId, workspaceId: workspace.id, result, done, total });
    }
  };
  try {
    const workers = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, total));
    await Promise.all(Array.from({ length: workers }, worker));
    // Ask checks only read the founder's answers: instant, so outside the progress count.
    for (const ask of plan.asks ?? []) {
      results.push(
        await runOne(
          ask,
          { workspace, net, cache, credentials, now: startedAt },
          runAbort.signal,
          1000,
        ),
      );
    }
  } finally {
    unlink();
    runAbort.abort(); // releases anything a finished check left behind (cached lookups)
  }
  const meta = new Map([...plan.checks, ...(plan.asks ?? [])].map((c) => [c.id, c]));
  const verdict = computeVerdict(results, meta);
  const record: RunRecord = {
    runId,
    workspaceId: workspace.id,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    results,
    verdict,
    diff: diffRuns(opts.previous ?? null, results, meta),
  };
  emit({ type: 'run-finished', runId, workspaceId: workspace.id, verdict });
  return record;
}

async function runOne(
  check: Check,
  base: Omit<CheckContext, 'signal'>,
  runSignal: AbortSignal,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  const unlink = link(runSignal, controller);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new ProbeError('timeout', `did not finish within ${timeoutMs / 1000} s`));
      resolve({
        status: 'error',
        summary: `Could not decide: the check did not finish within ${timeoutMs / 1000} seconds.`,
        evidence: { error: 'timeout', timeoutMs },
      });
    }, timeoutMs);
  });
  let outcome: CheckOutcome;
  try {
    outcome = await Promise.race([check.run({ ...base, signal: controller.signal }), deadline]);
  } catch (err) {
    outcome = errorOutcome(err, runSignal.aborted);
  } finally {
    clearTimeout(timer);
    controller.abort();
    unlink();
  }
  return {
    id: check.id,
    stage: check.stage,
    impact: check.impact,
    status: outcome.status,
    summary: outcome.summary,
    evidence: outcome.evidence,
    durationMs: Math.round(performance.now() - started),
  };
}

function errorOutcome(err: unknown, cancelled: boolean): CheckOutcome {
  if (cancelled)
    return {
      status: 'error',
      summary: 'Could not decide: the run was stopped.',
      evidence: { error: 'aborted' },
    };
  if (err instanceof ProbeError) {
    return {
      status: 'error',
      summary: `Could not decide: ${err.message}.`,
      evidence: { error: err.kind, message: err.message },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    status: 'error',
    summary: `Could not decide: the check failed unexpectedly (${message}).`,
    evidence: { error: 'internal', message },
  };
}

/** Aborts `target` when `source` aborts; returns the unlink function. */
function link(source: AbortSignal | undefined, target: AbortController): () => void {
  if (!source) return () => {};
  if (source.aborted) {
    target.abort(source.reason);
    return () => {};
  }
  const onAbort = () => target.abort(source.reason);
  source.addEventListener('abort', onAbort, { once: true });
  return () => source.removeEventListener('abort', onAbort);
}

/** One lookup per host per run; each caller can still give up on its own signal. */
export function createRunCache(net: NetworkContext, runSignal: AbortSignal): RunCache {
  const lookups = new Map<string, Promise<HostResolution>>();
  const memos = new Map<string, Promise<unknown>>();
  return {
    memo<T>(key: string, make: (s: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) {
        p = make(runSignal);
        p.catch(() => {});
        memos.set(key, p);
      }
      return signal ? raceAbort(p, signal) : p;
    },
    resolve(host, signal) {
      const key = host.toLowerCase();
      let p = lookups.get(key);
      if (!p) {
        p = resolveHost(key, net, { signal: runSignal });
        p.catch(() => {}); // observed by callers; avoid an unhandled rejection when none waits
        lookups.set(key, p);
      }
      return signal ? raceAbort(p, signal) : p;
    },
  };
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProbeError('aborted', 'stopped'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ProbeError('aborted', 'stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
