/** What may be shown about a credential: whether it is set, where from, and at most 4 characters. */
import type { IntegrationId } from '../integrations/types';

export type { CredentialStatus } from '../../../shared/integrations';
import type { CredentialStatus } from '../../../shared/integrations';

const LAST4_MIN_LENGTH = 12;

export function last4(secret: string): string | null {
  // Code points, so a character outside the BMP is never cut in half.
  const chars = Array.from(secret);
  return chars.length >= LAST4_MIN_LENGTH ? chars.slice(-4).join('') : null;
}

export function credentialStatus(
  integration: IntegrationId,
  secret: string | null,
  source: 'keychain' | 'env',
): CredentialStatus {
  return secret === null
    ? { integration, set: false, last4: null, source: null }
    : { integration, set: true, last4: last4(secret), source };
}
