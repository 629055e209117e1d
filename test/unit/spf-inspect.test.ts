import { describe, expect, it } from 'vitest';
import { checkHost, inspectSpf } from '../../src/main/core/probes/email/spf';
import type { SpfNode, SpfTermNode } from '../../src/main/core/probes/email/spf';
import type { EmailDns } from '../../src/main/core/probes/email/email-dns';
import { MemoryEmailDns } from '../support/memory-email-dns';
import type { ZoneData } from '../support/memory-email-dns';

const txt = (...records: string[]) => records.map((r) => ({ TXT: r }));

function inspect(zone: ZoneData, domain = 'example.com') {
  const dns = new MemoryEmailDns(zone);
  return inspectSpf(domain, dns).then((inspection) => ({ inspection, dns }));
}

function allTerms(node: SpfNode): SpfTermNode[] {
  return node.terms.flatMap((t) => [t, ...(t.child ? allTerms(t.child) : [])]);
}

const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

const NO_MATCH = { ip: '203.0.113.99', domain: 'example.com', sender: 'x@example.com', helo: 'h' };

/**
 * The zone's DNS, where the names in `silent` never answer (they give up only when the query is
 * cancelled, or never when `deaf`) and the others answer after delayMs; counts queries in flight.
 */
function slowDns(
  zone: ZoneData,
  silent: string[],
  opts: { delayMs?: number; deaf?: boolean } = {},
) {
  const memory = new MemoryEmailDns(zone);
  const state = { inFlight: 0, peak: 0, cancelled: 0 };
  const dns: EmailDns = {
    async lookup(name, type, signal) {
      state.inFlight++;
      state.peak = Math.max(state.peak, state.inFlight);
      try {
        if (silent.includes(name)) {
          await new Promise((_resolve, reject) => {
            if (opts.deaf) return;
            signal?.addEventListener(
              'abort',
              () => {
                state.cancelled++;
                reject(new Error('cancelled'));
              },
              { once: true },
            );
          });
        }
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        return await memory.lookup(name, type);
      } finally {
        state.inFlight--;
      }
    },
  };
  return { dns, state };
}

