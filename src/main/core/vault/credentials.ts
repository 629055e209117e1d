/**
 * A run's view of the vault: each integration's token read at most once per run, so a locked
 * keyring prompts (or fails) once rather than once per check.
 */
import type { Credentials } from '../engine/check';
import type { IntegrationId } from '../integrations/types';
import type { Vault } from './vault';

export function vaultCredentials(vault: Vault, workspaceId: string): Credentials {
  const read = new Map<IntegrationId, Promise<string | null>>();
  return {
    get(integration) {
      let p = read.get(integration);
      if (!p) {
        p = vault.get(workspaceId, integration);
        read.set(integration, p);
      }
      return p;
    },
  };
}
