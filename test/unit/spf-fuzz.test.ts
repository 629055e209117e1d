/**
 * Fuzzing the SPF parser, check_host() and the inspection: random and mutated records (from
 * the RFC 7208 suite when it is present, and hand-written ones) and random DNS answers. Each
 * must return one of the seven results, never throw, stay within the lookup bounds and finish
 * quickly. The PRNG is seeded, so a failure names a case that reproduces.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { EmailDns, EmailDnsAnswer } from '../../src/main/core/probes/email/email-dns';
import {
  checkHost,
  inspectSpf,
  parseSpfRecord,
  SPF_RESULTS,
} from '../../src/main/core/probes/email/spf';
import type { SpfInspection, SpfResult } from '../../src/main/core/probes/email/spf';
import { MemoryEmailDns } from '../support/memory-email-dns';
import type { ZoneData } from '../support/memory-email-dns';

const SEED = 0x5eed7208;
const RECORD_CASES = 2000;
const CHAOS_CASES = 1000;
/** check_host() asks at most: 11 TXT, 10 terms × (MX + 10 hosts), 10 PTR checks, exp. */
const MAX_CHECK_QUERIES = 160;
const MAX_INSPECT_QUERIES = 50;
const MAX_CASE_MS = 1000;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const HAND_WRITTEN = [
  'v=spf1 -all',
  'v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:a.test mx a:b.test ~all',
  'v=spf1 a/24//64 mx:mx.test/28 ptr exists:%{i}.rbl.test ?all',
  'v=spf1 include:loop.test -all',
  'v=spf1 redirect=a.test',
  'v=spf1 redirect=fuzz.test',
  'v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all exp=exp.test',
  'v=spf1 a:%{H}.%{o} mx:%{d2} -include:%{p}.test +all',
  'v=spf1 include:slow.test include:cname.test -all',
  'v=spf1 a:nx1.test a:nx2.test a:nx3.test -all',
  'v=spf1 ip4:192.0.2.1 -all exp=%{c}.%{r}.%{t}.test',
  'v=spf1 moo.cow-far_out=man:dog/cat default=+ unknown=%{s}',
];

const NAMES = [
  'fuzz.test',
  'a.test',
  'b.test',
  'loop.test',
  'slow.test',
  'cname.test',
  'mx.test',
  'nx.test',
  'exp.test',
  '%{d}',
  '%{d2}',
  '%{o}',
  '%{i}.rbl.test',
  '%{ir}.%{v}.arpa.test',
  '%{l}.%{d}',
  '%{H}.test',
  '%{p}.test',
  `${'x'.repeat(70)}.test`,
  'a..test',
  'museum',
  '1.2.3.4',
];
const QUALIFIERS = ['', '+', '-', '~', '?'];
const CHARS = [
  '%',
  '{',
  '}',
  ':',
  '/',
  '//',
  '=',
  ' ',
  '.',
  '-',
  '\0',
  '\r',
  '\n',
  'é',
  '\x96',
  'Z',
];
const IPS = [
  '192.0.2.1',
  '192.0.2.77',
  '198.51.100.3',
  '2001:db8::1',
  '::ffff:192.0.2.1',
  'CAFE:BABE::1',
  'not-an-ip',
  '',
];
const SENDERS = ['x@fuzz.test', '', '@fuzz.test', 'fuzz.test', 'a b@fuzz.test', '~j&j=u@fuzz.test'];

