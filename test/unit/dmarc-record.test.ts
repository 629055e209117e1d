import { describe, expect, it } from 'vitest';
import {
  checkReportAuthorization,
  findDmarc,
  organisationalDomain,
  parseDmarc,
  parseReportUri,
} from '../../src/main/core/probes/email/dmarc';
import type { EmailDns, EmailDnsAnswer } from '../../src/main/core/probes/email/email-dns';

function ok(txt: string) {
  const r = parseDmarc(txt);
  if (!r.ok) throw new Error(`expected a record, got: ${r.error}`);
  return r;
}
function bad(txt: string): string {
  const r = parseDmarc(txt);
  if (r.ok) throw new Error(`expected an error for ${txt}`);
  return r.error;
}

describe('parseDmarc (RFC 7489 §6.3, §6.4)', () => {
  it('reads a minimal record with the RFC defaults', () => {
    expect(ok('v=DMARC1; p=none')).toEqual({
      ok: true,
      record: {
        policy: 'none',
        policyAssumed: false,
        pct: 100,
        rua: [],
        ruf: [],
        adkim: 'r',
        aspf: 'r',
        fo: ['0'],
        rf: ['afrf'],
        ri: 86400,
        unknownTags: [],
      },
      problems: [],
    });
  });

  it('reads every tag of a full record', () => {
    const r = ok(
      'v=DMARC1; p=reject; sp=quarantine; pct=50; rua=mailto:agg@example.com!10m, mailto:x@reports.test; ruf=mailto:f@example.com; adkim=s; aspf=s; fo=0:1:d:s; rf=afrf; ri=3600',
    );
    expect(r.problems).toEqual([]);
    expect(r.record).toMatchObject({
      policy: 'reject',
      subdomainPolicy: 'quarantine',
      pct: 50,
      adkim: 's',
      aspf: 's',
      fo: ['0', '1', 'd', 's'],
      ri: 3600,
    });
    expect(r.record.rua).toEqual([
      {
        uri: 'mailto:agg@example.com',
        scheme: 'mailto',
        address: 'agg@example.com',
        domain: 'example.com',
        maxBytes: 10 * 1024 * 1024,
      },
      {
        uri: 'mailto:x@reports.test',
        scheme: 'mailto',
        address: 'x@reports.test',
        domain: 'reports.test',
      },
    ]);
    expect(r.record.ruf[0]?.domain).toBe('example.com');
  });

  it('treats tag names and policy words case-insensitively, but not the version', () => {
    expect(ok('V=DMARC1; P=Reject; SP=None').record).toMatchObject({
      policy: 'reject',
      subdomainPolicy: 'none',
    });
    expect(bad('v=dmarc1; p=none')).toBe('a DMARC record starts with v=DMARC1');
  });

  it('requires v=DMARC1 as the first tag', () => {
    expect(bad('p=none; v=DMARC1')).toBe('a DMARC record starts with v=DMARC1');
    expect(bad('v=DMARC2; p=none')).toBe('a DMARC record starts with v=DMARC1');
  });

  it('falls back to p=none when p= is missing or invalid but rua= is valid', () => {
    const missing = ok('v=DMARC1; rua=mailto:d@example.com');
    expect(missing.record).toMatchObject({ policy: 'none', policyAssumed: true });
    expect(missing.problems).toEqual([
      'no p= tag: receivers treat the record as p=none because rua= is valid',
    ]);
    const invalid = ok('v=DMARC1; p=block; rua=mailto:d@example.com');
    expect(invalid.problems[0]).toMatch(/^p=block is not none, quarantine or reject/);
    const badSp = ok('v=DMARC1; p=reject; sp=maybe; rua=mailto:d@example.com');
    expect(badSp.record).toMatchObject({ policy: 'none', policyAssumed: true });
    expect(badSp.record.subdomainPolicy).toBeUndefined();
  });

  it('is invalid when p= is missing or invalid and there is no valid rua=', () => {
    expect(bad('v=DMARC1')).toBe('no p= tag, and no valid rua= to fall back on');
    expect(bad('v=DMARC1; p=block; rua=ftp://x.test')).toMatch(/^p=block is not none/);
  });

  it('reports invalid optional tags and uses their defaults', () => {
    const r = ok('v=DMARC1; p=none; pct=150; adkim=x; ri=-1; fo=0:z; rf=iodef');
    expect(r.record).toMatchObject({ pct: 100, adkim: 'r', ri: 86400, fo: ['0'], rf: ['afrf'] });
    expect(r.problems).toEqual([
      'pct=150 is not a whole number from 0 to 100: receivers use 100',
      'ri=-1 is not a whole number from 0 to 4294967295: receivers use 86400',
      'adkim=x is not r or s: receivers use r (relaxed)',
      'fo= has values receivers do not know: z',
      'rf= has values receivers do not know: iodef',
    ]);
  });

  it('lists unknown tags and says they are ignored', () => {
    const r = ok('v=DMARC1; p=none; foo=bar; np=reject');
    expect(r.record.unknownTags).toEqual(['foo', 'np']);
    expect(r.problems).toEqual(['unknown tags ignored by receivers: foo, np']);
  });

  it('notes p= that does not directly follow v=', () => {
    expect(ok('v=DMARC1; rua=mailto:a@b.test; p=none').problems).toEqual([
      'p= should come right after v=DMARC1 (RFC 7489 §6.4); most receivers accept it anywhere',
    ]);
  });

  it('reports report URIs receivers cannot use, keeping the good ones', () => {
    const r = ok(
      'v=DMARC1; p=none; rua=mailto:a@x.test,http://x.test/r,mailto:nobody,, mailto:b@y.test!5q',
    );
    expect(r.record.rua.map((u) => u.uri)).toEqual(['mailto:a@x.test']);
    expect(r.problems).toEqual([
      'rua=: "http://x.test/r" is not a mailto: or https: address, so no report is sent there',
      'rua=: "mailto:nobody" is not a valid mailto: address',
      'rua=: an empty entry in the list',
      'rua=: "mailto:b@y.test!5q" has a size limit that is not a number with an optional k, m, g or t',
    ]);
  });

  it('rejects duplicate tags, including ones differing only in case', () => {
    expect(bad('v=DMARC1; p=none; P=reject')).toMatch(/duplicate tag "P"/);
  });

  it('accepts empty ";;" between tags and at the end, as receivers do, and says to tidy it', () => {
    const r = ok('v=DMARC1; p=reject;; rua=mailto:d@example.com; ;');
    expect(r.record).toMatchObject({ policy: 'reject', rua: [{ address: 'd@example.com' }] });
    expect(r.problems).toEqual([
      'empty ";;" (at positions 19, 47) — harmless to most receivers, but tidy it',
    ]);
    expect(ok('v=DMARC1; p=none;').problems).toEqual([]);
    expect(bad(';;')).toMatch(/empty: no tag=value pair/);
  });
});

