/**
 * UptimeRobot API v2, getMonitors: a form-encoded POST with the key in the body (never the URL),
 * 50 monitors a page. UptimeRobot answers HTTP 200 even when it refuses the key, with
 * `{ stat: 'fail', error: { type, parameter_name, passed_value, message } }`, and echoes the
 * key back in passed_value: only our own words reach the caller.
 */
import type { MonitorDraft, UptimeStatus } from './uptime-monitors';
import type { VendorCallOptions } from './types';
import { VendorError } from './types';
import { expectShape, vendorJson } from './vendor-http';

const VENDOR = 'UptimeRobot';
/** The API's own maximum page size. */
const PAGE_SIZE = 50;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 0 paused, 1 not checked yet, 2 up, 8 seems down, 9 down. */
function statusOf(code: unknown): UptimeStatus {
  switch (code) {
    case 0:
      return 'paused';
    case 1:
      return 'pending';
    case 2:
      return 'up';
    case 8:
    case 9:
      return 'down';
    default:
      return 'unknown';
  }
}

/** 1 HTTP(s), 2 keyword, 3 ping, 4 port, 5 heartbeat. */
function kindOf(type: unknown): string {
  const kinds: Record<number, string> = {
    1: 'http',
    2: 'keyword',
    3: 'ping',
    4: 'port',
    5: 'heartbeat',
  };
  return typeof type === 'number' ? (kinds[type] ?? `type-${type}`) : 'unknown';
}

/**
 * With ssl=1 each monitor carries `ssl: { brand, product, expires, ignore_errors,
 * disable_notifications }`; expiry reminders are on unless disable_notifications is set. Only
 * an https monitor has a certificate to be reminded of.
 */
function sslAlertsOf(m: Obj): boolean | null {
  if (typeof m.url !== 'string' || !/^https:/i.test(m.url.trim())) return null;
  if (!isObj(m.ssl) || !('disable_notifications' in m.ssl)) return null;
  const off = m.ssl.disable_notifications;
  return !(off === 1 || off === true || off === '1');
}

function toDraft(m: Obj): MonitorDraft {
  return {
    id: m.id,
    name: m.friendly_name,
    url: m.url,
    kind: kindOf(m.type),
    status: statusOf(m.status),
    intervalSeconds: m.interval,
    alertChannels: Array.isArray(m.alert_contacts) ? m.alert_contacts.length : 0,
    sslExpiryAlerts: sslAlertsOf(m),
  };
}

/** Monitor-specific keys (m…-…) list one monitor only, so coverage cannot be judged with one. */
function isMonitorSpecificKey(token: string): boolean {
  return /^m\d+-/.test(token.trim());
}

function failure(json: Obj): VendorError {
  const error = isObj(json.error) ? json.error : {};
  const type = typeof error.type === 'string' ? error.type : '';
  if (error.parameter_name === 'api_key' || /api_key/.test(String(error.message ?? ''))) {
    return new VendorError(
      'unauthorized',
      'UptimeRobot refused the API key: it is wrong, or it was reset or deleted. Copy the read-only API key again (UptimeRobot → Integrations & API → API) and save it.',
      { status: 200, vendor: VENDOR },
    );
  }
  // The type is a short code from UptimeRobot's vocabulary; its message may echo input.
  const code = /^[a-z_]{1,40}$/.test(type) ? ` (${type})` : '';
  return new VendorError('malformed', `UptimeRobot refused the monitor listing${code}.`, {
    status: 200,
    vendor: VENDOR,
  });
}

export async function fetchUptimeRobotMonitors(
  opts: VendorCallOptions & { token: string },
  maxPages: number,
): Promise<MonitorDraft[]> {
  if (isMonitorSpecificKey(opts.token)) {
    throw new VendorError(
      'forbidden',
      'This UptimeRobot key is monitor-specific: it shows one monitor only, so the other addresses cannot be checked. Save the read-only API key instead (UptimeRobot → Integrations & API → API).',
      { vendor: VENDOR, permission: 'Read-only API key' },
    );
  }
  const out: MonitorDraft[] = [];
  let offset = 0;
  for (let page = 0; page < maxPages; page++) {
    const body = new URLSearchParams({
      api_key: opts.token,
      format: 'json',
      alert_contacts: '1',
      ssl: '1',
      offset: String(offset),
      limit: String(PAGE_SIZE),
    }).toString();
    const { json } = await vendorJson<unknown>(opts, {
      path: 'getMonitors',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      vendor: VENDOR,
    });
    expectShape(isObj(json), VENDOR, 'a JSON object');
    const doc = json as Obj;
    if (doc.stat === 'fail') throw failure(doc);
    expectShape(doc.stat === 'ok', VENDOR, 'stat "ok"');
    expectShape(Array.isArray(doc.monitors), VENDOR, 'a monitors list');
    const monitors = (doc.monitors as unknown[]).filter(isObj);
    out.push(...monitors.map(toDraft));
    offset += monitors.length;
    const total = isObj(doc.pagination) ? doc.pagination.total : undefined;
    if (typeof total !== 'number' || monitors.length === 0 || offset >= total) break;
  }
  return out;
}
