import { useMemo } from 'react';
import type { CheckMeta } from '../../../shared/checks';
import type { RunDiffEntry, RunRecord } from '../../../shared/run';
import { byId, formatWhen, stageOf } from '../lib/derive';
import { IMPACT_LABEL } from '../lib/status';
import { useAppStore } from '../store';
import { selectCatalogue, selectGoTo, selectLastRun, selectLastRunState } from '../store/selectors';
import { StatusBadge } from './StatusBadge';
import { useFocusOnMount } from './useFocusOnMount';

export function Overview() {
  const lastRun = useAppStore(selectLastRun);
  const lastRunState = useAppStore(selectLastRunState);
  const catalogue = useAppStore(selectCatalogue);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();

  return (
    <>
      <h2 ref={headingRef} tabIndex={-1} className="page-title">
        Overview
      </h2>
      {lastRun ? (
        <>
          <VerdictCard run={lastRun} />
          <FixFirst run={lastRun} catalogue={catalogue} />
          <WhatChanged run={lastRun} />
        </>
      ) : lastRunState === 'loading' || lastRunState === 'idle' ? (
        <p className="muted">Loading the last results …</p>
      ) : (
        <section className="card">
          <h3>Not checked yet</h3>
          <p>
            Press <strong>Re-check everything</strong> to run the automated checks. They only look
            at your product from the outside, the way a visitor would; nothing is changed.
          </p>
          {catalogue && <p className="muted">{catalogue.length} automated checks are available.</p>}
        </section>
      )}
    </>
  );
}

function VerdictCard({ run }: { run: RunRecord }) {
  const { verdict } = run;
  const goTo = useAppStore(selectGoTo);
  const ready = verdict.demoReady;
  return (
    <section className={`card verdict ${ready ? 'verdict-ready' : 'verdict-blocked'}`}>
      <div className="verdict-main">
        <span className="verdict-icon" aria-hidden="true">
          {ready ? '✓' : '✕'}
        </span>
        <div>
          <h3 className="verdict-headline" data-testid="verdict-headline">
            {ready ? 'Ready to demo' : verdict.headline}
          </h3>
          {!ready && verdict.blockers.length > 0 && (
            <>
              <p className="blockers-intro">
                {verdict.blockers.length === 1
                  ? 'One thing blocks the demo:'
                  : `${verdict.blockers.length} things block the demo:`}
              </p>
              <ul className="blockers">
                {verdict.blockers.map((b) => (
                  <li key={b.id}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        const stage = run.results.find((r) => r.id === b.id)?.stage;
                        if (stage) goTo({ kind: 'stage', stage, checkId: b.id });
                      }}
                    >
                      {b.title}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </div>
      <div className="score">
        <p className="score-number">
          {verdict.score === null ? (
            'No score yet'
          ) : (
            <>
              <strong>{verdict.score}</strong>
              <span className="muted"> / 100 overall</span>
            </>
          )}
        </p>
        {verdict.score !== null && (
          <div
            className="meter"
            role="meter"
            aria-label="Overall readiness"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={verdict.score}
          >
            <div className="meter-fill" style={{ width: `${verdict.score}%` }} />
          </div>
        )}
        <p className="muted small">Last checked {formatWhen(run.finishedAt)}</p>
      </div>
    </section>
  );
}

function FixFirst({ run, catalogue }: { run: RunRecord; catalogue: CheckMeta[] | null }) {
  const goTo = useAppStore(selectGoTo);
  // The engine ranks the risks (impact, then severity); an older stored run may lack them.
  const items = run.verdict.risks ?? [];
  const metaById = useMemo(() => byId(catalogue), [catalogue]);

  return (
    <section className="card" aria-labelledby="fix-first-heading">
      <h3 id="fix-first-heading">Fix first</h3>
      {items.length === 0 ? (
        <p>Nothing is failing or at risk.</p>
      ) : (
        <ol className="fix-list">
          {items.map((r) => {
            const stage = stageOf(r.stage);
            return (
              <li key={r.id} className="fix-item">
                <StatusBadge status={r.status} />
                <div>
                  <button
                    type="button"
                    className="link fix-title"
                    onClick={() => goTo({ kind: 'stage', stage: r.stage, checkId: r.id })}
                  >
                    {metaById.get(r.id)?.title ?? r.title}
                  </button>
                  <p>{r.summary}</p>
                  <p className="muted small">
                    {IMPACT_LABEL[r.impact]} · Stage {stage.n}: {stage.title}
                  </p>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function WhatChanged({ run }: { run: RunRecord }) {
  const { diff } = run;
  if (diff.previousRunId === null) {
    return (
      <section className="card" aria-labelledby="changes-heading">
        <h3 id="changes-heading">What changed since the last run</h3>
        <p>First run: there is nothing earlier to compare with yet.</p>
      </section>
    );
  }
  const nothing = diff.newFailures.length + diff.fixed.length + diff.changed.length === 0;
  return (
    <section className="card" aria-labelledby="changes-heading">
      <h3 id="changes-heading">What changed since the last run</h3>
      {nothing ? (
        <p>
          Nothing changed: all {diff.unchanged} {diff.unchanged === 1 ? 'check' : 'checks'} gave the
          same result as last time.
        </p>
      ) : (
        <>
          <ChangeList title="New problems" entries={diff.newFailures} />
          <ChangeList title="Fixed" entries={diff.fixed} />
          <ChangeList title="Other changes" entries={diff.changed} />
          {diff.unchanged > 0 && (
            <p className="muted small">
              {diff.unchanged} {diff.unchanged === 1 ? 'check' : 'checks'} unchanged.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function ChangeList({ title, entries }: { title: string; entries: RunDiffEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul className="change-list">
        {entries.map((e) => (
          <li key={e.id}>
            <span className="change-title">{e.title}</span>
            <span className="change-statuses">
              {e.before ? <StatusBadge status={e.before} /> : <span className="muted">new</span>}
              <span aria-hidden="true"> → </span>
              <span className="sr-only">became</span>
              {e.after ? <StatusBadge status={e.after} /> : <span className="muted">removed</span>}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
