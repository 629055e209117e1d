/**
 * The stage 6 operational dashboard: availability, p95 latency, failing checks and recent
 * releases over the recent runs, as plain data the UI draws. Built in the main process from the
 * run history (and the integrations' evidence in it); never holds a token.
 */

export interface DashboardMonitor {
  name: string;
  url: string;
  status: string;
  vendor: string;
}

export interface DashboardLatencyPoint {
  /** The run's start (ISO 8601). */
  at: string;
  /** The slowest key page's p95 in that run; null when it was not measured. */
  p95Ms: number | null;
  /** The health endpoint's median in that run; null when not measured. */
  healthMs: number | null;
}

export interface DashboardErrorPoint {
  at: string;
  /** Checks that failed in that run. */
  failing: number;
  /** Checks that could not decide in that run (timeouts, unreachable). */
  undecided: number;
}

export interface DashboardRelease {
  version: string;
  date: string | null;
  environment: string | null;
}

export interface Dashboard {
  workspaceId: string;
  /** Runs the figures come from, oldest first (at most DASHBOARD_RUNS). */
  runs: number;
  availability: {
    /** Share of runs whose health endpoint answered 200 (0–100); null without measurements. */
    percent: number | null;
    measured: number;
    /** The uptime monitors as the last run saw them (empty when none is connected). */
    monitors: DashboardMonitor[];
  };
  latency: DashboardLatencyPoint[];
  errors: DashboardErrorPoint[];
  /** Newest first, from the error tracker as the last run saw it. */
  releases: DashboardRelease[];
}

export const DASHBOARD_RUNS = 30;
