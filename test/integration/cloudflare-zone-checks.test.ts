/**
 * Stage 2's Cloudflare account checks through the engine, against the lab's fake Cloudflare API
 * on loopback: the demo's planted settings, the healthy zone, and a token that is missing,
 * wrong, short of a permission, or talking to an API that hangs or answers garbage.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabVendors } from '../../src/main/core/lab/lab-vendors';
import type { FakeCloudflareData } from '../../src/main/core/lab/fake-cloudflare';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { LAB_CLOUDFLARE_HEALTHY_TOKEN } from '../../src/main/core/lab/scenarios/vendors/cloudflare';

const IDS = CATALOGUE.filter((c) => c.id.startsWith('edge.cloudflare.')).map((c) => c.id);
const SHORT = { dnsMs: 300, connectMs: 600, requestMs: 800 };
const HEALTHY = getScenario('healthy');
const V = HEALTHY.vendors as LabVendors;
const CF = V.cloudflare as FakeCloudflareData;

type Results = Record<string, CheckResult>;

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

function healthyWith(cloudflare: FakeCloudflareData, token = LAB_CLOUDFLARE_HEALTHY_TOKEN) {
  return composeScenario(HEALTHY, {
    vendors: { ...V, cloudflare, tokens: { ...V.tokens, cloudflare: token } },
  });
}

async function run(scenario: LabScenario, short = false): Promise<Results> {
  const lab = await startLab(scenario, { timeouts: short ? SHORT : undefined });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, `cf-${labs.length}`);
  const record = await executeRun(planRun(CATALOGUE, ws, IDS), ws, lab.net, {
    checkTimeoutMs: 20_000,
    credentials: lab.credentials,
  });
  return Object.fromEntries(record.results.map((r) => [r.id, r]));
}

const statuses = (r: Results) => Object.fromEntries(Object.values(r).map((x) => [x.id, x.status]));

describe('Cloudflare zone checks', () => {
  it('are five integration checks of stage 2', () => {
    expect(IDS).toEqual([
      'edge.cloudflare.ssl-mode',
      'edge.cloudflare.https',
      'edge.cloudflare.protection',
      'edge.cloudflare.dns-proxied',
      'edge.cloudflare.cache-rules',
    ]);
    for (const c of CATALOGUE.filter((x) => IDS.includes(x.id))) {
      expect(c.stage).toBe(2);
      expect(c.kind).toBe('integration');
    }
  });

  it('find the demo’s Flexible SSL, missing HTTPS settings, grey clouds and the cached admin API', async () => {
    const r = await run(getScenario('demo'));
    expect(statuses(r)).toEqual({
      'edge.cloudflare.ssl-mode': 'fail',
      'edge.cloudflare.https': 'fail',
      'edge.cloudflare.protection': 'warn',
      'edge.cloudflare.dns-proxied': 'fail',
      'edge.cloudflare.cache-rules': 'fail',
    });
    expect(r['edge.cloudflare.ssl-mode']?.summary).toMatch(
      /SSL\/TLS mode is Flexible: .*plain HTTP/,
    );
    expect(r['edge.cloudflare.https']?.summary).toBe(
      'On promptly-ai.test: Always Use HTTPS is off, TLS 1.0 is still accepted and HSTS is off.',
    );
    expect(r['edge.cloudflare.dns-proxied']?.summary).toMatch(
      /^promptly-ai\.test, www\.promptly-ai\.test and app\.promptly-ai\.test are DNS only/,
    );
    expect(r['edge.cloudflare.dns-proxied']?.summary).not.toMatch(/api\.promptly/);
    expect(r['edge.cloudflare.cache-rules']?.summary).toMatch(
      /"\(starts_with\(http\.request\.uri\.path, "\/api\/admin"\)\)" caches everything under \/api/,
    );
  });

  it('pass on the healthy zone, with the cache hit ratio', async () => {
    const r = await run(HEALTHY);
    expect(statuses(r)).toEqual(Object.fromEntries(IDS.map((id) => [id, 'pass'])));
    expect(r['edge.cloudflare.cache-rules']?.summary).toMatch(/Cache hit ratio over 7 days: \d+ %/);
  });

  it('warn on SSL mode Full and on a short HSTS max-age', async () => {
    const zone = structuredClone(CF);
    const z = zone.zones[0];
    if (!z) throw new Error('the healthy account has a zone');
    z.settings.ssl = 'full';
    z.settings.security_header.strict_transport_security.max_age = 86_400;
    const r = await run(healthyWith(zone));
    expect(r['edge.cloudflare.ssl-mode']).toMatchObject({ status: 'warn' });
    expect(r['edge.cloudflare.https']?.status).toBe('warn');
    expect(r['edge.cloudflare.https']?.summary).toMatch(/max-age of 1 days/);
  });

  it('skip, saying how to connect, when no token is saved', async () => {
    const r = await run(
      composeScenario(HEALTHY, {
        vendors: { ...V, tokens: { ...V.tokens, cloudflare: undefined } },
      }),
    );
    for (const id of IDS) {
      expect(r[id]?.status, id).toBe('skipped');
      expect(r[id]?.summary, id).toMatch(/Cloudflare is not connected.*secrets set cloudflare/);
    }
  });

  it('are errors in plain words for a wrong token, never repeating it', async () => {
    const wrong = ['wrong', 'cf', 'token', 'Lx90'].join('-');
    const r = await run(healthyWith(CF, wrong));
    for (const id of IDS) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.evidence.failure, id).toBe('unauthorized');
    }
    expect(JSON.stringify(r)).not.toContain(wrong);
  });

  it('name the permission a token lacks, and check what it can read', async () => {
    const zone = structuredClone(CF);
    const grant = zone.tokens[LAB_CLOUDFLARE_HEALTHY_TOKEN];
    if (!grant) throw new Error('the healthy token exists');
    grant.permissions = grant.permissions.filter((p) => p !== 'Zone Settings: Read');
    const r = await run(healthyWith(zone));
    for (const id of ['edge.cloudflare.ssl-mode', 'edge.cloudflare.https']) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.evidence.permission, id).toBe('Zone Settings: Read');
      expect(r[id]?.summary, id).toContain('Zone Settings: Read');
    }
    // DNS and cache rules need other permissions: still checked.
    expect(r['edge.cloudflare.dns-proxied']?.status).toBe('pass');
    expect(r['edge.cloudflare.cache-rules']?.status).toBe('pass');
  });

  it('say the analytics were not readable without failing the cache rules', async () => {
    const zone = structuredClone(CF);
    const grant = zone.tokens[LAB_CLOUDFLARE_HEALTHY_TOKEN];
    if (!grant) throw new Error('the healthy token exists');
    grant.permissions = grant.permissions.filter((p) => p !== 'Analytics: Read');
    const r = await run(healthyWith(zone));
    expect(r['edge.cloudflare.cache-rules']?.status).toBe('pass');
    expect(r['edge.cloudflare.cache-rules']?.summary).toMatch(/analytics not readable/);
  });

  it('end in error, within the time limit, against an API that never answers', async () => {
    const t0 = performance.now();
    const r = await run(healthyWith({ ...CF, mode: 'hang' }), true);
    expect(performance.now() - t0).toBeLessThan(10_000);
    for (const id of IDS) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.evidence.failure, id).toBe('timeout');
    }
  });

  it('end in error for an answer that is not Cloudflare’s envelope', async () => {
    const r = await run(healthyWith({ ...CF, mode: 'garbage' }));
    for (const id of IDS) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.evidence.failure, id).toBe('malformed');
    }
  });
});
