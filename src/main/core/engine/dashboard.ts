/**
 * Builds the operational dashboard from the run history: each run already holds what its checks
 * measured (health endpoint timings, latency p95s, the monitors and releases the integrations
 * returned), so the dashboard never calls a vendor itself.
 */
import type { CheckResult } from '../../../shared/checks';
import type { Dashboard, DashboardMonitor, DashboardRelease } from '../../../shared/dashboard';
import { DASHBOARD_RUNS } from '../../../shared/dashboard';
import type { RunRecord } from '../../../shared/run';

const HEALTH = 'monitor.health.endpoint';
const LATENCY = 'perf.latency.key-routes';
const UPTIME = 'monitor.uptime.coverage';
const RELEASES = 'monitor.errors.releases';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function result(run: RunRecord, id: string): CheckResult | undefined {
  return run.results.find((r) => r.id === id);
}

/** The slowest route's p95 in a run's latency evidence. */
function slowestP95(r: CheckResult | undefined): number | null {
  const routes = r?.evidence.routes;
  if (!Array.isArray(routes)) return null;
  const p95s = routes.map((x) => (isObj(x) ? num(x.p95Ms) : null)).filter((x) => x !== null);
  return p95s.length > 0 ? Math.max(...p95s) : null;
}

/** The HTTP statuses of a run's health samples; null when it took none or not all. */
function healthSamples(r: CheckResult | undefined): number[] | null {
  const samples = r?.evidence.samples;
  if (!r || r.status === 'error' || !Array.isArray(samples) || samples.length === 0) return null;
  const statuses = samples.map((x) => (isObj(x) ? num(x.status) : null));
  return statuses.every((x) => x !== null) ? (statuses as number[]) : null;
}

function monitorsOf(r: CheckResult | undefined): DashboardMonitor[] {
  const list = r?.evidence.monitors;
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).map((m) => ({
    name: str(m.name) ?? '',
    url: str(m.url) ?? '',
    status: str(m.status) ?? 'unknown',
    vendor: str(m.vendor) ?? '',
  }));
}

function releasesOf(r: CheckResult | undefined): DashboardRelease[] {
  const list = r?.evidence.releases;
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).map((x) => ({
    version: str(x.version) ?? '',
    date: str(x.dateReleased) ?? str(x.dateCreated),
    environment: isObj(x.lastDeploy) ? str(x.lastDeploy.environment) : null,
  }));
}

export function buildDashboard(workspaceId: string, history: readonly RunRecord[]): Dashboard {
  const runs = history.slice(-DASHBOARD_RUNS);
  // A run counts when the health endpoint answered all its samples: up when every one was 200
  // (slow or not), down otherwise. A run that could not reach it decides nothing.
  const health = runs.map((run) => healthSamples(result(run, HEALTH))).filter((s) => s !== null);
  const up = health.filter((samples) => samples.every((x) => x === 200)).length;
  const last = runs.at(-1);
  return {
    workspaceId,
    runs: runs.length,
    availability: {
      percent: health.length > 0 ? Math.round((1000 * up) / health.length) / 10 : null,
      measured: health.length,
      monitors: last ? monitorsOf(result(last, UPTIME)) : [],
    },
    latency: runs.map((run) => ({
      at: run.startedAt,
      p95Ms: slowestP95(result(run, LATENCY)),
      healthMs: num(result(run, HEALTH)?.evidence.medianMs),
    })),
    errors: runs.map((run) => ({
      at: run.startedAt,
      failing: run.results.filter((r) => r.status === 'fail').length,
      undecided: run.results.filter((r) => r.status === 'error').length,
    })),
    releases: last ? releasesOf(result(last, RELEASES)).slice(0, 10) : [],
  };
}
