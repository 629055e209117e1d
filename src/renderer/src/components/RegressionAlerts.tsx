/**
 * What a background re-check found worse (Settings → This product → Re-check in the
 * background), on whichever screen is open, until the founder dismisses it.
 */
import { useAppStore } from '../store';
import type { RegressionAlert } from '../store/types';

const WORDS: Record<string, string> = {
  pass: 'pass',
  warn: 'warning',
  fail: 'fail',
  error: 'could not check',
  skipped: 'skipped',
  unanswered: 'to answer',
  'not checked': 'not checked',
};

export function RegressionAlerts() {
  const alerts = useAppStore((s) => s.regressionAlerts);
  if (alerts.length === 0) return null;
  return (
    <div className="regression-alerts">
      {alerts.map((a) => (
        <Alert key={a.runId} alert={a} />
      ))}
    </div>
  );
}

function Alert({ alert }: { alert: RegressionAlert }) {
  const dismiss = useAppStore((s) => s.dismissRegressions);
  const openWorkspace = useAppStore((s) => s.openWorkspace);
  const current = useAppStore((s) => s.current);
  const goTo = useAppStore((s) => s.goTo);
  const n = alert.regressions.length;
  return (
    <section className="notice notice-error regression-alert" role="alert" data-run={alert.runId}>
      <h2>
        {alert.workspaceName}: {n === 1 ? 'something got worse' : `${n} things got worse`} since the
        last check
      </h2>
      <ul>
        {alert.regressions.map((r) => (
          <li key={r.id}>
            <strong>{r.title}</strong> — {WORDS[r.before] ?? r.before} → {WORDS[r.after] ?? r.after}
            . {r.summary}
          </li>
        ))}
      </ul>
      <div className="regression-actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            dismiss(alert.runId);
            if (current?.id === alert.workspaceId) goTo({ kind: 'overview' });
            else void openWorkspace(alert.workspaceId);
          }}
        >
          See the results
        </button>
        <button type="button" className="button" onClick={() => dismiss(alert.runId)}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
