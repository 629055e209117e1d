import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { RunRecord } from '../../src/shared/run';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { DEFAULT_CONCURRENCY, executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { labWorkspace, startLab } from '../../src/main/core/lab/lab';
import type { LabScenario, LabSite } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import type { Timeouts } from '../../src/main/core/probes/net-context';

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function runScenario(
  scenario: LabScenario,
  opts: { checkTimeoutMs?: number; timeouts?: Partial<Timeouts> } = {},
): Promise<RunRecord> {
  const lab = await startLab(scenario, { timeouts: opts.timeouts });
  labs.push(lab);
  const ws = await labWorkspace(lab, scenario.name);
  return executeRun(planRun(CATALOGUE, ws), ws, lab.net, {
    checkTimeoutMs: opts.checkTimeoutMs,
    credentials: lab.credentials,
  });
}
const byId = (run: RunRecord, id: string): CheckResult => {
  const r = run.results.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
};

describe('the checks against the lab', () => {
  it('demo: DNS passes; certificates, plain HTTP, duplicate www, HSTS and a cached admin API fail', async () => {
    const run = await runScenario(getScenario('demo'));
    expect(byId(run, 'audit.dns.resolves')).toMatchObject({ status: 'pass', stage: 1 });
    const tls = byId(run, 'edge.tls.certificate');
    expect(tls.status).toBe('fail');
    expect(tls.summary).toMatch(
      /docs\.promptly-ai\.test serves a certificate for \*\.docs-host\.test/,
    );
    const hosts = (
      tls.evidence as { hosts: { host: string; status: string; note: string; daysLeft?: number }[] }
    ).hosts;
    expect(hosts.find((h) => h.host === 'promptly-ai.test')).toMatchObject({ status: 'pass' });
    // 12 days left: a warning inside the sales cycle, not yet a failure.
    const app = hosts.find((h) => h.host === 'app.promptly-ai.test');
    expect(app).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/expires in 1[12] days/),
    });
    const redirect = byId(run, 'edge.http.https-redirect');
    expect(redirect.status).toBe('fail');
    expect(redirect.summary).toMatch(/api\.promptly-ai\.test serves pages over unencrypted HTTP/);
    // Every stage 2 check has something to say about the demo, and one of them passes.
    expect(
      Object.fromEntries(run.results.filter((r) => r.stage === 2).map((r) => [r.id, r.status])),
    ).toEqual({
      'edge.dns.map': 'pass',
      'edge.dns.caa': 'warn',
      'edge.tls.certificate': 'fail',
      'edge.http.https-redirect': 'fail',
      'edge.http.canonical-host': 'fail',
      'edge.http.redirects': 'warn',
      'edge.http.hsts': 'fail',
      'edge.cdn.cloudflare': 'warn',
      'edge.cache.private': 'fail',
      'edge.cache.static-assets': 'warn',
      'edge.auth.callback-host': 'pass',
      'edge.cloudflare.ssl-mode': 'fail',
      'edge.cloudflare.https': 'fail',
      'edge.cloudflare.protection': 'warn',
      'edge.cloudflare.dns-proxied': 'fail',
      'edge.cloudflare.cache-rules': 'fail',
    });
    expect(run.verdict.demoReady).toBe(false);
    // Ranked by impact, then status: the critical failures first. Other stages' blockers are
    // theirs to assert.
    expect(run.verdict.blockers.map((b) => b.id).filter((id) => id.startsWith('edge.'))).toEqual([
      'edge.tls.certificate',
      'edge.cache.private',
      'edge.cloudflare.ssl-mode',
      'edge.cloudflare.cache-rules',
      'edge.http.https-redirect',
      'edge.cloudflare.https',
      'edge.cloudflare.dns-proxied',
    ]);
  });

  it('healthy: every automated check passes and the product is demo-ready', async () => {
    const run = await runScenario(getScenario('healthy'));
    // Ask checks are recorded as the founder left them: nobody has answered in the lab.
    expect(Object.fromEntries(run.results.map((r) => [r.id, r.status]))).toEqual(
      Object.fromEntries(CATALOGUE.map((c) => [c.id, c.kind === 'ask' ? 'unanswered' : 'pass'])),
    );
    expect(run.results).toHaveLength(CATALOGUE.length);
    expect(run.verdict).toMatchObject({ demoReady: true, score: 100 });
  });

  it('blackhole: every check ends in error within its timeout, none passes', async () => {
    const t0 = performance.now();
    const run = await runScenario(getScenario('blackhole'), {
      checkTimeoutMs: 3000,
      timeouts: { dnsMs: 400, connectMs: 600, requestMs: 800 },
    });
    const elapsed = performance.now() - t0;
    // Stage 3 reads a repository folder and integration checks a vendor account; the blackhole
    // product has neither: skipped, not probed.
    const automated = CATALOGUE.filter((c) => c.kind === 'probe' && c.stage !== 3);
    const local = CATALOGUE.filter(
      (c) => (c.kind === 'probe' && c.stage === 3) || c.kind === 'integration',
    ).map((c) => c.id);
    expect(local.length).toBeGreaterThan(0);
    for (const id of local) expect(byId(run, id).status, id).toBe('skipped');
    // The engine runs DEFAULT_CONCURRENCY checks at a time, each cut off at 3 s at the latest.
    const waves = Math.ceil(automated.length / DEFAULT_CONCURRENCY);
    // Plus the lab's start and timer slack on a busy machine; without the cut-off this is 20 s.
    expect(elapsed).toBeLessThan(waves * 3000 + 2500);
    const probed = run.results.filter((r) => automated.some((c) => c.id === r.id));
    expect(probed.map((r) => r.id)).toEqual(automated.map((c) => c.id));
    for (const r of probed) {
      expect(r.status, r.id).toBe('error');
      expect(r.summary).toMatch(/^Could not decide/);
      expect(r.durationMs, r.id).toBeLessThan(3000 + 1000);
    }
    expect(run.verdict.demoReady).toBe(false);
  });

  it('blackhole with a check timeout shorter than the probes: the engine cuts them off', async () => {
    const t0 = performance.now();
    const run = await runScenario(getScenario('blackhole'), { checkTimeoutMs: 500 });
    expect(performance.now() - t0).toBeLessThan(500 + 1500);
    const probes = new Set(CATALOGUE.filter((c) => c.kind === 'probe').map((c) => c.id));
    const probed = run.results.filter((r) => probes.has(r.id) && r.stage !== 3);
    expect(probed.length).toBeGreaterThan(0);
    expect(probed.every((r) => r.status === 'error' && /within 0.5 seconds/.test(r.summary))).toBe(
      true,
    );
  });

  it('grades each certificate and redirect fault on its own', async () => {
    const D = 'faults.test';
    const site = (host: string, over: Partial<LabSite>): LabSite => ({
      host: `${host}.${D}`,
      https: { certificate: { kind: 'valid' } },
      http: 'redirect-https',
      routes: [{ path: '/', status: 200 }],
      ...over,
    });
    const hosts = ['expired', 'selfsigned', 'soon', 'temp', 'nohttp', 'future', 'away'];
    const scenario: LabScenario = {
      name: 'faults',
      title: 'Faults',
      description: 'one fault per host',
      domain: D,
      product: {
        name: 'Faults',
        hosts: [
          ...hosts.map((h) => ({ name: `${h}.${D}`, confirmed: true })),
          { name: `missing.${D}`, confirmed: false },
        ],
        routes: [],
      },
      dns: {
        mode: 'answer',
        zones: [D],
        records: hosts.map((h) => ({ name: `${h}.${D}`, type: 'A' as const, data: '127.0.0.1' })),
      },
      web: {
        mode: 'serve',
        sites: [
          site('expired', { https: { certificate: { kind: 'expired' } } }),
          site('selfsigned', { https: { certificate: { kind: 'self-signed' } } }),
          site('soon', { https: { certificate: { kind: 'valid', daysLeft: 20 } } }),
          site('temp', {
            http: 'serve',
            routes: [{ path: '/', status: 302, headers: { location: `https://temp.${D}/` } }],
          }),
          { host: `nohttp.${D}`, https: { certificate: { kind: 'valid' } }, routes: [] },
          site('future', { https: { certificate: { kind: 'not-yet-valid' } } }),
          site('away', {
            http: 'serve',
            routes: [
              { path: '/', status: 301, headers: { location: 'https://elsewhere.example/' } },
            ],
          }),
        ],
      },
    };
    const run = await runScenario(scenario);
    const note = (id: string, host: string) =>
      (
        byId(run, id).evidence as { hosts: { host: string; status: string; note: string }[] }
      ).hosts.find((h) => h.host === `${host}.${D}`);
    expect(byId(run, 'audit.dns.resolves').status).toBe('pass'); // the unconfirmed, missing name is not a fault
    expect(note('audit.dns.resolves', 'missing')).toMatchObject({ status: 'skipped' });
    expect(note('edge.tls.certificate', 'expired')).toMatchObject({
      status: 'fail',
      note: 'has an expired certificate',
    });
    expect(note('edge.tls.certificate', 'selfsigned')).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/self-signed/),
    });
    expect(note('edge.tls.certificate', 'future')).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/not valid yet/),
    });
    expect(note('edge.tls.certificate', 'soon')).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/expires in (19|20) days/),
    });
    expect(note('edge.tls.certificate', 'temp')).toMatchObject({ status: 'pass' });
    expect(note('edge.http.https-redirect', 'temp')).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/temporary 302/),
    });
    expect(note('edge.http.https-redirect', 'nohttp')).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/does not answer plain HTTP/),
    });
    expect(note('edge.http.https-redirect', 'expired')).toMatchObject({ status: 'pass' });
    expect(note('edge.http.https-redirect', 'away')).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/away to elsewhere\.example, outside faults\.test/),
    });
  });

  it('flags a dangling CNAME and a confirmed host that does not exist', async () => {
    const D = 'dangling.test';
    const scenario: LabScenario = {
      name: 'dangling',
      title: 'Dangling',
      description: 'takeover risk',
      domain: D,
      product: {
        name: 'Dangling',
        hosts: [
          { name: D, confirmed: true },
          { name: `status.${D}`, confirmed: false },
          { name: `docs.${D}`, confirmed: true },
        ],
        routes: [],
      },
      dns: {
        mode: 'answer',
        zones: [D, 'vendor.test'],
        records: [
          { name: D, type: 'A', data: '127.0.0.1' },
          { name: `status.${D}`, type: 'CNAME', data: 'deleted-page.vendor.test' },
        ],
      },
      web: {
        mode: 'serve',
        sites: [
          {
            host: D,
            https: { certificate: { kind: 'valid' } },
            http: 'redirect-https',
            routes: [],
          },
        ],
      },
    };
    const run = await runScenario(scenario);
    const dns = byId(run, 'audit.dns.resolves');
    expect(dns.status).toBe('fail');
    expect(dns.summary).toMatch(
      /status\.dangling\.test is a CNAME to a name that no longer exists/,
    );
    expect(dns.summary).toMatch(/docs\.dangling\.test does not exist in DNS \(NXDOMAIN\)/);
    // Hosts that do not resolve are left to the DNS check, not failed twice.
    expect(byId(run, 'edge.tls.certificate').status).toBe('pass');
  });
});
