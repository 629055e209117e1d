/**
 * Times N requests per URL with small, bounded concurrency: per URL (so a 700 ms page takes
 * about N × 700 / perTarget ms, not N × 700) and overall (so five routes on one small server
 * never see more than maxInFlight requests from us). Each sample is a fresh connection and
 * its time starts once the connection is ready: what a returning visitor waits for, without
 * the distance-dependent TCP/TLS set-up (reported apart as connectMs). Redirects within the
 * same site are followed on that connection and their time added.
 */
import type { ResolveFn } from './connect';
import { ProbeError } from './errors';
import type { NetworkContext } from './net-context';
import type { Endpoint } from './perf-http';
import { PerfConnection, endpointFor, firstHeader } from './perf-http';

export const SAMPLE_LIMITS = {
  /** Samples per URL: default and hard cap. */
  defaultSamples: 20,
  maxSamples: 200,
  /** In flight per URL and across URLs: defaults and hard caps. */
  defaultPerTarget: 4,
  maxPerTarget: 6,
  defaultInFlight: 8,
  maxInFlight: 10,
  /** No new sample starts after this long; defaults and hard cap, ms. */
  defaultBudgetMs: 4_000,
  maxBudgetMs: 12_000,
  /** One sample's limit, ms: anything slower is far past every target anyway. */
  maxRequestMs: 5_000,
  /** Consecutive failures (no answer at all) after which a URL is given up. */
  giveUpAfter: 3,
} as const;

export interface SampleOptions {
  samples?: number;
  perTarget?: number;
  maxInFlight?: number;
  budgetMs?: number;
  signal?: AbortSignal;
  resolve?: ResolveFn;
  /** Body bytes read per sample at most (a huge list is timed up to this much). */
  readCap?: number;
}

export interface SampleError {
  kind: string;
  message: string;
}

export interface TargetSamples {
  url: string;
  /** ms of each answered request, in completion order. */
  ms: number[];
  /** HTTP status → count. */
  statuses: Record<string, number>;
  /** Requests that got no answer (timeout, refused, TLS…), in order. */
  errors: SampleError[];
  /** Connection set-up time of each sample, ms (not part of `ms`). */
  connectMs: number[];
  requested: number;
  /** Sampling stopped early: the time budget ran out before N samples. */
  budgetHit: boolean;
  /** Sampling stopped early after repeated failures. */
  gaveUp: boolean;
  /** Where the (last) sample ended after same-site redirects, when it moved. */
  finalUrl: string | null;
}

/** Redirects followed per sample, within the same site (scheme, host and port). */
const MAX_HOPS = 3;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

const clamp = (v: number | undefined, dflt: number, max: number): number =>
  Math.max(1, Math.min(Math.floor(v ?? dflt), max));

export function sampleLimits(opts: SampleOptions): {
  samples: number;
  perTarget: number;
  maxInFlight: number;
  budgetMs: number;
} {
  const L = SAMPLE_LIMITS;
  return {
    samples: clamp(opts.samples, L.defaultSamples, L.maxSamples),
    perTarget: clamp(opts.perTarget, L.defaultPerTarget, L.maxPerTarget),
    maxInFlight: clamp(opts.maxInFlight, L.defaultInFlight, L.maxInFlight),
    budgetMs: clamp(opts.budgetMs, L.defaultBudgetMs, L.maxBudgetMs),
  };
}

interface State extends TargetSamples {
  endpoint: Endpoint | null;
  path: string;
  inFlight: number;
  failStreak: number;
  done: boolean;
}

