import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRoute, LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { isCloudflareAddress } from '../../src/main/core/probes/cloudflare-ranges';

const CF = 'edge.cdn.cloudflare';
const PRIVATE = 'edge.cache.private';
const STATIC = 'edge.cache.static-assets';
const ALL = [CF, PRIVATE, STATIC];
const SHORT = { dnsMs: 400, connectMs: 600, requestMs: 800 };

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function run(scenario: LabScenario, short = false): Promise<Record<string, CheckResult>> {
  const lab = await startLab(scenario, { timeouts: short ? SHORT : undefined });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const record = await executeRun(planRun(CATALOGUE, ws, ALL), ws, lab.net, {
    checkTimeoutMs: short ? 3000 : undefined,
  });
  return Object.fromEntries(record.results.map((r) => [r.id, r]));
}

type Item = { status: string; note: string; [k: string]: unknown };
const items = (r: CheckResult | undefined, key: string): Item[] =>
  (r?.evidence as Record<string, Item[]>)[key] ?? [];
const find = (r: CheckResult | undefined, key: string, field: string, value: string) =>
  items(r, key).find((i) => i[field] === value);

const ok = (path: string, headers: Record<string, string>, method?: 'POST'): LabRoute => ({
  path,
  status: 200,
  headers: { 'content-type': 'text/html', ...headers },
  body: `<h1>${path}</h1>`,
  ...(method ? { method } : {}),
});

describe('Cloudflare detection', () => {
  it('knows the published ranges, IPv4 and IPv6, and nothing else', () => {
    expect(isCloudflareAddress('104.16.132.229')).toBe(true);
    expect(isCloudflareAddress('172.71.255.1')).toBe(true);
    expect(isCloudflareAddress('2606:4700:3031::6815:3011')).toBe(true);
    expect(isCloudflareAddress('172.72.0.1')).toBe(false);
    expect(isCloudflareAddress('127.0.0.1')).toBe(false);
    expect(isCloudflareAddress('2001:db8::1')).toBe(false);
    expect(isCloudflareAddress('not an address')).toBe(false);
  });
});

