/**
 * Credentials per workspace and integration, in the OS keychain (service "launch-ready", account
 * "<workspaceId>/<integration>"). LAUNCH_READY_<INTEGRATION>_TOKEN overrides the keychain, for CI.
 */
import { INTEGRATION_IDS } from '../integrations/types';
import type { IntegrationId } from '../integrations/types';
import type { CredentialStatus } from './credential-status';
import { credentialStatus } from './credential-status';
import { envOverride } from './env-override';
import { VaultError } from './errors';
import { keychain } from './keychain';
import { LOCKED_MESSAGE } from './keychain-errors';
import { defaultKeyringLocked } from './keyring-lock-probe';
import { checkIntegration, checkSecret, checkWorkspaceId } from './validate';

export const DEFAULT_KEYCHAIN_SERVICE = 'launch-ready';

export interface Vault {
  /** The secret to use: the environment override first, then the keychain; null when neither. */
  get(workspaceId: string, integration: IntegrationId): Promise<string | null>;
  /** Stores in the keychain; returns the effective status (an env override still wins). */
  set(workspaceId: string, integration: IntegrationId, secret: string): Promise<CredentialStatus>;
  /** Removes the keychain entry; true when there was one. An env override is not affected. */
  delete(workspaceId: string, integration: IntegrationId): Promise<boolean>;
  status(workspaceId: string, integration: IntegrationId): Promise<CredentialStatus>;
  /** Every integration, in INTEGRATION_IDS order. */
  list(workspaceId: string): Promise<CredentialStatus[]>;
}

export function openVault(opts: { env?: NodeJS.ProcessEnv; service?: string } = {}): Vault {
  const env = opts.env ?? process.env;
  const store = keychain(opts.service ?? DEFAULT_KEYCHAIN_SERVICE);

  // A locked keyring reads as "nothing stored": check before saying so.
  async function notFound<T>(value: T): Promise<T> {
    if ((await defaultKeyringLocked()) === true) throw new VaultError('locked', LOCKED_MESSAGE);
    return value;
  }

  async function readKeychain(account: string): Promise<string | null> {
    const secret = await store.get(account);
    return secret === null ? notFound(null) : secret;
  }

  async function status(workspaceId: string, integration: IntegrationId) {
    const account = accountName(workspaceId, integration);
    const fromEnv = envOverride(env, integration);
    if (fromEnv !== null) return credentialStatus(integration, fromEnv, 'env');
    return credentialStatus(integration, await readKeychain(account), 'keychain');
  }

  return {
    async get(workspaceId, integration) {
      const account = accountName(workspaceId, integration);
      return envOverride(env, integration) ?? (await readKeychain(account));
    },
    async set(workspaceId, integration, secret) {
      const account = accountName(workspaceId, integration);
      checkSecret(secret);
      const fromEnv = envOverride(env, integration); // a malformed override fails before storing
      await store.set(account, secret);
      return fromEnv !== null
        ? credentialStatus(integration, fromEnv, 'env')
        : credentialStatus(integration, secret, 'keychain');
    },
    async delete(workspaceId, integration) {
      const deleted = await store.delete(accountName(workspaceId, integration));
      return deleted || notFound(false);
    },
    status,
    async list(workspaceId) {
      checkWorkspaceId(workspaceId);
      const out: CredentialStatus[] = [];
      // One at a time: a locked keyring may show an unlock prompt, and one prompt is enough.
      for (const id of INTEGRATION_IDS) out.push(await status(workspaceId, id));
      return out;
    },
  };
}

function accountName(workspaceId: string, integration: IntegrationId): string {
  return `${checkWorkspaceId(workspaceId)}/${checkIntegration(integration)}`;
}