/** Samples every URL; a URL whose host cannot be resolved gets that error and no samples. */
export async function sampleLatency(
  urls: readonly string[],
  net: NetworkContext,
  opts: SampleOptions = {},
): Promise<TargetSamples[]> {
  const { samples, perTarget, maxInFlight, budgetMs } = sampleLimits(opts);
  const requestMs = Math.min(net.timeouts.requestMs, SAMPLE_LIMITS.maxRequestMs);
  const states: State[] = await Promise.all(
    urls.map(async (url): Promise<State> => {
      const s: State = {
        url,
        ms: [],
        statuses: {},
        errors: [],
        connectMs: [],
        requested: 0,
        budgetHit: false,
        gaveUp: false,
        finalUrl: null,
        endpoint: null,
        path: '/',
        inFlight: 0,
        failStreak: 0,
        done: false,
      };
      try {
        const u = new URL(url);
        s.path = `${u.pathname}${u.search}`;
        s.endpoint = await endpointFor(u, net, { signal: opts.signal, resolve: opts.resolve });
      } catch (err) {
        if (opts.signal?.aborted) throw new ProbeError('aborted', 'stopped');
        const e = err instanceof ProbeError ? err : new ProbeError('malformed', String(err));
        s.errors.push({ kind: e.kind, message: e.message });
        s.done = true;
      }
      return s;
    }),
  );

  const started = performance.now();
  let cursor = 0;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };

  /** The next URL with samples left and room in flight, round-robin so slow URLs don't starve fast ones. */
  const pick = (): State | null => {
    for (let i = 0; i < states.length; i++) {
      const s = states[(cursor + i) % states.length] as State;
      if (!s.done && s.requested < samples && s.inFlight < perTarget) {
        cursor = (cursor + i + 1) % states.length;
        return s;
      }
    }
    return null;
  };
  const finished = (): boolean =>
    states.every((s) => s.done || (s.requested >= samples && s.inFlight === 0));

  /**
   * One sample on a fresh connection, following same-site redirects as the visitor's browser
   * does (a dashboard that redirects to its app page is timed to that page, not to the 302).
   */
  const one = async (s: State): Promise<void> => {
    const endpoint = s.endpoint as Endpoint;
    const conn = new PerfConnection(endpoint, net, { timeoutMs: requestMs });
    try {
      let path = s.path;
      let ms = 0;
      let status = 0;
      for (let hop = 0; ; hop++) {
        const r = await conn.request(
          { path, method: 'GET', headers: { 'accept-encoding': 'br, gzip' } },
          { signal: opts.signal, timeoutMs: requestMs, readCap: opts.readCap },
        );
        ms += r.serverMs;
        status = r.status;
        const location = firstHeader(r.headers, 'location');
        if (!REDIRECT.has(r.status) || !location || hop >= MAX_HOPS) break;
        const next = new URL(location, `${endpoint.origin}${path}`);
        if (next.origin !== endpoint.origin) break; // another site: time what this one answered
        path = `${next.pathname}${next.search}`;
        s.finalUrl = next.href;
      }
      s.ms.push(Math.round(ms * 10) / 10);
      const connectMs = conn.stats.connectMs[0];
      if (connectMs !== undefined) s.connectMs.push(connectMs);
      s.statuses[String(status)] = (s.statuses[String(status)] ?? 0) + 1;
      s.failStreak = 0;
    } catch (err) {
      if (opts.signal?.aborted) throw new ProbeError('aborted', 'stopped');
      const e = err instanceof ProbeError ? err : new ProbeError('network', String(err));
      s.errors.push({ kind: e.kind, message: e.message });
      s.failStreak += 1;
      // A server that does not answer at all is not sampled further: no point hammering it.
      if (s.failStreak >= SAMPLE_LIMITS.giveUpAfter && s.ms.length === 0) {
        s.gaveUp = true;
        s.done = true;
      }
    } finally {
      await conn.close();
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (opts.signal?.aborted) throw new ProbeError('aborted', 'stopped');
      if (performance.now() - started >= budgetMs) {
        for (const s of states) if (!s.done && s.requested < samples) s.budgetHit = true;
        return;
      }
      const s = pick();
      if (!s) {
        if (finished()) return;
        await new Promise<void>((resolve) => {
          const prev = wake;
          wake = () => {
            prev?.();
            resolve();
          };
        });
        continue;
      }
      s.requested += 1;
      s.inFlight += 1;
      try {
        await one(s);
      } finally {
        s.inFlight -= 1;
        notify();
      }
    }
  };
  const workers = Math.min(maxInFlight, Math.max(1, states.length * perTarget));
  await Promise.all(Array.from({ length: workers }, worker));
  // Only the figures, not the scheduler's state.
  return states.map(
    ({ url, ms, statuses, errors, connectMs, requested, budgetHit, gaveUp, finalUrl }) => ({
      url,
      ms,
      statuses,
      errors,
      connectMs,
      requested,
      budgetHit,
      gaveUp,
      finalUrl,
    }),
  );
}
