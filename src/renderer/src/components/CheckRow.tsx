import { useEffect, useRef } from 'react';
import type { StageRow } from '../lib/derive';
import { IMPACT_LABEL } from '../lib/status';
import { AskForm } from './AskForm';
import { StatusBadge } from './StatusBadge';

export function CheckRow({ row, highlight }: { row: StageRow; highlight: boolean }) {
  const { id, meta, result } = row;
  const status = result?.status ?? 'not-run';
  const itemRef = useRef<HTMLLIElement>(null);
  const detailsRef = useRef<HTMLDetailsElement>(null);
  const impact = meta?.impact ?? result?.impact;

  useEffect(() => {
    // Arriving from "Fix first": open the explanation and bring the row into view.
    if (!highlight) return;
    if (detailsRef.current) detailsRef.current.open = true;
    itemRef.current?.scrollIntoView({ block: 'start' });
    itemRef.current?.focus({ preventScroll: true });
  }, [highlight]);

  return (
    <li
      ref={itemRef}
      tabIndex={highlight ? -1 : undefined}
      className={`check check-${status}`}
      data-check-id={id}
      data-status={status}
    >
      <div className="check-head">
        <StatusBadge status={status} />
        <h3 className="check-title">{meta?.title ?? id}</h3>
        {impact && <span className={`impact impact-${impact}`}>{IMPACT_LABEL[impact]}</span>}
      </div>
      <p className="check-summary">
        {result ? result.summary : 'Not run yet. Press Re-check everything to run this check.'}
      </p>
      {meta?.kind === 'ask' && meta.question && <AskForm checkId={id} question={meta.question} />}
      <details ref={detailsRef} className="check-details">
        <summary>Why it matters, how to fix, evidence</summary>
        <h4>Why it matters</h4>
        <p>{meta?.why ?? 'This version of Launch Ready has no explanation for this check.'}</p>
        <h4>How to fix</h4>
        {meta && meta.fix.length > 0 ? (
          <ol>
            {meta.fix.map((step, i) => (
              <li key={i}>{step}</li>
            ))}
          </ol>
        ) : (
          <p>No steps recorded for this check.</p>
        )}
        <h4>Evidence for your contractor</h4>
        {result ? (
          <pre className="evidence" tabIndex={0} aria-label={`Evidence for ${meta?.title ?? id}`}>
            {JSON.stringify(result.evidence, null, 2)}
          </pre>
        ) : (
          <p>No evidence yet: this check has not run.</p>
        )}
      </details>
    </li>
  );
}
