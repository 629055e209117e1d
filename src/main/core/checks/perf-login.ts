/** Stage 4 — the login form slows down or stops password guessing (opt-in: it sends failed sign-ins). */
import { randomBytes } from 'node:crypto';
import type { Route } from '../../../shared/workspace';
import type { Check } from '../engine/check';
import { ProbeError } from '../probes/errors';
import type { TimedResponse } from '../probes/perf-http';
import { PerfConnection, endpointFor } from '../probes/perf-http';
import { quantile } from '../probes/percentiles';
import { headerOf, isProductHost, ms, routeLabel, routeUrl } from './perf-support';

/** At most this many wrong-password attempts, one at a time: enough to meet any sane limit. */
export const MAX_ATTEMPTS = 30;
/** An obviously fake account in a reserved domain: it can never be somebody's real login. */
export const PROBE_ACCOUNT = 'launch-ready-probe@example.invalid';
/** The whole burst stops after this long, limit met or not. */
const BUDGET_MS = 10_000;
/** Later attempts this many times slower than the first (and at least this slow): throttled. */
const SLOWDOWN_FACTOR = 4;
const SLOWDOWN_MIN_MS = 500;
const LOCKOUT_WORDS =
  /too many|rate.?limit|locked|lockout|try again later|slow down|temporarily blocked/i;

function pickLoginRoute(routes: readonly Route[]): Route | null {
  const login = routes.filter((r) => r.key === 'login');
  return login.find((r) => r.method === 'POST') ?? login[0] ?? null;
}

function limited(r: TimedResponse): string | null {
  if (r.status === 429) return 'HTTP 429 Too Many Requests';
  if (r.status === 423) return 'HTTP 423 Locked';
  if (r.status === 503 && headerOf(r.headers, 'retry-after') !== null)
    return 'HTTP 503 with Retry-After';
  const body = r.body.toString('utf8');
  if (r.status >= 400 && r.status < 500 && LOCKOUT_WORDS.test(body))
    return `HTTP ${r.status} saying "${(LOCKOUT_WORDS.exec(body)?.[0] ?? '').toLowerCase()}"`;
  return null;
}

