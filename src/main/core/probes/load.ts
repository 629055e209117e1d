/**
 * A light-load burst: a few concurrent "users" requesting the product's own pages for a few
 * seconds. Every dimension is capped by constants a caller cannot raise (concurrency, duration,
 * request count, request rate, per-request time), and it refuses any host the caller did not
 * list as the product's own: this is a courtesy check of your server, never a stress test,
 * and never aimed at somebody else's.
 */
import type { ResolveFn } from './connect';
import { ProbeError } from './errors';
import type { NetworkContext } from './net-context';
import type { Endpoint } from './perf-http';
import { PerfConnection, endpointFor } from './perf-http';
import type { LatencySummary } from './percentiles';
import { summarize } from './percentiles';

/**
 * The ceilings, whatever a caller asks for. 10 concurrent requests for 5 s at most 50 per
 * second (250 requests) is what a handful of people clicking around during a demo produce.
 */
export const BURST_CAPS = {
  concurrency: 10,
  durationMs: 5_000,
  requests: 250,
  ratePerSec: 50,
  requestTimeoutMs: 5_000,
} as const;

/** What a run uses unless told otherwise: a little below the caps. */
export const BURST_DEFAULTS = {
  concurrency: 8,
  durationMs: 3_000,
  requests: 150,
  ratePerSec: 40,
  requestTimeoutMs: 3_000,
} as const;

export interface BurstOptions {
  concurrency?: number;
  durationMs?: number;
  maxRequests?: number;
  ratePerSec?: number;
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  resolve?: ResolveFn;
}

export interface BurstTarget {
  url: string;
  label: string;
}

/** Thrown before a single byte is sent when a target is not one of the product's hosts. */
export class LoadTargetRefused extends Error {
  constructor(readonly host: string) {
    super(`refused to send load to ${host}: it is not one of this product's hosts`);
    this.name = 'LoadTargetRefused';
  }
}

export interface TargetFigures {
  url: string;
  label: string;
  requests: number;
  /** Answered with a status (any). */
  answered: number;
  serverErrors: number;
  timeouts: number;
  /** No answer for another reason (refused, reset…). */
  failures: number;
  statuses: Record<string, number>;
  latency: LatencySummary | null;
}

export interface BurstReport {
  /** What was actually used, after clamping. */
  limits: {
    concurrency: number;
    durationMs: number;
    maxRequests: number;
    ratePerSec: number;
    requestTimeoutMs: number;
  };
  elapsedMs: number;
  requests: number;
  answered: number;
  serverErrors: number;
  timeouts: number;
  failures: number;
  /** Shares of all requests, 0–1. */
  serverErrorRate: number;
  timeoutRate: number;
  failureRate: number;
  statuses: Record<string, number>;
  /** Latency of answered requests under load (any status). */
  latency: LatencySummary | null;
  targets: TargetFigures[];
  /** Targets dropped because one plain request beforehand got no answer. */
  unreachable: { url: string; label: string; error: string; message: string }[];
  /** A few distinct failure messages, for the contractor. */
  sampleErrors: string[];
}

const clampTo = (v: number | undefined, dflt: number, max: number): number =>
  Math.max(1, Math.min(Math.floor(v ?? dflt), max));

export function burstLimits(opts: BurstOptions): BurstReport['limits'] {
  return {
    concurrency: clampTo(opts.concurrency, BURST_DEFAULTS.concurrency, BURST_CAPS.concurrency),
    durationMs: clampTo(opts.durationMs, BURST_DEFAULTS.durationMs, BURST_CAPS.durationMs),
    maxRequests: clampTo(opts.maxRequests, BURST_DEFAULTS.requests, BURST_CAPS.requests),
    ratePerSec: clampTo(opts.ratePerSec, BURST_DEFAULTS.ratePerSec, BURST_CAPS.ratePerSec),
    requestTimeoutMs: clampTo(
      opts.requestTimeoutMs,
      BURST_DEFAULTS.requestTimeoutMs,
      BURST_CAPS.requestTimeoutMs,
    ),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    throw new ProbeError('malformed', `"${url}" is not a URL`);
  }
}

interface Live {
  target: BurstTarget;
  path: string;
  conn: PerfConnection;
  lat: number[];
  fig: Omit<TargetFigures, 'latency'>;
}

/**
 * Runs the burst. `ownHosts` are the product's host names: a target elsewhere throws
 * LoadTargetRefused before anything is sent. A target that cannot be resolved, or that
 * answers none of its requests, is listed in `unreachable`; if no target answers at all, the
 * first ProbeError is thrown (the burst could not judge anything).
 */
