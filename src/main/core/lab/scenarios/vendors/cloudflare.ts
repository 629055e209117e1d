/**
 * The Cloudflare account side of the lab. The demo product (promptly-ai.test) put Cloudflare in
 * front in a hurry: SSL mode Flexible (the planted fault: Cloudflare talks to the origin over
 * plain HTTP), no HTTPS redirect, TLS 1.0 allowed, no HSTS, no bot protection, only the API
 * proxied, and a "cache everything" rule that caches the admin API. The healthy product
 * (steady-ai.test) is set up the way the checks recommend.
 */
import type { FakeCloudflareData, FakeCloudflarePermission } from '../../fake-cloudflare';

// Built at run time and shaped like no real token, so the repository's own secret scan stays quiet.
export const LAB_CLOUDFLARE_DEMO_TOKEN = ['lab', 'cloudflare', 'demo'].join('-');
export const LAB_CLOUDFLARE_HEALTHY_TOKEN = ['lab', 'cloudflare', 'healthy'].join('-');

/** What a "Read all resources"-style token grants, as far as the integration reads. */
export const LAB_CLOUDFLARE_READ_PERMISSIONS: FakeCloudflarePermission[] = [
  'Zone: Read',
  'Zone Settings: Read',
  'DNS: Read',
  'Bot Management: Read',
  'Cache Rules: Read',
  'Analytics: Read',
];

const DEMO = 'promptly-ai.test';
const HEALTHY = 'steady-ai.test';
/** An id tag shaped like Cloudflare's (32 hex digits), derived from a readable seed. */
const tag = (seed: string): string =>
  Array.from(seed.padEnd(16, '0').slice(0, 16), (c) =>
    (c.charCodeAt(0) % 256).toString(16).padStart(2, '0'),
  ).join('');

export const DEMO_CLOUDFLARE_ZONE_ID = tag('promptly-zone');
export const HEALTHY_CLOUDFLARE_ZONE_ID = tag('steady-zone');

export const DEMO_CLOUDFLARE: FakeCloudflareData = {
  tokens: {
    [LAB_CLOUDFLARE_DEMO_TOKEN]: {
      id: tag('promptly-token'),
      permissions: LAB_CLOUDFLARE_READ_PERMISSIONS,
    },
  },
  zones: [
    {
      id: DEMO_CLOUDFLARE_ZONE_ID,
      name: DEMO,
      plan: 'Free Website',
      nameServers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
      settings: {
        ssl: 'flexible',
        always_use_https: 'off',
        min_tls_version: '1.0',
        security_header: {
          strict_transport_security: {
            enabled: false,
            max_age: 0,
            include_subdomains: false,
            preload: false,
            nosniff: false,
          },
        },
        security_level: 'medium',
      },
      botManagement: { fight_mode: false },
      dnsRecords: [
        { type: 'A', name: DEMO, content: '203.0.113.10', proxied: false },
        { type: 'CNAME', name: `www.${DEMO}`, content: DEMO, proxied: false },
        { type: 'A', name: `app.${DEMO}`, content: '203.0.113.11', proxied: false },
        { type: 'A', name: `api.${DEMO}`, content: '203.0.113.12', proxied: true },
        { type: 'MX', name: DEMO, content: 'mx.mail-provider.test', proxied: false },
        {
          type: 'TXT',
          name: DEMO,
          content: 'v=spf1 include:mail-provider.test ~all',
          proxied: false,
        },
      ],
      cacheRules: [
        {
          description: 'cache everything',
          expression: '(starts_with(http.request.uri.path, "/api/admin"))',
          action_parameters: { cache: true, edge_ttl: { mode: 'override_origin', default: 600 } },
        },
      ],
      analytics: { requests: 120_000, cachedRequests: 18_000 },
    },
  ],
};

export const HEALTHY_CLOUDFLARE: FakeCloudflareData = {
  tokens: {
    [LAB_CLOUDFLARE_HEALTHY_TOKEN]: {
      id: tag('steady-token'),
      permissions: LAB_CLOUDFLARE_READ_PERMISSIONS,
      expiresOn: '2033-05-18T00:00:00Z',
    },
  },
  zones: [
    {
      id: HEALTHY_CLOUDFLARE_ZONE_ID,
      name: HEALTHY,
      plan: 'Pro Website',
      nameServers: ['cruz.ns.cloudflare.com', 'dana.ns.cloudflare.com'],
      settings: {
        ssl: 'strict',
        always_use_https: 'on',
        min_tls_version: '1.2',
        security_header: {
          strict_transport_security: {
            enabled: true,
            max_age: 31_536_000,
            include_subdomains: true,
            preload: false,
            nosniff: true,
          },
        },
        security_level: 'high',
      },
      botManagement: { fight_mode: true, enable_js: true },
      dnsRecords: [
        { type: 'A', name: HEALTHY, content: '198.51.100.20', proxied: true },
        { type: 'CNAME', name: `www.${HEALTHY}`, content: HEALTHY, proxied: true },
        { type: 'A', name: `app.${HEALTHY}`, content: '198.51.100.21', proxied: true },
        { type: 'A', name: `api.${HEALTHY}`, content: '198.51.100.22', proxied: true },
        { type: 'MX', name: HEALTHY, content: 'mx.mail-provider.test', proxied: false },
      ],
      cacheRules: [
        {
          description: 'static assets',
          expression:
            '(starts_with(http.request.uri.path, "/assets/") or starts_with(http.request.uri.path, "/_next/static/"))',
          action_parameters: {
            cache: true,
            edge_ttl: { mode: 'override_origin', default: 2_592_000 },
          },
        },
      ],
      analytics: { requests: 480_000, cachedRequests: 384_000 },
    },
  ],
};
