/**
 * A stand-in for Cloudflare's API v4 on loopback, so the Cloudflare integration can be tested
 * offline. `url` is the API root (…/client/v4), as DEFAULT_VENDOR_ENDPOINTS.cloudflare is.
 * Every REST answer is the documented envelope `{ success, errors: [{ code, message }], messages,
 * result, result_info? }`:
 *   GET  /user/tokens/verify                      → { id, status, expires_on? }
 *   GET  /zones?name=&page=&per_page=             → [zone]           (Zone: Read)
 *   GET  /zones/{id}/settings/{setting}           → { id, value, editable, modified_on }
 *                                                   (Zone Settings: Read)
 *   GET  /zones/{id}/bot_management               → { fight_mode, enable_js, … }
 *                                                   (Bot Management: Read)
 *   GET  /zones/{id}/dns_records?page=&per_page=  → [record], result_info (DNS: Read)
 *   GET  /zones/{id}/rulesets/phases/http_request_cache_settings/entrypoint
 *                                                 → ruleset, or 404 without one (Cache Rules: Read)
 *   POST /graphql  viewer.zones(filter: { zoneTag }).httpRequests1dGroups (Analytics: Read)
 * A missing or unknown token gets 401 `{ code: 10000, message: 'Authentication error' }`; a
 * token without the endpoint's permission (or without access to that zone) gets 403 with code
 * 10000 (9109 for the zone list); GraphQL answers those with 200 and `errors`, as it documents.
 * An unknown zone name lists no zones. Modes: serve; hang (accepts, never answers); refuse
 * (nothing listens); garbage (HTML, 200). `faults` break one endpoint on purpose.
 */
import type http from 'node:http';
import { sendGarbage, startFakeHttp } from './fake-http';

export type FakeCloudflarePermission =
  | 'Zone: Read'
  | 'Zone Settings: Read'
  | 'DNS: Read'
  | 'Bot Management: Read'
  | 'Cache Rules: Read'
  | 'Analytics: Read';

export interface FakeCloudflareToken {
  /** The token's id tag (32 hex digits in the real API). */
  id: string;
  permissions: FakeCloudflarePermission[];
  /** Defaults to active; others verify with that status and are refused everywhere else. */
  status?: 'active' | 'disabled' | 'expired';
  expiresOn?: string;
  /** Zone names the token is scoped to; every zone when absent. */
  zones?: string[];
}

export interface FakeCloudflareDnsRecord {
  type: string;
  name: string;
  content: string;
  proxied: boolean;
  /** Defaults to true for A, AAAA and CNAME, as Cloudflare proxies only those. */
  proxiable?: boolean;
  ttl?: number;
}

export interface FakeCloudflareCacheRule {
  expression: string;
  description?: string;
  enabled?: boolean;
  /** The set_cache_settings parameters: `cache: true` is "eligible for cache", false bypasses. */
  action_parameters: Record<string, unknown>;
}

export interface FakeCloudflareZone {
  id: string;
  name: string;
  status?: string;
  /** The plan's name, e.g. "Free Website". */
  plan?: string;
  nameServers?: string[];
  settings: {
    ssl: 'off' | 'flexible' | 'full' | 'strict';
    always_use_https: 'on' | 'off';
    min_tls_version: '1.0' | '1.1' | '1.2' | '1.3';
    security_header: {
      strict_transport_security: {
        enabled: boolean;
        max_age: number;
        include_subdomains: boolean;
        preload: boolean;
        nosniff: boolean;
      };
    };
    security_level: 'off' | 'essentially_off' | 'low' | 'medium' | 'high' | 'under_attack';
  };
  botManagement: { fight_mode: boolean; enable_js?: boolean };
  dnsRecords: FakeCloudflareDnsRecord[];
  /** Rules of the cache phase's entry point ruleset; null for a zone that has none (404). */
  cacheRules: FakeCloudflareCacheRule[] | null;
  /** Totals over the last seven days, served as one group a day. */
  analytics: { requests: number; cachedRequests: number };
}

