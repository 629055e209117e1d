/** The lab's route features that later probes rely on, checked over real sockets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabCa } from '../../src/main/core/lab/ca';
import { createLabCa } from '../../src/main/core/lab/ca';
import { latencyQuantile, latencySampler } from '../../src/main/core/lab/latency';
import type { LabRoute } from '../../src/main/core/lab/scenario';
import type { LabWeb } from '../../src/main/core/lab/web-servers';
import { startLabWeb } from '../../src/main/core/lab/web-servers';
import { httpRequest } from '../../src/main/core/probes/http';
import { internetContext } from '../../src/main/core/probes/net-context';

const H = 'routes.lab.test';
const routes: LabRoute[] = [
  { path: '/fixed', status: 200, body: 'ok', latency: { kind: 'fixed', ms: 120 } },
  {
    path: '/big',
    status: 200,
    bodyBytes: 300_000,
    compress: true,
    headers: { 'content-type': 'application/json' },
  },
  { path: '/slow', status: 200, body: 'abcdefghij', slowBody: { chunks: 5, intervalMs: 80 } },
  {
    path: '/busy',
    status: 200,
    body: 'ok',
    delayMs: 150,
    overload: { inFlightAbove: 2, status: 503 },
  },
  {
    path: '/login',
    method: 'POST',
    status: 401,
    body: 'wrong password',
    rateLimit: { limit: 3, windowMs: 60_000 },
  },
  { path: '/login', method: 'GET', status: 200, body: 'form' },
];

let ca: LabCa;
let web: LabWeb;
const net = () =>
  internetContext({
    extraCa: [ca.certPem],
    timeouts: { dnsMs: 1000, connectMs: 2000, requestMs: 5000 },
  });
const get = (
  path: string,
  host = H,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
) =>
  httpRequest(
    {
      url: `https://${host}${path}`,
      address: web.address,
      port: web.httpsPort,
      method: method as 'GET',
      headers,
    },
    net(),
  );

beforeAll(async () => {
  ca = await createLabCa('Route test CA');
  web = await startLabWeb(
    {
      mode: 'serve',
      sites: [
        {
          host: H,
          https: { certificate: { kind: 'valid' } },
          http: 'redirect-https',
          headers: { 'x-site': 'yes', 'content-type': 'text/plain' },
          routes,
        },
        {
          host: `www.${H}`,
          https: { certificate: { kind: 'valid' } },
          redirect: { to: `https://${H}` },
          routes: [],
        },
      ],
    },
    ca,
  );
});
afterAll(async () => {
  await web?.close();
});

describe('lab routes', () => {
  it('adds the declared latency', async () => {
    const r = await get('/fixed');
    expect(r.status).toBe(200);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(115);
  });

  it('draws lognormal latency whose percentiles match the declared ones', () => {
    const spec = { kind: 'lognormal' as const, p50Ms: 200, p95Ms: 700, seed: 3 };
    const next = latencySampler(spec);
    const draws = Array.from({ length: 20_000 }, next).sort((a, b) => a - b);
    expect(draws[10_000]! / 200).toBeCloseTo(1, 1);
    expect(draws[19_000]! / 700).toBeCloseTo(1, 1);
    expect(latencyQuantile(spec, 0.95)).toBeCloseTo(700, 3);
    expect(latencyQuantile(spec, 0.5)).toBeCloseTo(200, 3);
    // Seeded: the same spec gives the same sequence.
    const again = latencySampler(spec);
    const fresh = latencySampler(spec);
    expect([again(), again()]).toEqual([fresh(), fresh()]);
  });

  it('compresses with br or gzip when asked, and sends a huge body whole otherwise', async () => {
    const br = await get('/big', H, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    const gz = await get('/big', H, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await httpRequest(
      { url: `https://${H}/big`, address: web.address, port: web.httpsPort },
      net(),
      { maxBodyBytes: 400_000 },
    );
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bodyBytes).toBe(300_000);
    expect(JSON.parse(plain.body.trim())).toBeInstanceOf(Array);
    expect(Number(gz.headers['content-length'])).toBeLessThan(300_000 / 4);
  });

  it("sends site headers with every route, under the route's own", async () => {
    const fixed = await get('/fixed');
    expect(fixed.headers['x-site']).toBe('yes');
    expect(fixed.headers['content-type']).toBe('text/plain');
    const big = await get('/big');
    expect(big.headers['x-site']).toBe('yes');
    expect(big.headers['content-type']).toBe('application/json');
  });

  it('dribbles a slow body', async () => {
    const r = await get('/slow');
    expect(r.body).toBe('abcdefghij');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(300);
  });

  it('answers 503 when more requests are in flight than the route can take', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, () => get('/busy')));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBe(2);
    expect(statuses.filter((s) => s === 503).length).toBe(4);
  });

  it('rate-limits by method and path', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get('/login', H, {}, 'POST')).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await get('/login')).status).toBe(200);
  });

  it('redirects a whole site to its canonical origin, on both schemes', async () => {
    const s = await get('/pricing?x=1', `www.${H}`);
    expect(s.status).toBe(301);
    expect(s.headers['location']).toBe(`https://${H}/pricing?x=1`);
    const p = await httpRequest(
      { url: `http://www.${H}/`, address: web.address, port: web.httpPort },
      net(),
    );
    expect(p.status).toBe(301);
    expect(p.headers['location']).toBe(`https://${H}/`);
  });
});

describe('lab start-up failure', () => {
  it('rejects with the listen error when it cannot bind', async () => {
    const ca2 = await createLabCa('Start failure CA');
    // An address this machine does not have: listen fails with EADDRNOTAVAIL.
    const err = await startLabWeb({ mode: 'serve', sites: [] }, ca2, {
      address: '192.0.2.1',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as NodeJS.ErrnoException).code).toBe('EADDRNOTAVAIL');
  });
});
