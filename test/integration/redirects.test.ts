import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab } from '../../src/main/core/lab/lab';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { ProbeError } from '../../src/main/core/probes/errors';
import { fetchUrl } from '../../src/main/core/probes/fetch';
import { followRedirects, redirectCount } from '../../src/main/core/probes/redirects';

const D = 'hops.test';
const names = ['', 'www.', 'chain.', 'loop.', 'a.', 'b.', 'broken.'].map((p) => `${p}${D}`);
const scenario: LabScenario = {
  name: 'hops',
  title: 'Hops',
  description: 'redirect shapes',
  domain: D,
  product: { name: 'Hops', hosts: [], routes: [] },
  dns: {
    mode: 'answer',
    zones: [D],
    records: [
      ...names.map((name) => ({ name, type: 'A' as const, data: '127.0.0.1' })),
      // A published CDN address: the lab maps it to loopback, never connects out.
      { name: `cdn.${D}`, type: 'A' as const, data: '104.16.132.229' },
    ],
  },
  web: {
    mode: 'serve',
    sites: [
      {
        host: D,
        https: { certificate: { kind: 'valid' } },
        http: 'redirect-https',
        routes: [{ path: '/', status: 200, body: 'home' }],
      },
      {
        host: `www.${D}`,
        https: { certificate: { kind: 'valid' } },
        redirect: { to: `https://${D}` },
        routes: [],
      },
      {
        host: `cdn.${D}`,
        https: { certificate: { kind: 'valid' } },
        routes: [{ path: '/', status: 200, body: 'edge' }],
      },
      // http → https on the same host, then → www, then → apex: three hops.
      {
        host: `chain.${D}`,
        https: { certificate: { kind: 'valid' } },
        http: 'redirect-https',
        redirect: { to: `https://www.${D}`, schemes: ['https'] },
        routes: [],
      },
      {
        host: `loop.${D}`,
        https: { certificate: { kind: 'valid' } },
        routes: [
          { path: '/', status: 302, headers: { location: '/again' } },
          { path: '/again', status: 302, headers: { location: '/' } },
        ],
      },
      {
        host: `broken.${D}`,
        https: { certificate: { kind: 'valid' } },
        routes: [{ path: '/', status: 301, headers: { location: 'http://[nope' } }],
      },
    ],
  },
};

let lab: RunningLab;
beforeAll(async () => {
  lab = await startLab(scenario);
});
afterAll(async () => {
  await lab?.stop();
});

describe('followRedirects', () => {
  it('follows a chain hop by hop and keeps every hop', async () => {
    const t = await followRedirects(`http://chain.${D}/`, lab.net);
    expect(t.outcome).toBe('ok');
    expect(t.hops.map((h) => [h.url, h.status])).toEqual([
      [`http://chain.${D}/`, 301],
      [`https://chain.${D}/`, 301],
      [`https://www.${D}/`, 301],
      [`https://${D}/`, 200],
    ]);
    expect(redirectCount(t)).toBe(3);
    expect(t.final.body).toBe('home');
  });

  it('stops at a loop', async () => {
    const t = await followRedirects(`https://loop.${D}/`, lab.net);
    expect(t.outcome).toBe('loop');
    expect(t.hops).toHaveLength(2);
  });

  it('stops at the hop limit', async () => {
    const t = await followRedirects(`http://chain.${D}/`, lab.net, { maxHops: 2 });
    expect(t.outcome).toBe('too-many');
    expect(t.hops).toHaveLength(2);
  });

  it('reports a Location that is not a URL', async () => {
    const t = await followRedirects(`https://broken.${D}/`, lab.net);
    expect(t.outcome).toBe('broken');
  });

  it('maps a published non-loopback address onto the lab and refuses any other target', async () => {
    const r = await fetchUrl(`https://cdn.${D}/`, lab.net);
    expect(r.body).toBe('edge');
    expect(r.address).toBe('127.0.0.1');
    const outside = {
      ...lab.net,
      connectTo: [{ host: null, port: 443, toAddress: '10.1.2.3', toPort: 443 }],
    };
    const err = await fetchUrl(`https://${D}/`, outside).catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(/only connects to loopback/),
    });
  });

  it('fails clearly for a host that does not exist', async () => {
    const err = await fetchUrl(`https://nowhere.${D}/`, lab.net).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeError);
    expect((err as ProbeError).kind).toBe('dns');
    expect((err as ProbeError).message).toMatch(/nowhere\.hops\.test has no address/);
  });
});
