/**
 * Every stage 4 check against the lab, as the catalogue runs them (default sample sizes and
 * caps): demo plants a fault for each (keep-alive aside), healthy passes them all, and a
 * blackhole makes each one end in `error` on its own, inside the engine's limit.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { RunRecord } from '../../src/shared/run';
import type { Workspace } from '../../src/shared/workspace';
import { performanceChecks } from '../../src/main/core/checks/performance';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { BURST_CAPS } from '../../src/main/core/probes/load';
import type { Timeouts } from '../../src/main/core/probes/net-context';

const HAS_CHROMIUM = existsSync(process.env.LAUNCH_READY_CHROMIUM || '/usr/bin/chromium');
const IDS = performanceChecks.map((c) => c.id);
const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function runPerf(
  scenario: LabScenario,
  opts: { checkTimeoutMs?: number; timeouts?: Partial<Timeouts>; optIn?: boolean } = {},
): Promise<{ run: RunRecord; ws: Workspace; ms: number }> {
  const lab = await startLab(scenario, { timeouts: opts.timeouts });
  labs.push(lab);
  const ws: Workspace = {
    ...workspaceFromScenario(scenario, scenario.name),
    // demo and healthy carry this opt-in themselves; the blackhole below does not.
    ...(opts.optIn === false ? {} : { optIns: { loginRateLimit: true } }),
  };
  const t0 = performance.now();
  const run = await executeRun(planRun(performanceChecks, ws, IDS), ws, lab.net, {
    checkTimeoutMs: opts.checkTimeoutMs,
  });
  return { run, ws, ms: performance.now() - t0 };
}

const byId = (run: RunRecord, id: string): CheckResult => {
  const r = run.results.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
};
type Row = Record<string, unknown> & { status: string; note: string };
const rows = (r: CheckResult, key: string): Row[] => (r.evidence[key] as Row[] | undefined) ?? [];

describe('stage 4 against the demo: every planted fault is found', () => {
  let run: RunRecord;
  beforeAll(async () => {
    ({ run } = await runPerf(getScenario('demo')));
  }, 40_000);

  it('the demo and healthy products opted in to the sign-in burst', () => {
    for (const name of ['demo', 'healthy'])
      expect(workspaceFromScenario(getScenario(name), name).optIns).toMatchObject({
        loginRateLimit: true,
      });
  });

  it('declares stage 4, and each check stays well inside the engine limit', () => {
    expect(run.results.map((r) => r.id)).toEqual(IDS);
    for (const r of run.results) {
      expect(r.stage, r.id).toBe(4);
      expect(r.durationMs, r.id).toBeLessThan(16_000);
    }
  });

  it('latency: the ~700 ms dashboard and the >1.5 s report fail; fast pages pass', () => {
    const r = byId(run, 'perf.latency.key-routes');
    expect(r.status).toBe('fail');
    expect(r.impact).toBe('high');
    expect(r.summary).toMatch(
      /dashboard \(app\.promptly-ai\.test\/dashboard\) is slow: p95 \d+ ms/,
    );
    expect(r.summary).toMatch(/report \(api\.promptly-ai\.test\/v1\/reports\/usage\) is slow/);
    const routes = rows(r, 'routes');
    const dash = routes.find((x) => x.key === 'dashboard');
    const report = routes.find((x) => x.key === 'report');
    expect(dash?.p95Ms).toBeGreaterThan(500);
    expect(dash?.targetMs).toBe(500);
    // 20 samples, or fewer when the 4 s sampling budget ran out first (and then it says so).
    expect(dash?.answered === 20 || dash?.budgetHit === true).toBe(true);
    expect(Number(dash?.answered)).toBeGreaterThanOrEqual(8);
    expect(report?.p95Ms).toBeGreaterThan(1500);
    expect(report?.targetMs).toBe(1500);
    expect(Number(report?.p50Ms)).toBeLessThanOrEqual(Number(report?.p95Ms));
    expect(Number(report?.p95Ms)).toBeLessThanOrEqual(Number(report?.maxMs));
    expect(routes.find((x) => x.key === 'health')).toMatchObject({ status: 'pass' });
    // The latency samples and the burst never overlap: no 503 while timing.
    expect(report?.statuses).toEqual({ '200': report?.answered });
  });

  it('load burst: the report falls over with 503s, inside the caps', () => {
    const r = byId(run, 'perf.load.burst');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^Under a light burst \(\d+ requests, up to 8 at once over 3 s\)/);
    expect(r.summary).toMatch(/report .* server error \(HTTP 503\)/);
    const burst = r.evidence.burst as {
      requests: number;
      serverErrorRate: number;
      statuses: Record<string, number>;
      limits: { concurrency: number; durationMs: number };
    };
    expect(burst.statuses['503']).toBeGreaterThan(0);
    expect(burst.serverErrorRate).toBeGreaterThan(0);
    expect(burst.requests).toBeLessThanOrEqual(BURST_CAPS.requests);
    expect(burst.limits.concurrency).toBeLessThanOrEqual(BURST_CAPS.concurrency);
    // It waited for the latency samples instead of loading the server under them.
    expect(r.evidence.waitedForOtherLoadMs).toBeGreaterThan(1000);
  });

  it('compression and cache headers: the dashboard bundle is neither compressed nor cacheable', () => {
    const c = byId(run, 'perf.http.compression');
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(
      /app\.promptly-ai\.test\/assets\/dashboard\.js is sent uncompressed \(\d+ KB; \d+ KB with gzip/,
    );
    const cache = byId(run, 'perf.http.cache-headers');
    expect(cache.status).toBe('fail');
    expect(cache.summary).toMatch(/dashboard\.js has no cache headers at all/);
  });

  it('oversized: the 1.3 MB report list says paginate', () => {
    const r = byId(run, 'perf.http.oversized');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/sends 1\.2 MB in one response \(an API list\); paginate it/);
    const report = rows(r, 'routes').find((x) => x.key === 'report');
    expect(report?.bytes).toBe(1_300_000);
  });

  it('keep-alive: the demo reuses connections', () => {
    const r = byId(run, 'perf.http.keep-alive');
    expect(r.status).toBe('pass');
    for (const h of rows(r, 'hosts')) expect(h.connectionsOpened).toBe(1);
  });

  it('login: 30 wrong passwords, all answered 401, fail', () => {
    const r = byId(run, 'perf.login.rate-limit');
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({
      attempts: 30,
      statuses: { '401': 30 },
      account: 'launch-ready-probe@example.invalid',
      limitedBy: null,
    });
  });

  it.runIf(HAS_CHROMIUM)('chatty frontend: the dashboard calls the same API twice', () => {
    const r = byId(run, 'perf.frontend.chatty');
    expect(r.status).toBe('warn');
    expect(r.evidence.repeatedCalls).toEqual([
      { request: 'GET app.promptly-ai.test/api/projects', times: 2 },
    ]);
    expect(r.evidence.failedRequests).toEqual([]);
    expect(r.evidence.loaded).toBe(true);
  });
});

describe('stage 4 against healthy: every check passes', () => {
  it('passes all, with figures in the evidence', { timeout: 40_000 }, async () => {
    const { run } = await runPerf(getScenario('healthy'));
    expect(run.results.map((r) => [r.id, r.status])).toEqual(
      IDS.map((id) => [id, id === 'perf.frontend.chatty' && !HAS_CHROMIUM ? 'skipped' : 'pass']),
    );
    const lat = byId(run, 'perf.latency.key-routes');
    expect(rows(lat, 'routes').map((x) => x.key)).toEqual([
      'home',
      'login',
      'dashboard',
      'report',
      'health',
    ]);
    for (const x of rows(lat, 'routes')) {
      expect(x.answered === 20 || x.budgetHit === true).toBe(true);
      expect(Number(x.p50Ms)).toBeLessThanOrEqual(Number(x.p95Ms));
      expect(Number(x.p95Ms)).toBeLessThanOrEqual(Number(x.maxMs));
    }
    const login = byId(run, 'perf.login.rate-limit');
    expect(login.evidence.limitedBy).toBe('HTTP 429 Too Many Requests');
    // Stopped at the first 429: 5 allowed per minute, the 6th refused, nothing after.
    expect(login.evidence.attempts).toBe(6);
    const burst = byId(run, 'perf.load.burst');
    expect((burst.evidence.burst as { serverErrorRate: number }).serverErrorRate).toBe(0);
    expect(byId(run, 'perf.http.compression').summary).toMatch(/compressed or too small/);
    expect(rows(byId(run, 'perf.http.cache-headers'), 'files').length).toBe(2);
    if (HAS_CHROMIUM)
      expect(byId(run, 'perf.frontend.chatty').summary).toMatch(/1 API call\), none repeated/);
  });

  it('without the opt-in, the login burst is skipped and says how to opt in', async () => {
    const { run } = await runPerfOnly('healthy', 'perf.login.rate-limit');
    const r = byId(run, 'perf.login.rate-limit');
    expect(r.status).toBe('skipped');
    expect(r.summary).toMatch(/up to 30 failed sign-ins.*optIns\.loginRateLimit/);
  });
});

async function runPerfOnly(name: string, id: string): Promise<{ run: RunRecord }> {
  const scenario = getScenario(name);
  const lab = await startLab(scenario);
  labs.push(lab);
  const ws = { ...workspaceFromScenario(scenario, name), optIns: { loginRateLimit: false } };
  return { run: await executeRun(planRun(performanceChecks, ws, [id]), ws, lab.net) };
}

describe('stage 4 in a blackhole: every check decides nothing, on its own, in time', () => {
  it('ends each check in error, never a pass', { timeout: 30_000 }, async () => {
    const bh = getScenario('blackhole');
    // The blackhole with the routes every stage 4 check needs, login included.
    const scenario: LabScenario = {
      ...bh,
      product: {
        ...bh.product,
        routes: [
          ...bh.product.routes,
          { key: 'login', host: `app.${bh.domain}`, path: '/login', method: 'POST' },
          { key: 'dashboard', host: `app.${bh.domain}`, path: '/dashboard' },
        ],
      },
    };
    const { run, ms } = await runPerf(scenario, {
      checkTimeoutMs: 8_000,
      timeouts: { dnsMs: 400, connectMs: 600, requestMs: 800 },
    });
    for (const r of run.results) {
      if (r.id === 'perf.frontend.chatty' && !HAS_CHROMIUM) continue;
      expect(r.status, r.id).toBe('error');
      expect(r.summary, r.id).toMatch(/^Could not decide/);
      // Its own timeouts ended it, not the engine's 8 s cut-off.
      expect(r.durationMs, r.id).toBeLessThan(6_000);
    }
    expect(ms).toBeLessThan(8_000);
  });
});
