// The HTTP probe against the lab's real HTTP and HTTPS servers: one hop, logical URLs, loopback.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabCa } from '../../src/main/core/lab/ca';
import { createLabCa } from '../../src/main/core/lab/ca';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import type { LabWeb } from '../../src/main/core/lab/web-servers';
import { startLabWeb } from '../../src/main/core/lab/web-servers';
import { ProbeError } from '../../src/main/core/probes/errors';
import { httpRequest } from '../../src/main/core/probes/http';
import type { NetworkContext } from '../../src/main/core/probes/net-context';
import { internetContext } from '../../src/main/core/probes/net-context';

const MiB = 1024 * 1024;
const BIG = 'x'.repeat(2 * MiB + 10);
const valid = { certificate: { kind: 'valid' as const } };

const web: LabScenario['web'] = {
  mode: 'serve',
  sites: [
    {
      host: 'www.http.test',
      http: 'redirect-https',
      https: valid,
      routes: [{ path: '/', status: 200, body: 'secure www' }],
    },
    {
      host: 'app.http.test',
      http: 'serve',
      https: valid,
      routes: [
        { path: '/', status: 200, headers: { 'content-type': 'text/plain' }, body: 'app home' },
        {
          path: '/api/status',
          status: 418,
          headers: { 'x-lab': 'teapot', 'cache-control': 'no-store' },
          body: '{"ok":false}',
        },
        { path: '/slow', status: 200, body: 'late', delayMs: 1500 },
        { path: '/big', status: 200, body: BIG },
        { path: '/exact', status: 200, body: '0123456789' },
        {
          path: '/elsewhere',
          status: 302,
          headers: { location: 'http://www.http.test/' },
          body: 'go',
        },
      ],
    },
    { host: 'other.http.test', http: 'serve', routes: [{ path: '/', status: 200, body: 'other' }] },
    {
      host: 'wrong.http.test',
      https: { certificate: { kind: 'wrong-host', names: ['app.http.test'] } },
      routes: [{ path: '/', status: 200, body: 'wrong' }],
    },
    { host: 'tls-only.http.test', https: valid, routes: [{ path: '/', status: 200, body: 'x' }] },
    {
      host: 'expired.http.test',
      https: { certificate: { kind: 'expired' } },
      routes: [{ path: '/', status: 200, body: 'stale' }],
    },
  ],
};

let ca: LabCa;
let lab: LabWeb;
let ctx: NetworkContext;

const viaHttp = (url: string): { url: string; address: string; port: number } => ({
  url,
  address: lab.address,
  port: lab.httpPort,
});
const viaHttps = (url: string): { url: string; address: string; port: number } => ({
  url,
  address: lab.address,
  port: lab.httpsPort,
});

async function probeError(p: Promise<unknown>): Promise<ProbeError> {
  const err: unknown = await p.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProbeError);
  return err as ProbeError;
}

function withTimeouts(t: Partial<NetworkContext['timeouts']>): NetworkContext {
  return { ...ctx, timeouts: { ...ctx.timeouts, ...t } };
}

function openSockets(): number {
  return process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPSocketWrap' || r === 'TLSSocketWrap' || r === 'TCPWRAP').length;
}

beforeAll(async () => {
  ca = await createLabCa('HTTP Probe Test CA');
  lab = await startLabWeb(web, ca);
  ctx = internetContext({
    extraCa: [ca.certPem],
    timeouts: { dnsMs: 1000, connectMs: 3000, requestMs: 3000 },
  });
});

afterAll(async () => {
  await lab?.close();
});

