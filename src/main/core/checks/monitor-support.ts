/**
 * What the stage 6 checks share: the uptime monitors of every connected vendor (read once per
 * run), the addresses a monitor should watch, and the Sentry report.
 */
import type { Route } from '../../../shared/workspace';
import type { CheckContext, CheckOutcome } from '../engine/check';
import type { TargetCoverage, UptimeMonitor, UptimeVendor } from '../integrations/uptime-monitors';
import { listUptimeMonitors, matchMonitors } from '../integrations/uptime-monitors';
import {
  CONNECT_HOW,
  VENDOR_NAMES,
  tokenFor,
  vendorFailure,
  vendorOptions,
} from './integration-support';
import { routeUrl, routesWithKeys } from './audit-support';
import { outcome } from './outcome';
import { takeTurn } from './perf-support';

const UPTIME_VENDORS: readonly UptimeVendor[] = ['uptimerobot', 'betterstack'];

export interface UptimeRead {
  vendors: UptimeVendor[];
  monitors: UptimeMonitor[];
}

/**
 * The monitors of every connected uptime vendor, or the outcome to report instead: skipped when
 * none is connected, an error when a connected one cannot be read (half a list would pass
 * addresses it does not know about).
 */
export async function readUptime(ctx: CheckContext): Promise<UptimeRead | CheckOutcome> {
  const vendors: { vendor: UptimeVendor; token: string }[] = [];
  for (const vendor of UPTIME_VENDORS) {
    const t = await tokenFor(ctx, vendor);
    if ('failed' in t) {
      // No keychain here: that vendor is not connected, the other may be (by its variable).
      if (t.failed.status === 'skipped') continue;
      return t.failed;
    }
    if (t.token) vendors.push({ vendor, token: t.token });
  }
  if (vendors.length === 0) {
    return outcome(
      'skipped',
      `Skipped: no uptime monitor is connected. To check it, connect UptimeRobot (${CONNECT_HOW.uptimerobot}) or Better Stack (${CONNECT_HOW.betterstack}).`,
      { integration: 'uptime', connected: false },
    );
  }
  const monitors: UptimeMonitor[] = [];
  // Outside our own load burst, like every vendor call (see withVendor).
  return takeTurn(ctx, 'shared', () => listAll(ctx, vendors, monitors));
}

async function listAll(
  ctx: CheckContext,
  vendors: { vendor: UptimeVendor; token: string }[],
  monitors: UptimeMonitor[],
): Promise<UptimeRead | CheckOutcome> {
  for (const { vendor, token } of vendors) {
    try {
      const list = await ctx.cache.memo(
        `uptime:${vendor}`,
        (signal) => listUptimeMonitors(vendor, { ...vendorOptions(ctx, vendor), signal, token }),
        ctx.signal,
      );
      monitors.push(...list);
    } catch (err) {
      return vendorFailure(err, vendor);
    }
  }
  return { vendors: vendors.map((v) => v.vendor), monitors };
}

export function isOutcome(v: UptimeRead | CheckOutcome): v is CheckOutcome {
  return 'status' in v;
}

export interface WatchTarget {
  key: string;
  label: string;
  url: string;
}

/** The addresses whose outage a customer notices first: home, login, health and each webhook. */
export function watchTargets(ctx: CheckContext): WatchTarget[] {
  return routesWithKeys(ctx.workspace, ['home', 'login', 'health', 'webhook']).map((r: Route) => ({
    key: r.key === 'webhook' ? `webhook:${r.path}` : r.key,
    label: r.key === 'webhook' ? `the webhook ${r.path}` : `the ${r.key} page`,
    url: routeUrl(r),
  }));
}

export function coverage(
  read: UptimeRead,
  targets: readonly WatchTarget[],
): (TargetCoverage & { label: string })[] {
  const matched = matchMonitors(read.monitors, targets);
  return matched.map((c, i) => ({ ...c, label: targets[i]?.label ?? c.key }));
}

/** A monitor as evidence (and for the dashboard): never the vendor's token or contacts. */
export function monitorEvidence(m: UptimeMonitor): Record<string, unknown> {
  return {
    vendor: VENDOR_NAMES[m.vendor],
    id: m.id,
    name: m.name,
    url: m.url,
    kind: m.kind,
    status: m.status,
    intervalSeconds: m.intervalSeconds,
    alertChannels: m.alertChannels,
    sslExpiryAlerts: m.sslExpiryAlerts,
  };
}

export function vendorsInWords(vendors: readonly UptimeVendor[]): string {
  return vendors.map((v) => VENDOR_NAMES[v]).join(' and ');
}