function randomTerm(r: Rng): string {
  const q = r.pick(QUALIFIERS);
  const name = r.pick(NAMES);
  const cidr = r.pick(['', '', '/24', '//64', '/0', '/33', '/24//48', '/032']);
  switch (r.int(11)) {
    case 0:
      return `${q}all`;
    case 1:
      return `${q}include:${name}`;
    case 2:
      return `${q}a${r.next() < 0.5 ? '' : `:${name}`}${cidr}`;
    case 3:
      return `${q}mx${r.next() < 0.5 ? '' : `:${name}`}${cidr}`;
    case 4:
      return `${q}ptr${r.next() < 0.5 ? '' : `:${name}`}`;
    case 5:
      return `${q}ip4:${r.int(300)}.${r.int(256)}.2.${r.int(256)}${r.pick(['', '/24', '/32', '/33'])}`;
    case 6:
      return `${q}ip6:2001:db8::${r.int(0xffff).toString(16)}${r.pick(['', '/64', '/129'])}`;
    case 7:
      return `${q}exists:${name}`;
    case 8:
      return `redirect=${name}`;
    case 9:
      return `exp=${name}`;
    default:
      return `${r.pick(['x', 'moo.cow', '1up', ''])}=${r.pick(['', name, '%{z}', '%%'])}`;
  }
}

function randomRecord(r: Rng): string {
  const terms = Array.from({ length: r.int(14) }, () => randomTerm(r));
  return [r.pick(['v=spf1', 'v=spf1', 'V=SPF1', 'v=spf10']), ...terms].join(' ');
}

function mutate(r: Rng, record: string): string {
  let s = record;
  for (let n = 1 + r.int(3); n > 0; n--) {
    const at = r.int(s.length + 1);
    switch (r.int(6)) {
      case 0:
        s = s.slice(0, at) + r.pick(CHARS) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + r.int(4));
        break;
      case 2:
        s = `${s} ${randomTerm(r)}`;
        break;
      case 3:
        s = s.slice(0, at) + s.slice(r.int(s.length), at + r.int(20)) + s.slice(at);
        break;
      case 4: {
        const words = s.split(' ');
        const [i, j] = [r.int(words.length), r.int(words.length)];
        [words[i], words[j]] = [words[j] ?? '', words[i] ?? ''];
        s = words.join(' ');
        break;
      }
      default:
        s = `${s} ${randomTerm(r)}`.repeat(1 + r.int(3));
    }
  }
  return s;
}

/** Every TXT/SPF text in the suite's zone data, when the suite is present. */
function suiteRecords(): string[] {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'shared/conformance/spf/rfc7208-tests.yml');
    if (!existsSync(file)) continue;
    const texts: string[] = [];
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const zone = (doc.toJS() as { zonedata?: ZoneData }).zonedata ?? {};
      for (const entries of Object.values(zone)) {
        for (const e of entries ?? []) {
          if (typeof e !== 'object') continue;
          for (const [type, v] of Object.entries(e)) {
            if (type === 'TXT' || type === 'SPF') texts.push([v].flat().join(''));
          }
        }
      }
    }
    return texts;
  }
  return [];
}

function zoneFor(r: Rng, record: string): ZoneData {
  const mx = Array.from({ length: r.pick([1, 3, 11]) }, (_, i) => ({ MX: [i, `h${i}.mx.test`] }));
  return {
    'fuzz.test': [{ TXT: record }, { A: '192.0.2.1' }, { AAAA: '2001:db8::1' }, ...mx],
    'a.test': [{ TXT: randomRecord(r) }, { A: '198.51.100.3' }],
    'b.test': [{ TXT: mutate(r, r.pick(HAND_WRITTEN)) }],
    'loop.test': [{ TXT: 'v=spf1 include:fuzz.test' }],
    'slow.test': ['TIMEOUT'],
    'cname.test': [{ CNAME: 'cname2.test' }],
    'cname2.test': [{ CNAME: 'cname.test' }],
    'mx.test': mx,
    'h0.mx.test': [{ A: '192.0.2.77' }],
    'exp.test': [{ TXT: r.pick(['%{i} is not allowed', 'bad %{z}', 'caf\u00e9', '%{p} %{c}']) }],
    '1.2.0.192.in-addr.arpa': [{ PTR: 'fuzz.test' }, { PTR: 'a.test' }],
  };
}

