/**
 * Uptime monitors from UptimeRobot or Better Stack, in one shape, and which of the product's
 * addresses (home page, login, health endpoint, webhook routes) they actually watch. The vendor
 * modules only fetch and translate field names; everything that decides (what counts as a
 * match, a fast enough interval, an alert that reaches someone) lives here, once for both.
 */
import { fetchBetterStackMonitors } from './betterstack';
import type { VendorCallOptions } from './types';
import { VendorError } from './types';
import { fetchUptimeRobotMonitors } from './uptimerobot';

export type UptimeVendor = 'uptimerobot' | 'betterstack';
export type UptimeStatus = 'up' | 'down' | 'paused' | 'pending' | 'unknown';

export interface UptimeMonitor {
  vendor: UptimeVendor;
  id: string;
  name: string;
  url: string;
  /** 'http', 'keyword', 'ping', 'port', 'heartbeat', or the vendor's own word for others. */
  kind: string;
  status: UptimeStatus;
  intervalSeconds: number | null;
  /** How many ways an outage reaches a person (contacts, or email/SMS/call/push/policy). */
  alertChannels: number;
  /** Whether the certificate's expiry is alerted on; null when the vendor does not say. */
  sslExpiryAlerts: boolean | null;
}

/** What a vendor module hands over: its fields renamed, not yet checked. */
export interface MonitorDraft {
  id: unknown;
  name: unknown;
  url: unknown;
  kind: string;
  status: UptimeStatus;
  intervalSeconds: unknown;
  alertChannels: number;
  sslExpiryAlerts: boolean | null;
}

/** A page bound: a runaway `next` link or total must not turn into hundreds of calls. */
export const MAX_MONITOR_PAGES = 10;
/** An outage should page someone within five minutes; slower checks miss short outages. */
export const MAX_INTERVAL_SECONDS = 300;

const REDACTED = '[redacted]';

function scrub(text: string, token: string): string {
  // Short strings would redact ordinary words; real keys are far longer.
  return token.length >= 6 ? text.split(token).join(REDACTED) : text;
}

/** Shared clean-up of a vendor's monitor: types checked, nonsense dropped, the token never kept. */
export function normaliseMonitor(
  vendor: UptimeVendor,
  draft: MonitorDraft,
  token = '',
): UptimeMonitor {
  const id =
    typeof draft.id === 'number' && Number.isFinite(draft.id)
      ? String(draft.id)
      : typeof draft.id === 'string'
        ? draft.id
        : '';
  const url = typeof draft.url === 'string' ? draft.url.trim() : '';
  const rawName = typeof draft.name === 'string' ? draft.name.trim() : '';
  const interval =
    typeof draft.intervalSeconds === 'number' &&
    Number.isFinite(draft.intervalSeconds) &&
    draft.intervalSeconds > 0
      ? draft.intervalSeconds
      : null;
  return {
    vendor,
    id: scrub(id, token),
    name: scrub(rawName || url, token),
    url: scrub(url, token),
    kind: scrub(draft.kind, token),
    status: draft.status,
    intervalSeconds: interval,
    alertChannels: Number.isInteger(draft.alertChannels) ? Math.max(0, draft.alertChannels) : 0,
    sslExpiryAlerts: draft.sslExpiryAlerts,
  };
}

/** Every monitor on the account, pages followed up to MAX_MONITOR_PAGES. */
export async function listUptimeMonitors(
  vendor: UptimeVendor,
  opts: VendorCallOptions & { token: string },
): Promise<UptimeMonitor[]> {
  const name = vendor === 'uptimerobot' ? 'UptimeRobot' : 'Better Stack';
  if (opts.token.trim() === '') {
    throw new VendorError('unauthorized', `No ${name} API key is saved.`, { vendor: name });
  }
  const drafts =
    vendor === 'uptimerobot'
      ? await fetchUptimeRobotMonitors(opts, MAX_MONITOR_PAGES)
      : await fetchBetterStackMonitors(opts, MAX_MONITOR_PAGES);
  return drafts.map((d) => normaliseMonitor(vendor, d, opts.token));
}

export interface MonitorTarget {
  /** The caller's name for the address: 'home', 'login', 'health', 'webhook:stripe'… */
  key: string;
  url: string;
}

export interface TargetCoverage {
  key: string;
  url: string;
  /** Every monitor on this exact address, paused ones included. */
  monitors: UptimeMonitor[];
  /** At least one of them is running (not paused). */
  covered: boolean;
  /** A running monitor last saw it up. */
  up: boolean;
  /** A running monitor checks at least every MAX_INTERVAL_SECONDS. */
  intervalOk: boolean;
  /** A running monitor alerts someone. */
  hasAlerts: boolean;
  /** https only: a running monitor alerts on certificate expiry; null when unknown or http. */
  sslAlerts: boolean | null;
}

interface Endpoint {
  /** null for a monitor address written without one ("example.com"). */
  scheme: string | null;
  host: string;
  /** No trailing slash: the home page is ''. */
  path: string;
}

/** Scheme, host and path of an address; query and fragment do not change what is watched. */
export function parseEndpoint(raw: string): Endpoint | null {
  const text = raw.trim();
  if (text === '') return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let u: URL;
  try {
    u = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const hostname = u.hostname.replace(/\.$/, '');
  if (hostname === '') return null;
  return {
    scheme: hasScheme ? u.protocol.slice(0, -1) : null,
    host: u.port ? `${hostname}:${u.port}` : hostname,
    path: u.pathname.replace(/\/+$/, ''),
  };
}

/**
 * Whether a monitor watches this address: an HTTP or keyword monitor on the same scheme, host
 * and path. Ping and port monitors only say the machine answers, not that the page works, and a
 * monitor on the bare host watches the home page, not /login.
 */
export function monitorWatches(monitor: UptimeMonitor, targetUrl: string): boolean {
  if (monitor.kind !== 'http' && monitor.kind !== 'keyword') return false;
  const m = parseEndpoint(monitor.url);
  const t = parseEndpoint(targetUrl);
  if (!m || !t || t.scheme === null) return false;
  if (m.host !== t.host || m.path !== t.path) return false;
  return m.scheme === null || m.scheme === t.scheme;
}

/** For each target, the monitors watching it and whether they would catch an outage in time. */
export function matchMonitors(
  monitors: readonly UptimeMonitor[],
  targets: readonly MonitorTarget[],
): TargetCoverage[] {
  return targets.map(({ key, url }) => {
    const watching = monitors.filter((m) => monitorWatches(m, url));
    const running = watching.filter((m) => m.status !== 'paused');
    const https = parseEndpoint(url)?.scheme === 'https';
    const ssl = running.map((m) => m.sslExpiryAlerts);
    return {
      key,
      url,
      monitors: watching,
      covered: running.length > 0,
      up: running.some((m) => m.status === 'up'),
      intervalOk: running.some(
        (m) => m.intervalSeconds !== null && m.intervalSeconds <= MAX_INTERVAL_SECONDS,
      ),
      hasAlerts: running.some((m) => m.alertChannels > 0),
      sslAlerts: !https ? null : ssl.includes(true) ? true : ssl.includes(false) ? false : null,
    };
  });
}
