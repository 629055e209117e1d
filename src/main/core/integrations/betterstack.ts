/**
 * Better Stack Uptime API v2, GET /monitors: JSON:API documents `{ data: [{ id, type, attributes
 * }], pagination: { first, last, prev, next } }`, the team token as a Bearer header, 401 for a
 * token it does not know. `next` is a full URL; it is followed only while it stays under the
 * API root the token was meant for.
 */
import type { MonitorDraft, UptimeStatus } from './uptime-monitors';
import type { VendorCallOptions } from './types';
import { expectShape, vendorJson } from './vendor-http';

const VENDOR = 'Better Stack';
/** The API's maximum page size: fewer calls for the same list. */
const PAGE_SIZE = 250;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function statusOf(status: unknown): UptimeStatus {
  switch (status) {
    case 'up':
      return 'up';
    case 'down':
      return 'down';
    // During maintenance no alert fires, so it watches no more than a paused monitor.
    case 'paused':
    case 'maintenance':
      return 'paused';
    case 'pending':
    case 'validating':
      return 'pending';
    default:
      return 'unknown';
  }
}

function kindOf(type: unknown): string {
  switch (type) {
    case 'status':
    case 'expected_status_code':
      return 'http';
    case 'keyword':
    case 'keyword_absence':
      return 'keyword';
    case 'ping':
      return 'ping';
    case 'tcp':
    case 'udp':
      return 'port';
    default:
      return typeof type === 'string' && type !== '' ? type : 'unknown';
  }
}

function toDraft(item: Obj): MonitorDraft {
  const a = isObj(item.attributes) ? item.attributes : {};
  // An escalation policy pages people on its own, whatever the per-monitor switches say.
  const channels = ['email', 'sms', 'call', 'push'].filter((k) => a[k] === true).length;
  const policy = typeof a.policy_id === 'string' || typeof a.policy_id === 'number' ? 1 : 0;
  const https = typeof a.url === 'string' && /^https:/i.test(a.url.trim());
  return {
    id: item.id,
    name: a.pronounceable_name,
    url: a.url,
    kind: kindOf(a.monitor_type),
    status: statusOf(a.status),
    intervalSeconds: a.check_frequency,
    alertChannels: channels + policy,
    // ssl_expiration: days before expiry to alert, or null for no alert.
    sslExpiryAlerts: !https
      ? null
      : typeof a.ssl_expiration === 'number'
        ? a.ssl_expiration > 0
        : a.ssl_expiration === null
          ? false
          : null,
  };
}

/** The path of a `next` link relative to the API root, or null when it leads elsewhere. */
function relativeNext(next: unknown, baseUrl: string): string | null {
  if (typeof next !== 'string' || next === '') return null;
  let base: URL;
  let url: URL;
  try {
    base = new URL(baseUrl);
    url = new URL(next, base);
  } catch {
    return null;
  }
  const root = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(`${root}/`)) return null;
  return `${url.pathname.slice(root.length + 1)}${url.search}`;
}

export async function fetchBetterStackMonitors(
  opts: VendorCallOptions & { token: string },
  maxPages: number,
): Promise<MonitorDraft[]> {
  const out: MonitorDraft[] = [];
  const seen = new Set<string>();
  let path: string | null = `monitors?per_page=${PAGE_SIZE}`;
  for (let page = 0; page < maxPages && path !== null && !seen.has(path); page++) {
    seen.add(path);
    const { json } = await vendorJson<unknown>(opts, {
      path,
      headers: { authorization: `Bearer ${opts.token}` },
      vendor: VENDOR,
    });
    expectShape(isObj(json), VENDOR, 'a JSON object');
    const doc = json as Obj;
    expectShape(Array.isArray(doc.data), VENDOR, 'a data list');
    const items = (doc.data as unknown[]).filter(isObj);
    out.push(...items.filter((i) => i.type === undefined || i.type === 'monitor').map(toDraft));
    path =
      items.length > 0 && isObj(doc.pagination)
        ? relativeNext(doc.pagination.next, opts.baseUrl)
        : null;
  }
  return out;
}