describe('inspectSpf: the record and its tree', () => {
  it('walks includes and reports lookups, costs and the all qualifier', async () => {
    const { inspection } = await inspect({
      'example.com': [
        ...txt('v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test mx -all', 'unrelated=1'),
        { MX: [10, 'mail.example.com'] },
      ],
      '_spf.provider.test': txt('v=spf1 include:_a.provider.test include:_b.provider.test ~all'),
      '_a.provider.test': txt('v=spf1 ip4:198.51.100.0/24 a:relay.provider.test'),
      '_b.provider.test': txt('v=spf1 ip6:2001:db8::/32'),
      'relay.provider.test': [{ A: '198.51.100.9' }],
    });
    expect(inspection).toMatchObject({
      records: ['v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test mx -all'],
      record: 'v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test mx -all',
      allQualifier: '-',
      lookups: 5,
      voidLookups: 0,
      includes: [{ domain: '_spf.provider.test', cost: 4 }],
      problems: [],
    });
    expect(inspection.firstOverLimit).toBeUndefined();
    const tree = inspection.tree;
    expect(tree).toMatchObject({ domain: 'example.com', dnsResult: 'records', cost: 5 });
    expect(tree.terms.map((t) => [t.text, t.kind, t.lookupCost, t.cumulativeLookups])).toEqual([
      ['ip4:192.0.2.0/24', 'ip4', 0, 0],
      ['include:_spf.provider.test', 'include', 1, 4],
      ['mx', 'mx', 1, 5],
      ['-all', 'all', 0, 5],
    ]);
    const provider = tree.terms[1]?.child;
    expect(provider?.terms.map((t) => t.child?.domain)).toEqual([
      '_a.provider.test',
      '_b.provider.test',
      undefined,
    ]);
    expect(tree.terms[2]?.mxNames).toBe(1);
  });

  it('counts lookups as check_host() does when nothing matches', async () => {
    const zone: ZoneData = {
      'example.com': [
        ...txt('v=spf1 a include:a.test include:b.test mx ptr exists:x.example.com -all'),
        { A: '198.51.100.1' },
        { MX: [10, 'mx.b.test'] },
      ],
      'a.test': txt('v=spf1 a:h1.a.test a:h2.a.test redirect=c.test'),
      'h1.a.test': [{ A: '198.51.100.2' }],
      'h2.a.test': [{ A: '198.51.100.3' }],
      'b.test': [...txt('v=spf1 ip4:203.0.113.0/24 mx:b.test'), { MX: [10, 'mx.b.test'] }],
      'mx.b.test': [{ A: '198.51.100.4' }],
      'c.test': [...txt('v=spf1 a ?all'), { A: '198.51.100.5' }],
    };
    const { inspection } = await inspect(zone);
    const result = await checkHost(
      { ip: '192.0.2.1', domain: 'example.com', sender: 'x@example.com', helo: 'h.test' },
      new MemoryEmailDns(zone),
    );
    expect(inspection.lookups).toBe(11);
    expect(result).toMatchObject({ result: 'permerror', lookups: 11 });
    expect(inspection.firstOverLimit).toEqual({
      term: 'exists:x.example.com',
      domain: 'example.com',
      cumulative: 11,
      topLevelTerm: 'exists:x.example.com',
    });
    expect(result.mechanism).toBe('exists:x.example.com');
  });

  it('follows redirect= for the all qualifier and lists it with the includes', async () => {
    const { inspection } = await inspect({
      'example.com': txt('v=spf1 ip4:192.0.2.1 redirect=_spf.example.net'),
      '_spf.example.net': txt('v=spf1 include:x.example.net ~all'),
      'x.example.net': txt('v=spf1 ip4:198.51.100.1 -all'),
    });
    expect(inspection.allQualifier).toBe('~');
    expect(inspection.includes).toEqual([{ domain: '_spf.example.net', cost: 2 }]);
    expect(inspection.tree.terms.at(-1)).toMatchObject({ kind: 'redirect', cumulativeLookups: 2 });
  });

  it('lists modifiers after the mechanisms, in evaluation order', async () => {
    const { inspection } = await inspect({
      'example.com': txt('v=spf1 exp=why.example.com redirect=r.example.com a -all'),
      'r.example.com': txt('v=spf1 -all'),
    });
    expect(inspection.tree.terms.map((t) => t.kind)).toEqual(['a', 'all', 'redirect', 'exp']);
  });

  it('expands %{d} statically but marks other macros dynamic, costing one lookup each', async () => {
    const { inspection, dns } = await inspect({
      'example.com': txt('v=spf1 include:_spf.%{d} exists:%{ir}.%{l1r-}.rbl.test -all'),
      '_spf.example.com': txt('v=spf1 ip4:192.0.2.0/24'),
    });
    const [include, exists] = inspection.tree.terms;
    expect(include?.child?.domain).toBe('_spf.example.com');
    expect(exists).toMatchObject({ dynamic: true, lookupCost: 1, cumulativeLookups: 2 });
    expect(dns.queries.some((q) => q.name.includes('rbl.test'))).toBe(false);
    expect(inspection.lookups).toBe(2);
  });
});

