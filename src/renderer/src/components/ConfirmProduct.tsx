/**
 * A product's hosts, key pages, sending domain and code folder. Onboarding, step 2: the usual
 * hosts and pages we propose for the domain, for the founder to confirm or edit (nothing is
 * probed until the workspace exists and the founder presses Re-check). Settings: the same form
 * on the saved details.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { normalizeDomain } from '../../../shared/domain';
import type { Host, Route } from '../../../shared/workspace';
import { proposeHosts, proposeRoutes } from '../../../shared/proposals';
import { useAppStore } from '../store';
import { selectAppInfo } from '../store/selectors';
import { useFocusOnMount } from './useFocusOnMount';

/** An empty sendingDomain or repoPath means "none". */
export interface ProductDetails {
  hosts: Host[];
  routes: Route[];
  sendingDomain: string;
  repoPath: string;
}

const ROUTE_WORDS: Record<Route['key'], string> = {
  home: 'Home page',
  login: 'Login page',
  dashboard: 'Dashboard (signed in)',
  report: 'Report page',
  health: 'Health endpoint',
  webhook: 'Webhook',
  admin: 'Admin area',
};

interface RouteField {
  key: Route['key'];
  method?: Route['method'];
  address: string;
}

function routeFields(routes: Route[]): RouteField[] {
  return routes.map((r) => ({
    key: r.key,
    ...(r.method ? { method: r.method } : {}),
    address: `${r.host}${r.path}`,
  }));
}

/** "app.example.com/login" or a full https URL → host and path; null when it is not one. */
function parseAddress(text: string): { host: string; path: string } | null {
  const raw = text.trim();
  if (!raw) return null;
  try {
    const url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
    const host = normalizeDomain(url.hostname);
    if (!host.ok) return null;
    return { host: host.domain, path: `${url.pathname}${url.search}` || '/' };
  } catch {
    return null;
  }
}

