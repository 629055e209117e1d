/** Checks every input at the vault's boundary, before anything reaches the keychain. */
import { INTEGRATION_IDS } from '../integrations/types';
import type { IntegrationId } from '../integrations/types';
import { VaultError } from './errors';

/** Same rule as the workspace schema's id (src/shared/workspace.ts). */
const WORKSPACE_ID = /^[a-z0-9-]{1,64}$/;
export const MAX_SECRET_LENGTH = 4096;
/** C0/C1 controls (newline, tab, escape, …) and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function checkWorkspaceId(workspaceId: unknown): string {
  if (typeof workspaceId !== 'string' || !WORKSPACE_ID.test(workspaceId))
    throw new VaultError(
      'invalid',
      'The workspace id is not valid: use 1 to 64 lowercase letters, digits or dashes.',
    );
  return workspaceId;
}

export function checkIntegration(integration: unknown): IntegrationId {
  if (
    typeof integration !== 'string' ||
    !(INTEGRATION_IDS as readonly string[]).includes(integration)
  )
    throw new VaultError(
      'invalid',
      `Unknown integration: use one of ${INTEGRATION_IDS.join(', ')}.`,
    );
  return integration as IntegrationId;
}

/** `where` names the value's origin (e.g. an environment variable) in the message, never the value. */
export function checkSecret(secret: unknown, where = 'The token'): string {
  if (typeof secret !== 'string' || secret.length === 0)
    throw new VaultError('invalid', `${where} is empty: paste the whole token.`);
  if (secret.length > MAX_SECRET_LENGTH)
    throw new VaultError(
      'invalid',
      `${where} is longer than ${MAX_SECRET_LENGTH} characters: check that you copied only the token.`,
    );
  if (CONTROL_CHARS.test(secret))
    throw new VaultError(
      'invalid',
      `${where} contains a line break or another control character: copy the token again, on one line.`,
    );
  return secret;
}
