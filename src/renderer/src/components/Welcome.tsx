import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { normalizeDomain } from '../../../shared/domain';
import type { WorkspaceSummary } from '../../../shared/workspace';
import { formatWhen } from '../lib/derive';
import { useHydrated } from '../lib/use-hydrated';
import { useAppStore } from '../store';
import type { ProductDetails } from './ConfirmProduct';
import { ConfirmProduct } from './ConfirmProduct';

export function Welcome() {
  const sessionError = useAppStore((s) => s.sessionError);
  const openError = useAppStore((s) => s.openError);
  const opening = useAppStore((s) => s.opening);
  const openDemo = useAppStore((s) => s.openDemo);
  const hydrated = useHydrated();

  return (
    <main className="welcome">
      <header className="welcome-intro">
        <p className="brand">Launch Ready</p>
        <h1>Get your product ready to demo, sell and hand off</h1>
        <p className="lead">
          We check your domain, security and email setup in seven stages and explain every result in
          plain words. Nothing on your servers is changed.
        </p>
      </header>

      {sessionError && (
        <p className="notice notice-error" role="alert">
          {sessionError}
        </p>
      )}

      {/* Prerendered HTML paints first; its controls wait until React can answer them. */}
      <fieldset className="welcome-choices" disabled={!hydrated}>
        <section className="card" aria-labelledby="demo-heading">
          <h2 id="demo-heading">See how it works</h2>
          <p>Explore a sample product with a few problems already found. Safe to click around.</p>
          <button
            type="button"
            className="button primary"
            onClick={() => void openDemo()}
            disabled={opening !== null}
          >
            {opening === 'demo' ? 'Opening the demo…' : 'Try the demo'}
          </button>
        </section>

        <DomainForm />
      </fieldset>

      {openError && (
        <p className="notice notice-error" role="alert">
          Could not open that: {openError}
        </p>
      )}

      <SavedWorkspaces />
    </main>
  );
}

function DomainForm() {
  const createWorkspace = useAppStore((s) => s.createWorkspace);
  const clearCreateError = useAppStore((s) => s.clearCreateError);
  const createError = useAppStore((s) => s.createError);
  const opening = useAppStore((s) => s.opening);
  const [domain, setDomain] = useState('');
  // Do not greet an empty field with an error; validate once the founder types or submits.
  const [touched, setTouched] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  const check = normalizeDomain(domain);
  const invalid = touched && !check.ok;

  // Step 2 (confirm hosts, pages, email and code folder) for the domain that passed step 1.
  const [confirming, setConfirming] = useState<{ domain: string; display: string } | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (!check.ok) {
      inputRef.current?.focus();
      return;
    }
    setConfirming({ domain: check.domain, display: check.display });
  }

  async function create(details: ProductDetails) {
    if (!confirming) return;
    // On failure the form stays, with what was typed and the reason (e.g. a missing folder).
    await createWorkspace(confirming.domain, details);
  }

  if (confirming) {
    return (
      <ConfirmProduct
        domain={confirming.domain}
        display={confirming.display}
        busy={opening !== null}
        error={createError}
        onBack={() => {
          clearCreateError();
          setConfirming(null);
        }}
        onSubmit={(d) => void create(d)}
      />
    );
  }

  let hint = 'The address your customers type, like example.com.';
  if (touched) hint = check.ok ? `We will check ${check.display}.` : check.message;

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Check your own product</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={`${id}-domain`}>Enter your domain</label>
        <div className="field-row">
          <input
            ref={inputRef}
            id={`${id}-domain`}
            name="domain"
            type="text"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder="example.com"
            value={domain}
            aria-invalid={invalid || createError !== null}
            aria-describedby={createError ? `${hintId} ${errorId}` : hintId}
            onChange={(e) => {
              setDomain(e.target.value);
              setTouched(true);
              clearCreateError();
            }}
          />
          <button type="submit" className="button primary" disabled={opening !== null}>
            Start
          </button>
        </div>
        <p id={hintId} className={invalid ? 'field-hint field-hint-error' : 'field-hint'}>
          {invalid && (
            <span aria-hidden="true" className="field-hint-icon">
              !{' '}
            </span>
          )}
          {hint}
        </p>
        {createError && (
          <p id={errorId} className="field-hint field-hint-error" role="alert">
            <span aria-hidden="true" className="field-hint-icon">
              !{' '}
            </span>
            {createError}
          </p>
        )}
      </form>
    </section>
  );
}

function SavedWorkspaces() {
  const workspaces = useAppStore((s) => s.workspaces);
  const problems = useAppStore((s) => s.problems);
  const state = useAppStore((s) => s.workspacesState);
  const error = useAppStore((s) => s.workspacesError);
  const sessionError = useAppStore((s) => s.sessionError);
  const opening = useAppStore((s) => s.opening);
  const openWorkspace = useAppStore((s) => s.openWorkspace);

  return (
    <>
      {problems.length > 0 && (
        <section className="notice notice-warn" aria-labelledby="problems-heading">
          <h2 id="problems-heading">Some saved files could not be read</h2>
          <p>
            Nothing was deleted or overwritten: each file is set aside or left as it was. Everything
            else works as usual.
          </p>
          <ul>
            {problems.map((p) => (
              <li key={`${p.file} ${p.movedTo ?? ''}`}>{p.message}</li>
            ))}
          </ul>
        </section>
      )}

      {/* When nothing can reach the main process, the session error above already says why. */}
      {state === 'error' && error && error !== sessionError && (
        <p className="notice notice-error" role="alert">
          Could not list your saved products: {error}
        </p>
      )}

      {workspaces.length > 0 && (
        <section className="saved" aria-labelledby="saved-heading">
          <h2 id="saved-heading">Continue where you left off</h2>
          <ul className="saved-list">
            {workspaces.map((w) => (
              <li key={w.id}>
                <button
                  type="button"
                  className="saved-item"
                  onClick={() => void openWorkspace(w.id)}
                  disabled={opening !== null}
                >
                  <span className="saved-name">
                    {w.name}
                    {w.lab && <span className="tag">Demo</span>}
                  </span>
                  <span className="saved-domain">{w.domain}</span>
                  <span className="saved-meta">{describeLastRun(w)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function describeLastRun(w: WorkspaceSummary): string {
  if (!w.lastRunAt) return 'Not checked yet';
  const parts = [`Checked ${formatWhen(w.lastRunAt)}`];
  if (w.lastScore !== null) parts.push(`score ${w.lastScore} of 100`);
  if (w.demoReady !== null) parts.push(w.demoReady ? 'ready to demo' : 'not ready to demo');
  return parts.join(' · ');
}