export const loginRateLimit: Check = {
  id: 'perf.login.rate-limit',
  stage: 4,
  title: 'Login stops repeated wrong passwords',
  why: 'Without a limit, anyone can try thousands of passwords against your customers’ accounts (credential stuffing with leaked passwords works on a surprising share of them). Buyers’ security questionnaires ask about it.',
  fix: [
    'Limit failed sign-ins per account and per IP address: for example 5 per minute, answering HTTP 429 with a Retry-After header.',
    'Use your auth provider’s built-in protection if you have one (Auth0 Attack Protection, Clerk, Supabase and Firebase rate limits, Cognito) and check it is switched on for production.',
    'On your own server: express-rate-limit, Django Axes, Rails Rack::Attack, or a rate-limit rule at Cloudflare for the login path.',
    'Re-check: the burst should meet a 429 (or a lockout) well before 30 attempts.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    if (ctx.workspace.optIns?.loginRateLimit !== true) {
      return {
        status: 'skipped',
        summary:
          'Not run: this check sends up to 30 failed sign-ins to your login page. Turn on "Test my login rate limit" in the workspace settings (optIns.loginRateLimit) to run it.',
        evidence: { optIn: 'loginRateLimit', maxAttempts: MAX_ATTEMPTS },
      };
    }
    const route = pickLoginRoute(ctx.workspace.routes);
    if (!route) {
      return {
        status: 'skipped',
        summary:
          'No login route is set for this product; add the address your sign-in form posts to.',
        evidence: {},
      };
    }
    const url = routeUrl(route);
    if (!isProductHost(ctx.workspace, route.host)) {
      return {
        status: 'skipped',
        summary: `Not run: ${route.host} is not one of your hosts, and sign-in attempts are only sent to your own.`,
        evidence: { url, refused: true },
      };
    }
    const ep = await endpointFor(url, ctx.net, { signal: ctx.signal, resolve: ctx.cache.resolve });
    // One keep-alive connection, one attempt at a time: what a guessing script does.
    const conn = new PerfConnection(ep, ctx.net, {
      connections: 1,
      timeoutMs: ctx.net.timeouts.requestMs,
    });
    const form = (): string =>
      new URLSearchParams({
        email: PROBE_ACCOUNT,
        username: PROBE_ACCOUNT,
        // A fresh random password each time: never a real one, never the same twice.
        password: `launch-ready-${randomBytes(9).toString('base64url')}`,
      }).toString();
    const attempts: { status: number; ms: number }[] = [];
    const started = performance.now();
    let stopReason: string | null = null;
    let dropped: ProbeError | null = null;
    try {
      while (attempts.length < MAX_ATTEMPTS && performance.now() - started < BUDGET_MS) {
        let r: TimedResponse;
        try {
          r = await conn.request(
            {
              path: route.path,
              method: 'POST',
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'text/html,application/json;q=0.9,*/*;q=0.8',
              },
              body: form(),
            },
            {
              signal: ctx.signal,
              timeoutMs: Math.min(ctx.net.timeouts.requestMs, BUDGET_MS),
              keepBytes: 4096,
              readCap: 64 * 1024,
            },
          );
        } catch (err) {
          // No answer to the very first attempt: we cannot tell anything.
          if (attempts.length === 0 || ctx.signal.aborted) throw err;
          dropped = err instanceof ProbeError ? err : new ProbeError('network', String(err));
          break;
        }
        attempts.push({ status: r.status, ms: r.totalMs });
        stopReason = limited(r);
        if (stopReason) break; // the first limit met ends the burst: we never push past it
      }
    } finally {
      await conn.close();
    }
    const elapsed = Math.round(performance.now() - started);
    const statuses: Record<string, number> = {};
    for (const a of attempts) statuses[String(a.status)] = (statuses[String(a.status)] ?? 0) + 1;
    const first = attempts.slice(0, 5).map((a) => a.ms);
    const last = attempts.slice(-5).map((a) => a.ms);
    const firstMs = first.length ? quantile(first, 0.5) : 0;
    const lastMs = last.length ? quantile(last, 0.5) : 0;
    const evidence = {
      url,
      label: routeLabel(route),
      account: PROBE_ACCOUNT,
      attempts: attempts.length,
      maxAttempts: MAX_ATTEMPTS,
      elapsedMs: elapsed,
      statuses,
      limitedBy: stopReason,
      firstAttemptsMedianMs: firstMs,
      lastAttemptsMedianMs: lastMs,
      droppedAfter: dropped ? { error: dropped.kind, message: dropped.message } : null,
    };
    const n = attempts.length;
    const firstStatus = attempts[0]?.status ?? 0;
    if (stopReason)
      return {
        status: 'pass',
        summary: `The login stopped us after ${n} wrong password${n === 1 ? '' : 's'} (${stopReason}).`,
        evidence,
      };
    if (n >= 5 && lastMs >= SLOWDOWN_FACTOR * firstMs && lastMs >= SLOWDOWN_MIN_MS)
      return {
        status: 'pass',
        summary: `The login slows down repeated wrong passwords: from ${ms(firstMs)} to ${ms(lastMs)} per attempt.`,
        evidence,
      };
    if (firstStatus === 404 || firstStatus === 405)
      return {
        status: 'warn',
        summary: `${routeLabel(route)} does not accept a sign-in (HTTP ${firstStatus}); set the address your login form posts to.`,
        evidence,
      };
    if ((statuses['500'] ?? 0) + (statuses['502'] ?? 0) + (statuses['503'] ?? 0) > n / 2)
      return {
        status: 'warn',
        summary: `The login answered most sign-in attempts with a server error, so a limit could not be seen.`,
        evidence,
      };
    if (dropped)
      return {
        status: 'warn',
        summary: `The server dropped the connection after ${n} wrong passwords (${dropped.message}) — maybe a firewall block, maybe a crash; no clear 429.`,
        evidence,
      };
    if (n < MAX_ATTEMPTS)
      return {
        status: 'warn',
        summary: `Only ${n} attempts fit in ${BUDGET_MS / 1000} s and none was refused: no limit seen yet, but the server is slow to answer.`,
        evidence,
      };
    const codes = Object.keys(statuses)
      .map((c) => `HTTP ${c}`)
      .join(', ');
    return {
      status: 'fail',
      summary: `${n} wrong passwords in ${ms(elapsed)} were all answered (${codes}) with no limit or lockout: password guessing is not slowed down.`,
      evidence,
    };
  },
};
