/** The stage 6 dashboard from run records: what counts as up, down and undecided. */
import { describe, expect, it } from 'vitest';
import type { CheckResult, Status } from '../../src/shared/checks';
import { DASHBOARD_RUNS } from '../../src/shared/dashboard';
import type { RunRecord } from '../../src/shared/run';
import { buildDashboard } from '../../src/main/core/engine/dashboard';
import { diffRuns } from '../../src/main/core/engine/diff';
import { computeVerdict } from '../../src/main/core/engine/verdict';

function result(id: string, status: Status, evidence: Record<string, unknown>): CheckResult {
  return { id, stage: 6, impact: 'high', status, summary: '', evidence, durationMs: 1 };
}

const health = (status: Status, samples: { status: number; ms: number }[], medianMs?: number) =>
  result('monitor.health.endpoint', status, {
    samples,
    ...(medianMs === undefined ? {} : { medianMs }),
  });

function run(i: number, results: CheckResult[]): RunRecord {
  const at = new Date(Date.UTC(2026, 10, 1, i)).toISOString();
  return {
    runId: `r${i}`,
    workspaceId: 'w',
    startedAt: at,
    finishedAt: at,
    results,
    verdict: computeVerdict(results, TITLES),
    diff: diffRuns(null, results, TITLES),
  };
}

const TITLES = new Map<string, { title: string }>();

const ok = [
  { status: 200, ms: 20 },
  { status: 200, ms: 25 },
  { status: 200, ms: 22 },
];

describe('buildDashboard', () => {
  it('counts a slow 200 as up, a 503 as down, and an unreachable run as undecided', () => {
    const d = buildDashboard('w', [
      run(0, [health('pass', ok, 22)]),
      run(1, [
        health(
          'fail',
          [
            { status: 200, ms: 2100 },
            { status: 200, ms: 1900 },
            { status: 200, ms: 2000 },
          ],
          2000,
        ),
      ]),
      run(2, [
        health(
          'fail',
          [
            { status: 503, ms: 10 },
            { status: 503, ms: 12 },
            { status: 503, ms: 11 },
          ],
          11,
        ),
      ]),
      run(3, [health('error', [{ status: 200, ms: 20 }])]),
      run(4, [result('monitor.health.endpoint', 'fail', { route: null, tried: [] })]),
    ]);
    expect(d.availability).toMatchObject({ percent: 66.7, measured: 3 });
    expect(d.latency.map((p) => p.healthMs)).toEqual([22, 2000, 11, null, null]);
    expect(d.errors.map((e) => [e.failing, e.undecided])).toEqual([
      [0, 0],
      [1, 0],
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
  });

  it('takes the slowest route’s p95, the last run’s monitors and its newest releases', () => {
    const latency = result('perf.latency.key-routes', 'pass', {
      routes: [{ p95Ms: 120 }, { p95Ms: 480 }, { p95Ms: 'n/a' }],
    });
    const monitors = result('monitor.uptime.coverage', 'pass', {
      monitors: [{ name: 'Home', url: 'https://x.test/', status: 'up', vendor: 'Better Stack' }],
    });
    const releases = result('monitor.errors.releases', 'pass', {
      releases: Array.from({ length: 12 }, (_, i) => ({
        version: `v${12 - i}`,
        dateReleased: null,
        dateCreated: `2026-10-${String(20 - i).padStart(2, '0')}T00:00:00Z`,
        lastDeploy: i === 0 ? { environment: 'production' } : null,
      })),
    });
    const d = buildDashboard('w', [run(0, [latency]), run(1, [latency, monitors, releases])]);
    expect(d.latency.map((p) => p.p95Ms)).toEqual([480, 480]);
    expect(d.availability).toMatchObject({ percent: null, measured: 0 });
    expect(d.availability.monitors).toEqual([
      { name: 'Home', url: 'https://x.test/', status: 'up', vendor: 'Better Stack' },
    ]);
    expect(d.releases).toHaveLength(10);
    expect(d.releases[0]).toEqual({
      version: 'v12',
      date: '2026-10-20T00:00:00Z',
      environment: 'production',
    });
  });

  it(`keeps the last ${DASHBOARD_RUNS} runs and ignores evidence of the wrong shape`, () => {
    const history = Array.from({ length: DASHBOARD_RUNS + 5 }, (_, i) =>
      run(i, [result('monitor.uptime.coverage', 'error', { monitors: 'none' })]),
    );
    const d = buildDashboard('w', history);
    expect(d.runs).toBe(DASHBOARD_RUNS);
    expect(d.latency[0]?.at).toBe(history[5]?.startedAt);
    expect(d.availability.monitors).toEqual([]);
    expect(d.releases).toEqual([]);
  });
});
