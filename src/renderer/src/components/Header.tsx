import { useEffect } from 'react';
import type { Workspace } from '../../../shared/workspace';
import { useAppStore } from '../store';
import type { RunProgress } from '../store';
import {
  selectCatalogue,
  selectProgress,
  selectRunChecks,
  selectRunError,
  selectRunning,
} from '../store/selectors';

export function Header({ workspace }: { workspace: Workspace }) {
  const running = useAppStore(selectRunning);
  const runChecks = useAppStore(selectRunChecks);
  const runError = useAppStore(selectRunError);
  const closeWorkspace = useAppStore((s) => s.closeWorkspace);
  useRecheckShortcut(runChecks);

  return (
    <header className="topbar">
      <div className="topbar-row">
        <div className="topbar-title">
          <p className="brand">Launch Ready</p>
          <h1>
            {workspace.name}
            {workspace.lab && <span className="tag">Demo</span>}
          </h1>
          <p className="topbar-domain">{workspace.domain}</p>
        </div>
        <div className="topbar-actions">
          <button type="button" className="button" onClick={closeWorkspace}>
            Switch product
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => void runChecks()}
            disabled={running}
            aria-describedby="run-status"
            aria-keyshortcuts="R"
            title="Re-check everything (R)"
          >
            <span aria-hidden="true">↻ </span>Re-check everything
            <kbd className="shortcut" aria-hidden="true">
              R
            </kbd>
          </button>
        </div>
      </div>
      <RunStatus />
      {runError && (
        <p className="notice notice-error" role="alert">
          {runError}
        </p>
      )}
    </header>
  );
}

function RunStatus() {
  const progress = useAppStore(selectProgress);
  const catalogue = useAppStore(selectCatalogue);
  // Always rendered, so screen readers announce changes inside the live region.
  return (
    <div id="run-status" className="run-status" role="status" aria-live="polite">
      {progress && (
        <>
          <p>{describeProgress(progress, catalogue)}</p>
          <ProgressBar progress={progress} />
        </>
      )}
    </div>
  );
}

function describeProgress(
  progress: RunProgress,
  catalogue: { id: string; title: string }[] | null,
): string {
  const { total, done, active } = progress;
  const currentId = active.at(-1);
  if (total === null) return 'Starting the checks …';
  if (done >= total) return `Checked ${total} of ${total}. Putting the results together …`;
  const current = currentId ? catalogue?.find((c) => c.id === currentId)?.title : undefined;
  return `Checking ${done + 1} of ${total} …${current ? ` ${current}` : ''}`;
}

function ProgressBar({ progress }: { progress: RunProgress }) {
  const { total, done } = progress;
  const percent = total ? Math.round((Math.min(done, total) / total) * 100) : 0;
  return (
    <div
      className={total === null ? 'progress progress-waiting' : 'progress'}
      role="progressbar"
      aria-label="Check progress"
      aria-valuemin={0}
      aria-valuemax={total ?? undefined}
      aria-valuenow={total === null ? undefined : done}
    >
      {/* A style prop is set through the CSSOM, which the CSP's style-src 'self' allows. */}
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

/**
 * R re-checks from anywhere on the page, as on other web apps' single-key shortcuts: never while
 * typing in a field, and never with a modifier (Ctrl+R still reloads).
 */
function useRecheckShortcut(runChecks: () => Promise<void>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'r' && event.key !== 'R') return;
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      event.preventDefault();
      void runChecks();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [runChecks]);
}
