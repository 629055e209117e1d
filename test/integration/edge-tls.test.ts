import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import { certificateFor, createLabCa } from '../../src/main/core/lab/ca';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import type { NetworkContext } from '../../src/main/core/probes/net-context';

const TLS = 'edge.tls.certificate';
const SHORT = { dnsMs: 400, connectMs: 600, requestMs: 800 };

const labs: RunningLab[] = [];
const servers: tls.Server[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

type HostEvidence = {
  host: string;
  status: string;
  note: string;
  protocol?: string | null;
  authorizationError?: string | null;
  daysLeft?: number;
};
const hosts = (r: CheckResult) => (r.evidence as { hosts: HostEvidence[] }).hosts;

async function runTls(
  scenario: LabScenario,
  opts: { short?: boolean; net?: (n: NetworkContext) => NetworkContext } = {},
): Promise<CheckResult> {
  const lab = await startLab(scenario, { timeouts: opts.short ? SHORT : undefined });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const net = opts.net ? opts.net(lab.net) : lab.net;
  const run = await executeRun(planRun(CATALOGUE, ws, [TLS]), ws, net, {
    checkTimeoutMs: opts.short ? 3000 : undefined,
  });
  const r = run.results.find((x) => x.id === TLS);
  if (!r) throw new Error('no certificate result');
  return r;
}

/** A server that speaks only TLS 1.0/1.1, as an old load balancer does, with a trusted chain. */
async function oldTlsServer(host: string): Promise<{ port: number; caPem: string }> {
  const ca = await createLabCa('old-tls');
  const cert = await certificateFor(ca, host, { kind: 'valid' });
  const server = tls.createServer(
    {
      cert: `${cert.certPem.trim()}\n${cert.chainPem}`,
      key: cert.keyPem,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      // OpenSSL 3 refuses TLS < 1.2 at its default security level.
      ciphers: 'DEFAULT@SECLEVEL=0',
    },
    (socket) => socket.end(),
  );
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, caPem: ca.certPem };
}

const D = 'certs.test';
const names = ['good', 'chain', 'soon', 'urgent', 'legacy'];
const scenario: LabScenario = {
  name: 'certs',
  title: 'certs',
  description: 'one certificate fault per host',
  domain: D,
  product: {
    name: 'certs',
    hosts: names.map((n) => ({ name: `${n}.${D}`, confirmed: true })),
    routes: [],
  },
  dns: {
    mode: 'answer',
    zones: [D],
    records: names.map((n) => ({ name: `${n}.${D}`, type: 'A' as const, data: '127.0.0.1' })),
  },
  web: {
    mode: 'serve',
    sites: [
      { host: `good.${D}`, https: { certificate: { kind: 'valid', daysLeft: 90 } }, routes: [] },
      {
        host: `chain.${D}`,
        https: { certificate: { kind: 'valid', daysLeft: 90, incompleteChain: true } },
        routes: [],
      },
      { host: `soon.${D}`, https: { certificate: { kind: 'valid', daysLeft: 12 } }, routes: [] },
      { host: `urgent.${D}`, https: { certificate: { kind: 'valid', daysLeft: 5 } }, routes: [] },
    ],
  },
};

describe('edge.tls.certificate', () => {
  it('healthy passes on TLS 1.2 or newer with a complete chain', async () => {
    const r = await runTls(getScenario('healthy'));
    expect(r).toMatchObject({ status: 'pass', stage: 2, impact: 'critical' });
    for (const h of hosts(r)) {
      expect(['TLSv1.2', 'TLSv1.3']).toContain(h.protocol);
      expect(h.authorizationError).toBeNull();
    }
  });

  it('grades an incomplete chain, an old protocol, and expiry against 30 and 7 days', async () => {
    const legacy = await oldTlsServer(`legacy.${D}`);
    const r = await runTls(scenario, {
      net: (n) => ({
        ...n,
        extraCa: [...n.extraCa, legacy.caPem],
        connectTo: [
          { host: `legacy.${D}`, port: 443, toAddress: '127.0.0.1', toPort: legacy.port },
        ],
      }),
    });
    const by = Object.fromEntries(hosts(r).map((h) => [h.host.split('.')[0], h]));
    expect(r.status).toBe('fail');
    expect(by.good).toMatchObject({ status: 'pass' });
    expect(by.chain).toMatchObject({
      status: 'fail',
      authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      note: expect.stringMatching(/incomplete chain/),
    });
    expect(by.legacy).toMatchObject({
      status: 'fail',
      protocol: 'TLSv1.1',
      authorizationError: null,
      note: 'only speaks TLSv1.1; TLS 1.2 or newer is required',
    });
    expect(by.soon).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/expires in 1[12] days/),
    });
    expect(by.urgent).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/expires in [45] days/),
    });
    expect(r.summary).toMatch(/chain\.certs\.test does not send the intermediate certificates/);
  });

  it('demo: the app certificate 12 days from expiry only warns; docs fails', async () => {
    const r = await runTls(getScenario('demo'));
    expect(r.status).toBe('fail');
    const app = hosts(r).find((h) => h.host === 'app.promptly-ai.test');
    expect(app).toMatchObject({ status: 'warn' });
    expect(app?.daysLeft).toBeGreaterThanOrEqual(11);
    expect(app?.daysLeft).toBeLessThan(30);
    expect(r.summary).toMatch(
      /^docs\.promptly-ai\.test serves a certificate for \*\.docs-host\.test/,
    );
  });

  it('blackhole: error within its timeout, never a pass', async () => {
    const t0 = performance.now();
    const r = await runTls(getScenario('blackhole'), { short: true });
    expect(performance.now() - t0).toBeLessThan(3000 + 1500);
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/^Could not decide: .*no handshake within 600 ms/);
  });
});
