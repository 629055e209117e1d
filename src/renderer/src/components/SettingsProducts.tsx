/**
 * Settings → Your products: every saved product, to open another, add one or delete one.
 * Deleting asks first and says what goes with it (history, tokens in the keychain).
 */
import { useEffect, useState } from 'react';
import type { WorkspaceSummary } from '../../../shared/workspace';
import { formatWhen } from '../lib/derive';
import { useAppStore } from '../store';
import { selectCurrent, selectWorkspaces } from '../store/selectors';
import { useFocusOnMount } from './useFocusOnMount';

export function SettingsProducts() {
  const workspaces = useAppStore(selectWorkspaces);
  const current = useAppStore(selectCurrent);
  const loadWorkspaces = useAppStore((s) => s.loadWorkspaces);
  const closeWorkspace = useAppStore((s) => s.closeWorkspace);
  const deleteError = useAppStore((s) => s.deleteError);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(true);

  useEffect(() => {
    void loadWorkspaces();
  }, [loadWorkspaces]);

  return (
    <>
      <h2 ref={headingRef} tabIndex={-1} className="page-title">
        <span className="page-kicker">Settings</span>
        Your products
      </h2>
      <p className="goal">
        Each product has its own hosts, answers, tokens and history. Open another one, or add a new
        product from the start page.
      </p>
      {deleteError && (
        <p className="notice notice-error" role="alert">
          Could not delete: {deleteError}
        </p>
      )}
      <ul className="products" aria-label="Saved products">
        {workspaces.map((w) => (
          <ProductRow key={w.id} workspace={w} isCurrent={w.id === current?.id} />
        ))}
      </ul>
      <button type="button" className="button" onClick={closeWorkspace}>
        Add another product
      </button>
    </>
  );
}

function ProductRow({
  workspace: w,
  isCurrent,
}: {
  workspace: WorkspaceSummary;
  isCurrent: boolean;
}) {
  const openWorkspace = useAppStore((s) => s.openWorkspace);
  const deleteWorkspace = useAppStore((s) => s.deleteWorkspace);
  const deleting = useAppStore((s) => s.deleting);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useFocusOnMount<HTMLButtonElement>(confirming);

  return (
    <li className="card product" data-workspace={w.id}>
      <h3>
        {w.name}
        {w.lab && <span className="tag">Demo</span>}
        {isCurrent && <span className="tag tag-calm">Open now</span>}
      </h3>
      <p className="muted">
        {w.domain} ·{' '}
        {w.lastRunAt
          ? `last checked ${formatWhen(w.lastRunAt)}${w.lastScore !== null ? `, score ${w.lastScore}` : ''}`
          : 'not checked yet'}
      </p>
      {confirming ? (
        <div className="confirm-delete" role="group" aria-label={`Delete ${w.name}?`}>
          <p>
            Delete {w.name}? Its run history and answers go, and its tokens are removed from your
            keychain. Your product itself is not touched.
          </p>
          <button
            ref={confirmRef}
            type="button"
            className="button danger"
            disabled={deleting !== null}
            onClick={() => void deleteWorkspace(w.id).then((ok) => ok || setConfirming(false))}
          >
            {deleting === w.id ? 'Deleting…' : `Delete ${w.name}`}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <div className="product-actions">
          {!isCurrent && (
            <button type="button" className="button" onClick={() => void openWorkspace(w.id)}>
              Open
            </button>
          )}
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        </div>
      )}
    </li>
  );
}
