/**
 * What every vendor integration shares: its id, where its API lives (injectable, so the lab's
 * fake vendors stand in for the real ones), and how a failed call is explained to a founder.
 */

import type { IntegrationId } from '../../../shared/integrations';

export { INTEGRATION_IDS } from '../../../shared/integrations';
export type { IntegrationId } from '../../../shared/integrations';

/** Vendors with an API to read (Slack is a webhook URL; llm is the founder's own endpoint). */
export type VendorApiId = Exclude<IntegrationId, 'slack' | 'llm'>;

/** The real APIs; the lab and tests override them through `VendorEndpoints`. */
export const DEFAULT_VENDOR_ENDPOINTS: Record<VendorApiId, string> = {
  cloudflare: 'https://api.cloudflare.com/client/v4',
  uptimerobot: 'https://api.uptimerobot.com/v2',
  betterstack: 'https://uptime.betterstack.com/api/v2',
  sentry: 'https://sentry.io/api/0',
};

export type VendorEndpoints = Partial<Record<VendorApiId, string>>;

/**
 * unauthorized: the token was refused (wrong, expired, revoked). forbidden: it is valid but lacks
 * a permission (`permission` names it). not-found: the thing asked for does not exist.
 * rate-limited: 429. timeout / unreachable: no usable connection or no answer in time.
 * server: 5xx. malformed: an answer that is not what the vendor documents.
 */
export type VendorFailure =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'timeout'
  | 'unreachable'
  | 'server'
  | 'malformed';

export class VendorError extends Error {
  constructor(
    readonly failure: VendorFailure,
    message: string,
    readonly details: { status?: number; permission?: string; vendor?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VendorError';
  }
}

export interface VendorCallOptions {
  /** API root, e.g. DEFAULT_VENDOR_ENDPOINTS.cloudflare or the lab's fake. */
  baseUrl: string;
  /** Per request: connect, headers and body each. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra trust roots (PEM), for a lab vendor served over HTTPS. */
  extraCa?: string[];
}
