/**
 * The stage 4 probes' own promises, measured from the server's side over real loopback
 * sockets: how many requests, how many at once, how long, and where they may go.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPage } from '../../src/main/core/probes/browser';
import { ProbeError } from '../../src/main/core/probes/errors';
import {
  SAMPLE_LIMITS,
  sampleLatency,
  sampleLimits,
} from '../../src/main/core/probes/latency-sample';
import {
  BURST_CAPS,
  LoadTargetRefused,
  burstLimits,
  runBurst,
} from '../../src/main/core/probes/load';
import type { NetworkContext } from '../../src/main/core/probes/net-context';
import { internetContext } from '../../src/main/core/probes/net-context';
import { PerfConnection, endpointFor } from '../../src/main/core/probes/perf-http';

const HAS_CHROMIUM = existsSync(process.env.LAUNCH_READY_CHROMIUM || '/usr/bin/chromium');

/** A loopback server that counts what it receives and how much at once. */
let server: http.Server;
let net: NetworkContext;
const seen = { requests: 0, inFlight: 0, maxInFlight: 0, hosts: new Set<string>() };
function reset(): void {
  seen.requests = 0;
  seen.maxInFlight = 0;
  seen.hosts.clear();
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.requests += 1;
    seen.inFlight += 1;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    seen.hosts.add(String(req.headers.host));
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/go' || path === '/old.js') {
      // Redirects, for the page itself and for a script it loads.
      res.writeHead(302, { location: path === '/go' ? '/landing' : '/new.js' });
      res.end();
      seen.inFlight -= 1;
      return;
    }
    if (path === '/landing') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Landing</title><script src="/old.js"></script>');
      seen.inFlight -= 1;
      return;
    }
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    }, delay);
    res.once('close', () => {
      clearTimeout(timer);
      seen.inFlight -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Every name lands on this server (as curl's --connect-to), and only loopback is allowed.
  net = internetContext({
    connectTo: [{ host: null, port: null, toAddress: '127.0.0.1', toPort: port }],
    loopbackOnly: true,
    timeouts: { dnsMs: 400, connectMs: 1000, requestMs: 3000 },
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('latency sampling', () => {
  it('clamps whatever it is asked to its hard caps', () => {
    expect(
      sampleLimits({ samples: 10_000, perTarget: 99, maxInFlight: 99, budgetMs: 1e9 }),
    ).toEqual({
      samples: SAMPLE_LIMITS.maxSamples,
      perTarget: SAMPLE_LIMITS.maxPerTarget,
      maxInFlight: SAMPLE_LIMITS.maxInFlight,
      budgetMs: SAMPLE_LIMITS.maxBudgetMs,
    });
    expect(sampleLimits({ samples: 0, perTarget: -3 })).toMatchObject({ samples: 1, perTarget: 1 });
  });

  it('takes N samples of a 200 ms page in about N/4 × 200 ms, never more than 4 at once', async () => {
    reset();
    const t0 = performance.now();
    const [s] = await sampleLatency(['http://site.test/page?delay=200'], net, {
      samples: 12,
      perTarget: 4,
    });
    const elapsed = performance.now() - t0;
    expect(s?.ms.length).toBe(12);
    expect(seen.requests).toBe(12);
    expect(seen.maxInFlight).toBeLessThanOrEqual(4);
    // 3 rounds of 200 ms, not 12 × 200 ms in a row.
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(1_800);
    for (const v of s?.ms ?? []) expect(v).toBeGreaterThanOrEqual(195);
  });

  it('stops starting samples when the time budget runs out', async () => {
    reset();
    const t0 = performance.now();
    const [s] = await sampleLatency(['http://site.test/page?delay=300'], net, {
      samples: 200,
      perTarget: 2,
      budgetMs: 700,
    });
    expect(s?.budgetHit).toBe(true);
    expect(s?.requested).toBeLessThan(10);
    expect(performance.now() - t0).toBeLessThan(700 + 300 + 500);
  });
});

describe('load burst', () => {
  it('clamps whatever it is asked to its caps', () => {
    expect(
      burstLimits({
        concurrency: 500,
        durationMs: 600_000,
        maxRequests: 1e6,
        ratePerSec: 1e5,
        requestTimeoutMs: 1e6,
      }),
    ).toEqual({
      concurrency: BURST_CAPS.concurrency,
      durationMs: BURST_CAPS.durationMs,
      maxRequests: BURST_CAPS.requests,
      ratePerSec: BURST_CAPS.ratePerSec,
      requestTimeoutMs: BURST_CAPS.requestTimeoutMs,
    });
  });

  it('holds concurrency, rate and duration, counted at the server', async () => {
    reset();
    const t0 = performance.now();
    const report = await runBurst(
      [
        { url: 'http://site.test/a?delay=30', label: 'a' },
        { url: 'http://site.test/b?delay=30', label: 'b' },
      ],
      new Set(['site.test']),
      net,
      { concurrency: 3, durationMs: 800, ratePerSec: 40 },
    );
    const elapsed = performance.now() - t0;
    expect(seen.maxInFlight).toBeLessThanOrEqual(3);
    // 40 per second for 0.8 s: at most 32 (+1 for the request at t=0).
    expect(seen.requests).toBeLessThanOrEqual(33);
    expect(seen.requests).toBeGreaterThanOrEqual(15);
    expect(report.requests).toBe(seen.requests);
    expect(report.statuses).toEqual({ '200': seen.requests });
    expect(report.serverErrorRate).toBe(0);
    expect(report.targets.map((t) => t.label)).toEqual(['a', 'b']);
    expect(elapsed).toBeLessThan(800 + 1_000);
  });

  it('counts a page that goes silent under load as timeouts, not as unreachable', async () => {
    const report = await runBurst(
      [
        { url: 'http://site.test/fast', label: 'fast' },
        { url: 'http://site.test/stuck?delay=5000', label: 'stuck' },
      ],
      new Set(['site.test']),
      net,
      { concurrency: 4, durationMs: 600, requestTimeoutMs: 300 },
    );
    const stuck = report.targets.find((t) => t.label === 'stuck');
    expect(stuck?.answered).toBe(0);
    expect(stuck?.timeouts).toBeGreaterThan(0);
    expect(report.timeoutRate).toBeGreaterThan(0);
    expect(report.unreachable).toEqual([]);
  });

  it('refuses a host that is not the product’s own, before sending anything', async () => {
    reset();
    await expect(
      runBurst(
        [
          { url: 'http://site.test/', label: 'ours' },
          { url: 'http://somebody-else.test/', label: 'theirs' },
        ],
        new Set(['site.test']),
        net,
      ),
    ).rejects.toBeInstanceOf(LoadTargetRefused);
    expect(seen.requests).toBe(0);
  });
});

describe('connections', () => {
  it('counts the connections a keep-alive client opens', async () => {
    const ep = await endpointFor('http://site.test/', net);
    const conn = new PerfConnection(ep, net, { connections: 1, timeoutMs: 2_000 });
    try {
      const a = await conn.request({ path: '/x' }, { timeoutMs: 2_000, keepBytes: 10 });
      await conn.request({ path: '/y' }, { timeoutMs: 2_000 });
      expect(a.body.toString()).toBe('ok');
      expect(conn.stats.opened).toBe(1);
    } finally {
      await conn.close();
    }
  });

  it('a request that outlives its time limit is a timeout error', async () => {
    const ep = await endpointFor('http://site.test/', net);
    const conn = new PerfConnection(ep, net, { timeoutMs: 300 });
    try {
      const err = await conn.request({ path: '/?delay=2000' }, { timeoutMs: 300 }).catch((e) => e);
      expect(err).toBeInstanceOf(ProbeError);
      expect((err as ProbeError).kind).toBe('timeout');
    } finally {
      await conn.close();
    }
  });
});

describe.runIf(HAS_CHROMIUM)('the browser probe', () => {
  it(
    'loads a page only through our client, and records what it asked for',
    { timeout: 20_000 },
    async () => {
      reset();
      const page = await loadPage('http://site.test/page?delay=10', net, { budgetMs: 4_000 });
      expect(page.loaded).toBe(true);
      expect(page.document).toMatchObject({ status: 200, method: 'GET', resourceType: 'document' });
      // Every request the server saw came through our client (the Host header is ours).
      expect([...seen.hosts]).toEqual(['site.test']);
      expect(seen.requests).toBe(page.requests.length);
    },
  );

  it(
    'follows redirects through our client too (Chromium would take them to the network)',
    { timeout: 20_000 },
    async () => {
      reset();
      const page = await loadPage('http://site.test/go', net, { budgetMs: 4_000 });
      expect(page.document).toMatchObject({ url: 'http://site.test/landing', status: 200 });
      const seenUrls = page.requests.map((r) => [r.url, r.status]);
      expect(seenUrls).toContainEqual(['http://site.test/go', 302]);
      // The script's redirect was followed here, and the page got the final answer.
      expect(seenUrls).toContainEqual(['http://site.test/old.js', 200]);
      expect(page.requests.every((r) => r.error === null)).toBe(true);
      expect([...seen.hosts]).toEqual(['site.test']);
    },
  );

  it('stops promptly when the run is stopped', { timeout: 20_000 }, async () => {
    const t0 = performance.now();
    const err = await loadPage('http://site.test/page?delay=8000', net, {
      signal: AbortSignal.timeout(2_500),
      budgetMs: 8_000,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ProbeError);
    expect((err as ProbeError).kind).toBe('aborted');
    expect(performance.now() - t0).toBeLessThan(2_500 + 3_000);
  });
});
