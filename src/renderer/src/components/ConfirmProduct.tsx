/**
 * Onboarding, step 2: the usual hosts and key pages we propose for the domain, for the founder
 * to confirm or edit, plus where email is sent from and the code's folder. Nothing is probed
 * until the workspace exists and the founder presses Re-check.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { normalizeDomain } from '../../../shared/domain';
import type { Host, Route } from '../../../shared/workspace';
import { proposeHosts, proposeRoutes } from '../../../shared/proposals';
import { useFocusOnMount } from './useFocusOnMount';

export interface ProductDetails {
  hosts: Host[];
  routes: Route[];
  sendingDomain?: string;
  repoPath?: string;
}

const ROUTE_WORDS: Record<string, string> = {
  home: 'Home page',
  login: 'Login page',
  dashboard: 'Dashboard (signed in)',
  health: 'Health endpoint',
};

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
  onBack,
  onCreate,
}: {
  domain: string;
  display: string;
  busy: boolean;
  onBack: () => void;
  onCreate: (details: ProductDetails) => void;
}) {
  const id = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>(true);
  const [hosts, setHosts] = useState<Host[]>(() => proposeHosts(domain));
  const [extraHost, setExtraHost] = useState('');
  const [routes, setRoutes] = useState(() =>
    proposeRoutes(domain).map((r) => ({ key: r.key, address: `${r.host}${r.path}` })),
  );
  const [sendingDomain, setSendingDomain] = useState('');
  const [repoPath, setRepoPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  function addHost() {
    const checked = normalizeDomain(extraHost);
    if (!checked.ok) return setProblem(`Extra host: ${checked.message}`);
    if (!hosts.some((h) => h.name === checked.domain))
      setHosts([...hosts, { name: checked.domain, confirmed: true }]);
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
      out.push({ key: r.key as Route['key'], ...parsed });
    }
    let sending: string | undefined;
    if (sendingDomain.trim()) {
      const checked = normalizeDomain(sendingDomain);
      if (!checked.ok) return setProblem(`Sending domain: ${checked.message}`);
      sending = checked.domain;
    }
    setProblem(null);
    onCreate({
      hosts,
      routes: out,
      ...(sending ? { sendingDomain: sending } : {}),
      ...(repoPath.trim() ? { repoPath: repoPath.trim() } : {}),
    });
  }

  return (
    <section className="card" aria-labelledby={`${id}-heading`} data-testid="confirm-product">
      <h2 id={`${id}-heading`} ref={headingRef} tabIndex={-1}>
        Confirm {display}
      </h2>
      <p className="muted">
        These are the usual addresses of a product like yours. Tick the hosts you know exist and
        correct the pages; the others are checked only if they answer.
      </p>
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
            />
            <button type="button" className="button" onClick={addHost}>
              Add host
            </button>
          </div>
        </fieldset>

        <fieldset className="onboarding-group">
          <legend>Key pages</legend>
          {routes.map((r, i) => (
            <div key={r.key} className="onboarding-field">
              <label htmlFor={`${id}-route-${r.key}`}>{ROUTE_WORDS[r.key] ?? r.key}</label>
              <input
                id={`${id}-route-${r.key}`}
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
            <input
              id={`${id}-repo`}
              type="text"
              spellCheck={false}
              placeholder="/home/you/code/app"
              value={repoPath}
              onChange={(e) => setRepoPath(e.target.value)}
            />
          </div>
        </fieldset>

        {problem && (
          <p className="field-hint field-hint-error" role="alert">
            {problem}
          </p>
        )}
        <div className="onboarding-actions">
          <button type="button" className="button" onClick={onBack} disabled={busy}>
            Back
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Setting up…' : 'Create and open'}
          </button>
        </div>
      </form>
    </section>
  );
}
