/**
 * The vendor integrations a workspace can connect, and what the renderer may know about a saved
 * credential: whether it is set, where it comes from and at most its last 4 characters.
 */
export const INTEGRATION_IDS = [
  'cloudflare',
  'uptimerobot',
  'betterstack',
  'slack',
  'sentry',
  /** The founder's own AI endpoint (the red-team set): an optional credential for its header. */
  'llm',
] as const;
export type IntegrationId = (typeof INTEGRATION_IDS)[number];

export interface CredentialStatus {
  integration: IntegrationId;
  set: boolean;
  /** The last 4 characters, only for secrets of 12 characters or more (so they reveal little). */
  last4: string | null;
  /** keychain: the OS keychain; env: LAUNCH_READY_<NAME>_TOKEN; lab: the lab's own account. */
  source: 'keychain' | 'env' | 'lab' | null;
}
