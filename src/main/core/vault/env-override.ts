/** LAUNCH_READY_<INTEGRATION>_TOKEN: a credential from the environment (CI), ahead of the keychain. */
import type { IntegrationId } from '../integrations/types';
import { checkSecret } from './validate';

export function envVarName(integration: IntegrationId): string {
  return `LAUNCH_READY_${integration.toUpperCase()}_TOKEN`;
}

/** The override, or null when the variable is unset or empty. A malformed one is an error. */
export function envOverride(env: NodeJS.ProcessEnv, integration: IntegrationId): string | null {
  const name = envVarName(integration);
  const value = env[name];
  if (value === undefined || value === '') return null;
  return checkSecret(value, `The environment variable ${name}`);
}
