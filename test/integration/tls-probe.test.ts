// The TLS probe against the lab's real HTTPS server and real certificates, one fault per host.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabCa } from '../../src/main/core/lab/ca';
import { createLabCa } from '../../src/main/core/lab/ca';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import type { LabWeb } from '../../src/main/core/lab/web-servers';
import { startLabWeb } from '../../src/main/core/lab/web-servers';
import { ProbeError } from '../../src/main/core/probes/errors';
import type { NetworkContext } from '../../src/main/core/probes/net-context';
import { internetContext } from '../../src/main/core/probes/net-context';
import { probeTls } from '../../src/main/core/probes/tls';

const OPENSSL = '/usr/bin/openssl';
const HAVE_OPENSSL = existsSync(OPENSSL);

/** Runs a command with `input` on stdin (closed after), collecting its output. */
function run(cmd: string, args: string[], input = ''): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      // s_client exits non-zero on some builds after stdin closes; its output is what matters.
      if (err && !stdout) reject(err);
      else resolve({ stdout, stderr });
    });
    child.stdin?.end(input);
  });
}
const routes = [{ path: '/', status: 200, body: 'ok' }];

const web: LabScenario['web'] = {
  mode: 'serve',
  sites: [
    { host: 'valid.tls.test', https: { certificate: { kind: 'valid', daysLeft: 200 } }, routes },
    { host: 'soon.tls.test', https: { certificate: { kind: 'valid', daysLeft: 5 } }, routes },
    {
      host: 'partial.tls.test',
      https: { certificate: { kind: 'valid', incompleteChain: true } },
      routes,
    },
    { host: 'expired.tls.test', https: { certificate: { kind: 'expired' } }, routes },
    { host: 'future.tls.test', https: { certificate: { kind: 'not-yet-valid' } }, routes },
    { host: 'self.tls.test', https: { certificate: { kind: 'self-signed' } }, routes },
    {
      host: 'wrong.tls.test',
      https: { certificate: { kind: 'wrong-host', names: ['other.tls.test'] } },
      routes,
    },
    // Plain HTTP only: no certificate for this name.
    { host: 'plain.tls.test', http: 'serve', routes },
  ],
};

let ca: LabCa;
let lab: LabWeb;
let ctx: NetworkContext;

const target = (host: string): { host: string; address: string; port: number } => ({
  host,
  address: lab.address,
  port: lab.httpsPort,
});

