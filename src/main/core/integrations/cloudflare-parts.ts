/**
 * The zone's parts, one reader each: settings (GET /zones/{id}/settings/{name} → `{ id, value,
 * editable, modified_on }`), bot management (`fight_mode`), DNS records (paged with
 * result_info), the cache rules (the http_request_cache_settings phase entry point ruleset) and
 * seven days of traffic from the GraphQL Analytics API.
 */
import type { CloudflareContext, Obj } from './cloudflare-api';
import {
  CLOUDFLARE_PERMISSIONS,
  VENDOR,
  cfGet,
  cfPost,
  isObj,
  malformed,
  redact,
} from './cloudflare-api';
import type { PrivatePath } from './cloudflare-expression';
import { privatePathsMatched } from './cloudflare-expression';
import { VendorError } from './types';

export type CloudflareSslMode = 'off' | 'flexible' | 'full' | 'strict';

export interface CloudflareHsts {
  enabled: boolean;
  maxAge: number;
  includeSubdomains: boolean;
  preload: boolean;
}

export interface CloudflareDnsRecord {
  type: string;
  name: string;
  content: string;
  proxied: boolean;
  proxiable: boolean;
}

export interface CloudflareCacheRule {
  expression: string;
  /** action_parameters.cache === true: "eligible for cache", whatever the content type. */
  cachesEverything: boolean;
  /** action_parameters.cache === false: "bypass cache". */
  bypass: boolean;
  /** The private areas this rule caches (empty unless cachesEverything). */
  matchesPrivatePaths: PrivatePath[];
}

export interface CloudflareAnalytics {
  requests: number;
  cachedRequests: number;
  /** cachedRequests / requests, or null without traffic. */
  cacheHitRatio: number | null;
}

/** DNS records are read 100 a page, at most this many pages. */
export const DNS_PAGE_SIZE = 100;
export const MAX_DNS_PAGES = 5;
export const ANALYTICS_DAYS = 7;

const SSL_MODES: readonly string[] = ['off', 'flexible', 'full', 'strict'];

async function setting(ctx: CloudflareContext, zoneId: string, name: string): Promise<unknown> {
  const { result } = await cfGet(
    ctx,
    `zones/${encodeURIComponent(zoneId)}/settings/${name}`,
    `the ${name} setting`,
    CLOUDFLARE_PERMISSIONS.zoneSettings,
  );
  if (!isObj(result) || !('value' in result))
    throw malformed(`the ${name} setting without a value`);
  return result.value;
}

export async function readSsl(ctx: CloudflareContext, zoneId: string): Promise<CloudflareSslMode> {
  const v = await setting(ctx, zoneId, 'ssl');
  if (typeof v !== 'string' || !SSL_MODES.includes(v)) {
    throw malformed(`an SSL mode it does not document (${JSON.stringify(v)?.slice(0, 40)})`);
  }
  return v as CloudflareSslMode;
}

export async function readAlwaysUseHttps(ctx: CloudflareContext, zoneId: string): Promise<boolean> {
  const v = await setting(ctx, zoneId, 'always_use_https');
  if (v !== 'on' && v !== 'off') throw malformed('always_use_https with a value other than on/off');
  return v === 'on';
}

export async function readMinTls(ctx: CloudflareContext, zoneId: string): Promise<string> {
  const v = await setting(ctx, zoneId, 'min_tls_version');
  if (typeof v !== 'string' || !/^1\.[0-3]$/.test(v)) throw malformed('min_tls_version unreadable');
  return v;
}

export async function readSecurityLevel(ctx: CloudflareContext, zoneId: string): Promise<string> {
  const v = await setting(ctx, zoneId, 'security_level');
  if (typeof v !== 'string' || v === '') throw malformed('security_level unreadable');
  return v;
}

export async function readHsts(ctx: CloudflareContext, zoneId: string): Promise<CloudflareHsts> {
  const v = await setting(ctx, zoneId, 'security_header');
  const sts = isObj(v) ? v.strict_transport_security : undefined;
  if (!isObj(sts)) throw malformed('security_header without strict_transport_security');
  return {
    enabled: sts.enabled === true,
    maxAge: typeof sts.max_age === 'number' && sts.max_age > 0 ? sts.max_age : 0,
    includeSubdomains: sts.include_subdomains === true,
    preload: sts.preload === true,
  };
}

export async function readBotFightMode(ctx: CloudflareContext, zoneId: string): Promise<boolean> {
  const { result } = await cfGet(
    ctx,
    `zones/${encodeURIComponent(zoneId)}/bot_management`,
    'the bot management configuration',
    CLOUDFLARE_PERMISSIONS.botManagement,
  );
  if (!isObj(result)) throw malformed('the bot management configuration');
  // Plans without Bot Fight Mode leave fight_mode out: it is off for them.
  return result.fight_mode === true;
}

export interface DnsRecordList {
  records: CloudflareDnsRecord[];
  /** More records exist than MAX_DNS_PAGES pages hold. */
  truncated: boolean;
}