function expectSane(r: SpfResult, queries: number): void {
  expect(SPF_RESULTS).toContain(r.result);
  expect(typeof r.reason).toBe('string');
  expect(r.lookups).toBeLessThanOrEqual(11);
  expect(r.voidLookups).toBeLessThanOrEqual(3);
  expect(queries).toBeLessThanOrEqual(MAX_CHECK_QUERIES);
}

function expectSaneInspection(ins: SpfInspection, queries: number): void {
  expect(queries).toBeLessThanOrEqual(MAX_INSPECT_QUERIES);
  expect(ins.tree.cost).toBe(ins.lookups);
  expect(ins.records.every((t) => /^v=spf1( |$)/i.test(t))).toBe(true);
}

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await work();
  const ms = performance.now() - started;
  if (ms > MAX_CASE_MS) throw new Error(`${what} took ${Math.round(ms)} ms`);
  return out;
}

describe('SPF fuzzing (seeded)', () => {
  it(`survives ${RECORD_CASES} random and mutated records`, async () => {
    const r = prng(SEED);
    const seeds = [...HAND_WRITTEN, ...suiteRecords()];
    const seen = new Map<string, number>();
    for (let n = 0; n < RECORD_CASES; n++) {
      const record = n % 3 === 0 ? randomRecord(r) : mutate(r, r.pick(seeds));
      const label = `case ${n} (seed ${SEED}): ${JSON.stringify(record)}`;
      expect(() => parseSpfRecord(record), label).not.toThrow();
      const zone = zoneFor(r, record);
      const dns = new MemoryEmailDns(zone);
      const sender = r.pick(SENDERS);
      const params = { ip: r.pick(IPS), domain: 'fuzz.test', sender, helo: r.pick(NAMES) };
      const result = await timed(label, () => checkHost(params, dns));
      expectSane(result, dns.queryCount);
      seen.set(result.result, (seen.get(result.result) ?? 0) + 1);
      const idns = new MemoryEmailDns(zone);
      expectSaneInspection(
        await timed(label, () => inspectSpf('fuzz.test', idns)),
        idns.queryCount,
      );
    }
    // A fuzzer that only ever says permerror tests nothing: every result must come up.
    expect([...seen.keys()].sort()).toEqual([...SPF_RESULTS].sort());
  });

  it(`survives ${CHAOS_CASES} evaluations against random DNS answers`, async () => {
    const r = prng(SEED + 1);
    for (let n = 0; n < CHAOS_CASES; n++) {
      const dns = chaosDns(prng(SEED + 2 + n));
      const params = {
        ip: r.pick(IPS),
        domain: 'fuzz.test',
        sender: r.pick(SENDERS),
        helo: 'h.test',
      };
      expectSane(await timed(`chaos case ${n}`, () => checkHost(params, dns)), dns.queries);
      const idns = chaosDns(prng(SEED + 2 + n));
      expectSaneInspection(await inspectSpf('fuzz.test', idns), idns.queries);
    }
  });
});

/**
 * Records of static terms only (no macros, no ptr: what they cost depends on the client) and a
 * client that nothing lists: check_host() then walks exactly the worst case the inspection
 * counts, so the two must agree on every count. Included records never end in +all, which
 * would match and end the walk early; only the top record may.
 */
