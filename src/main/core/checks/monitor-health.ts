/** Stage 6 — the health endpoint uptime monitors poll: it exists, answers 200, and fast. */
import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { fetchUrl } from '../probes/fetch';
import { routeUrl, routesWithKeys } from './audit-support';
import { outcome } from './outcome';
import { takeTurn } from './perf-support';

/** Samples taken one after another: one slow answer is noise, three are a pattern. */
const SAMPLES = 3;
/** A monitor polls with a timeout of a few seconds; a health check should answer well within. */
export const HEALTH_FAST_MS = 500;
export const HEALTH_SLOW_MS = 1500;

export const healthEndpoint: Check = {
  id: 'monitor.health.endpoint',
  stage: 6,
  title: 'The health endpoint answers 200, fast',
  why: 'Uptime monitors poll one address every minute or so. A health endpoint that answers quickly and only with 200 when the app really works is what turns an outage into an alert within minutes instead of a customer screenshot hours later.',
  fix: [
    'Add a route such as /health or /api/health that checks what the app needs (database connection, a cache ping) and answers 200 with a tiny JSON body, or 503 when something is wrong.',
    'Keep it cheap: no heavy queries, no calls to slow third parties, so it answers in well under half a second.',
    'Point your uptime monitor at it (the uptime checks below).',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const route = routesWithKeys(ctx.workspace, ['health'])[0];
    const found = route ? { url: routeUrl(route) } : await discoverHealth(ctx);
    if ('outcome' in found) return found.outcome;
    // Timed like the latency samples: never while our own load burst runs.
    return takeTurn(ctx, 'shared', (waitedMs) => sampleHealth(found.url, ctx, waitedMs));
  },
};

/** Where frameworks and platforms usually put it, tried when the founder named none. */
const USUAL_PATHS = ['/health', '/api/health', '/healthz'] as const;

function usualHealthUrls(ctx: CheckContext): string[] {
  const d = ctx.workspace.domain;
  const api = ctx.workspace.hosts.find((h) => h.name === `api.${d}`);
  const hosts = api ? [api.name, d] : [d];
  return hosts.flatMap((h) => USUAL_PATHS.map((p) => `https://${h}${p}`));
}

/**
 * The first usual address answering 200; a fail when every one answers something else; an
 * error when one could not be asked (it may be the one).
 */
async function discoverHealth(
  ctx: CheckContext,
): Promise<{ url: string } | { outcome: CheckOutcome }> {
  const tried: { url: string; status: number | null; error?: string }[] = [];
  for (const url of usualHealthUrls(ctx)) {
    try {
      const r = await fetchUrl(url, ctx.net, {
        signal: ctx.signal,
        resolve: ctx.cache.resolve,
        maxBodyBytes: 64 * 1024,
      });
      if (r.status === 200) return { url };
      tried.push({ url, status: r.status });
    } catch (err) {
      if (!(err instanceof ProbeError) || err.kind === 'aborted') throw err;
      // A host that does not exist has no health endpoint; anything else leaves it undecided.
      if (err.kind === 'dns') {
        tried.push({ url, status: null, error: err.kind });
        continue;
      }
      return {
        outcome: outcome('error', `Could not decide: ${url} ${err.message}.`, {
          route: null,
          tried: [...tried, { url, status: null, error: err.kind }],
        }),
      };
    }
  }
  return {
    outcome: outcome(
      'fail',
      `No health endpoint found: none is named in the workspace, and ${tried.length} usual addresses (${USUAL_PATHS.join(', ')}) do not answer 200. Add one so uptime monitors have something reliable to poll.`,
      { route: null, tried },
    ),
  };
}

async function sampleHealth(
  url: string,
  ctx: CheckContext,
  waitedMs: number,
): Promise<CheckOutcome> {
  const samples: { status: number; ms: number }[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    try {
      const r = await fetchUrl(url, ctx.net, {
        signal: ctx.signal,
        resolve: ctx.cache.resolve,
        maxBodyBytes: 64 * 1024,
      });
      samples.push({ status: r.status, ms: Math.round(r.elapsedMs) });
    } catch (err) {
      if (!(err instanceof ProbeError) || err.kind === 'aborted') throw err;
      return outcome('error', `Could not decide: ${url} ${err.message}.`, {
        url,
        samples,
        error: err.kind,
      });
    }
  }
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const ev = {
    url,
    samples,
    medianMs: median,
    fastMs: HEALTH_FAST_MS,
    slowMs: HEALTH_SLOW_MS,
    // Time spent waiting for our own load burst to end: not the endpoint's.
    waitedForOtherLoadMs: waitedMs,
  };
  const bad = samples.find((s) => s.status !== 200);
  if (bad) {
    return outcome(
      'fail',
      `${url} answers HTTP ${bad.status}, not 200: monitors polling it report an outage (or miss one). Make it answer 200 when the app works.`,
      ev,
    );
  }
  if (median > HEALTH_SLOW_MS) {
    return outcome(
      'fail',
      `${url} answers 200 but takes ${median} ms (median of ${SAMPLES}); monitors time out and raise false alarms. Make it cheap: under ${HEALTH_FAST_MS} ms.`,
      ev,
    );
  }
  if (median > HEALTH_FAST_MS) {
    return outcome(
      'warn',
      `${url} answers 200 in ${median} ms (median of ${SAMPLES}); aim for under ${HEALTH_FAST_MS} ms so monitors never time out.`,
      ev,
    );
  }
  return outcome('pass', `${url} answers 200 in ${median} ms (median of ${SAMPLES}).`, ev);
}