export async function readDnsRecords(
  ctx: CloudflareContext,
  zoneId: string,
): Promise<DnsRecordList> {
  const records: CloudflareDnsRecord[] = [];
  for (let page = 1; page <= MAX_DNS_PAGES; page++) {
    const { result, resultInfo } = await cfGet(
      ctx,
      `zones/${encodeURIComponent(zoneId)}/dns_records?page=${page}&per_page=${DNS_PAGE_SIZE}`,
      'the DNS record list',
      CLOUDFLARE_PERMISSIONS.dns,
    );
    if (!Array.isArray(result)) throw malformed('the DNS record list without a list');
    for (const r of result.filter(isObj)) {
      if (typeof r.type !== 'string' || typeof r.name !== 'string') continue;
      records.push({
        type: r.type,
        name: r.name,
        content: typeof r.content === 'string' ? r.content : '',
        proxied: r.proxied === true,
        proxiable: r.proxiable === true,
      });
    }
    const totalPages = typeof resultInfo?.total_pages === 'number' ? resultInfo.total_pages : page;
    if (result.length === 0 || page >= totalPages) return { records, truncated: false };
  }
  return { records, truncated: true };
}

function cacheRule(rule: Obj): CloudflareCacheRule | null {
  if (rule.enabled === false || typeof rule.expression !== 'string') return null;
  if (rule.action !== undefined && rule.action !== 'set_cache_settings') return null;
  const params = isObj(rule.action_parameters) ? rule.action_parameters : {};
  const cachesEverything = params.cache === true;
  return {
    expression: rule.expression,
    cachesEverything,
    bypass: params.cache === false,
    matchesPrivatePaths: cachesEverything ? privatePathsMatched(rule.expression) : [],
  };
}

export async function readCacheRules(
  ctx: CloudflareContext,
  zoneId: string,
): Promise<CloudflareCacheRule[]> {
  let result: unknown;
  try {
    ({ result } = await cfGet(
      ctx,
      `zones/${encodeURIComponent(zoneId)}/rulesets/phases/http_request_cache_settings/entrypoint`,
      'the cache rules',
      CLOUDFLARE_PERMISSIONS.cacheRules,
    ));
  } catch (err) {
    // A zone that never had a cache rule has no entry point ruleset for the phase: 404.
    if (err instanceof VendorError && err.failure === 'not-found') return [];
    throw err;
  }
  if (!isObj(result)) throw malformed('the cache rules without a ruleset');
  if (result.rules === undefined) return [];
  if (!Array.isArray(result.rules)) throw malformed('the cache ruleset without a rule list');
  return result.rules.filter(isObj).flatMap((r) => cacheRule(r) ?? []);
}

const ANALYTICS_QUERY = `query ($zoneTag: string, $since: Date) {
  viewer {
    zones(filter: { zoneTag: $zoneTag }) {
      httpRequests1dGroups(limit: ${ANALYTICS_DAYS + 1}, filter: { date_geq: $since }) {
        dimensions { date }
        sum { requests cachedRequests }
      }
    }
  }
}`;

/** GraphQL answers 200 with `errors` for refusals too; sorted by their message. */
function graphqlError(errors: unknown[], token: string): VendorError {
  const first = errors.find(isObj);
  const text = redact(typeof first?.message === 'string' ? first.message : 'an error', token);
  if (/not authori[sz]ed|authori[sz]ation|unauthori[sz]ed|permission/i.test(text)) {
    return new VendorError(
      'forbidden',
      `${VENDOR} accepted the token but it lacks permission "${CLOUDFLARE_PERMISSIONS.analytics}" (analytics said: ${text}). Edit the token to add it.`,
      { vendor: VENDOR, permission: CLOUDFLARE_PERMISSIONS.analytics },
    );
  }
  if (/limit|quota|budget/i.test(text)) {
    return new VendorError('rate-limited', `${VENDOR} analytics is limiting queries: ${text}`, {
      vendor: VENDOR,
    });
  }
  return new VendorError('server', `${VENDOR} analytics answered an error: ${text}`, {
    vendor: VENDOR,
  });
}

export async function readAnalytics(
  ctx: CloudflareContext,
  zoneId: string,
  now: Date,
): Promise<CloudflareAnalytics> {
  const since = new Date(now.getTime() - (ANALYTICS_DAYS - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const json = await cfPost(
    ctx,
    'graphql',
    { query: ANALYTICS_QUERY, variables: { zoneTag: zoneId, since } },
    CLOUDFLARE_PERMISSIONS.analytics,
  );
  if (!isObj(json)) throw malformed('the analytics query without a JSON object');
  if (Array.isArray(json.errors) && json.errors.length > 0) {
    throw graphqlError(json.errors, ctx.token);
  }
  const data = isObj(json.data) ? json.data : null;
  const viewer = data && isObj(data.viewer) ? data.viewer : null;
  const zones = viewer && Array.isArray(viewer.zones) ? viewer.zones : null;
  if (!zones) throw malformed('the analytics query without viewer.zones');
  const zone = zones.find(isObj);
  const groups = zone && Array.isArray(zone.httpRequests1dGroups) ? zone.httpRequests1dGroups : [];
  let requests = 0;
  let cachedRequests = 0;
  for (const g of groups.filter(isObj)) {
    const sum = isObj(g.sum) ? g.sum : {};
    if (typeof sum.requests !== 'number' || typeof sum.cachedRequests !== 'number') {
      throw malformed('analytics groups without sum.requests and sum.cachedRequests');
    }
    requests += sum.requests;
    cachedRequests += sum.cachedRequests;
  }
  return {
    requests,
    cachedRequests,
    cacheHitRatio: requests > 0 ? cachedRequests / requests : null,
  };
}
