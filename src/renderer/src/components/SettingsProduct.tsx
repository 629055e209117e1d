/** Settings → This product: the hosts, pages, sending domain and code folder, editable. */
import { useAppStore } from '../store';
import { selectCurrent } from '../store/selectors';
import { ConfirmProduct } from './ConfirmProduct';
import type { ProductDetails } from './ConfirmProduct';
import { formatWhen } from '../lib/derive';
import { ProductProbes } from './ProductProbes';
import { useFocusOnMount } from './useFocusOnMount';

export function SettingsProduct() {
  const workspace = useAppStore(selectCurrent);
  const saving = useAppStore((s) => s.savingDetails);
  const error = useAppStore((s) => s.detailsError);
  const savedAt = useAppStore((s) => s.detailsSavedAt);
  const saveDetails = useAppStore((s) => s.saveDetails);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(Boolean(workspace?.lab));
  if (!workspace) return null;

  if (workspace.lab) {
    return (
      <>
        <h2 ref={headingRef} tabIndex={-1} className="page-title">
          <span className="page-kicker">Settings</span>
          This product
        </h2>
        <p className="notice notice-calm">
          The demo product is fixed: its hosts and pages are the lab’s. Create a product for your
          own domain to edit its details.
        </p>
      </>
    );
  }

  const initial: ProductDetails = {
    hosts: workspace.hosts,
    routes: workspace.routes,
    sendingDomain: workspace.sendingDomain ?? '',
    repoPath: workspace.repoPath ?? '',
  };
  return (
    <>
      <ConfirmProduct
        // Remounted after each save so the form shows what was stored.
        key={workspace.updatedAt}
        domain={workspace.domain}
        display={workspace.domain}
        busy={saving}
        initial={initial}
        heading={`${workspace.name}: hosts, pages and folders`}
        intro="Change what Launch Ready checks. The domain stays: a new domain is a new product. The next re-check uses these details."
        submitLabel="Save changes"
        busyLabel="Saving…"
        error={error}
        onSubmit={(details) => void saveDetails(details)}
      />
      <ProductProbes key={`probes-${workspace.updatedAt}`} workspace={workspace} />
      {savedAt && !error && (
        <p className="notice notice-calm" role="status">
          Saved at {formatWhen(savedAt)}. Press Re-check to see the results with these details.
        </p>
      )}
    </>
  );
}
