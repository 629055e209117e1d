/**
 * The DNS view every email probe reads through, against the lab's server: CNAMEs followed
 * (and loops caught), huge TXT sets over TCP, NODATA vs NXDOMAIN, silence as an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab } from '../../src/main/core/lab/lab';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { networkEmailDns, safeLookup } from '../../src/main/core/probes/email/email-dns';
import type { EmailDns } from '../../src/main/core/probes/email/email-dns';
import { inspectSpf } from '../../src/main/core/probes/email/spf';

const D = 'mail-dns.test';
const big = Array.from({ length: 80 }, (_, i) => `ip4:192.0.2.${i}`).join(' ');
const scenario: LabScenario = {
  name: 'email-dns',
  title: 'email dns',
  description: 'DNS shapes the email probes meet',
  domain: D,
  product: { name: 'x', hosts: [], routes: [] },
  dns: {
    mode: 'answer',
    zones: [D, 'other.test'],
    records: [
      { name: D, type: 'TXT', data: `v=spf1 ${big} ~all` },
      { name: D, type: 'TXT', data: 'x'.repeat(20_000) },
      { name: `alias.${D}`, type: 'CNAME', data: `target.${D}` },
      { name: `target.${D}`, type: 'TXT', data: 'v=DMARC1; p=reject' },
      { name: `cross.${D}`, type: 'CNAME', data: 'far.other.test' },
      { name: 'far.other.test', type: 'TXT', data: 'k=rsa; p=' },
      { name: `loop1.${D}`, type: 'CNAME', data: `loop2.${D}` },
      { name: `loop2.${D}`, type: 'CNAME', data: `loop1.${D}` },
      { name: `x-loop.${D}`, type: 'CNAME', data: 'back.other.test' },
      { name: 'back.other.test', type: 'CNAME', data: `x-loop.${D}` },
      { name: `dangling.${D}`, type: 'CNAME', data: `gone.${D}` },
      { name: `only-a.${D}`, type: 'A', data: '127.0.0.1' },
      { name: `split.${D}`, type: 'TXT', data: '', strings: ['v=spf1 ', 'ip4:192.0.2.1', ' -all'] },
    ],
    unanswered: [`silent.${D}`],
  },
  web: { mode: 'serve', sites: [] },
};

let lab: RunningLab;
let dns: EmailDns;
beforeAll(async () => {
  lab = await startLab(scenario, { timeouts: { dnsMs: 300, connectMs: 500, requestMs: 500 } });
  dns = networkEmailDns(lab.net);
});
afterAll(async () => {
  await lab?.stop();
});

describe('the email DNS view', () => {
  it('reads a TXT set too big for UDP (over TCP), every record whole', async () => {
    const a = await dns.lookup(D, 'TXT');
    expect(a.kind).toBe('records');
    if (a.kind !== 'records') return;
    expect(a.records).toHaveLength(2);
    expect(a.records).toContain('x'.repeat(20_000));
    expect(a.records.find((r) => r.startsWith('v=spf1'))).toBe(`v=spf1 ${big} ~all`);
  });

  it('joins a record’s character-strings without adding spaces (RFC 7208 §3.3)', async () => {
    expect(await dns.lookup(`split.${D}`, 'TXT')).toEqual({
      kind: 'records',
      records: ['v=spf1 ip4:192.0.2.1 -all'],
    });
  });

  it('follows CNAMEs inside the zone and across zones', async () => {
    expect(await dns.lookup(`alias.${D}`, 'TXT')).toEqual({
      kind: 'records',
      records: ['v=DMARC1; p=reject'],
    });
    expect(await dns.lookup(`cross.${D}`, 'TXT')).toEqual({
      kind: 'records',
      records: ['k=rsa; p='],
    });
  });

  it('turns CNAME loops, in one zone or across two, into an error, not a hang', async () => {
    for (const name of [`loop1.${D}`, `x-loop.${D}`]) {
      const a = await dns.lookup(name, 'TXT');
      expect(a.kind, name).toBe('error');
      if (a.kind === 'error') expect(a.message).toMatch(/CNAME loop/);
    }
  });

  it('tells NODATA from NXDOMAIN, also at the end of a dangling CNAME', async () => {
    expect(await dns.lookup(`only-a.${D}`, 'TXT')).toEqual({ kind: 'nodata' });
    expect(await dns.lookup(`nothing.${D}`, 'TXT')).toEqual({ kind: 'nxdomain' });
    expect(await dns.lookup(`dangling.${D}`, 'TXT')).toEqual({ kind: 'nxdomain' });
  });

  it('reports silence, a refused zone and an invalid name as errors', async () => {
    const t0 = performance.now();
    const silent = await dns.lookup(`silent.${D}`, 'TXT');
    expect(silent.kind).toBe('error');
    expect(performance.now() - t0).toBeLessThan(2000);
    const refused = await dns.lookup('elsewhere.example', 'TXT');
    expect(refused.kind).toBe('error');
    if (refused.kind === 'error') expect(refused.message).toMatch(/REFUSED/);
    const invalid = await dns.lookup(`${'a'.repeat(64)}.${D}`, 'TXT');
    expect(invalid.kind).toBe('error');
  });

  it('safeLookup turns a throwing resolver into an error but lets a stop through', async () => {
    const throwing: EmailDns = {
      lookup: () => Promise.reject(new Error('resolver exploded')),
    };
    expect(await safeLookup(throwing, D, 'TXT', undefined)).toEqual({
      kind: 'error',
      message: 'resolver exploded',
    });
    const stop = new AbortController();
    stop.abort();
    await expect(safeLookup(throwing, D, 'TXT', stop.signal)).rejects.toThrow();
  });

  it('an SPF walk over a huge record finishes with the right count', async () => {
    const spf = await inspectSpf(D, dns);
    expect(spf.records).toHaveLength(1);
    expect(spf.lookups).toBe(0);
    expect(spf.allQualifier).toBe('~');
  });
});