describe('inspectSpf: problems', () => {
  it('reports a domain without a record', async () => {
    const nx = await inspect({}, 'nowhere.test');
    expect(nx.inspection.tree.dnsResult).toBe('nxdomain');
    expect(codes(nx.inspection.problems)).toEqual(['no-record']);
    const other = await inspect({ 'example.com': txt('google-site-verification=x') });
    expect(other.inspection).toMatchObject({ records: [], tree: { dnsResult: 'none' } });
    expect(other.inspection.record).toBeUndefined();
    expect(codes(other.inspection.problems)).toEqual(['no-record']);
  });

  it('reports several SPF records, and still walks the first', async () => {
    const { inspection } = await inspect({
      'example.com': txt('v=spf1 -all', 'V=SPF1 +all'),
    });
    expect(inspection.records).toEqual(['v=spf1 -all', 'V=SPF1 +all']);
    expect(inspection.record).toBe('v=spf1 -all');
    expect(inspection.tree.dnsResult).toBe('multiple');
    expect(inspection.problems[0]).toMatchObject({ code: 'multiple-records' });
    expect(inspection.problems[0]?.message).toMatch(/2 records start with "v=spf1"/);
  });

  it('reports every syntax error, in the included records too', async () => {
    const { inspection } = await inspect({
      'example.com': txt('v=spf1 moo include:inc.example.com -all/8'),
      'inc.example.com': txt('v=spf1 ip4:1.2.3'),
    });
    expect(inspection.problems.filter((p) => p.code === 'syntax')).toEqual([
      expect.objectContaining({ domain: 'example.com', message: expect.stringMatching(/"moo"/) }),
      expect.objectContaining({ domain: 'example.com', message: expect.stringMatching(/-all\/8/) }),
      expect.objectContaining({
        domain: 'inc.example.com',
        message: expect.stringMatching(/1.2.3/),
      }),
    ]);
    expect(inspection.tree.terms[0]).toMatchObject({ kind: 'invalid', error: expect.any(String) });
  });

  it('marks the term that breaks the 10-lookup limit and every one after it', async () => {
    const { inspection } = await inspect({
      'example.com': txt(
        'v=spf1 a mx include:big.example.com a:late.example.com ip4:192.0.2.1 -all',
      ),
      'big.example.com': txt(`v=spf1 ${'a '.repeat(9)}`),
    });
    expect(inspection.lookups).toBe(13);
    expect(inspection.firstOverLimit).toEqual({
      term: 'a',
      domain: 'big.example.com',
      cumulative: 11,
      topLevelTerm: 'include:big.example.com',
    });
    // a(1) mx(2) include(3), then big's nine a (4–12), then a:late (13): the 11th is big's 8th a.
    expect(inspection.tree.terms[2]?.cumulativeLookups).toBe(12);
    expect(
      allTerms(inspection.tree)
        .filter((t) => t.overLimit)
        .map((t) => t.text),
    ).toEqual(['a', 'a', 'a:late.example.com', 'ip4:192.0.2.1', '-all']);
    expect(codes(inspection.problems)).toContain('lookup-limit');
    expect(inspection.problems.find((p) => p.code === 'lookup-limit')?.message).toMatch(
      /13 DNS lookups, over the limit of 10; the 11th is a in big.example.com/,
    );
  });

  it('detects include loops and stops', async () => {
    const { inspection, dns } = await inspect({
      'example.com': txt('v=spf1 include:a.test -all'),
      'a.test': txt('v=spf1 include:b.test'),
      'b.test': txt('v=spf1 include:example.com'),
    });
    const loop = inspection.problems.find((p) => p.code === 'include-loop');
    expect(loop?.message).toMatch(/example.com → a.test → b.test → example.com/);
    expect(dns.queryCount).toBe(3);
  });

  it('counts void lookups per term and reports going over two', async () => {
    const { inspection } = await inspect({
      'example.com': [
        ...txt('v=spf1 a:nx.example.com mx:nomx.example.com include:gone.example.com a -all'),
        { AAAA: '2001:db8::1' },
      ],
      'nomx.example.com': [{ A: '192.0.2.1' }],
    });
    expect(inspection.tree.terms.map((t) => t.void ?? false)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(inspection.voidLookups).toBe(3);
    expect(codes(inspection.problems)).toEqual([
      'void-limit',
      'void-lookup',
      'void-lookup',
      'include-none',
    ]);
  });

  it('reports an mx with more than 10 MX names', async () => {
    const mx = Array.from({ length: 11 }, (_, i) => ({ MX: [i, `mx${i}.example.com`] }));
    const { inspection } = await inspect({ 'example.com': [...txt('v=spf1 mx -all'), ...mx] });
    expect(inspection.tree.terms[0]?.mxNames).toBe(11);
    expect(codes(inspection.problems)).toEqual(['mx-too-many']);
  });

  it('reports DNS errors, ptr, terms after all and a redirect that never applies', async () => {
    const { inspection, dns } = await inspect({
      'example.com': [
        ...txt('v=spf1 ptr include:slow.example.com -all a redirect=r.example.com'),
        { A: '192.0.2.1' },
      ],
      'slow.example.com': ['TIMEOUT'],
      'r.example.com': txt('v=spf1 -all'),
    });
    expect(codes(inspection.problems).sort()).toEqual(
      ['dns-error', 'ptr-used', 'redirect-with-all', 'terms-after-all'].sort(),
    );
    // Neither the a after -all nor the redirect beside it is evaluated: not asked, not counted.
    expect(inspection.lookups).toBe(2);
    expect(inspection.tree.terms.slice(3)).toMatchObject([
      { text: 'a', unreachable: true, cumulativeLookups: 2 },
      { text: 'redirect=r.example.com', unreachable: true, cumulativeLookups: 2 },
    ]);
    expect(inspection.tree.terms[4]?.child).toBeUndefined();
    expect(dns.queries.map((q) => q.name)).toEqual(['example.com', 'slow.example.com']);
  });

  it('stops expanding 10 includes deep', async () => {
    const zone: ZoneData = {};
    for (let i = 0; i < 15; i++) zone[`l${i}.test`] = txt(`v=spf1 include:l${i + 1}.test`);
    const { inspection } = await inspect(zone, 'l0.test');
    expect(codes(inspection.problems)).toContain('too-deep');
    let depth = 0;
    for (let n: SpfNode | undefined = inspection.tree; n; n = n.terms[0]?.child) depth++;
    expect(depth).toBe(11);
  });

  it('stops after 50 DNS queries on a very wide tree', async () => {
    const zone: ZoneData = {
      'example.com': txt(
        `v=spf1 ${Array.from({ length: 80 }, (_, i) => `include:i${i}.test`).join(' ')}`,
      ),
    };
    for (let i = 0; i < 80; i++) zone[`i${i}.test`] = txt('v=spf1 ip4:192.0.2.1');
    const { inspection, dns } = await inspect(zone);
    expect(dns.queryCount).toBe(50);
    expect(inspection.lookups).toBe(80);
    expect(codes(inspection.problems)).toContain('walk-truncated');
  });

  it('rethrows an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      inspectSpf('example.com', new MemoryEmailDns({}), { signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'aborted' });
  });
});

