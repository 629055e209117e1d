/**
 * Settings → Integrations: save, replace or delete each vendor token. A token is typed into a
 * password field, handed to the main process (the OS keychain) and cleared; the page only ever
 * shows whether one is set and at most its last 4 characters.
 */
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { CredentialStatus, IntegrationId } from '../../../shared/integrations';
import { useAppStore } from '../store';
import {
  selectChangingCredential,
  selectCredentials,
  selectCredentialsError,
  selectCredentialsState,
  selectCurrent,
} from '../store/selectors';
import { useFocusOnMount } from './useFocusOnMount';

const INTEGRATIONS: Record<IntegrationId, { name: string; what: string; kind: string }> = {
  cloudflare: {
    name: 'Cloudflare',
    what: 'A read-only API token (My Profile → API Tokens → "Read all resources"). Stage 2 reads your zone’s SSL, HTTPS, DNS and cache settings.',
    kind: 'API token',
  },
  uptimerobot: {
    name: 'UptimeRobot',
    what: 'The read-only API key (Integrations & API → API). Stage 6 checks your monitors.',
    kind: 'API key',
  },
  betterstack: {
    name: 'Better Stack Uptime',
    what: 'An API token (Uptime → API tokens). Stage 6 checks your monitors.',
    kind: 'API token',
  },
  sentry: {
    name: 'Sentry',
    what: 'An auth token with project:read, project:releases and alerts:read. Stage 6 checks releases and alert rules.',
    kind: 'auth token',
  },
  llm: {
    name: 'Your AI endpoint',
    what: 'Optional: the value of the header your AI feature’s endpoint expects (a test account’s key). Stage 1’s prompt-injection set sends it with each probe.',
    kind: 'header value',
  },
  slack: {
    name: 'Slack',
    what: 'The incoming-webhook URL of your alerts channel. Stage 6 can send one labelled test alert through it.',
    kind: 'webhook URL',
  },
};

function describe(c: CredentialStatus | undefined): string {
  if (!c?.set) return 'Not connected';
  if (c.source === 'lab') return 'Connected (the lab’s own account)';
  const where = c.source === 'env' ? 'from an environment variable' : 'in your keychain';
  return `Connected — set ${where}${c.last4 ? `, ending in …${c.last4}` : ''}`;
}

export function SettingsIntegrations() {
  const workspace = useAppStore(selectCurrent);
  const credentials = useAppStore(selectCredentials);
  const state = useAppStore(selectCredentialsState);
  const error = useAppStore(selectCredentialsError);
  const loadCredentials = useAppStore((s) => s.loadCredentials);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(true);

  useEffect(() => {
    void loadCredentials();
  }, [loadCredentials]);

  const lab = Boolean(workspace?.lab);
  return (
    <>
      <h2 ref={headingRef} tabIndex={-1} className="page-title">
        <span className="page-kicker">Settings</span>
        Integrations
      </h2>
      <p className="goal">
        Connect the services your product uses so Launch Ready can check them. Tokens go to your
        computer’s keychain; this page never shows them again.
      </p>
      {lab && (
        <p className="notice notice-calm">
          This is the demo: it uses the lab’s own accounts, so there is nothing to save here. Create
          a product for your real domain to connect your accounts.
        </p>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {state === 'loading' && !credentials && <p className="muted">Loading …</p>}
      <ul className="integrations" aria-label="Integrations">
        {(Object.keys(INTEGRATIONS) as IntegrationId[]).map((id) => (
          <IntegrationRow
            key={id}
            id={id}
            status={credentials?.find((c) => c.integration === id)}
            readOnly={lab}
          />
        ))}
      </ul>
    </>
  );
}

function IntegrationRow({
  id,
  status,
  readOnly,
}: {
  id: IntegrationId;
  status: CredentialStatus | undefined;
  readOnly: boolean;
}) {
  const info = INTEGRATIONS[id];
  const changing = useAppStore(selectChangingCredential);
  const saveCredential = useAppStore((s) => s.saveCredential);
  const deleteCredential = useAppStore((s) => s.deleteCredential);
  // The typed token lives only in this field until it is sent, then the field is cleared.
  const [value, setValue] = useState('');
  const fieldId = useId();
  const statusId = useId();
  const busy = changing !== null;
  const set = status?.set === true;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const token = value.trim();
    if (!token) return;
    setValue('');
    await saveCredential(id, token);
  }

  return (
    <li className="card integration" data-integration={id} data-set={set ? 'yes' : 'no'}>
      <h3>{info.name}</h3>
      <p id={statusId} className={set ? 'integration-status is-set' : 'integration-status'}>
        <span aria-hidden="true">{set ? '● ' : '○ '}</span>
        {describe(status)}
      </p>
      <p className="muted">{info.what}</p>
      {!readOnly && status?.source !== 'env' && (
        <form className="integration-form" onSubmit={(e) => void onSubmit(e)}>
          <label htmlFor={fieldId}>
            {set ? `Replace the ${info.kind}` : `Paste the ${info.kind}`}
          </label>
          <input
            id={fieldId}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            aria-describedby={statusId}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="button primary" disabled={busy || !value.trim()}>
            {set ? 'Replace' : 'Save'}
          </button>
          {set && (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void deleteCredential(id)}
            >
              Delete
            </button>
          )}
        </form>
      )}
    </li>
  );
}
