/** Settings → Run history: every saved run of this product, newest first. */
import { useEffect } from 'react';
import type { RunSummary } from '../../../shared/api';
import { formatWhen } from '../lib/derive';
import { useAppStore } from '../store';
import { selectRuns, selectRunsError, selectRunsState } from '../store/selectors';
import { useFocusOnMount } from './useFocusOnMount';

function duration(run: RunSummary): string {
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

export function SettingsHistory() {
  const runs = useAppStore(selectRuns);
  const state = useAppStore(selectRunsState);
  const error = useAppStore(selectRunsError);
  const loadRuns = useAppStore((s) => s.loadRuns);
  // A run that just finished belongs in the list: reload whenever the last run changes.
  const lastRunId = useAppStore((s) => s.lastRun?.runId ?? null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(true);

  useEffect(() => {
    void loadRuns();
  }, [loadRuns, lastRunId]);

  return (
    <>
      <h2 ref={headingRef} tabIndex={-1} className="page-title">
        <span className="page-kicker">Settings</span>
        Run history
      </h2>
      <p className="goal">
        Every full check of this product, newest first. The app keeps the last 50; each one is what
        “what changed” compares against.
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          Could not load the run history: {error}
        </p>
      )}
      {state === 'loading' && !runs && <p className="muted">Loading …</p>}
      {runs && runs.length === 0 && (
        <p className="muted">No runs yet. Press Re-check everything to make the first one.</p>
      )}
      {runs && runs.length > 0 && (
        <div className="table-scroll">
          <table className="history">
            <caption className="visually-hidden">Runs of this product, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Verdict</th>
                <th scope="col">Score</th>
                <th scope="col">Took</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.runId}>
                  <th scope="row">{formatWhen(run.finishedAt)}</th>
                  <td className={run.verdict.demoReady ? 'verdict-ok' : 'verdict-not'}>
                    <span aria-hidden="true">{run.verdict.demoReady ? '✓ ' : '✗ '}</span>
                    {run.verdict.headline}
                  </td>
                  <td className="num">{run.verdict.score ?? '—'}</td>
                  <td className="num">{duration(run)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