describe('inspectSpf: only what check_host() evaluates', () => {
  it('skips redirect= beside an all, however much its target would cost (§6.1)', async () => {
    const zone: ZoneData = {
      'example.com': txt('v=spf1 include:i0.test include:i1.test -all redirect=r.test'),
      'i0.test': txt('v=spf1 ip4:192.0.2.1'),
      'i1.test': txt('v=spf1 ip4:192.0.2.2'),
      // The redirect (1) and nine a terms: 10 lookups check_host() never makes.
      'r.test': txt(`v=spf1 ${Array.from({ length: 9 }, (_, i) => `a:h${i}.r.test`).join(' ')}`),
    };
    const { inspection, dns } = await inspect(zone);
    const result = await checkHost(NO_MATCH, new MemoryEmailDns(zone));
    expect(result).toMatchObject({ result: 'fail', lookups: 2, voidLookups: 0 });
    expect(inspection).toMatchObject({ lookups: 2, voidLookups: 0, tree: { cost: 2 } });
    expect(inspection.firstOverLimit).toBeUndefined();
    expect(inspection.includes).toEqual([
      { domain: 'i0.test', cost: 1 },
      { domain: 'i1.test', cost: 1 },
    ]);
    expect(inspection.tree.terms.at(-1)).toMatchObject({
      kind: 'redirect',
      unreachable: true,
      cumulativeLookups: 2,
      overLimit: false,
    });
    expect(codes(inspection.problems)).toEqual(['redirect-with-all']);
    expect(dns.queries.some((q) => q.name.endsWith('r.test'))).toBe(false);
  });

  it('stops at the first all: terms after it are not looked up or counted (§5.1)', async () => {
    const zone: ZoneData = {
      'example.com': txt(
        'v=spf1 a:nx1.example.com ~all a:nx2.example.com mx:nx3.example.com include:big.test',
      ),
      'big.test': txt(`v=spf1 ${'a '.repeat(10)}`),
    };
    const { inspection, dns } = await inspect(zone);
    const result = await checkHost(NO_MATCH, new MemoryEmailDns(zone));
    expect(result).toMatchObject({ result: 'softfail', lookups: 1, voidLookups: 1 });
    expect(inspection).toMatchObject({ lookups: 1, voidLookups: 1, includes: [] });
    expect(codes(inspection.problems)).toEqual(['void-lookup', 'terms-after-all']);
    expect(inspection.problems[1]?.message).toMatch(
      /a:nx2.example.com mx:nx3.example.com include:big.test come after "~all"/,
    );
    expect(
      inspection.tree.terms.map((t) => [t.text, t.unreachable ?? false, t.void ?? false]),
    ).toEqual([
      ['a:nx1.example.com', false, true],
      ['~all', false, false],
      ['a:nx2.example.com', true, false],
      ['mx:nx3.example.com', true, false],
      ['include:big.test', true, false],
    ]);
    expect(inspection.tree.terms[4]?.lookupCost).toBe(1);
    expect(dns.queries.map((q) => q.name)).toEqual([
      'example.com',
      'nx1.example.com',
      'nx1.example.com',
    ]);
  });

  it('stops at the first all inside an included record too', async () => {
    const zone: ZoneData = {
      'example.com': txt('v=spf1 include:p.test a:h.example.com -all'),
      'p.test': txt('v=spf1 ip4:198.51.100.0/24 ?all a:x.p.test a:y.p.test redirect=q.test'),
      'h.example.com': [{ A: '192.0.2.9' }],
    };
    const { inspection } = await inspect(zone);
    const result = await checkHost(NO_MATCH, new MemoryEmailDns(zone));
    expect(result).toMatchObject({ result: 'fail', lookups: 2, voidLookups: 0 });
    expect(inspection).toMatchObject({ lookups: 2, voidLookups: 0 });
    expect(inspection.includes).toEqual([{ domain: 'p.test', cost: 1 }]);
  });

  it('names the founder’s own term that leads to the first lookup over the limit', async () => {
    const a = (n: number, zone: string) =>
      Array.from({ length: n }, (_, i) => `a:h${i}.${zone}`).join(' ');
    const zone: ZoneData = {
      'example.com': [...txt('v=spf1 a mx include:_spf.google.test -all'), { A: '192.0.2.1' }],
      '_spf.google.test': txt(
        'v=spf1 include:_netblocks.google.test include:_netblocks2.google.test include:_netblocks3.google.test ~all',
      ),
      '_netblocks.google.test': txt(`v=spf1 ${a(3, 'google.test')}`),
      '_netblocks2.google.test': txt(`v=spf1 ${a(2, 'google.test')}`),
      '_netblocks3.google.test': txt('v=spf1 ip4:192.0.2.0/24'),
    };
    for (let i = 0; i < 3; i++) zone[`h${i}.google.test`] = [{ A: '198.51.100.1' }];
    zone['example.com']?.push({ MX: [10, 'mx.example.com'] });
    const { inspection } = await inspect(zone);
    expect(inspection.firstOverLimit).toEqual({
      term: 'include:_netblocks3.google.test',
      domain: '_spf.google.test',
      cumulative: 11,
      topLevelTerm: 'include:_spf.google.test',
    });
  });
});

