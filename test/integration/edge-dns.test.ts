import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';

const MAP = 'edge.dns.map';
const CAA = 'edge.dns.caa';
const SHORT = { dnsMs: 400, connectMs: 600, requestMs: 800 };

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function run(scenario: LabScenario, short = false): Promise<Record<string, CheckResult>> {
  const lab = await startLab(scenario, { timeouts: short ? SHORT : undefined });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const record = await executeRun(planRun(CATALOGUE, ws, [MAP, CAA]), ws, lab.net, {
    checkTimeoutMs: short ? 3000 : undefined,
  });
  return Object.fromEntries(record.results.map((r) => [r.id, r]));
}

type MapHost = {
  host: string;
  status: string;
  note: string;
  resolution: string;
  cnameChain: string[];
  ipv4: string[];
  ipv6: string[];
  caa: { at: string | null; records: string[] };
};
const mapHosts = (r: CheckResult | undefined) => (r?.evidence as { hosts: MapHost[] }).hosts;
type CaaHost = { host: string; status: string; note: string; at: string | null; issuers: string[] };
const caaHosts = (r: CheckResult | undefined) => (r?.evidence as { hosts: CaaHost[] }).hosts;

describe('edge.dns.map and edge.dns.caa', () => {
  it('healthy: the map lists addresses, chains and nameservers; CAA covers every host', async () => {
    const r = await run(getScenario('healthy'));
    expect(r[MAP]).toMatchObject({ status: 'pass', stage: 2, impact: 'high' });
    expect(r[MAP]?.evidence).toMatchObject({
      domain: 'steady-ai.test',
      nameservers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    });
    const apex = mapHosts(r[MAP]).find((h) => h.host === 'steady-ai.test');
    expect(apex).toMatchObject({
      resolution: 'ok',
      ipv4: ['104.21.48.17', '172.67.161.40'],
      ipv6: ['2606:4700:3031::6815:3011'],
      caa: { at: 'steady-ai.test', records: expect.arrayContaining(['0 issue "letsencrypt.org"']) },
    });
    const www = mapHosts(r[MAP]).find((h) => h.host === 'www.steady-ai.test');
    expect(www?.cnameChain).toEqual(['steady-ai.test']);
    expect(www?.note).toMatch(/^points to CNAME steady-ai\.test → 104\.21\.48\.17/);

    expect(r[CAA]).toMatchObject({ status: 'pass', impact: 'low' });
    expect(r[CAA]?.summary).toBe(
      'CAA covers all 6 hosts: only letsencrypt.org may issue certificates.',
    );
    expect(caaHosts(r[CAA]).find((h) => h.host === 'app.steady-ai.test')).toMatchObject({
      at: 'steady-ai.test',
      note: 'allows letsencrypt.org (from steady-ai.test)',
    });
  });

  it('demo: the map passes with the vendor chains; no CAA anywhere is a low warning', async () => {
    const r = await run(getScenario('demo'));
    expect(r[MAP]?.status).toBe('pass');
    expect(mapHosts(r[MAP]).find((h) => h.host === 'status.promptly-ai.test')?.cnameChain).toEqual([
      'promptly.statuspage-vendor.test',
    ]);
    expect(r[CAA]).toMatchObject({
      status: 'warn',
      summary:
        'No CAA record on promptly-ai.test or its hosts: any certificate authority may issue certificates for your domain.',
    });
  });

  it('fails a dangling CNAME as a takeover risk; reads CAA per host, through aliases, up to the domain', async () => {
    const D = 'takeover.test';
    const scenario: LabScenario = {
      name: 'takeover',
      title: 'takeover',
      description: 'dangling records and CAA shapes',
      domain: D,
      product: {
        name: 'takeover',
        hosts: ['', 'www.', 'app.', 'docs.', 'status.', 'api.', 'old.'].map((p) => ({
          name: `${p}${D}`,
          confirmed: p !== 'old.',
        })),
        routes: [],
      },
      dns: {
        mode: 'answer',
        zones: [D, 'vendor.test'],
        records: [
          { name: D, type: 'A', data: '127.0.0.1' },
          { name: `www.${D}`, type: 'CNAME', data: D },
          { name: `app.${D}`, type: 'A', data: '127.0.0.1' },
          { name: `app.${D}`, type: 'CAA', data: '0 issue "pki.goog"' },
          { name: `docs.${D}`, type: 'CNAME', data: 'site.vendor.test' },
          { name: 'site.vendor.test', type: 'A', data: '127.0.0.1' },
          { name: 'site.vendor.test', type: 'CAA', data: '0 issue "digicert.com"' },
          { name: `status.${D}`, type: 'CNAME', data: 'deleted-page.vendor.test' },
          { name: `api.${D}`, type: 'A', data: '127.0.0.1' },
          { name: `api.${D}`, type: 'CAA', data: '0 iodef "mailto:security@takeover.test"' },
        ],
      },
      web: { mode: 'serve', sites: [] },
    };
    const r = await run(scenario);
    expect(r[MAP]?.status).toBe('fail');
    expect(r[MAP]?.summary).toBe(
      'status.takeover.test is a CNAME to deleted-page.vendor.test, which no longer exists: whoever claims that name can publish pages on your domain (subdomain takeover).',
    );
    const map = Object.fromEntries(mapHosts(r[MAP]).map((h) => [h.host.split('.')[0], h]));
    expect(map.docs).toMatchObject({
      status: 'pass',
      cnameChain: ['site.vendor.test'],
      caa: { at: 'docs.takeover.test', records: ['0 issue "digicert.com"'] },
    });
    // Not a confirmed host and not in DNS: noted in the map, not failed.
    expect(map.old).toMatchObject({ status: 'skipped', resolution: 'nxdomain' });

    const caa = Object.fromEntries(caaHosts(r[CAA]).map((h) => [h.host.split('.')[0], h]));
    expect(r[CAA]?.status).toBe('warn');
    expect(caa.app).toMatchObject({
      status: 'pass',
      at: 'app.takeover.test',
      issuers: ['pki.goog'],
    });
    expect(caa.docs).toMatchObject({ status: 'pass', issuers: ['digicert.com'] });
    expect(caa.api).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/no "issue" tag/),
    });
    expect(caa.www).toMatchObject({ status: 'warn', at: null, note: 'has no CAA record' });
    expect(caa.old).toMatchObject({ status: 'skipped' });
    // Some hosts are covered, so the summary names the ones that are not.
    expect(r[CAA]?.summary).toMatch(
      /^takeover\.test has no CAA record; www\.takeover\.test has no CAA record/,
    );
  });

  it('blackhole: both end in error within their timeout, neither passes', async () => {
    const t0 = performance.now();
    const r = await run(getScenario('blackhole'), true);
    expect(performance.now() - t0).toBeLessThan(3000 + 1500);
    for (const id of [MAP, CAA]) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.summary).toMatch(
        /^Could not decide: void-ai\.test could not be checked \(DNS server/,
      );
    }
  });
});
