import { useMemo } from 'react';
import type { StageNumber } from '../../../shared/checks';
import { stageOf, stageRows } from '../lib/derive';
import { useAppStore } from '../store';
import {
  selectCatalogue,
  selectCatalogueState,
  selectLastRun,
  selectLoadCatalogue,
  selectSessionError,
} from '../store/selectors';
import { CheckRow } from './CheckRow';
import { Dashboard } from './Dashboard';
import { HandoverPanel } from './HandoverPanel';
import { useFocusOnMount } from './useFocusOnMount';

export function StagePage({
  stage,
  checkId,
}: {
  stage: StageNumber;
  checkId?: string | undefined;
}) {
  const catalogue = useAppStore(selectCatalogue);
  const catalogueState = useAppStore(selectCatalogueState);
  const lastRun = useAppStore(selectLastRun);
  const loadCatalogue = useAppStore(selectLoadCatalogue);
  const sessionError = useAppStore(selectSessionError);
  // When we arrive for one check, that check's row takes focus instead of the heading.
  const headingRef = useFocusOnMount<HTMLHeadingElement>(!checkId);
  const info = stageOf(stage);
  const rows = useMemo(
    () => stageRows(stage, catalogue, lastRun?.results),
    [stage, catalogue, lastRun],
  );

  return (
    <>
      <h2 ref={headingRef} tabIndex={-1} className="page-title">
        <span className="page-kicker">Stage {info.n} of 7</span>
        {info.title}
      </h2>
      <p className="goal">{info.goal}</p>
      <section className="stage-brief" aria-label="About this stage">
        <div>
          <h3>What you get</h3>
          <p>{info.deliverable}</p>
        </div>
        <div>
          <h3>Signs this stage needs work</h3>
          <ul>
            {info.signals.map((signal) => (
              <li key={signal}>{signal}</li>
            ))}
          </ul>
        </div>
      </section>
      {stage === 6 && <Dashboard />}
      {stage === 7 && <HandoverPanel />}

      {catalogueState === 'error' && rows.length === 0 ? (
        // Without the catalogue we cannot say what this stage checks: never claim "nothing is wrong".
        <section className="notice notice-error" role="alert">
          <p>Could not load the list of checks: {sessionError ?? 'unknown error'}.</p>
          <button type="button" className="button" onClick={() => void loadCatalogue()}>
            Try again
          </button>
        </section>
      ) : catalogueState === 'loading' && rows.length === 0 ? (
        <p className="muted">Loading the checks …</p>
      ) : rows.length === 0 ? (
        stage === 7 ? null : (
          <section className="card notice-calm">
            <p>
              This stage has no checks yet. Nothing is wrong: there is simply nothing for Launch
              Ready to test here.
            </p>
          </section>
        )
      ) : (
        <>
          {!lastRun && (
            <p className="muted">
              These checks have not run yet. Press <strong>Re-check everything</strong> to run them.
            </p>
          )}
          <ul className="checks" aria-label={`Checks for ${info.title}`}>
            {rows.map((row) => (
              <CheckRow key={row.id} row={row} highlight={row.id === checkId} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