export async function runBurst(
  targets: readonly BurstTarget[],
  ownHosts: ReadonlySet<string>,
  net: NetworkContext,
  opts: BurstOptions = {},
): Promise<BurstReport> {
  const limits = burstLimits(opts);
  const own = new Set([...ownHosts].map((h) => h.toLowerCase().replace(/\.$/, '')));
  for (const t of targets) {
    const host = hostOf(t.url);
    if (!own.has(host)) throw new LoadTargetRefused(host);
  }
  if (targets.length === 0) throw new ProbeError('malformed', 'no target for the load burst');
  const { signal } = opts;

  // Where each origin's connections go. A host that cannot be resolved is left out (the
  // DNS check reports it); the rest learn whether they answer from the burst itself.
  const endpoints = new Map<string, Endpoint>();
  const unreachable: BurstReport['unreachable'] = [];
  let firstError: ProbeError | null = null;
  const note = (target: BurstTarget, err: unknown): void => {
    const e = err instanceof ProbeError ? err : new ProbeError('network', String(err));
    firstError ??= e;
    unreachable.push({ url: target.url, label: target.label, error: e.kind, message: e.message });
  };
  const resolved = await Promise.all(
    targets.map(async (target): Promise<BurstTarget | null> => {
      try {
        const u = new URL(target.url);
        if (!endpoints.has(u.origin))
          endpoints.set(u.origin, await endpointFor(u, net, { signal, resolve: opts.resolve }));
        return target;
      } catch (err) {
        if (signal?.aborted) throw new ProbeError('aborted', 'stopped');
        note(target, err);
        return null;
      }
    }),
  );
  const reachable = resolved.filter((t): t is BurstTarget => t !== null);
  if (reachable.length === 0) throw firstError ?? new ProbeError('network', 'no target answered');

  // One pool per origin, sized to the burst: like a few browsers, each keeping its connection.
  const pools = new Map<string, PerfConnection>();
  const live: Live[] = reachable.map((target) => {
    const u = new URL(target.url);
    let pool = pools.get(u.origin);
    if (!pool) {
      pool = new PerfConnection(endpoints.get(u.origin) as Endpoint, net, {
        connections: limits.concurrency,
        timeoutMs: limits.requestTimeoutMs,
      });
      pools.set(u.origin, pool);
    }
    return {
      target,
      path: `${u.pathname}${u.search}`,
      conn: pool,
      lat: [],
      fig: {
        url: target.url,
        label: target.label,
        requests: 0,
        answered: 0,
        serverErrors: 0,
        timeouts: 0,
        failures: 0,
        statuses: {},
      },
    };
  });

  const all: number[] = [];
  const errors = new Set<string>();
  let burstError: ProbeError | null = null;
  const intervalMs = 1000 / limits.ratePerSec;
  const started = performance.now();
  let issued = 0;
  // Failures in a row with no answer at all: a dead server is not loaded any further.
  let noAnswerStreak = 0;
  const giveUpAfter = Math.max(3, limits.concurrency);
  // Stops the requests still queued or in flight once we give up on a dead server.
  const cut = new AbortController();
  const reqSignal = signal ? AbortSignal.any([signal, cut.signal]) : cut.signal;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });

  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) throw new ProbeError('aborted', 'stopped');
      if (issued >= limits.maxRequests) return;
      if (performance.now() - started >= limits.durationMs) return;
      if (noAnswerStreak >= giveUpAfter) return;
      // Pacing: request i starts no earlier than i / rate seconds into the burst.
      const index = issued++;
      const wait = started + index * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (signal?.aborted) throw new ProbeError('aborted', 'stopped');
      if (performance.now() - started >= limits.durationMs) return;
      const l = live[index % live.length] as Live;
      l.fig.requests += 1;
      try {
        const r = await l.conn.request(
          { path: l.path, headers: { 'accept-encoding': 'br, gzip' } },
          { signal: reqSignal, timeoutMs: limits.requestTimeoutMs },
        );
        l.fig.answered += 1;
        noAnswerStreak = 0;
        l.fig.statuses[String(r.status)] = (l.fig.statuses[String(r.status)] ?? 0) + 1;
        if (r.status >= 500) l.fig.serverErrors += 1;
        l.lat.push(r.totalMs);
        all.push(r.totalMs);
      } catch (err) {
        if (signal?.aborted) throw new ProbeError('aborted', 'stopped');
        if (cut.signal.aborted) {
          l.fig.requests -= 1; // cut short by us, not by the server
          return;
        }
        const e = err instanceof ProbeError ? err : new ProbeError('network', String(err));
        noAnswerStreak += 1;
        burstError ??= e;
        // Nothing answered and no connection could even be opened: the server is down (the
        // latency check says so); loading it further would only wait out every queued request.
        const dead = [...pools.values()].every((p) => p.stats.opened === 0 && p.stats.failed > 0);
        if (all.length === 0 && (dead || noAnswerStreak >= 2)) cut.abort();
        if (e.kind === 'timeout') l.fig.timeouts += 1;
        else l.fig.failures += 1;
        if (errors.size < 5) errors.add(e.message);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: limits.concurrency }, worker));
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
  }

  // Nothing answered at all: the server is down, not slow under load (the latency check says
  // so) and the burst cannot judge it. A target that alone went silent under load is judged.
  if (all.length === 0) throw burstError ?? new ProbeError('network', 'no target answered');
  const figures: TargetFigures[] = live.map((l) => ({ ...l.fig, latency: summarize(l.lat) }));
  const sum = (f: (t: TargetFigures) => number): number => figures.reduce((s, t) => s + f(t), 0);
  const requests = sum((t) => t.requests);
  const statuses: Record<string, number> = {};
  for (const t of figures)
    for (const [k, v] of Object.entries(t.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const rate = (n: number): number =>
    requests === 0 ? 0 : Math.round((n / requests) * 1000) / 1000;
  return {
    limits,
    elapsedMs: Math.round(performance.now() - started),
    requests,
    answered: sum((t) => t.answered),
    serverErrors: sum((t) => t.serverErrors),
    timeouts: sum((t) => t.timeouts),
    failures: sum((t) => t.failures),
    serverErrorRate: rate(sum((t) => t.serverErrors)),
    timeoutRate: rate(sum((t) => t.timeouts)),
    failureRate: rate(sum((t) => t.failures)),
    statuses,
    latency: summarize(all),
    targets: figures,
    unreachable,
    sampleErrors: [...errors],
  };
}