describe('httpRequest against the lab', () => {
  it('returns the 301 of a redirect-https site without following it', async () => {
    const r = await httpRequest(viaHttp('http://www.http.test/a/b?x=1&y=2'), ctx);
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://www.http.test/a/b?x=1&y=2');
    expect(r.url).toBe('http://www.http.test/a/b?x=1&y=2');
    expect(r.body).not.toBe('secure www');
  });

  it("does not follow a route's own redirect either", async () => {
    const r = await httpRequest(viaHttp('http://app.http.test/elsewhere'), ctx);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('http://www.http.test/');
    expect(r.body).toBe('go');
  });

  it("serves a route's declared status, headers and body", async () => {
    const r = await httpRequest(viaHttp('http://app.http.test/api/status?ignored=1'), ctx);
    expect(r.status).toBe(418);
    expect(r.headers['x-lab']).toBe('teapot');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toBe('{"ok":false}');
    expect(r.bodyBytes).toBe(12);
    expect(r.bodyTruncated).toBe(false);
    expect(r.address).toBe('127.0.0.1');
    expect(r.port).toBe(lab.httpPort);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('routes by the logical host: two names, one address, two sites', async () => {
    const app = await httpRequest(viaHttp('http://app.http.test/'), ctx);
    const other = await httpRequest(viaHttp('http://OTHER.http.test/'), ctx);
    expect(app.body).toBe('app home');
    expect(other.body).toBe('other');
  });

  it('answers HEAD with headers and no body', async () => {
    const r = await httpRequest({ ...viaHttp('http://app.http.test/'), method: 'HEAD' }, ctx);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.body).toBe('');
    expect(r.bodyBytes).toBe(0);
  });

  it('answers 421 for a host the lab does not serve', async () => {
    const r = await httpRequest(viaHttp('http://nobody.http.test/'), ctx);
    expect(r.status).toBe(421);
  });

  it('answers 404 for an unknown path', async () => {
    const r = await httpRequest(viaHttp('http://app.http.test/missing'), ctx);
    expect(r.status).toBe(404);
  });

  it('fails like a closed door when a name has no plain-HTTP site', async () => {
    const err = await probeError(httpRequest(viaHttp('http://tls-only.http.test/'), ctx));
    expect(err.kind).toBe('reset');
  });

  it('caps a big body at 1 MiB by default', async () => {
    const r = await httpRequest(viaHttp('http://app.http.test/big'), ctx);
    expect(r.status).toBe(200);
    expect(r.bodyTruncated).toBe(true);
    expect(r.bodyBytes).toBe(MiB);
    expect(r.body.length).toBe(MiB);
  });

  it('caps a body at maxBodyBytes', async () => {
    const r = await httpRequest(viaHttp('http://app.http.test/big'), ctx, { maxBodyBytes: 1000 });
    expect(r.bodyTruncated).toBe(true);
    expect(r.bodyBytes).toBe(1000);
    expect(r.body).toBe('x'.repeat(1000));
  });

  it('does not call a body of exactly maxBodyBytes truncated', async () => {
    const r = await httpRequest(viaHttp('http://app.http.test/exact'), ctx, { maxBodyBytes: 10 });
    expect(r.body).toBe('0123456789');
    expect(r.bodyTruncated).toBe(false);
  });

  it('times out when the headers come later than requestMs', async () => {
    const started = performance.now();
    const err = await probeError(
      httpRequest(viaHttp('http://app.http.test/slow'), withTimeouts({ requestMs: 300 })),
    );
    expect(err.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1200);
  });

  it('gets the delayed answer when requestMs allows it', async () => {
    const r = await httpRequest(viaHttp('http://app.http.test/slow'), ctx);
    expect(r.body).toBe('late');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1400);
  });

  it('stops promptly when aborted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const started = performance.now();
    const err = await probeError(
      httpRequest(viaHttp('http://app.http.test/slow'), ctx, { signal: ac.signal }),
    );
    expect(err.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('does not start when the signal is already aborted', async () => {
    const err = await probeError(
      httpRequest(viaHttp('http://app.http.test/'), ctx, { signal: AbortSignal.abort() }),
    );
    expect(err.kind).toBe('aborted');
  });

  it('rejects a string that is not an http(s) URL', async () => {
    expect((await probeError(httpRequest(viaHttp('not a url'), ctx))).kind).toBe('malformed');
    expect((await probeError(httpRequest(viaHttp('ftp://app.http.test/'), ctx))).kind).toBe(
      'malformed',
    );
  });

  it('reports a closed port as refused', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await probeError(
      httpRequest({ url: 'http://app.http.test/', address: '127.0.0.1', port }, ctx),
    );
    expect(err.kind).toBe('refused');
  });

  it('leaves no socket open after requests, even a truncated one', async () => {
    const before = openSockets();
    await httpRequest(viaHttp('http://app.http.test/'), ctx);
    await httpRequest(viaHttp('http://app.http.test/big'), ctx, { maxBodyBytes: 10 });
    await httpRequest(viaHttps('https://app.http.test/'), ctx);
    // Server-side ends close a moment after the client's FIN: give them a few ticks.
    for (let i = 0; i < 50 && openSockets() > before; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(openSockets()).toBeLessThanOrEqual(before);
  });
});

describe('httpRequest over HTTPS', () => {
  it('trusts the lab site when the lab CA is an extra root', async () => {
    const r = await httpRequest(viaHttps('https://app.http.test/api/status'), ctx);
    expect(r.status).toBe(418);
    expect(r.body).toBe('{"ok":false}');
    expect(r.port).toBe(lab.httpsPort);
  });

  it('serves the https side of a redirect-https site', async () => {
    const r = await httpRequest(viaHttps('https://www.http.test/'), ctx);
    expect(r.status).toBe(200);
    expect(r.body).toBe('secure www');
  });

  it('fails with a tls error without the lab CA', async () => {
    const err = await probeError(
      httpRequest(viaHttps('https://app.http.test/'), { ...ctx, extraCa: [] }),
    );
    expect(err.kind).toBe('tls');
    expect(err.message).toContain('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });

  it('fails with a tls error for an expired certificate', async () => {
    const err = await probeError(httpRequest(viaHttps('https://expired.http.test/'), ctx));
    expect(err.kind).toBe('tls');
    expect(err.message).toContain('CERT_HAS_EXPIRED');
  });

  it('fails with a tls error for a name with no HTTPS site', async () => {
    const err = await probeError(httpRequest(viaHttps('https://other.http.test/'), ctx));
    expect(err.kind).toBe('tls');
  });

  it('checks the certificate against the URL host, not the address connected to', async () => {
    // Every lab site is reached at 127.0.0.1; only the URL host tells these two apart.
    const good = await httpRequest(viaHttps('https://app.http.test/'), ctx);
    expect(good.status).toBe(200);
    const err = await probeError(httpRequest(viaHttps('https://wrong.http.test/'), ctx));
    expect(err.kind).toBe('tls');
    expect(err.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

describe('the Host header on the wire', () => {
  let server: http.Server;
  let port = 0;
  const seen: { host?: string; url?: string }[] = [];

  beforeAll(async () => {
    // A plain recorder, so the assertion is on what really arrived, not on the lab's routing.
    server = http.createServer((req, res) => {
      seen.push({ host: req.headers.host, url: req.url });
      res.end('recorded');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('is the logical host without a default port', async () => {
    seen.length = 0;
    const r = await httpRequest(
      { url: 'http://Logical.Example.test/path?q=1', address: '127.0.0.1', port },
      ctx,
    );
    expect(r.body).toBe('recorded');
    expect(seen).toEqual([{ host: 'logical.example.test', url: '/path?q=1' }]);
  });

  it('carries a non-default port', async () => {
    seen.length = 0;
    await httpRequest(
      { url: 'http://logical.example.test:8080/', address: '127.0.0.1', port },
      ctx,
    );
    expect(seen).toEqual([{ host: 'logical.example.test:8080', url: '/' }]);
  });
});

describe('httpRequest against a blackhole', () => {
  let hole: LabWeb;
  beforeAll(async () => {
    hole = await startLabWeb({ mode: 'blackhole', sites: [] }, ca);
  });
  afterAll(async () => {
    await hole?.close();
  });

  it('times out within requestMs when plain HTTP connects but nothing answers', async () => {
    const started = performance.now();
    const err = await probeError(
      httpRequest(
        { url: 'http://app.http.test/', address: hole.address, port: hole.httpPort },
        withTimeouts({ requestMs: 300 }),
      ),
    );
    expect(err.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(300 + 700);
  });

  it('times out within connectMs when the TLS handshake never completes', async () => {
    const started = performance.now();
    const err = await probeError(
      httpRequest(
        { url: 'https://app.http.test/', address: hole.address, port: hole.httpsPort },
        withTimeouts({ connectMs: 300 }),
      ),
    );
    const elapsed = performance.now() - started;
    expect(err.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(300 + 700);
  });
});

describe('httpRequest stopped while connecting', () => {
  it('closes the half-open connection at once', async () => {
    const ac = new AbortController();
    let abortedAt = 0;
    const srv = net.createServer((s) => {
      s.on('error', () => undefined);
      // Flowing, so the server notices the client's FIN or RST.
      s.resume();
      s.once('close', () => closedAt.resolve(performance.now()));
      // Stop the request once its connection is accepted and the TLS handshake hangs.
      setTimeout(() => ac.abort(), 50);
    });
    const closedAt = Promise.withResolvers<number>();
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
    const port = (srv.address() as net.AddressInfo).port;
    const request = httpRequest(
      { url: 'https://stalled.example.test/', address: '127.0.0.1', port },
      internetContext({ timeouts: { dnsMs: 500, connectMs: 5000, requestMs: 5000 } }),
      { signal: ac.signal },
    ).catch((err: unknown) => {
      abortedAt = performance.now();
      return err;
    });
    const err = await request;
    const closed = await closedAt.promise;
    srv.close();
    expect(err).toBeInstanceOf(ProbeError);
    expect((err as ProbeError).kind).toBe('aborted');
    // Without the fix the socket lived on until connectMs (5 s).
    expect(closed - abortedAt).toBeLessThan(1000);
  });
});