describe('the inspection counts what check_host() counts', () => {
  const DOMAINS = Array.from({ length: 10 }, (_, i) => `n${i}.test`);
  const client = { ip: '203.0.113.99', domain: 'fuzz.test', sender: 'x@fuzz.test', helo: 'h' };

  /** The record of DOMAINS[at] (-1: the top one) names only later domains: no loops. */
  function staticTerm(r: Rng, at: number): string {
    const top = at < 0;
    const q = r.pick(['', '-', '~', '?']);
    const later = DOMAINS.slice(at + 1);
    const name = later.length > 0 ? r.pick(later) : 'nowhere.test';
    switch (r.int(9)) {
      case 0:
        return `${top ? r.pick(QUALIFIERS) : r.pick(['-', '~', '?'])}all`;
      case 1:
      case 2:
        return `${q}include:${name}`;
      case 3:
        return `${q}a${r.next() < 0.3 ? '' : `:${name}`}`;
      case 4:
        return `${q}mx${r.next() < 0.3 ? '' : `:${name}`}`;
      case 5:
        // exists matches any name with an address: aim it at names without one.
        return `${q}exists:x.${name}`;
      case 6:
        return `${q}ip4:192.0.2.0/24`;
      case 7:
        return `redirect=${name}`;
      default:
        return `exp=${name}`;
    }
  }

  function staticRecord(r: Rng, at: number): string {
    const terms = Array.from({ length: 1 + r.int(8) }, () => staticTerm(r, at));
    // At most one of each modifier: a second is a syntax error, and that is not what this tests.
    const once = (m: string) => (t: string, i: number) =>
      !t.startsWith(m) || terms.findIndex((u) => u.startsWith(m)) === i;
    return ['v=spf1', ...terms.filter(once('redirect=')).filter(once('exp='))].join(' ');
  }

  function staticZone(r: Rng): ZoneData {
    const zone: ZoneData = { 'fuzz.test': [{ TXT: staticRecord(r, -1) }] };
    for (const [i, d] of DOMAINS.entries()) {
      const entries: ZoneData[string] = [];
      if (r.next() < 0.9) entries.push({ TXT: staticRecord(r, i) });
      if (r.next() < 0.8) entries.push({ A: '192.0.2.10' });
      if (r.next() < 0.6) entries.push({ MX: [10, `mx.${d}`] });
      if (entries.length > 0 || r.next() < 0.3) zone[d] = entries;
      zone[`mx.${d}`] = [{ A: '192.0.2.20' }];
    }
    if (r.next() < 0.5) zone['fuzz.test']?.push({ A: '192.0.2.11' });
    return zone;
  }

  it('agrees on lookups, void lookups and the term over the limit in 1500 cases', async () => {
    const r = prng(SEED + 7);
    const compared = { equal: 0, lookupLimit: 0, voidLimit: 0 };
    for (let n = 0; n < 1500; n++) {
      const zone = staticZone(r);
      const label = `case ${n}: ${JSON.stringify(zone)}`;
      const result = await checkHost(client, new MemoryEmailDns(zone));
      const ins = await inspectSpf('fuzz.test', new MemoryEmailDns(zone));
      // The walk stops at a loop, at depth 10 or after 50 queries; check_host() does not.
      const cut = ins.problems.some((p) =>
        ['include-loop', 'too-deep', 'walk-truncated'].includes(p.code),
      );
      if (cut) continue;
      if (result.result !== 'permerror' && result.result !== 'temperror') {
        expect([ins.lookups, ins.voidLookups], label).toEqual([result.lookups, result.voidLookups]);
        expect(ins.tree.cost, label).toBe(ins.lookups);
        compared.equal++;
      } else if (/exceeded the 10 DNS lookup limit/.test(result.reason)) {
        expect(ins.lookups, label).toBeGreaterThan(10);
        expect(ins.firstOverLimit?.term, label).toBe(result.mechanism);
        compared.lookupLimit++;
      } else if (/void lookups/.test(result.reason)) {
        expect(ins.voidLookups, label).toBeGreaterThan(2);
        compared.voidLimit++;
      }
    }
    // Each kind of comparison must actually happen, or this test tests nothing.
    expect(compared.equal).toBeGreaterThan(300);
    expect(compared.lookupLimit).toBeGreaterThan(10);
    expect(compared.voidLimit).toBeGreaterThan(10);
  });
});