/** How to break one endpoint: 200 with success: false, 200 without result, or a 500. */
export type FakeCloudflareFault = 'unsuccessful' | 'no-result' | 'server-error';

export interface FakeCloudflareData {
  /** Accepted tokens, by the token string. */
  tokens: Record<string, FakeCloudflareToken>;
  zones: FakeCloudflareZone[];
  /** DNS page size the fake caps per_page at (the real API allows more); lower to test paging. */
  dnsPageSize?: number;
  /**
   * Keyed by the path after the API root without the zone part: 'user/tokens/verify', 'zones',
   * 'settings/ssl', 'bot_management', 'dns_records', 'rulesets', 'graphql'.
   */
  faults?: Record<string, FakeCloudflareFault>;
  mode?: 'serve' | 'hang' | 'garbage' | 'refuse';
}

export interface FakeCloudflareRequest {
  method: string;
  /** Path and query as received, under /client/v4. */
  path: string;
  /** Whether a Bearer Authorization header came (tests check where the token went). */
  authorization: boolean;
}

export interface FakeCloudflareServer {
  /** The API root to use as baseUrl: http://127.0.0.1:PORT/client/v4. */
  url: string;
  /** Every request received, in order (at most 1,000). */
  requests: FakeCloudflareRequest[];
  close(): Promise<void>;
}

const ROOT = '/client/v4';
const MODIFIED_ON = '2025-01-01T00:00:00.000000Z';
const SETTINGS = [
  'ssl',
  'always_use_https',
  'min_tls_version',
  'security_header',
  'security_level',
];

interface Answer {
  status: number;
  body: unknown;
}

const envelope = (result: unknown, resultInfo?: unknown): Answer => ({
  status: 200,
  body: {
    success: true,
    errors: [],
    messages: [],
    result,
    ...(resultInfo ? { result_info: resultInfo } : {}),
  },
});

const failure = (status: number, code: number, message: string): Answer => ({
  status,
  body: { success: false, errors: [{ code, message }], messages: [], result: null },
});

