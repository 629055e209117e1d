/**
 * Checks that call a vendor API with the founder's token: where the API is, the token from the
 * run's credentials, and a failed call turned into a result a founder can act on. Tokens never
 * reach a result.
 */
import type { CheckContext, CheckOutcome } from '../engine/check';
import type { IntegrationId, VendorApiId, VendorCallOptions } from '../integrations/types';
import { DEFAULT_VENDOR_ENDPOINTS, VendorError } from '../integrations/types';
import { VaultError, envVarName } from '../vault';
import { outcome } from './outcome';
import { takeTurn } from './perf-support';

export const VENDOR_NAMES: Record<IntegrationId, string> = {
  cloudflare: 'Cloudflare',
  uptimerobot: 'UptimeRobot',
  betterstack: 'Better Stack',
  slack: 'Slack',
  sentry: 'Sentry',
  llm: 'your AI endpoint',
};

/** How to connect each vendor, said once for every check that needs it. */
export const CONNECT_HOW: Record<IntegrationId, string> = {
  cloudflare:
    'create a read-only API token (Cloudflare → My Profile → API Tokens → "Read all resources") and save it in Settings → Integrations, or run "launch-ready secrets set cloudflare"',
  uptimerobot:
    'copy the read-only API key (UptimeRobot → Integrations & API → API) and save it in Settings → Integrations, or run "launch-ready secrets set uptimerobot"',
  betterstack:
    'create an API token (Better Stack → Uptime → API tokens) and save it in Settings → Integrations, or run "launch-ready secrets set betterstack"',
  slack:
    'create an incoming webhook for your alerts channel (Slack → Apps → Incoming Webhooks) and save its URL in Settings → Integrations, or run "launch-ready secrets set slack"',
  sentry:
    'create an auth token with project:read, project:releases and alerts:read (Sentry → Settings → Auth Tokens) and save it in Settings → Integrations, or run "launch-ready secrets set sentry"',
  llm: 'save the value of the header your AI endpoint expects (for example a test account’s API key) in Settings → Integrations, or run "launch-ready secrets set llm"',
};

export function vendorOptions(ctx: CheckContext, id: VendorApiId): VendorCallOptions {
  const lab = ctx.net.vendors?.[id];
  // A loopback-only network (the lab, tests) never falls through to the real vendor.
  if (!lab && ctx.net.loopbackOnly) {
    throw new VendorError('unreachable', `${VENDOR_NAMES[id]} is not part of this lab.`, {
      vendor: VENDOR_NAMES[id],
    });
  }
  return {
    baseUrl: lab ?? DEFAULT_VENDOR_ENDPOINTS[id],
    timeoutMs: ctx.net.timeouts.requestMs,
    signal: ctx.signal,
    extraCa: ctx.net.extraCa,
  };
}

/** The token, null when not connected; a keychain that cannot be read is an error result. */
export async function tokenFor(
  ctx: CheckContext,
  id: IntegrationId,
): Promise<{ token: string | null } | { failed: CheckOutcome }> {
  try {
    return { token: await ctx.credentials.get(id) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // No keychain on this machine at all (a server, CI): nothing can be stored there, so the
    // integration is simply not connected; the environment variable is the way in.
    if (err instanceof VaultError && err.code === 'unavailable') {
      return {
        failed: outcome(
          'skipped',
          `Skipped: ${VENDOR_NAMES[id]} is not connected and this computer has no keychain to keep its token (${message}). Set ${envVarName(id)} to check it.`,
          { integration: id, connected: false, keychain: 'unavailable' },
        ),
      };
    }
    return {
      failed: outcome(
        'error',
        `Could not read the ${VENDOR_NAMES[id]} token from the keychain: ${message}`,
        { integration: id, keychain: 'unreadable' },
      ),
    };
  }
}

/** A vendor call that failed, as the check's result; anything else propagates. */
export function vendorFailure(err: unknown, id: IntegrationId): CheckOutcome {
  if (!(err instanceof VendorError)) throw err;
  return outcome('error', `Could not decide: ${err.message}`, {
    integration: id,
    failure: err.failure,
    httpStatus: err.details.status ?? null,
    permission: err.details.permission ?? null,
  });
}

/** Runs `body` with the vendor's token, or skips with how to connect it. */
export async function withVendor(
  ctx: CheckContext,
  id: IntegrationId,
  body: (token: string) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const t = await tokenFor(ctx, id);
  if ('failed' in t) return t.failed;
  if (!t.token) {
    return outcome(
      'skipped',
      `Skipped: ${VENDOR_NAMES[id]} is not connected. To check it, ${CONNECT_HOW[id]}.`,
      {
        integration: id,
        connected: false,
      },
    );
  }
  try {
    // Outside our own load burst: the vendor calls' work would skew what the burst measures.
    return await takeTurn(ctx, 'shared', () => body(t.token as string));
  } catch (err) {
    return vendorFailure(err, id);
  }
}
