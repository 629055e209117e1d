// The Cloudflare integration against the lab's fake Cloudflare API on loopback: the healthy and
// demo zones read in full, each part failing on its own (a missing permission, a broken answer),
// the token and zone failures that stop everything, and a token that never leaks.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudflareReport } from '../../src/main/core/integrations/cloudflare';
import {
  CLOUDFLARE_PERMISSIONS,
  MAX_DNS_PAGES,
  inspectCloudflare,
} from '../../src/main/core/integrations/cloudflare';
import { VendorError } from '../../src/main/core/integrations/types';
import type {
  FakeCloudflareData,
  FakeCloudflarePermission,
  FakeCloudflareZone,
} from '../../src/main/core/lab/fake-cloudflare';
import { startFakeCloudflare } from '../../src/main/core/lab/fake-cloudflare';
import {
  DEMO_CLOUDFLARE,
  HEALTHY_CLOUDFLARE,
  LAB_CLOUDFLARE_DEMO_TOKEN,
  LAB_CLOUDFLARE_HEALTHY_TOKEN,
  LAB_CLOUDFLARE_READ_PERMISSIONS,
} from '../../src/main/core/lab/scenarios/vendors/cloudflare';

const TIMEOUT_MS = 2_000;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function fake(data: FakeCloudflareData) {
  const server = await startFakeCloudflare(data);
  closers.push(server.close);
  return server;
}

async function failureOf(p: Promise<unknown>): Promise<VendorError> {
  const err = await p.then(
    () => {
      throw new Error('expected a VendorError, got a report');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorError);
  return err as VendorError;
}

function value<T>(p: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!p.ok) throw new Error(`part failed: ${p.message}`);
  return p.value;
}

const demoZone = DEMO_CLOUDFLARE.zones[0] as FakeCloudflareZone;
const healthyZone = HEALTHY_CLOUDFLARE.zones[0] as FakeCloudflareZone;

/** The demo data with one token of the given permissions (and other overrides). */
function demoWith(
  token: string,
  permissions: FakeCloudflarePermission[],
  extra: Partial<FakeCloudflareData> = {},
): FakeCloudflareData {
  return {
    ...DEMO_CLOUDFLARE,
    tokens: { [token]: { id: 'c0ffee00c0ffee00c0ffee00c0ffee00', permissions } },
    ...extra,
  };
}

function allParts(r: CloudflareReport) {
  return {
    ...r.settings,
    botFightMode: r.botFightMode,
    dnsRecords: r.dnsRecords,
    cacheRules: r.cacheRules,
    analytics: r.analytics,
  };
}

