/** Stage 4 — a light burst of visitors: does the product keep answering? */
import type { Check } from '../engine/check';
import type { BurstOptions, BurstReport } from '../probes/load';
import { BURST_CAPS, burstLimits, runBurst } from '../probes/load';
import { ProbeError } from '../probes/errors';
import type { Item } from './perf-support';
import {
  foldItems,
  isProductHost,
  ms,
  perfRoutes,
  routeLabel,
  routeUrl,
  takeTurn,
  targetFor,
} from './perf-support';

/** Server errors or timeouts on this share of requests or more: the product falls over. */
export const FAIL_RATE = 0.05;
/** Under a light burst, a page may be slower than its normal target, but not this many times. */
export const LOAD_SLOWDOWN = 2;
/** The whole check, waiting for its turn included, stays well inside the engine's 20 s. */
const CHECK_BUDGET_MS = 16_000;

export type LoadCheckOptions = Pick<
  BurstOptions,
  'concurrency' | 'durationMs' | 'maxRequests' | 'ratePerSec' | 'requestTimeoutMs'
>;

const pct = (r: number): string => `${Math.round(r * 1000) / 10}%`;

export function createLoadCheck(opts: LoadCheckOptions = {}): Check {
  const limits = burstLimits(opts);
  return {
    id: 'perf.load.burst',
    stage: 4,
    title: 'Keeps answering under a light burst of visitors',
    why: `When a few people open your product at once — a buyer's team joining the demo, a post going out — a server that starts answering errors looks broken. We send a short, light burst (at most ${BURST_CAPS.concurrency} requests at once for at most ${BURST_CAPS.durationMs / 1000} seconds, only to your own hosts) and count server errors and timeouts.`,
    fix: [
      'Look at your hosting platform’s logs and metrics for the time of the check: 503/502 errors usually mean the app ran out of workers, memory or database connections.',
      'Give the app more than one worker or instance (most platforms have a "scale" or "instances" setting), and turn off "sleep when idle" on the plan you demo from.',
      'Raise the database connection pool to match the number of workers, and cache or move heavy pages (reports, exports) to background jobs.',
      'Re-check: no server error should appear under this light load.',
    ],
    impact: 'high',
    kind: 'probe',
    async run(ctx) {
      const started = performance.now();
      const all = perfRoutes(ctx.workspace);
      const routes = all.filter((r) => isProductHost(ctx.workspace, r.host));
      const refused = all.filter((r) => !routes.includes(r)).map((r) => routeUrl(r));
      if (routes.length === 0) {
        return {
          status: 'skipped',
          summary:
            'No key page (home, login, dashboard, report, health) is on your own hosts, so no load was sent.',
          evidence: { refused },
        };
      }
      const own = new Set(routes.map((r) => r.host.toLowerCase()));
      return takeTurn(ctx, 'exclusive', async (waitedMs) => {
        // Waiting for the latency check ate into the time: shorten the burst, never the caps.
        const left = CHECK_BUDGET_MS - (performance.now() - started) - limits.requestTimeoutMs;
        const durationMs = Math.min(limits.durationMs, Math.floor(left));
        if (durationMs < 1000) {
          throw new ProbeError(
            'timeout',
            `not enough time left for the burst after waiting ${ms(waitedMs)} for the other timing checks`,
          );
        }
        const report = await runBurst(
          routes.map((r) => ({ url: routeUrl(r), label: routeLabel(r) })),
          own,
          ctx.net,
          { ...limits, durationMs, signal: ctx.signal, resolve: ctx.cache.resolve },
        );
        return judge(report, routes, refused, waitedMs);
      });
    },
  };
}

function judge(
  report: BurstReport,
  routes: ReturnType<typeof perfRoutes>,
  refused: string[],
  waitedMs: number,
): ReturnType<typeof foldItems> {
  const l = report.limits;
  const shape = `${report.requests} requests, up to ${l.concurrency} at once over ${ms(l.durationMs)}`;
  const items: Item[] = report.targets.map((t) => {
    const route = routes.find((r) => routeUrl(r) === t.url);
    const target = route ? targetFor(route) : 500;
    const evidence = { ...t, targetMs: target };
    const v = (status: Item['status'], note: string): Item => ({
      label: t.label,
      status,
      note,
      evidence,
    });
    const errorRate = t.requests === 0 ? 0 : t.serverErrors / t.requests;
    const timeoutRate = t.requests === 0 ? 0 : (t.timeouts + t.failures) / t.requests;
    const codes = Object.keys(t.statuses)
      .filter((c) => Number(c) >= 500)
      .map((c) => `HTTP ${c}`)
      .join(', ');
    if (errorRate >= FAIL_RATE)
      return v(
        'fail',
        `answered ${pct(errorRate)} of ${t.requests} requests with a server error (${codes})`,
      );
    if (timeoutRate >= FAIL_RATE)
      return v(
        'fail',
        `left ${pct(timeoutRate)} of ${t.requests} requests unanswered (timeout or dropped connection)`,
      );
    if (t.serverErrors > 0)
      return v(
        'warn',
        `answered ${t.serverErrors} of ${t.requests} requests with a server error (${codes})`,
      );
    if (t.timeouts + t.failures > 0)
      return v('warn', `left ${t.timeouts + t.failures} of ${t.requests} requests unanswered`);
    const p95 = t.latency?.p95 ?? 0;
    if (p95 > LOAD_SLOWDOWN * target)
      return v(
        'warn',
        `slows down under load: p95 ${ms(p95)} (normally it should stay under ${ms(target)})`,
      );
    return v('pass', `answered all ${t.requests} requests (p95 ${ms(p95)})`);
  });
  for (const u of report.unreachable) {
    items.push({
      label: u.label,
      status: 'error',
      note: `could not be loaded before the burst (${u.message})`,
      evidence: u,
    });
  }
  const p95 = report.latency?.p95;
  const outcome = foldItems(
    items,
    'routes',
    () =>
      `No server error or timeout under a light burst (${shape}); p95 under load ${p95 === undefined ? 'n/a' : ms(p95)}.`,
    'No key page could be loaded.',
    {
      burst: {
        limits: l,
        caps: BURST_CAPS,
        elapsedMs: report.elapsedMs,
        requests: report.requests,
        serverErrorRate: report.serverErrorRate,
        timeoutRate: report.timeoutRate,
        failureRate: report.failureRate,
        statuses: report.statuses,
        latency: report.latency,
        sampleErrors: report.sampleErrors,
      },
      waitedForOtherLoadMs: waitedMs,
      refused,
    },
  );
  if (outcome.status === 'fail' || outcome.status === 'warn')
    outcome.summary = `Under a light burst (${shape}): ${outcome.summary}`;
  return outcome;
}

export const loadBurst = createLoadCheck();