const AUTH_ERROR = (): Answer => failure(401, 10000, 'Authentication error');
const FORBIDDEN = (code = 10000): Answer =>
  failure(
    403,
    code,
    code === 9109 ? 'Unauthorized to access requested resource' : 'Authentication error',
  );

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1_000_000) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function zoneJson(z: FakeCloudflareZone): unknown {
  return {
    id: z.id,
    name: z.name,
    status: z.status ?? 'active',
    paused: false,
    type: 'full',
    development_mode: 0,
    name_servers: z.nameServers ?? ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    original_name_servers: null,
    modified_on: MODIFIED_ON,
    created_on: MODIFIED_ON,
    account: { id: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5', name: 'Lab account' },
    plan: {
      id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
      name: z.plan ?? 'Free Website',
      price: 0,
      currency: 'USD',
      frequency: '',
      is_subscribed: false,
      can_subscribe: false,
    },
  };
}

function page<T>(items: T[], query: URLSearchParams, max: number): [T[], unknown] {
  const perPage = Math.min(Math.max(Number(query.get('per_page')) || 20, 1), max);
  const pageNo = Math.max(Number(query.get('page')) || 1, 1);
  const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  return [
    slice,
    {
      page: pageNo,
      per_page: perPage,
      count: slice.length,
      total_count: items.length,
      total_pages: Math.max(Math.ceil(items.length / perPage), 1),
    },
  ];
}

function settingJson(z: FakeCloudflareZone, name: string): unknown {
  const value = z.settings[name as keyof FakeCloudflareZone['settings']];
  return { id: name, value, editable: true, modified_on: MODIFIED_ON };
}

function rulesetJson(z: FakeCloudflareZone, rules: FakeCloudflareCacheRule[]): unknown {
  return {
    id: `${z.id.slice(0, 24)}cache000`,
    name: 'default',
    description: '',
    kind: 'zone',
    version: '1',
    phase: 'http_request_cache_settings',
    last_updated: MODIFIED_ON,
    rules: rules.map((r, i) => ({
      id: `${z.id.slice(0, 24)}rule${String(i).padStart(4, '0')}`,
      version: '1',
      action: 'set_cache_settings',
      expression: r.expression,
      description: r.description ?? '',
      enabled: r.enabled ?? true,
      last_updated: MODIFIED_ON,
      ref: `rule${i}`,
      action_parameters: r.action_parameters,
    })),
  };
}

/** Seven daily groups that add up exactly to the zone's totals. */
function analyticsGroups(z: FakeCloudflareZone, now: Date): unknown[] {
  const days = 7;
  const { requests, cachedRequests } = z.analytics;
  return Array.from({ length: days }, (_, i) => {
    const share = (total: number): number => Math.floor(total / days) + (i < total % days ? 1 : 0);
    const date = new Date(now.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return {
      dimensions: { date },
      sum: { requests: share(requests), cachedRequests: share(cachedRequests) },
    };
  });
}

function graphql(
  data: FakeCloudflareData,
  token: FakeCloudflareToken,
  raw: string,
  zoneAllowed: (z: FakeCloudflareZone) => boolean,
): Answer {
  let body: { query?: unknown; variables?: Record<string, unknown> } = {};
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return { status: 400, body: { data: null, errors: [{ message: 'error parsing request' }] } };
  }
  const query = typeof body.query === 'string' ? body.query : '';
  const tagFromQuery = /zoneTag:\s*"([^"]+)"/.exec(query)?.[1];
  const tag = typeof body.variables?.zoneTag === 'string' ? body.variables.zoneTag : tagFromQuery;
  const zone = data.zones.find((z) => z.id === tag);
  const timestamp = new Date().toISOString();
  const denied = (message: string): Answer => ({
    status: 200,
    body: {
      data: null,
      errors: [
        {
          message,
          path: ['viewer', 'zones', '0', 'httpRequests1dGroups'],
          extensions: { timestamp },
        },
      ],
    },
  });
  if (!query.includes('httpRequests1dGroups')) return denied('unknown field');
  if (!token.permissions.includes('Analytics: Read')) return denied('authorization denied');
  if (!zone || !zoneAllowed(zone)) return denied(`zones [${tag ?? ''}] are not authorized`);
  return {
    status: 200,
    body: {
      data: { viewer: { zones: [{ httpRequests1dGroups: analyticsGroups(zone, new Date()) }] } },
      errors: null,
    },
  };
}