describe('inspectSpf: time', () => {
  const eight = Array.from({ length: 8 }, (_, i) => `s${i}.test`);

  it('asks the includes of one record together, a bounded number at a time', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => `i${i}.test`);
    const zone: ZoneData = {
      'example.com': txt(`v=spf1 ${ten.map((d) => `include:${d}`).join(' ')} -all`),
    };
    for (const d of ten) zone[d] = txt('v=spf1 ip4:192.0.2.1');
    const { dns, state } = slowDns(zone, [], { delayMs: 100 });
    const started = performance.now();
    const inspection = await inspectSpf('example.com', dns);
    expect(inspection.lookups).toBe(10);
    expect(state.peak).toBe(8);
    // Two rounds of 100 ms (plus the record's own), not ten.
    expect(performance.now() - started).toBeLessThan(700);
  });

  it('returns at the deadline, naming each include that did not answer', async () => {
    const zone: ZoneData = {
      'example.com': txt(
        `v=spf1 ip4:192.0.2.0/24 ${eight.map((d) => `include:${d}`).join(' ')} -all`,
      ),
    };
    const { dns, state } = slowDns(zone, eight);
    const started = performance.now();
    const inspection = await inspectSpf('example.com', dns, { deadlineMs: 200 });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(state.cancelled).toBe(8);
    expect(inspection.lookups).toBe(8);
    const late = inspection.problems.filter((p) => p.code === 'dns-error');
    expect(late.map((p) => p.message)).toEqual(
      eight.map(
        (d) =>
          `example.com: include:${d}: ${d} did not answer in time (the inspection stopped after 200 ms), so what it adds is not counted`,
      ),
    );
    expect(inspection.tree.terms[1]).toMatchObject({ error: 's0.test did not answer in time' });
  });

  it('returns at the deadline even when the DNS ignores the cancellation', async () => {
    const zone: ZoneData = { 'example.com': txt('v=spf1 include:s0.test a:s1.test -all') };
    const { dns } = slowDns(zone, ['s0.test', 's1.test'], { deaf: true });
    const inspection = await inspectSpf('example.com', dns, { deadlineMs: 100 });
    expect(codes(inspection.problems)).toEqual(['dns-error', 'dns-error']);
    expect(inspection.problems[1]?.message).toMatch(/a:s1.test: s1.test did not answer in time/);
  });

  it('still reports the top record not answering as a DNS error', async () => {
    const { dns } = slowDns({}, ['example.com']);
    const inspection = await inspectSpf('example.com', dns, { deadlineMs: 50 });
    expect(inspection.tree.dnsResult).toBe('error');
    expect(inspection.problems).toEqual([
      expect.objectContaining({
        code: 'dns-error',
        message: expect.stringMatching(/did not answer in time/),
      }),
    ]);
  });

  it('rethrows the caller’s abort, deadline or not', async () => {
    const { dns } = slowDns({ 'example.com': txt('v=spf1 include:s0.test -all') }, ['s0.test']);
    await expect(
      inspectSpf('example.com', dns, { deadlineMs: 5_000, signal: AbortSignal.timeout(50) }),
    ).rejects.toMatchObject({ kind: 'aborted' });
  });
});

describe('inspectSpf: huge records', () => {
  it('caps the problems of a 64 KB record of 20,000 invalid terms, in linear time', async () => {
    const record = `v=spf1 ${Array.from({ length: 20_000 }, (_, i) => `?${i % 10}`).join(' ')}`;
    expect(record.length).toBeGreaterThan(59_000);
    const started = performance.now();
    const { inspection } = await inspect({ 'example.com': txt(record) });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(inspection.problems).toHaveLength(50);
    expect(inspection.problems.at(-1)).toEqual({
      code: 'truncated',
      domain: 'example.com',
      message: 'example.com: … and 19951 more problems',
    });
    expect(JSON.stringify(inspection.problems).length).toBeLessThan(20_000);
  });

  it('keeps one problem of each kind when it cuts the list', async () => {
    const garbage = Array.from({ length: 60 }, (_, i) => `bad${i}`).join(' ');
    const { inspection } = await inspect({
      'example.com': txt(`v=spf1 ${garbage} include:gone.example.com -all`),
    });
    expect(inspection.problems).toHaveLength(50);
    expect(codes(inspection.problems).slice(-2)).toEqual(['include-none', 'truncated']);
    expect(inspection.problems.at(-1)?.message).toBe('example.com: … and 12 more problems');
  });
});