describe('inspectCloudflare: success', () => {
  it('reads the healthy zone in full, every call authorised and bounded', async () => {
    const cf = await fake(HEALTHY_CLOUDFLARE);
    const r = await inspectCloudflare({
      baseUrl: cf.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_CLOUDFLARE_HEALTHY_TOKEN,
      zoneName: 'Steady-AI.test.',
    });
    expect(r.token).toEqual({ status: 'active', expiresOn: '2033-05-18T00:00:00Z' });
    expect(r.zone).toEqual({
      id: healthyZone.id,
      name: 'steady-ai.test',
      status: 'active',
      plan: 'Pro Website',
      nameServers: ['cruz.ns.cloudflare.com', 'dana.ns.cloudflare.com'],
    });
    expect(value(r.settings.ssl)).toBe('strict');
    expect(value(r.settings.alwaysUseHttps)).toBe(true);
    expect(value(r.settings.minTlsVersion)).toBe('1.2');
    expect(value(r.settings.hsts)).toEqual({
      enabled: true,
      maxAge: 31_536_000,
      includeSubdomains: true,
      preload: false,
    });
    expect(value(r.settings.securityLevel)).toBe('high');
    expect(value(r.botFightMode)).toBe(true);
    const records = value(r.dnsRecords);
    expect(records).toHaveLength(5);
    expect(records.filter((d) => d.proxiable).every((d) => d.proxied)).toBe(true);
    expect(records.find((d) => d.type === 'MX')).toMatchObject({
      proxied: false,
      proxiable: false,
    });
    expect(r.dnsRecordsTruncated).toBe(false);
    const rules = value(r.cacheRules);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      cachesEverything: true,
      bypass: false,
      matchesPrivatePaths: [],
    });
    expect(value(r.analytics)).toEqual({
      requests: 480_000,
      cachedRequests: 384_000,
      cacheHitRatio: 0.8,
    });
    expect(cf.requests.length).toBeLessThanOrEqual(15);
    expect(cf.requests.every((q) => q.authorization)).toBe(true);
    expect(cf.requests.map((q) => q.path.split('?')[0])).toContain(
      `/client/v4/zones/${healthyZone.id}/rulesets/phases/http_request_cache_settings/entrypoint`,
    );
    // Plain JSON: survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("shows the demo's planted faults: Flexible SSL and a rule caching the admin API", async () => {
    const cf = await fake(DEMO_CLOUDFLARE);
    const r = await inspectCloudflare({
      baseUrl: cf.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_CLOUDFLARE_DEMO_TOKEN,
      zoneName: 'promptly-ai.test',
    });
    expect(r.token.expiresOn).toBeNull();
    expect(r.zone.plan).toBe('Free Website');
    expect(value(r.settings.ssl)).toBe('flexible');
    expect(value(r.settings.alwaysUseHttps)).toBe(false);
    expect(value(r.settings.minTlsVersion)).toBe('1.0');
    expect(value(r.settings.hsts).enabled).toBe(false);
    expect(value(r.settings.securityLevel)).toBe('medium');
    expect(value(r.botFightMode)).toBe(false);
    const proxied = Object.fromEntries(value(r.dnsRecords).map((d) => [d.name, d.proxied]));
    expect(proxied).toMatchObject({
      'promptly-ai.test': false,
      'www.promptly-ai.test': false,
      'app.promptly-ai.test': false,
      'api.promptly-ai.test': true,
    });
    const [rule] = value(r.cacheRules);
    expect(rule?.expression).toContain('"/api/admin"');
    expect(rule).toMatchObject({ cachesEverything: true, bypass: false });
    expect(rule?.matchesPrivatePaths).toEqual(['/api']);
    expect(value(r.analytics)).toEqual({
      requests: 120_000,
      cachedRequests: 18_000,
      cacheHitRatio: 0.15,
    });
  });

  it('reports no cache rules for a zone without the phase ruleset, and a bypass rule as such', async () => {
    const none = await fake({ ...DEMO_CLOUDFLARE, zones: [{ ...demoZone, cacheRules: null }] });
    const a = await inspectCloudflare({
      baseUrl: none.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_CLOUDFLARE_DEMO_TOKEN,
      zoneName: 'promptly-ai.test',
    });
    expect(value(a.cacheRules)).toEqual([]);

    const bypass = await fake({
      ...DEMO_CLOUDFLARE,
      zones: [
        {
          ...demoZone,
          cacheRules: [
            {
              expression: 'starts_with(http.request.uri.path, "/admin")',
              action_parameters: { cache: false },
            },
            { expression: 'true', enabled: false, action_parameters: { cache: true } },
            { expression: '(http.host eq "promptly-ai.test")', action_parameters: { cache: true } },
          ],
        },
      ],
    });
    const b = await inspectCloudflare({
      baseUrl: bypass.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_CLOUDFLARE_DEMO_TOKEN,
      zoneName: 'promptly-ai.test',
    });
    expect(value(b.cacheRules)).toEqual([
      {
        expression: 'starts_with(http.request.uri.path, "/admin")',
        cachesEverything: false,
        bypass: true,
        matchesPrivatePaths: [],
      },
      {
        expression: '(http.host eq "promptly-ai.test")',
        cachesEverything: true,
        bypass: false,
        matchesPrivatePaths: ['/admin', '/dashboard', '/login', '/api', '/account'],
      },
    ]);
  });

  it(`pages DNS records and stops after ${MAX_DNS_PAGES} pages`, async () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        type: 'A',
        name: `h${i}.promptly-ai.test`,
        content: '203.0.113.1',
        proxied: i % 2 === 0,
      }));
    const small = await fake({
      ...DEMO_CLOUDFLARE,
      zones: [{ ...demoZone, dnsRecords: many(150) }],
    });
    const a = await inspectCloudflare({
      baseUrl: small.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_CLOUDFLARE_DEMO_TOKEN,
      zoneName: 'promptly-ai.test',
    });
    expect(value(a.dnsRecords)).toHaveLength(150);
    expect(a.dnsRecordsTruncated).toBe(false);
    expect(small.requests.filter((q) => q.path.includes('/dns_records'))).toHaveLength(2);

    const big = await fake({
      ...DEMO_CLOUDFLARE,
      zones: [{ ...demoZone, dnsRecords: many(1_000) }],
    });
    const b = await inspectCloudflare({
      baseUrl: big.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_CLOUDFLARE_DEMO_TOKEN,
      zoneName: 'promptly-ai.test',
    });
    expect(value(b.dnsRecords)).toHaveLength(MAX_DNS_PAGES * 100);
    expect(b.dnsRecordsTruncated).toBe(true);
    expect(big.requests.filter((q) => q.path.includes('/dns_records'))).toHaveLength(MAX_DNS_PAGES);
  });
});