/** An EmailDns answering anything at random (records, nodata, nxdomain, errors, throws). */
function chaosDns(r: Rng): EmailDns & { queries: number } {
  const dns = {
    queries: 0,
    async lookup(_name: string, type: string): Promise<EmailDnsAnswer> {
      dns.queries++;
      const roll = r.int(10);
      if (roll === 0) return { kind: 'nxdomain' };
      if (roll === 1) return { kind: 'nodata' };
      if (roll === 2) return { kind: 'error', message: 'SERVFAIL' };
      if (roll === 3 && r.next() < 0.3) throw new Error('resolver crashed');
      const count = 1 + r.int(r.next() < 0.1 ? 14 : 3);
      const one = (): string => {
        switch (type) {
          case 'TXT':
            return r.next() < 0.7 ? randomRecord(r) : mutate(r, r.pick(HAND_WRITTEN));
          case 'A':
            return r.pick(['192.0.2.1', '198.51.100.3', '127.0.0.2', 'garbage', '']);
          case 'AAAA':
            return r.pick(['2001:db8::1', 'cafe:babe::1', '::1', 'zz::']);
          case 'MX':
            return r.pick(['10 mx.test', '0 .', '5 fuzz.test', 'nonsense', `1 ${'y'.repeat(80)}`]);
          default:
            return r.pick(['fuzz.test', 'a.test.', 'x..test', '']);
        }
      };
      return { kind: 'records', records: Array.from({ length: count }, one) };
    },
  };
  return dns;
}

