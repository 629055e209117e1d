/**
 * Stage 6's operational dashboard: availability, p95 latency over recent runs (a chart with its
 * numbers in words), failing checks per run, the uptime monitors and recent releases.
 */
import type { Dashboard as DashboardData, DashboardLatencyPoint } from '../../../shared/dashboard';
import { useAppStore } from '../store';
import { selectDashboard, selectDashboardError, selectDashboardState } from '../store/selectors';

export function Dashboard() {
  const d = useAppStore(selectDashboard);
  const state = useAppStore(selectDashboardState);
  const error = useAppStore(selectDashboardError);
  if (error) {
    return (
      <p className="notice notice-error" role="alert">
        Could not load the dashboard: {error}
      </p>
    );
  }
  if (!d) return state === 'loading' ? <p className="muted">Loading the dashboard …</p> : null;
  return (
    <section className="dashboard" aria-labelledby="dashboard-title" data-testid="dashboard">
      <h3 id="dashboard-title">Operations dashboard</h3>
      {d.runs === 0 ? (
        <p className="muted">No run yet: press Re-check everything to start the history.</p>
      ) : (
        <div className="dashboard-grid">
          <Availability d={d} />
          <LatencyChart points={d.latency} />
          <Failing d={d} />
          <Monitors d={d} />
          <Releases d={d} />
        </div>
      )}
    </section>
  );
}

function Availability({ d }: { d: DashboardData }) {
  const { percent, measured } = d.availability;
  return (
    <div className="card dash-tile">
      <h4>Availability</h4>
      {percent === null ? (
        <p className="muted">Not measured yet (no health endpoint answered in these runs).</p>
      ) : (
        <>
          <p className="dash-figure" data-testid="availability">
            {percent} %
          </p>
          <p className="muted">
            of {measured} run{measured === 1 ? '' : 's'} found the health endpoint answering 200
          </p>
        </>
      )}
    </div>
  );
}

const W = 320;
const H = 120;
const PAD = 8;

function LatencyChart({ points }: { points: DashboardLatencyPoint[] }) {
  const measured = points.filter((p) => p.p95Ms !== null);
  const values = measured.map((p) => Math.round(p.p95Ms as number));
  const last = values.at(-1);
  const words =
    values.length === 0
      ? 'No latency measured yet.'
      : `Slowest key page p95 over the last ${values.length} run${values.length === 1 ? '' : 's'}: from ${Math.min(...values)} to ${Math.max(...values)} ms; latest ${last} ms.`;
  const max = Math.max(1, ...values);
  const step = points.length > 1 ? (W - 2 * PAD) / (points.length - 1) : 0;
  const xy = points
    .map((p, i) =>
      p.p95Ms === null
        ? null
        : `${(PAD + i * step).toFixed(1)},${(H - PAD - (p.p95Ms / max) * (H - 2 * PAD)).toFixed(1)}`,
    )
    .filter((v): v is string => v !== null);
  return (
    <div className="card dash-tile dash-wide">
      <h4>p95 latency</h4>
      <svg
        className="dash-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={words}
        data-testid="latency-chart"
      >
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="dash-axis" />
        {xy.length > 1 && <polyline points={xy.join(' ')} className="dash-line" />}
        {xy.map((p) => {
          const [x, y] = p.split(',');
          return <circle key={p} cx={x} cy={y} r={3} className="dash-dot" />;
        })}
      </svg>
      <p className="muted">{words}</p>
    </div>
  );
}

function Failing({ d }: { d: DashboardData }) {
  const last = d.errors.at(-1);
  const before = d.errors.at(-2);
  if (!last) return null;
  const trend =
    before === undefined
      ? ''
      : last.failing < before.failing
        ? ` (down from ${before.failing})`
        : last.failing > before.failing
          ? ` (up from ${before.failing})`
          : ' (same as before)';
  return (
    <div className="card dash-tile">
      <h4>Failing checks</h4>
      <p className="dash-figure" data-testid="failing">
        {last.failing}
      </p>
      <p className="muted">
        in the last run{trend}; {last.undecided} could not be decided
      </p>
    </div>
  );
}

function Monitors({ d }: { d: DashboardData }) {
  const monitors = d.availability.monitors;
  return (
    <div className="card dash-tile dash-wide">
      <h4>Uptime monitors</h4>
      {monitors.length === 0 ? (
        <p className="muted">No uptime monitor connected (Settings → Integrations).</p>
      ) : (
        <ul className="dash-list">
          {monitors.map((m) => (
            <li key={`${m.vendor}:${m.url}:${m.name}`}>
              <span className={`dash-state state-${m.status === 'up' ? 'up' : 'other'}`}>
                {m.status}
              </span>{' '}
              {m.name} <span className="muted">({m.vendor})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Releases({ d }: { d: DashboardData }) {
  return (
    <div className="card dash-tile dash-wide">
      <h4>Recent releases</h4>
      {d.releases.length === 0 ? (
        <p className="muted">
          No release recorded in Sentry (or Sentry is not connected): errors cannot be tied to a
          deploy.
        </p>
      ) : (
        <ul className="dash-list">
          {d.releases.slice(0, 5).map((r) => (
            <li key={r.version}>
              <strong>{r.version}</strong>
              {r.date && <span className="muted"> · {r.date.slice(0, 10)}</span>}
              {r.environment && <span className="muted"> · {r.environment}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
