/**
 * What a read-only Cloudflare API token shows about one zone: how TLS to visitors and to the
 * origin is set, whether HTTPS and HSTS are enforced, which hosts go through the proxy, what the
 * cache rules cache (and whether that includes private pages), and last week's hit ratio.
 *
 * Two calls must work or nothing can be said: GET /user/tokens/verify (wrong token →
 * 'unauthorized') and GET /zones?name= (no such zone for this token → 'not-found'). Every other
 * part is read on its own, in parallel, and reported as a CloudflarePart. At most
 * 2 + 5 settings + 1 + MAX_DNS_PAGES + 1 + 1 = 15 calls, each bounded by vendorJson.
 */
import type { CloudflareContext, CloudflarePart } from './cloudflare-api';
import { CLOUDFLARE_PERMISSIONS, VENDOR, cfGet, isObj, malformed, part } from './cloudflare-api';
import type {
  CloudflareAnalytics,
  CloudflareCacheRule,
  CloudflareDnsRecord,
  CloudflareHsts,
  CloudflareSslMode,
} from './cloudflare-parts';
import {
  readAlwaysUseHttps,
  readAnalytics,
  readBotFightMode,
  readCacheRules,
  readDnsRecords,
  readHsts,
  readMinTls,
  readSecurityLevel,
  readSsl,
} from './cloudflare-parts';
import type { VendorCallOptions } from './types';
import { VendorError } from './types';

export type { CloudflarePart, CloudflarePermission } from './cloudflare-api';
export { CLOUDFLARE_PERMISSIONS } from './cloudflare-api';
export type {
  CloudflareAnalytics,
  CloudflareCacheRule,
  CloudflareDnsRecord,
  CloudflareHsts,
  CloudflareSslMode,
} from './cloudflare-parts';
export { ANALYTICS_DAYS, DNS_PAGE_SIZE, MAX_DNS_PAGES } from './cloudflare-parts';
export type { PrivatePath } from './cloudflare-expression';
export { PRIVATE_PATHS, privatePathsMatched } from './cloudflare-expression';

export type CloudflareTokenStatus = 'active' | 'disabled' | 'expired';

export interface CloudflareReport {
  token: { status: CloudflareTokenStatus; expiresOn: string | null };
  zone: {
    id: string;
    name: string;
    /** active, pending, initializing, moved, deleted, deactivated. */
    status: string;
    /** The plan's name ("Free Website"), or null when the answer has none. */
    plan: string | null;
    nameServers: string[];
  };
  settings: {
    ssl: CloudflarePart<CloudflareSslMode>;
    alwaysUseHttps: CloudflarePart<boolean>;
    minTlsVersion: CloudflarePart<string>;
    hsts: CloudflarePart<CloudflareHsts>;
    /** off, essentially_off, low, medium, high, under_attack. */
    securityLevel: CloudflarePart<string>;
  };
  botFightMode: CloudflarePart<boolean>;
  dnsRecords: CloudflarePart<CloudflareDnsRecord[]>;
  /** True when the zone has more records than MAX_DNS_PAGES pages: dnsRecords is a prefix. */
  dnsRecordsTruncated: boolean;
  cacheRules: CloudflarePart<CloudflareCacheRule[]>;
  /** The last ANALYTICS_DAYS days, today included. */
  analytics: CloudflarePart<CloudflareAnalytics>;
}

export interface CloudflareInspectOptions extends VendorCallOptions {
  token: string;
  /** The zone (apex domain) as added to Cloudflare, e.g. promptly-ai.test. */
  zoneName: string;
  /** The clock for the analytics window; tests pin it. */
  now?: Date;
}

async function verifyToken(ctx: CloudflareContext): Promise<CloudflareReport['token']> {
  const { result } = await cfGet(ctx, 'user/tokens/verify', 'the token check');
  if (!isObj(result) || typeof result.status !== 'string') {
    throw malformed('the token check without a status');
  }
  const status = result.status;
  if (status !== 'active') {
    // A disabled or expired token is refused by every other endpoint: say so once, plainly.
    throw new VendorError(
      'unauthorized',
      `${VENDOR} says this token is ${status === 'expired' || status === 'disabled' ? status : `not active (${status.slice(0, 20)})`}. Create a new one and save it again.`,
      { vendor: VENDOR },
    );
  }
  return {
    status,
    expiresOn: typeof result.expires_on === 'string' ? result.expires_on : null,
  };
}

async function findZone(ctx: CloudflareContext, name: string): Promise<CloudflareReport['zone']> {
  const { result } = await cfGet(
    ctx,
    `zones?name=${encodeURIComponent(name)}&per_page=5`,
    'the zone list',
    CLOUDFLARE_PERMISSIONS.zone,
  );
  if (!Array.isArray(result)) throw malformed('the zone list without a list');
  const zone = result.filter(isObj).find((z) => typeof z.name === 'string' && z.name === name);
  if (!zone) {
    throw new VendorError(
      'not-found',
      `${VENDOR} has no zone ${name} that this token can see: add the domain to this Cloudflare account, or give the token access to it ("${CLOUDFLARE_PERMISSIONS.zone}" on that zone).`,
      { vendor: VENDOR, permission: CLOUDFLARE_PERMISSIONS.zone },
    );
  }
  if (typeof zone.id !== 'string' || zone.id === '') throw malformed('a zone without an id');
  const plan = isObj(zone.plan) && typeof zone.plan.name === 'string' ? zone.plan.name : null;
  return {
    id: zone.id,
    name,
    status: typeof zone.status === 'string' ? zone.status : 'unknown',
    plan,
    nameServers: Array.isArray(zone.name_servers)
      ? zone.name_servers.filter((n): n is string => typeof n === 'string')
      : [],
  };
}

/**
 * Reads one zone with a read-only token. Rejects with a VendorError when the token or the zone
 * cannot be used; otherwise resolves, each part on its own. Neither the report nor any message
 * carries the token.
 */
export async function inspectCloudflare(opts: CloudflareInspectOptions): Promise<CloudflareReport> {
  const { token, zoneName, now, ...call } = opts;
  const ctx: CloudflareContext = { opts: call, token };
  const name = zoneName.trim().toLowerCase().replace(/\.+$/, '');
  const tokenInfo = await verifyToken(ctx);
  const zone = await findZone(ctx, name);
  const id = zone.id;
  const [ssl, alwaysUseHttps, minTlsVersion, hsts, securityLevel, bot, dns, cache, analytics] =
    await Promise.all([
      part(token, () => readSsl(ctx, id)),
      part(token, () => readAlwaysUseHttps(ctx, id)),
      part(token, () => readMinTls(ctx, id)),
      part(token, () => readHsts(ctx, id)),
      part(token, () => readSecurityLevel(ctx, id)),
      part(token, () => readBotFightMode(ctx, id)),
      part(token, () => readDnsRecords(ctx, id)),
      part(token, () => readCacheRules(ctx, id)),
      part(token, () => readAnalytics(ctx, id, now ?? new Date())),
    ]);
  return {
    token: tokenInfo,
    zone,
    settings: { ssl, alwaysUseHttps, minTlsVersion, hsts, securityLevel },
    botFightMode: bot,
    dnsRecords: dns.ok ? { ok: true, value: dns.value.records } : dns,
    dnsRecordsTruncated: dns.ok && dns.value.truncated,
    cacheRules: cache,
    analytics,
  };
}