export function ConfirmProduct({
  domain,
  display,
  busy,
  initial,
  heading = `Confirm ${display}`,
  intro = 'These are the usual addresses of a product like yours. Tick the hosts you know exist and correct the pages; the others are checked only if they answer.',
  submitLabel = 'Create and open',
  busyLabel = 'Setting up…',
  error,
  onBack,
  onSubmit,
}: {
  domain: string;
  display: string;
  busy: boolean;
  /** The saved details when editing; absent: the usual ones proposed for the domain. */
  initial?: ProductDetails;
  heading?: string;
  intro?: string;
  submitLabel?: string;
  busyLabel?: string;
  /** What the main process said about the last submit; the form keeps what was typed. */
  error?: string | null;
  onBack?: () => void;
  onSubmit: (details: ProductDetails) => void;
}) {
  const id = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>(true);
  const [hosts, setHosts] = useState<Host[]>(() => initial?.hosts ?? proposeHosts(domain));
  const [extraHost, setExtraHost] = useState('');
  const [routes, setRoutes] = useState(() => {
    const proposed = proposeRoutes(domain);
    if (!initial) return routeFields(proposed);
    // Editing: the saved pages, then an empty field for each usual page not saved.
    const saved = routeFields(initial.routes);
    const missing = proposed
      .filter((p) => !saved.some((r) => r.key === p.key))
      .map((p): RouteField => ({ key: p.key, address: '' }));
    return [...saved, ...missing];
  });
  const [sendingDomain, setSendingDomain] = useState(initial?.sendingDomain ?? '');
  const [repoPath, setRepoPath] = useState(initial?.repoPath ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const nativePicker = useAppStore(selectAppInfo)?.transport === 'electron';
  const chooseFolder = useAppStore((s) => s.chooseFolder);
  const folderError = useAppStore((s) => s.folderError);

  async function pickFolder() {
    const picked = await chooseFolder();
    if (picked) setRepoPath(picked);
  }

  function addHost() {
    const checked = normalizeDomain(extraHost);
    if (!checked.ok) return setProblem(`Extra host: ${checked.message}`);
    // Adding a host that is already proposed ticks it.
    setHosts(
      hosts.some((h) => h.name === checked.domain)
        ? hosts.map((h) => (h.name === checked.domain ? { ...h, confirmed: true } : h))
        : [...hosts, { name: checked.domain, confirmed: true }],
    );
    setExtraHost('');
    setProblem(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const out: Route[] = [];
    for (const r of routes) {
      if (!r.address.trim()) continue; // an emptied page is one the product does not have
      const parsed = parseAddress(r.address);
      if (!parsed) {
        setProblem(
          `${ROUTE_WORDS[r.key] ?? r.key}: "${r.address}" is not an address like app.${display}/login.`,
        );
        return;
      }
      out.push({ key: r.key, ...(r.method ? { method: r.method } : {}), ...parsed });
    }
    let sending: string | undefined;
    if (sendingDomain.trim()) {
      const checked = normalizeDomain(sendingDomain);
      if (!checked.ok) return setProblem(`Sending domain: ${checked.message}`);
      sending = checked.domain;
    }
    setProblem(null);
    onSubmit({ hosts, routes: out, sendingDomain: sending ?? '', repoPath: repoPath.trim() });
  }

  return (
    <section className="card" aria-labelledby={`${id}-heading`} data-testid="confirm-product">
      <h2 id={`${id}-heading`} ref={headingRef} tabIndex={-1}>
        {heading}
      </h2>
      <p className="muted">{intro}</p>
      <form onSubmit={submit} noValidate>
        <fieldset className="onboarding-group">
          <legend>Hosts</legend>
          {hosts.map((h, i) => (
            <label key={h.name} className="onboarding-check">
              <input
                type="checkbox"
                checked={h.confirmed}
                onChange={(e) =>
                  setHosts(
                    hosts.map((x, j) => (j === i ? { ...x, confirmed: e.target.checked } : x)),
                  )
                }
              />
              {h.name}
            </label>
          ))}
          <div className="field-row">
            <label htmlFor={`${id}-extra`} className="visually-hidden">
              Another host
            </label>
            <input
              id={`${id}-extra`}
              type="text"
              spellCheck={false}
              placeholder={`e.g. admin.${display}`}
              value={extraHost}
              onChange={(e) => setExtraHost(e.target.value)}
              onKeyDown={(e) => {
                // Enter adds the host rather than submitting the whole form.
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addHost();
                }
              }}
            />
            <button type="button" className="button" onClick={addHost}>
              Add host
            </button>
          </div>
        </fieldset>

        <fieldset className="onboarding-group">
          <legend>Key pages</legend>
          {routes.map((r, i) => (
            <div key={i} className="onboarding-field">
              <label htmlFor={`${id}-route-${i}`}>
                {ROUTE_WORDS[r.key]}
                {r.method === 'POST' ? ' (POST)' : ''}
              </label>
              <input
                id={`${id}-route-${i}`}
                type="text"
                spellCheck={false}
                value={r.address}
                onChange={(e) =>
                  setRoutes(routes.map((x, j) => (j === i ? { ...x, address: e.target.value } : x)))
                }
              />
            </div>
          ))}
          <p className="field-hint">Empty a field if your product has no such page.</p>
        </fieldset>

        <fieldset className="onboarding-group">
          <legend>Optional</legend>
          <div className="onboarding-field">
            <label htmlFor={`${id}-sending`}>Domain your emails come from</label>
            <input
              id={`${id}-sending`}
              type="text"
              spellCheck={false}
              placeholder={display}
              value={sendingDomain}
              onChange={(e) => setSendingDomain(e.target.value)}
            />
          </div>
          <div className="onboarding-field">
            <label htmlFor={`${id}-repo`}>Your code’s folder on this computer (for stage 3)</label>
            <div className="field-row">
              <input
                id={`${id}-repo`}
                type="text"
                spellCheck={false}
                placeholder="/home/you/code/app"
                value={repoPath}
                onChange={(e) => setRepoPath(e.target.value)}
              />
              {nativePicker && (
                <button type="button" className="button" onClick={() => void pickFolder()}>
                  Choose…
                </button>
              )}
            </div>
            {folderError && <p className="field-hint field-hint-error">{folderError}</p>}
          </div>
        </fieldset>

        {(problem ?? error) && (
          <p className="field-hint field-hint-error" role="alert">
            {problem ?? error}
          </p>
        )}
        <div className="onboarding-actions">
          {onBack && (
            <button type="button" className="button" onClick={onBack} disabled={busy}>
              Back
            </button>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? busyLabel : submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}