describe('inspectCloudflare: the token and the zone', () => {
  it('rejects a wrong token as unauthorized, with a plain message', async () => {
    const cf = await fake(DEMO_CLOUDFLARE);
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token: 'lab-cloudflare-wrong',
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('unauthorized');
    expect(err.details.status).toBe(401);
    expect(err.message).toMatch(/Cloudflare refused the token/);
    // Nothing after the refused verify call.
    expect(cf.requests.map((q) => q.path)).toEqual(['/client/v4/user/tokens/verify']);
  });

  it('rejects an expired token as unauthorized, saying it expired', async () => {
    const token = 'lab-cloudflare-expired';
    const cf = await fake({
      ...DEMO_CLOUDFLARE,
      tokens: {
        [token]: {
          id: 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0',
          permissions: LAB_CLOUDFLARE_READ_PERMISSIONS,
          status: 'expired',
        },
      },
    });
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token,
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('unauthorized');
    expect(err.message).toMatch(/expired/);
  });

  it('rejects a zone that is not in the account as not-found, naming the zone', async () => {
    const cf = await fake(DEMO_CLOUDFLARE);
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token: LAB_CLOUDFLARE_DEMO_TOKEN,
        zoneName: 'steady-ai.test',
      }),
    );
    expect(err.failure).toBe('not-found');
    expect(err.message).toContain('steady-ai.test');
  });

  it('treats a zone the token is not scoped to as not found', async () => {
    const token = 'lab-cloudflare-scoped';
    const cf = await fake({
      ...DEMO_CLOUDFLARE,
      tokens: {
        [token]: {
          id: '5c0fed005c0fed005c0fed005c0fed00',
          permissions: LAB_CLOUDFLARE_READ_PERMISSIONS,
          zones: ['other-ai.test'],
        },
      },
    });
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token,
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('not-found');
    expect(err.message).toContain('promptly-ai.test');
  });

  it('rejects as forbidden when the token cannot list zones at all', async () => {
    const token = 'lab-cloudflare-nozone';
    const cf = await fake(demoWith(token, ['Zone Settings: Read', 'DNS: Read']));
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token,
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('forbidden');
    expect(err.details.permission).toBe('Zone: Read');
    expect(err.message).toContain('"Zone: Read"');
  });
});

describe('inspectCloudflare: one part at a time', () => {
  it('reports each setting as forbidden without "Zone Settings: Read", the rest still read', async () => {
    const token = 'lab-cloudflare-nosettings';
    const cf = await fake(
      demoWith(
        token,
        LAB_CLOUDFLARE_READ_PERMISSIONS.filter((p) => p !== 'Zone Settings: Read'),
      ),
    );
    const r = await inspectCloudflare({
      baseUrl: cf.url,
      timeoutMs: TIMEOUT_MS,
      token,
      zoneName: 'promptly-ai.test',
    });
    for (const s of Object.values(r.settings)) {
      expect(s).toMatchObject({
        ok: false,
        failure: 'forbidden',
        permission: CLOUDFLARE_PERMISSIONS.zoneSettings,
      });
      expect(s.ok ? '' : s.message).toContain('"Zone Settings: Read"');
    }
    expect(value(r.botFightMode)).toBe(false);
    expect(value(r.dnsRecords)).toHaveLength(6);
    expect(value(r.cacheRules)).toHaveLength(1);
    expect(value(r.analytics).requests).toBe(120_000);
  });

  it('reports analytics, DNS, bot management and cache rules as forbidden by their own permission', async () => {
    const token = 'lab-cloudflare-settingsonly';
    const cf = await fake(demoWith(token, ['Zone: Read', 'Zone Settings: Read']));
    const r = await inspectCloudflare({
      baseUrl: cf.url,
      timeoutMs: TIMEOUT_MS,
      token,
      zoneName: 'promptly-ai.test',
    });
    expect(value(r.settings.ssl)).toBe('flexible');
    expect(r.analytics).toMatchObject({
      ok: false,
      failure: 'forbidden',
      permission: 'Analytics: Read',
    });
    expect(r.dnsRecords).toMatchObject({
      ok: false,
      failure: 'forbidden',
      permission: 'DNS: Read',
    });
    expect(r.botFightMode).toMatchObject({
      ok: false,
      failure: 'forbidden',
      permission: 'Bot Management: Read',
    });
    expect(r.cacheRules).toMatchObject({
      ok: false,
      failure: 'forbidden',
      permission: 'Cache Rules: Read',
    });
    expect(r.dnsRecordsTruncated).toBe(false);
  });

  it('keeps a broken part to itself: no result, success: false, a 500', async () => {
    const cf = await fake({
      ...DEMO_CLOUDFLARE,
      faults: {
        'settings/ssl': 'no-result',
        bot_management: 'unsuccessful',
        dns_records: 'server-error',
      },
    });
    const r = await inspectCloudflare({
      baseUrl: cf.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_CLOUDFLARE_DEMO_TOKEN,
      zoneName: 'promptly-ai.test',
    });
    expect(r.settings.ssl).toMatchObject({ ok: false, failure: 'malformed' });
    expect(r.botFightMode).toMatchObject({ ok: false, failure: 'malformed' });
    expect(r.botFightMode.ok ? '' : r.botFightMode.message).toMatch(/success: false/);
    expect(r.dnsRecords).toMatchObject({ ok: false, failure: 'server' });
    expect(value(r.settings.alwaysUseHttps)).toBe(false);
    expect(value(r.cacheRules)[0]?.matchesPrivatePaths).toEqual(['/api']);
  });
});

