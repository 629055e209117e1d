/**
 * LAUNCH_READY_<NAME>_API_URL: another API root for a vendor — a self-hosted Sentry, Sentry's EU
 * region (https://de.sentry.io/api/0), or a stand-in on loopback for tests.
 */
import { isLoopback } from '../probes/net-context';
import type { VendorApiId, VendorEndpoints } from './types';
import { DEFAULT_VENDOR_ENDPOINTS } from './types';

export function apiUrlVarName(integration: VendorApiId): string {
  return `LAUNCH_READY_${integration.toUpperCase()}_API_URL`;
}

/** The overrides set in `env`; a value that is not an https URL (http on loopback) throws. */
export function vendorEndpointsFromEnv(env: NodeJS.ProcessEnv): VendorEndpoints {
  const out: VendorEndpoints = {};
  for (const id of Object.keys(DEFAULT_VENDOR_ENDPOINTS) as VendorApiId[]) {
    const name = apiUrlVarName(id);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(
        `${name} is not a URL: give the API root, e.g. ${DEFAULT_VENDOR_ENDPOINTS[id]}.`,
      );
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(host)))
      throw new Error(`${name} must be an https:// address (plain http only on this computer).`);
    if (url.username || url.password) throw new Error(`${name} must not carry a user name.`);
    out[id] = url.href.replace(/\/$/, '');
  }
  return out;
}