describe('parseReportUri', () => {
  it('reads sizes in binary units and https destinations', () => {
    expect(parseReportUri('mailto:a@x.test!1k', { allowSize: true })).toMatchObject({
      maxBytes: 1024,
    });
    expect(parseReportUri('mailto:a@x.test!7', { allowSize: true })).toMatchObject({ maxBytes: 7 });
    expect(parseReportUri('https://r.example.net/dmarc')).toEqual({
      uri: 'https://r.example.net/dmarc',
      scheme: 'https',
      domain: 'r.example.net',
    });
    expect(parseReportUri('mailto:a%40b@X.Test?subject=hi')).toMatchObject({
      address: 'a@b@X.Test',
      domain: 'x.test',
    });
    expect(parseReportUri('mailto:a@x.test!99999999999999999999999', { allowSize: true })).toEqual({
      error: expect.stringMatching(/size limit/),
    });
  });
});

describe('organisationalDomain (Public Suffix List, offline)', () => {
  it('finds the registrable domain, private suffixes included', () => {
    expect(organisationalDomain('mail.example.co.uk')).toBe('example.co.uk');
    expect(organisationalDomain('a.b.example.com.')).toBe('example.com');
    expect(organisationalDomain('founder.github.io')).toBe('founder.github.io');
    expect(organisationalDomain('app.steady-ai.test')).toBe('steady-ai.test');
    expect(organisationalDomain('co.uk')).toBeNull();
  });
});

function memoryDns(zone: Record<string, EmailDnsAnswer | string[]>) {
  const asked: string[] = [];
  const dns: EmailDns = {
    async lookup(name) {
      asked.push(name);
      const z = zone[name];
      if (Array.isArray(z)) return { kind: 'records', records: z };
      return z ?? { kind: 'nxdomain' };
    },
  };
  return { dns, asked };
}