describe('SPF edge cases', () => {
  const check = (zone: ZoneData, ip = '192.0.2.1') => {
    const dns = new MemoryEmailDns(zone);
    return checkHost({ ip, domain: 'fuzz.test', sender: 'x@fuzz.test', helo: 'h.test' }, dns).then(
      (result) => ({ result, dns }),
    );
  };

  it('evaluates a 10 kB record quickly, stopping at the lookup limit', async () => {
    const ips = Array.from({ length: 600 }, (_, i) => `ip4:10.${i >> 8}.${i & 255}.0/24`);
    const late = Array.from({ length: 20 }, (_, i) => `a:late${i}.test`).join(' ');
    // The terms after -all and the redirect beside it are never reached, so never counted.
    const big = `v=spf1 ${ips.join(' ')} ${Array.from({ length: 40 }, (_, i) => `a:h${i}.test`).join(' ')} -all ${late} redirect=h0.test`;
    expect(big.length).toBeGreaterThan(10_000);
    const zone: ZoneData = { 'fuzz.test': [{ TXT: big }] };
    for (let i = 0; i < 40; i++) zone[`h${i}.test`] = [{ A: '203.0.113.1' }];
    const { result, dns } = await timed('10 kB record', () => check(zone));
    expect(result).toMatchObject({ result: 'permerror', lookups: 11, mechanism: 'a:h10.test' });
    expect(result.reason).toMatch(/a:h10.test \(in fuzz.test\) exceeded the 10 DNS lookup limit/);
    expect(dns.queryCount).toBe(11);
    const ins = await inspectSpf('fuzz.test', new MemoryEmailDns(zone));
    expect(ins.lookups).toBe(40);
    expect(ins.tree.cost).toBe(40);
    expect(ins.tree.terms.filter((t) => t.unreachable)).toHaveLength(21);
    expect(ins.firstOverLimit).toMatchObject({
      term: 'a:h10.test',
      cumulative: 11,
      topLevelTerm: 'a:h10.test',
    });
  });

  it('finds a match at the end of a 10 kB record', async () => {
    const ips = Array.from({ length: 700 }, (_, i) => `ip4:10.${i >> 8}.${i & 255}.0/24`);
    const { result } = await check({
      'fuzz.test': [{ TXT: `v=spf1 ${ips.join(' ')} ip4:192.0.2.1 -all` }],
    });
    expect(result).toMatchObject({ result: 'pass', mechanism: 'ip4:192.0.2.1' });
  });

  it('rejects NULs and non-ASCII in the record with permerror', async () => {
    for (const record of [
      'v=spf1 a:x.test\0 -all',
      'v=spf1 a:\u00e9.test -all',
      'v=spf1 \u2028 -all',
    ]) {
      const { result } = await check({ 'fuzz.test': [{ TXT: record }] });
      expect(result.result).toBe('permerror');
      expect(result.reason).toMatch(/U\+(0000|00E9|2028).*7-bit ASCII/);
    }
  });

  it('ignores non-SPF TXT records, whatever they contain', async () => {
    const { result } = await check({
      'fuzz.test': [{ TXT: 'v=spf1 ip4:192.0.2.1 -all' }, { TXT: '\0\u00ff\u{1f600}' }],
    });
    expect(result.result).toBe('pass');
  });

  it('ends an include loop at the lookup limit', async () => {
    const { result, dns } = await check({
      'fuzz.test': [{ TXT: 'v=spf1 include:loop.test -all' }],
      'loop.test': [{ TXT: 'v=spf1 include:fuzz.test' }],
    });
    expect(result).toMatchObject({ result: 'permerror', lookups: 11 });
    expect(result.reason).toMatch(/exceeded the 10 DNS lookup limit/);
    // Cached: each name is asked once, however often the loop comes round.
    expect(dns.queryCount).toBe(2);
  });

  it('gives temperror for a CNAME loop, a timeout, or a resolver that throws', async () => {
    const zone: ZoneData = {
      'fuzz.test': [{ TXT: 'v=spf1 a:cname.test -all' }],
      'cname.test': [{ CNAME: 'cname2.test' }],
      'cname2.test': [{ CNAME: 'cname.test' }],
    };
    expect((await check(zone)).result).toMatchObject({
      result: 'temperror',
      mechanism: 'a:cname.test',
      reason: expect.stringMatching(/CNAME loop/),
    });
    expect((await check({ 'fuzz.test': ['TIMEOUT'] })).result.result).toBe('temperror');
    const throwing: EmailDns = {
      lookup: () => Promise.reject(new Error('socket exploded')),
    };
    const r = await checkHost(
      { ip: '192.0.2.1', domain: 'fuzz.test', sender: '', helo: 'fuzz.test' },
      throwing,
    );
    expect(r).toMatchObject({
      result: 'temperror',
      reason: expect.stringMatching(/socket exploded/),
    });
  });

  it('stops when the signal aborts a DNS that never answers', async () => {
    let asked = 0;
    const silent: EmailDns = {
      lookup: (_name, _type, signal) =>
        new Promise((_resolve, reject) => {
          asked++;
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    };
    const started = performance.now();
    const params = { ip: '192.0.2.1', domain: 'fuzz.test', sender: 'x@fuzz.test', helo: 'h.test' };
    await expect(checkHost(params, silent, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await expect(
      inspectSpf('fuzz.test', silent, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
    expect(asked).toBe(2);
    expect(performance.now() - started).toBeLessThan(MAX_CASE_MS);
  });

  it('never throws for nonsense parameters', async () => {
    const dns = new MemoryEmailDns({ 'fuzz.test': [{ TXT: 'v=spf1 -all' }] });
    for (const ip of ['', 'not-an-ip', '999.1.1.1', '1.2.3.4.5', 'fe80::1%eth0']) {
      const r = await checkHost({ ip, domain: 'fuzz.test', sender: 'x@fuzz.test', helo: '' }, dns);
      expect(r).toMatchObject({ result: 'permerror', lookups: 0 });
    }
    for (const domain of [
      '',
      '.',
      'localhost',
      '[192.0.2.1]',
      'a..b.test',
      `${'x'.repeat(64)}.test`,
    ]) {
      const r = await checkHost({ ip: '192.0.2.1', domain, sender: '', helo: domain }, dns);
      expect(r.result).toBe('none');
    }
  });
});