describe('edge.cdn.cloudflare, edge.cache.private and edge.cache.static-assets', () => {
  it('healthy: every host behind Cloudflare, private pages private, files cacheable', async () => {
    const r = await run(getScenario('healthy'));
    for (const id of ALL) expect(r[id], id).toMatchObject({ status: 'pass', stage: 2 });
    expect(r[CF]).toMatchObject({ impact: 'medium' });
    expect(r[CF]?.evidence).toMatchObject({ dnsOnCloudflare: true });
    expect(find(r[CF], 'hosts', 'host', 'steady-ai.test')).toMatchObject({
      cloudflareAddresses: ['104.21.48.17', '172.67.161.40', '2606:4700:3031::6815:3011'],
      cfRay: '8e4b1c2f9a7d3e11-FRA',
    });
    expect(r[PRIVATE]).toMatchObject({ impact: 'critical' });
    expect(find(r[PRIVATE], 'routes', 'key', 'login')).toMatchObject({
      status: 'pass',
      cacheControl: 'private, no-store',
    });
    expect(r[STATIC]).toMatchObject({ impact: 'low' });
    expect(items(r[STATIC], 'assets')).toEqual([
      expect.objectContaining({
        url: 'https://steady-ai.test/assets/app-41d8cd.js',
        status: 'pass',
        note: 'is cacheable for 365 days (cf-cache-status: HIT)',
      }),
    ]);
  });

  it('demo: DNS on Cloudflare with the proxy off, an admin API served from the edge cache', async () => {
    const r = await run(getScenario('demo'));
    expect(r[CF]?.status).toBe('warn');
    expect(r[CF]?.summary).toMatch(
      /^promptly-ai\.test, www\.promptly-ai\.test and app\.promptly-ai\.test are not behind Cloudflare: your DNS is on Cloudflare, but the proxy is off for them \(the grey cloud\).* DDoS protection, edge caching and a web application firewall \(WAF\)/,
    );
    expect(find(r[CF], 'hosts', 'host', 'api.promptly-ai.test')).toMatchObject({
      status: 'pass',
      cloudflareAddresses: ['104.18.26.97'],
    });
    expect(find(r[CF], 'hosts', 'host', 'status.promptly-ai.test')).toMatchObject({
      status: 'skipped',
      note: expect.stringMatching(/run by a vendor/),
    });

    expect(r[PRIVATE]?.status).toBe('fail');
    expect(r[PRIVATE]?.summary).toBe(
      'admin (api.promptly-ai.test/api/admin/users) is served from the edge cache (cf-cache-status: HIT) and marked cacheable for everyone (Cache-Control: public, max-age=600).',
    );
    expect(find(r[PRIVATE], 'routes', 'key', 'login')).toMatchObject({ status: 'pass' });

    expect(r[STATIC]?.status).toBe('warn');
    expect(r[STATIC]?.summary).toBe(
      'https://promptly-ai.test/assets/index-7c1e9a.js sends no Cache-Control header, so browsers and the edge must guess.',
    );
    // The third-party analytics script is listed on the page but never fetched.
    expect(JSON.stringify(r[STATIC]?.evidence)).not.toContain('plausible.io');
  });

  it('detects Cloudflare by headers or IPv6 alone, and grades each caching shape', async () => {
    const D = 'cdn-cases.test';
    const APP = `app.${D}`;
    const home = [
      '<!doctype html><title>Cases</title>',
      '<script src="/a.js"></script><script src="/b.js"></script><script src="/missing.js"></script>',
      '<script src="https://cdn.thirdparty.test/lib.js"></script>',
      '<link rel="stylesheet" href="/s.css"><link rel="stylesheet" href="https://static.cdn-cases.test/x.css">',
    ].join('\n');
    const asset = (path: string, cacheControl: string): LabRoute => ({
      path,
      status: 200,
      headers: { 'content-type': 'text/javascript', 'cache-control': cacheControl },
      body: 'export {};',
    });
    const scenario: LabScenario = {
      name: 'cdncases',
      title: 'cdn cases',
      description: 'cdn cases',
      domain: D,
      product: {
        name: 'cdn cases',
        hosts: ['', 'v6.', 'plain.', 'vendor.', 'app.'].map((p) => ({
          name: `${p}${D}`,
          confirmed: true,
        })),
        routes: [
          { key: 'home', host: D, path: '/' },
          { key: 'dashboard', host: APP, path: '/dashboard' },
          { key: 'dashboard', host: APP, path: '/dashboard/settings' },
          { key: 'admin', host: APP, path: '/admin' },
          { key: 'admin', host: APP, path: '/admin/api' },
          { key: 'admin', host: APP, path: '/admin/export' },
          { key: 'login', host: APP, path: '/login' },
          { key: 'login', host: APP, path: '/session', method: 'POST' },
        ],
      },
      dns: {
        mode: 'answer',
        zones: [D, 'vendor-cdn.test'],
        records: [
          { name: D, type: 'A', data: '127.0.0.1' },
          { name: `v6.${D}`, type: 'A', data: '127.0.0.1' },
          { name: `v6.${D}`, type: 'AAAA', data: '2606:4700::6810:85e5' },
          { name: `plain.${D}`, type: 'A', data: '127.0.0.1' },
          { name: `vendor.${D}`, type: 'CNAME', data: 'shop.vendor-cdn.test' },
          { name: 'shop.vendor-cdn.test', type: 'A', data: '127.0.0.1' },
          { name: APP, type: 'A', data: '127.0.0.1' },
        ],
      },
      web: {
        mode: 'serve',
        sites: [
          {
            host: D,
            https: { certificate: { kind: 'valid' } },
            headers: { 'cf-ray': '8e4b1c2f9a7d3e12-LHR' },
            routes: [
              { path: '/', status: 200, headers: { 'content-type': 'text/html' }, body: home },
              asset('/a.js', 'public, max-age=31536000, immutable'),
              asset('/b.js', 'no-store'),
              asset('/s.css', 'max-age=0'),
            ],
          },
          { host: `v6.${D}`, https: { certificate: { kind: 'valid' } }, routes: [] },
          { host: `plain.${D}`, https: { certificate: { kind: 'valid' } }, routes: [] },
          { host: `vendor.${D}`, https: { certificate: { kind: 'valid' } }, routes: [] },
          {
            host: APP,
            https: { certificate: { kind: 'valid' } },
            headers: { server: 'cloudflare' },
            routes: [
              ok('/', {}),
              ok('/dashboard', { 'cache-control': 'private, max-age=600' }),
              ok('/dashboard/settings', { 'cache-control': 'public, no-store' }),
              ok('/admin', { 'x-cache': 'Hit from cloudfront' }),
              ok('/admin/api', { age: '30' }),
              ok('/admin/export', { 'cache-control': 'private="set-cookie", max-age=60' }),
              ok('/login', { 'cache-control': 's-maxage=300' }),
            ],
          },
        ],
      },
    };
    const r = await run(scenario);

    const cf = (host: string) => find(r[CF], 'hosts', 'host', `${host}${D}`);
    expect(r[CF]?.status).toBe('warn');
    expect(r[CF]?.summary).toMatch(/^plain\.cdn-cases\.test is not behind Cloudflare\. Without it/);
    expect(cf('')).toMatchObject({ status: 'pass', note: 'is behind Cloudflare (cf-ray header)' });
    expect(cf('v6.')).toMatchObject({
      status: 'pass',
      note: 'is behind Cloudflare (2606:4700::6810:85e5 is a Cloudflare address)',
    });
    expect(cf('app.')).toMatchObject({
      status: 'pass',
      note: 'is behind Cloudflare (server: cloudflare)',
    });
    expect(cf('vendor.')).toMatchObject({ status: 'skipped' });

    const route = (path: string) => find(r[PRIVATE], 'routes', 'url', `https://${APP}${path}`);
    expect(r[PRIVATE]?.status).toBe('fail');
    expect(route('/dashboard')).toMatchObject({ status: 'pass' });
    expect(route('/dashboard/settings')).toMatchObject({ status: 'pass' });
    expect(route('/admin')).toMatchObject({
      status: 'fail',
      note: 'is served from the edge cache (x-cache: Hit from cloudfront)',
    });
    expect(route('/admin/api')).toMatchObject({
      status: 'fail',
      note: 'is served from the edge cache (age: 30)',
    });
    // private="set-cookie" keeps only that header private: the rest may be stored.
    expect(route('/admin/export')).toMatchObject({ status: 'fail' });
    expect(route('/login')).toMatchObject({
      status: 'fail',
      note: 'tells the edge to store it for everyone (Cache-Control: s-maxage=300)',
    });
    expect(route('/session')).toMatchObject({ status: 'skipped' });

    const file = (url: string) => find(r[STATIC], 'assets', 'url', url);
    expect(r[STATIC]?.status).toBe('warn');
    expect(file(`https://${D}/a.js`)).toMatchObject({ status: 'pass' });
    expect(file(`https://${D}/b.js`)).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/not cacheable/),
    });
    expect(file(`https://${D}/s.css`)).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/expires at once/),
    });
    expect(file(`https://${D}/missing.js`)).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/HTTP 404/),
    });
    expect(file(`https://static.${D}/x.css`)).toMatchObject({ status: 'skipped' });
    expect(file('https://cdn.thirdparty.test/lib.js')).toBeUndefined();
  });

  it('blackhole: every one ends in error within its timeout, none passes', async () => {
    const t0 = performance.now();
    const r = await run(getScenario('blackhole'), true);
    expect(performance.now() - t0).toBeLessThan(3000 + 1500);
    for (const id of ALL) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.summary, id).toMatch(/^Could not decide: /);
    }
  });
});