describe('inspectCloudflare: transport and shape failures', () => {
  it('times out quickly against a server that never answers', async () => {
    const cf = await fake({ ...DEMO_CLOUDFLARE, mode: 'hang' });
    const started = Date.now();
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: 300,
        token: LAB_CLOUDFLARE_DEMO_TOKEN,
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reports HTML instead of JSON as malformed', async () => {
    const cf = await fake({ ...DEMO_CLOUDFLARE, mode: 'garbage' });
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token: LAB_CLOUDFLARE_DEMO_TOKEN,
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('malformed');
  });

  it.each([
    ['user/tokens/verify', 'unsuccessful', /success: false/],
    ['user/tokens/verify', 'no-result', /without a result/],
    ['zones', 'no-result', /without a result/],
  ] as const)('rejects a %s envelope with %s as malformed', async (path, fault, message) => {
    const cf = await fake({ ...DEMO_CLOUDFLARE, faults: { [path]: fault } });
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token: LAB_CLOUDFLARE_DEMO_TOKEN,
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('malformed');
    expect(err.message).toMatch(message);
  });

  it('reports a refused connection as unreachable', async () => {
    const cf = await fake({ ...DEMO_CLOUDFLARE, mode: 'refuse' });
    const err = await failureOf(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        token: LAB_CLOUDFLARE_DEMO_TOKEN,
        zoneName: 'promptly-ai.test',
      }),
    );
    expect(err.failure).toBe('unreachable');
  });

  it("stops when the caller's signal aborts", async () => {
    const cf = await fake(DEMO_CLOUDFLARE);
    const ctl = new AbortController();
    ctl.abort(new Error('cancelled by the user'));
    await expect(
      inspectCloudflare({
        baseUrl: cf.url,
        timeoutMs: TIMEOUT_MS,
        signal: ctl.signal,
        token: LAB_CLOUDFLARE_DEMO_TOKEN,
        zoneName: 'promptly-ai.test',
      }),
    ).rejects.toThrow('cancelled by the user');
    expect(cf.requests).toHaveLength(0);
  });
});

describe('inspectCloudflare: the token never leaks', () => {
  const canary = `canary-${randomBytes(12).toString('hex')}`;

  it('keeps an accepted token out of the report, the parts and the request paths', async () => {
    const cf = await fake(
      demoWith(canary, ['Zone: Read', 'DNS: Read'], {
        faults: { 'settings/ssl': 'unsuccessful', dns_records: 'no-result' },
      }),
    );
    const r = await inspectCloudflare({
      baseUrl: cf.url,
      timeoutMs: TIMEOUT_MS,
      token: canary,
      zoneName: 'promptly-ai.test',
    });
    // Some parts failed, so their messages were written; none carries the token.
    expect(Object.values(allParts(r)).filter((p) => !p.ok).length).toBeGreaterThan(3);
    expect(JSON.stringify(r)).not.toContain(canary);
    expect(cf.requests.every((q) => q.authorization && !q.path.includes(canary))).toBe(true);
  });

  it('keeps a refused token out of every error', async () => {
    const cf = await fake(DEMO_CLOUDFLARE);
    const messages: string[] = [];
    for (const baseUrl of [cf.url, `${cf.url.replace(/:\d+\//, ':1/')}`]) {
      const err = await failureOf(
        inspectCloudflare({
          baseUrl,
          timeoutMs: TIMEOUT_MS,
          token: canary,
          zoneName: 'promptly-ai.test',
        }),
      );
      messages.push(err.message, String(err.stack), JSON.stringify(err.details));
    }
    const notFound = await failureOf(
      inspectCloudflare({
        baseUrl: (await fake(demoWith(canary, LAB_CLOUDFLARE_READ_PERMISSIONS))).url,
        timeoutMs: TIMEOUT_MS,
        token: canary,
        zoneName: 'nowhere-ai.test',
      }),
    );
    messages.push(notFound.message, JSON.stringify(notFound.details));
    expect(messages.join('\n')).not.toContain(canary);
  });
});