describe('findDmarc', () => {
  it('uses the domain’s own record and its p=', async () => {
    const m = memoryDns({ '_dmarc.mail.example.com': ['v=DMARC1; p=quarantine; sp=none'] });
    const r = await findDmarc('Mail.Example.com', m.dns);
    expect(r).toMatchObject({
      status: 'found',
      foundAt: 'own',
      recordName: '_dmarc.mail.example.com',
      policyDomain: 'mail.example.com',
      appliedPolicy: 'quarantine',
    });
    expect(m.asked).toEqual(['_dmarc.mail.example.com']);
  });

  it('falls back to the organisational domain, where sp= applies', async () => {
    const m = memoryDns({
      '_dmarc.mail.example.com': ['some unrelated text'],
      '_dmarc.example.com': ['v=DMARC1; p=reject; sp=quarantine'],
    });
    const r = await findDmarc('mail.example.com', m.dns);
    expect(r).toMatchObject({
      status: 'found',
      foundAt: 'organisational',
      organisationalDomain: 'example.com',
      policyDomain: 'example.com',
      appliedPolicy: 'quarantine',
      ignoredRecords: ['some unrelated text'],
    });
    const noSp = memoryDns({ '_dmarc.example.com': ['v=DMARC1; p=reject'] });
    expect((await findDmarc('a.example.com', noSp.dns)).appliedPolicy).toBe('reject');
  });

  it('reports several DMARC records as ignored by receivers, without falling back', async () => {
    const m = memoryDns({
      '_dmarc.a.example.com': ['v=DMARC1; p=none', 'v=DMARC1; p=reject'],
      '_dmarc.example.com': ['v=DMARC1; p=reject'],
    });
    const r = await findDmarc('a.example.com', m.dns);
    expect(r.status).toBe('multiple');
    expect(r.problems[0]).toMatch(/receivers ignore all of them/);
    expect(m.asked).toEqual(['_dmarc.a.example.com']);
  });

  it('says none, invalid or error as the answers warrant', async () => {
    expect((await findDmarc('example.com', memoryDns({}).dns)).status).toBe('none');
    const invalid = await findDmarc(
      'example.com',
      memoryDns({ '_dmarc.example.com': ['v=DMARC1; p=block'] }).dns,
    );
    expect(invalid).toMatchObject({ status: 'invalid', parsed: { ok: false } });
    const failed = await findDmarc(
      'example.com',
      memoryDns({ '_dmarc.example.com': { kind: 'error', message: 'timeout' } }).dns,
    );
    expect(failed).toMatchObject({ status: 'error', error: 'timeout' });
  });
});

describe('checkReportAuthorization (RFC 7489 §7.1)', () => {
  it('checks only outside destinations, once per domain', async () => {
    const m = memoryDns({
      'example.com._report._dmarc.reports.test': ['v=DMARC1'],
      'example.com._report._dmarc.broken.test': { kind: 'error', message: 'SERVFAIL' },
      'example.com._report._dmarc.other.test': ['v=spf1 -all'],
    });
    const r = await checkReportAuthorization(
      'example.com',
      [
        'mailto:dmarc@example.com',
        'mailto:x@mail.example.com',
        'mailto:a@reports.test!10m',
        'mailto:b@reports.test',
        'mailto:c@other.test',
        'mailto:d@broken.test',
        'https://collector.test/r',
      ],
      m.dns,
    );
    expect(r.map((x) => [x.uri, x.status])).toEqual([
      ['mailto:dmarc@example.com', 'same-organisation'],
      ['mailto:x@mail.example.com', 'same-organisation'],
      ['mailto:a@reports.test!10m', 'authorised'],
      ['mailto:b@reports.test', 'authorised'],
      ['mailto:c@other.test', 'not-authorised'],
      ['mailto:d@broken.test', 'error'],
      ['https://collector.test/r', 'not-checked'],
    ]);
    expect(r[2]).toMatchObject({
      destination: 'reports.test',
      recordName: 'example.com._report._dmarc.reports.test',
      record: 'v=DMARC1',
    });
    expect(m.asked).toEqual([
      'example.com._report._dmarc.reports.test',
      'example.com._report._dmarc.other.test',
      'example.com._report._dmarc.broken.test',
    ]);
  });

  it('accepts URIs parsed by parseDmarc', async () => {
    const parsed = ok('v=DMARC1; p=none; rua=mailto:a@elsewhere.test');
    const r = await checkReportAuthorization('example.com', parsed.record.rua, memoryDns({}).dns);
    expect(r).toEqual([
      {
        uri: 'mailto:a@elsewhere.test',
        destination: 'elsewhere.test',
        status: 'not-authorised',
        recordName: 'example.com._report._dmarc.elsewhere.test',
      },
    ]);
  });
});
