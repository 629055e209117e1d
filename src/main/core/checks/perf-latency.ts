/** Stage 4 — how long the key pages take: p50, p95 and max from repeated, bounded samples. */
import type { Route } from '../../../shared/workspace';
import type { Check } from '../engine/check';
import type { SampleOptions, TargetSamples } from '../probes/latency-sample';
import { SAMPLE_LIMITS, sampleLatency, sampleLimits } from '../probes/latency-sample';
import { summarize } from '../probes/percentiles';
import type { Item } from './perf-support';
import {
  TARGET_MS,
  foldItems,
  isProductHost,
  ms,
  perfRoutes,
  routeLabel,
  routeUrl,
  takeTurn,
  targetFor,
} from './perf-support';

/** Within the target but with less than a fifth of headroom: one bad day away from a stall. */
export const HEADROOM = 0.8;
/** Fewer answered samples than this and the figures mean nothing. */
const MIN_SAMPLES = 3;

export type LatencyCheckOptions = Pick<
  SampleOptions,
  'samples' | 'perTarget' | 'maxInFlight' | 'budgetMs'
>;

function verdictFor(route: Route, s: TargetSamples): Item {
  const label = routeLabel(route);
  const target = targetFor(route);
  const sum = summarize(s.ms);
  const answered = s.ms.length;
  const serverErrors = Object.entries(s.statuses)
    .filter(([code]) => Number(code) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  const evidence = {
    key: route.key,
    url: s.url,
    finalUrl: s.finalUrl,
    targetMs: target,
    requested: s.requested,
    answered,
    p50Ms: sum?.p50 ?? null,
    p95Ms: sum?.p95 ?? null,
    maxMs: sum?.max ?? null,
    minMs: sum?.min ?? null,
    statuses: s.statuses,
    noAnswer: s.errors.length,
    errors: [...new Set(s.errors.map((e) => e.message))].slice(0, 3),
    connectP50Ms: summarize(s.connectMs)?.p50 ?? null,
    budgetHit: s.budgetHit,
  };
  const v = (status: Item['status'], note: string): Item => ({ label, status, note, evidence });
  const firstError = s.errors[0];
  if (answered === 0 && firstError?.kind === 'dns')
    return v('skipped', 'has a host that does not resolve (see "Every host resolves")');
  const onlyRefused =
    answered > 0 && Object.keys(s.statuses).every((c) => c === '404' || c === '405');
  if (onlyRefused && route.method === 'POST')
    return v(
      'skipped',
      'only accepts POST, so its page was not timed (the sign-in check covers it)',
    );
  if (!sum || answered < Math.min(MIN_SAMPLES, s.requested)) {
    return v(
      'error',
      `could not be timed: ${answered} of ${s.requested} requests answered (${firstError?.message ?? 'no answer'})`,
    );
  }
  const figures = `p95 ${ms(sum.p95)}, median ${ms(sum.p50)}, slowest ${ms(sum.max)} over ${answered} requests`;
  if (sum.p95 > target) return v('fail', `is slow: ${figures} (target ${ms(target)})`);
  if (s.errors.length > 0)
    return v('warn', `got no answer to ${s.errors.length} of ${s.requested} requests (${figures})`);
  if (serverErrors > 0)
    return v(
      'warn',
      `answered ${serverErrors} of ${answered} requests with a server error (${figures})`,
    );
  if (sum.p95 > target * HEADROOM)
    return v('warn', `is close to the limit: ${figures} (target ${ms(target)})`);
  return v('pass', `answers fast: ${figures}`);
}

export function createLatencyCheck(opts: LatencyCheckOptions = {}): Check {
  return {
    id: 'perf.latency.key-routes',
    stage: 4,
    title: `Key pages answer within ${ms(TARGET_MS.normal)} (reports within ${ms(TARGET_MS.report)})`,
    why: 'A page that hangs for a second in the middle of a live demo is what a buyer remembers. We time each key page many times and look at the slow end (p95: 19 visits out of 20 are faster), because that is what someone clicking around actually hits.',
    fix: [
      'Open the slowest page with your browser’s developer tools (Network tab) and note which request takes the time.',
      'Look for database queries without an index, or one query per row ("N+1"): your hosting platform’s logs or an APM (Sentry Performance, Datadog, New Relic) show them.',
      'Cache what does not change per visitor, and move heavy work (reports, exports, AI calls) to a background job that the page polls.',
      'If the server is far from your buyers or keeps going to sleep, move it to their region and turn off "sleep when idle" on paid plans.',
      `Aim for p95 under ${ms(TARGET_MS.normal)} for normal pages and under ${ms(TARGET_MS.report)} for heavy reports, then re-check.`,
    ],
    impact: 'high',
    kind: 'probe',
    async run(ctx) {
      const limits = sampleLimits(opts);
      const all = perfRoutes(ctx.workspace);
      // Repeated requests go only to the product's own hosts.
      const routes = all.filter((r) => isProductHost(ctx.workspace, r.host));
      const refused = all.filter((r) => !routes.includes(r)).map((r) => routeUrl(r));
      if (routes.length === 0) {
        return {
          status: 'skipped',
          summary:
            'No key page (home, login, dashboard, report, health) is set on your own hosts, so nothing was timed.',
          evidence: { refused },
        };
      }
      return takeTurn(ctx, 'shared', async (waitedMs) => {
        const samples = await sampleLatency(routes.map(routeUrl), ctx.net, {
          ...limits,
          signal: ctx.signal,
          resolve: ctx.cache.resolve,
        });
        const items = routes.map((r, i) => verdictFor(r, samples[i] as TargetSamples));
        const slowest = items
          .filter((i) => i.status === 'pass')
          .map((i) => ({ label: i.label, p95: Number(i.evidence.p95Ms) }))
          .sort((a, b) => b.p95 - a.p95)[0];
        return foldItems(
          items,
          'routes',
          (n) =>
            `All ${n} key page${n === 1 ? '' : 's'} answer within target${slowest ? `; the slowest at p95 is ${slowest.label} at ${ms(slowest.p95)}` : ''}.`,
          'No key page could be timed: their hosts do not resolve.',
          {
            method: `${limits.samples} GET requests per page (at most ${limits.perTarget} at once per page, ${limits.maxInFlight} overall, ${limits.budgetMs / 1000} s), each on a fresh connection, timed from the connection being ready to the last byte of the page (same-site redirects followed)`,
            hardCaps: {
              samples: SAMPLE_LIMITS.maxSamples,
              perPage: SAMPLE_LIMITS.maxPerTarget,
              overall: SAMPLE_LIMITS.maxInFlight,
            },
            waitedForOtherLoadMs: waitedMs,
            refused,
          },
        );
      });
    },
  };
}

export const latencyKeyRoutes = createLatencyCheck();