function route(
  data: FakeCloudflareData,
  method: string,
  url: URL,
  authorization: string | undefined,
  raw: string,
): Answer {
  const path = url.pathname.startsWith(`${ROOT}/`) ? url.pathname.slice(ROOT.length + 1) : null;
  if (path === null) return failure(404, 7000, 'No route for that URI');
  const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  const token = bearer !== undefined ? data.tokens[bearer] : undefined;
  if (!token) return AUTH_ERROR();
  const zoneAllowed = (z: FakeCloudflareZone): boolean =>
    token.zones === undefined || token.zones.includes(z.name);
  const can = (p: FakeCloudflarePermission): boolean => token.permissions.includes(p);

  if (method === 'GET' && path === 'user/tokens/verify') {
    return envelope({
      id: token.id,
      status: token.status ?? 'active',
      ...(token.expiresOn ? { expires_on: token.expiresOn } : {}),
    });
  }
  if ((token.status ?? 'active') !== 'active') return AUTH_ERROR();
  if (method === 'POST' && path === 'graphql') return graphql(data, token, raw, zoneAllowed);
  if (method === 'GET' && path === 'zones') {
    if (!can('Zone: Read')) return FORBIDDEN(9109);
    const name = url.searchParams.get('name');
    const zones = data.zones.filter((z) => zoneAllowed(z) && (name === null || z.name === name));
    const [items, info] = page(zones, url.searchParams, 50);
    return envelope(items.map(zoneJson), info);
  }
  const m = /^zones\/([^/]+)\/(.+)$/.exec(path);
  if (method !== 'GET' || !m) return failure(404, 7000, 'No route for that URI');
  const zone = data.zones.find((z) => z.id === m[1]);
  if (!zone) {
    return failure(
      404,
      7003,
      'Could not route to /zones, perhaps your object identifier is invalid?',
    );
  }
  if (!zoneAllowed(zone)) return FORBIDDEN(9109);
  const rest = m[2] as string;
  const setting = /^settings\/([a-z_]+)$/.exec(rest)?.[1];
  if (setting !== undefined) {
    if (!SETTINGS.includes(setting)) return failure(404, 1003, 'Invalid or missing zone setting');
    return can('Zone Settings: Read') ? envelope(settingJson(zone, setting)) : FORBIDDEN();
  }
  if (rest === 'bot_management') {
    if (!can('Bot Management: Read')) return FORBIDDEN();
    return envelope({
      fight_mode: zone.botManagement.fight_mode,
      enable_js: zone.botManagement.enable_js ?? zone.botManagement.fight_mode,
      using_latest_model: true,
    });
  }
  if (rest === 'dns_records') {
    if (!can('DNS: Read')) return FORBIDDEN();
    const records = zone.dnsRecords.map((r, i) => ({
      id: `${zone.id.slice(0, 24)}dns${String(i).padStart(5, '0')}`,
      zone_id: zone.id,
      zone_name: zone.name,
      type: r.type,
      name: r.name,
      content: r.content,
      proxiable: r.proxiable ?? ['A', 'AAAA', 'CNAME'].includes(r.type),
      proxied: r.proxied,
      ttl: r.ttl ?? 1,
      locked: false,
      created_on: MODIFIED_ON,
      modified_on: MODIFIED_ON,
    }));
    const [items, info] = page(records, url.searchParams, data.dnsPageSize ?? 5000);
    return envelope(items, info);
  }
  if (rest === 'rulesets/phases/http_request_cache_settings/entrypoint') {
    if (!can('Cache Rules: Read')) return FORBIDDEN();
    if (zone.cacheRules === null) {
      return failure(
        404,
        10003,
        "could not find entrypoint ruleset in the 'http_request_cache_settings' phase",
      );
    }
    return envelope(rulesetJson(zone, zone.cacheRules));
  }
  return failure(404, 7000, 'No route for that URI');
}

/** The `faults` key of a request path: the zone part dropped, rulesets collapsed. */
function faultKey(path: string): string {
  const rel = path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
  const zonePart = /^zones\/[^/]+\/(.+)$/.exec(rel)?.[1];
  if (zonePart === undefined) return rel;
  return zonePart.startsWith('rulesets/') ? 'rulesets' : zonePart;
}

function applyFault(answer: Answer, fault: FakeCloudflareFault | undefined): Answer {
  if (!fault || answer.status !== 200) return answer;
  if (fault === 'server-error') return failure(500, 10002, 'Internal server error');
  if (fault === 'unsuccessful') return failure(200, 1000, 'Something went wrong on our side');
  const { result: _result, ...rest } = answer.body as Record<string, unknown>;
  return { status: 200, body: rest };
}

export async function startFakeCloudflare(data: FakeCloudflareData): Promise<FakeCloudflareServer> {
  const mode = data.mode ?? 'serve';
  const requests: FakeCloudflareRequest[] = [];

  const fake = await startFakeHttp(mode, async (req, res) => {
    const raw = await readBody(req);
    const path = req.url ?? '/';
    const authorization = req.headers.authorization;
    if (requests.length < 1000) {
      requests.push({
        method: req.method ?? '',
        path,
        authorization: /^Bearer \S/.test(authorization ?? ''),
      });
    }
    if (mode === 'hang') return; // Never answer; close() destroys the socket.
    if (mode === 'garbage') {
      sendGarbage(res);
      return;
    }
    const url = new URL(path, 'http://127.0.0.1');
    const answer = applyFault(
      route(data, req.method ?? 'GET', url, authorization, raw),
      data.faults?.[faultKey(url.pathname)],
    );
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  const url = `${fake.origin}${ROOT}`;
  return { url, requests, close: fake.close };
}