async function probeError(p: Promise<unknown>): Promise<ProbeError> {
  const err: unknown = await p.then(
    () => new Error('expected the probe to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProbeError);
  return err as ProbeError;
}

/** A port on loopback with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

beforeAll(async () => {
  ca = await createLabCa('TLS Probe Test CA');
  lab = await startLabWeb(web, ca);
  ctx = internetContext({
    extraCa: [ca.certPem],
    timeouts: { dnsMs: 1000, connectMs: 3000, requestMs: 3000 },
  });
});

afterAll(async () => {
  await lab?.close();
});

describe('probeTls', () => {
  it('trusts a valid lab certificate and reports its details', async () => {
    const r = await probeTls(target('valid.tls.test'), ctx);
    expect(r.authorized).toBe(true);
    expect(r.authorizationError).toBeNull();
    expect(r.hostnameMatches).toBe(true);
    expect(r.hostnameError).toBeNull();
    // Issued "200 days left" a moment ago: floor gives 199 (200 only if no time passed).
    expect(r.certificate.daysLeft).toBeGreaterThanOrEqual(199);
    expect(r.certificate.daysLeft).toBeLessThanOrEqual(200);
    expect(r.certificate.subject).toBe('CN=valid.tls.test');
    expect(r.certificate.subjectAltNames).toEqual(['valid.tls.test']);
    expect(r.certificate.issuer).toContain('CN=TLS Probe Test CA Issuing CA');
    expect(r.certificate.selfSigned).toBe(false);
    expect(r.certificate.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(r.certificate.validFrom)).toBeLessThan(Date.now());
    // The server presents leaf + intermediate; the chain ends at the trusted lab root.
    expect(r.chain).toHaveLength(3);
    expect(r.chain[0]?.fingerprint256).toBe(r.certificate.fingerprint256);
    expect(r.chain[1]?.subject).toContain('CN=TLS Probe Test CA Issuing CA');
    expect(r.chain[1]?.selfSigned).toBe(false);
    expect(r.chain[2]?.subject).toBe('CN=TLS Probe Test CA, O=Launch Ready Lab');
    expect(r.chain[2]?.selfSigned).toBe(true);
    expect(r.address).toBe('127.0.0.1');
    expect(r.port).toBe(lab.httpsPort);
    expect(r.cipher).toBeTruthy();
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('negotiates TLS 1.2 or newer', async () => {
    const r = await probeTls(target('valid.tls.test'), ctx);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(r.protocol);
  });

  it.each([
    ['TLSv1.1', /^error ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION$/],
    ['TLSv1.2', /^connected with TLSv1\.2$/],
  ] as const)('the lab server answers a client capped at %s as expected', async (max, expected) => {
    // A raw client, since the probe itself never offers old versions.
    const outcome = await new Promise<string>((resolve) => {
      const s = tls.connect({
        host: lab.address,
        port: lab.httpsPort,
        servername: 'valid.tls.test',
        minVersion: 'TLSv1',
        maxVersion: max,
        // OpenSSL's default level forbids TLS 1.1 client-side; level 0 lets it ask the server.
        ciphers: 'DEFAULT:@SECLEVEL=0',
        rejectUnauthorized: false,
      });
      s.once('secureConnect', () => {
        resolve(`connected with ${s.getProtocol()}`);
        s.destroy();
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        resolve(`error ${e.code ?? e.message}`);
        s.destroy();
      });
    });
    expect(outcome).toMatch(expected);
  });

  it('reports a certificate expiring in 5 days as trusted, with 4–5 days left', async () => {
    const r = await probeTls(target('soon.tls.test'), ctx);
    expect(r.authorized).toBe(true);
    expect(r.hostnameMatches).toBe(true);
    expect(r.certificate.daysLeft).toBeGreaterThanOrEqual(4);
    expect(r.certificate.daysLeft).toBeLessThanOrEqual(5);
  });

  it('reports an expired certificate with CERT_HAS_EXPIRED and negative days', async () => {
    const r = await probeTls(target('expired.tls.test'), ctx);
    expect(r.authorized).toBe(false);
    expect(r.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(r.certificate.daysLeft).toBeGreaterThanOrEqual(-11);
    expect(r.certificate.daysLeft).toBeLessThanOrEqual(-10);
    expect(Date.parse(r.certificate.validTo)).toBeLessThan(Date.now());
  });

  it('reports a not-yet-valid certificate with CERT_NOT_YET_VALID', async () => {
    const r = await probeTls(target('future.tls.test'), ctx);
    expect(r.authorized).toBe(false);
    expect(r.authorizationError).toBe('CERT_NOT_YET_VALID');
    expect(Date.parse(r.certificate.validFrom)).toBeGreaterThan(Date.now());
  });

  it('reports a self-signed certificate', async () => {
    const r = await probeTls(target('self.tls.test'), ctx);
    expect(r.authorized).toBe(false);
    expect(r.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(r.certificate.selfSigned).toBe(true);
    expect(r.certificate.issuer).toBe(r.certificate.subject);
    // The name is right; only the trust is missing.
    expect(r.hostnameMatches).toBe(true);
    expect(r.chain).toHaveLength(1);
  });

  it('reports a wrong-host certificate as trusted but not matching the name', async () => {
    const r = await probeTls(target('wrong.tls.test'), ctx);
    expect(r.authorized).toBe(true);
    expect(r.hostnameMatches).toBe(false);
    expect(r.hostnameError).toContain('wrong.tls.test');
    expect(r.certificate.subjectAltNames).toEqual(['other.tls.test']);
  });

  it('does not trust the lab certificate without the lab CA', async () => {
    const r = await probeTls(target('valid.tls.test'), { ...ctx, extraCa: [] });
    expect(r.authorized).toBe(false);
    expect(r.authorizationError).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(r.hostnameMatches).toBe(true);
    expect(r.chain).toHaveLength(2);
  });

  it('does not trust a server that leaves out its intermediate (incomplete chain)', async () => {
    const r = await probeTls(target('partial.tls.test'), ctx);
    expect(r.authorized).toBe(false);
    expect(r.authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(r.hostnameMatches).toBe(true);
    expect(r.chain).toHaveLength(1);
  });

  it('fails with a tls error for an SNI name the server has no site for', async () => {
    const err = await probeError(probeTls(target('unknown.tls.test'), ctx));
    expect(err.kind).toBe('tls');
    expect(err.message).toContain('unknown.tls.test');
  });

  it('fails with a tls error for a site that only serves plain HTTP', async () => {
    const err = await probeError(probeTls(target('plain.tls.test'), ctx));
    expect(err.kind).toBe('tls');
  });

  it('reports a closed port as refused', async () => {
    const port = await closedPort();
    const err = await probeError(
      probeTls({ host: 'valid.tls.test', address: '127.0.0.1', port }, ctx),
    );
    expect(err.kind).toBe('refused');
  });

  it('honours `now` when counting days left', async () => {
    const now = new Date(Date.now() + 100 * 86_400_000);
    const r = await probeTls(target('valid.tls.test'), ctx, { now });
    expect(r.certificate.daysLeft).toBeGreaterThanOrEqual(99);
    expect(r.certificate.daysLeft).toBeLessThanOrEqual(100);
  });

  it.skipIf(!HAVE_OPENSSL)(
    HAVE_OPENSSL
      ? 'openssl s_client sees the same leaf certificate as the probe'
      : `openssl s_client cross-check skipped: ${OPENSSL} not found`,
    async () => {
      const r = await probeTls(target('valid.tls.test'), ctx);
      // Asynchronous on purpose: the lab server lives in this process and must keep answering.
      const client = await run(OPENSSL, [
        's_client',
        '-connect',
        `127.0.0.1:${lab.httpsPort}`,
        '-servername',
        'valid.tls.test',
      ]);
      const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(
        client.stdout,
      )?.[0];
      expect(pem, client.stderr).toBeDefined();
      const fp = await run(OPENSSL, ['x509', '-noout', '-fingerprint', '-sha256'], pem);
      const seen = /Fingerprint=([0-9A-Fa-f:]+)/.exec(fp.stdout)?.[1];
      expect(seen?.toUpperCase()).toBe(r.certificate.fingerprint256);
    },
  );
});

describe('probeTls against a blackhole', () => {
  let hole: LabWeb;
  const quick = (): NetworkContext => ({
    ...ctx,
    timeouts: { ...ctx.timeouts, connectMs: 300 },
  });

  beforeAll(async () => {
    hole = await startLabWeb({ mode: 'blackhole', sites: [] }, ca);
  });
  afterAll(async () => {
    await hole?.close();
  });

  it('times out within connectMs when the server accepts TCP but never answers', async () => {
    const started = performance.now();
    const err = await probeError(
      probeTls({ host: 'valid.tls.test', address: hole.address, port: hole.httpsPort }, quick()),
    );
    const elapsed = performance.now() - started;
    expect(err.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(300 + 700);
  });

  it('stops promptly when aborted', async () => {
    const ac = new AbortController();
    const started = performance.now();
    setTimeout(() => ac.abort(), 50);
    const err = await probeError(
      probeTls(
        { host: 'valid.tls.test', address: hole.address, port: hole.httpsPort },
        { ...ctx, timeouts: { ...ctx.timeouts, connectMs: 5000 } },
        { signal: ac.signal },
      ),
    );
    expect(err.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('does not start when the signal is already aborted', async () => {
    const err = await probeError(
      probeTls(target('valid.tls.test'), ctx, { signal: AbortSignal.abort() }),
    );
    expect(err.kind).toBe('aborted');
  });
});

describe('probeTls against an outdated server', () => {
  it('reports the old protocol instead of failing the handshake', async () => {
    const ca = await createLabCa('Old TLS CA');
    const cert = await ca.issue(['old.tls.test'], {
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 90 * 86_400_000),
    });
    const server = tls.createServer({
      cert: `${cert.certPem.trim()}\n${cert.chainPem}`,
      key: cert.keyPem,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    server.on('secureConnection', (s) => s.end());
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const r = await probeTls(
        { host: 'old.tls.test', address: '127.0.0.1', port },
        internetContext({ extraCa: [ca.certPem] }),
      );
      expect(r.protocol).toBe('TLSv1.1');
      expect(r.hostnameMatches).toBe(true);
    } finally {
      server.close();
    }
  });
});
