import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  COMMON_DKIM_SELECTORS,
  UNGUESSABLE_DKIM_SELECTORS,
  discoverDkim,
  guessDkimProvider,
  parseDkimKey,
} from '../../src/main/core/probes/email/dkim';
import type { EmailDns, EmailDnsAnswer } from '../../src/main/core/probes/email/email-dns';
import { DKIM_SELECTOR } from '../../src/shared/workspace';

function rsaSpki(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}
const RSA_1024 = rsaSpki(1024);
const RSA_2048 = rsaSpki(2048);

function ok(txt: string) {
  const r = parseDkimKey(txt);
  if (!r.ok) throw new Error(`expected a key, got: ${r.error}`);
  return r;
}
function bad(txt: string): string {
  const r = parseDkimKey(txt);
  if (r.ok) throw new Error(`expected an error for ${txt.slice(0, 60)}`);
  return r.error;
}

describe('parseDkimKey', () => {
  it('measures a 2048-bit RSA key published as SPKI, with no problems', () => {
    expect(ok(`v=DKIM1; k=rsa; p=${RSA_2048}`)).toEqual({
      ok: true,
      keyType: 'rsa',
      bits: 2048,
      revoked: false,
      testing: false,
      strictSubdomains: false,
      problems: [],
    });
  });

  it('defaults to rsa without k= and v=, and flags a 1024-bit key as below the recommendation', () => {
    const r = ok(`p=${RSA_1024}`);
    expect(r).toMatchObject({ keyType: 'rsa', bits: 1024 });
    expect(r.problems).toEqual([
      '1024-bit RSA key: accepted, but 2048 bits is the recommended minimum (RFC 8301)',
    ]);
  });

  it('says receivers reject RSA keys under 1024 bits', () => {
    const r = ok(`v=DKIM1; p=${rsaSpki(512)}`);
    expect(r.bits).toBe(512);
    expect(r.problems[0]).toMatch(/^512-bit RSA key: receivers reject signatures/);
  });

  it('accepts a bare PKCS#1 RSAPublicKey, as some publishers paste', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    expect(ok(`v=DKIM1; p=${pkcs1}`).bits).toBe(1024);
  });

  it('allows whitespace and folding inside the base64 of p=', () => {
    const folded = `${RSA_2048.slice(0, 100)} ${RSA_2048.slice(100, 200)}\r\n\t${RSA_2048.slice(200)}`;
    expect(ok(`v=DKIM1; p=${folded}`).bits).toBe(2048);
  });

  it('reads an empty p= as a revoked key', () => {
    const r = ok('v=DKIM1; k=rsa; p=');
    expect(r).toMatchObject({ revoked: true, bits: null });
    expect(r.problems).toEqual([
      'p= is empty: this key has been revoked, and signatures made with it fail',
    ]);
  });

  it('reads the t= flags and warns about testing mode', () => {
    const r = ok(`v=DKIM1; t=y:s; p=${RSA_2048}`);
    expect(r).toMatchObject({ testing: true, strictSubdomains: true });
    expect(r.problems).toEqual([
      't=y: the key is in testing mode, so receivers treat signed mail as if it were unsigned',
    ]);
    expect(ok(`t=s; p=${RSA_2048}`)).toMatchObject({ testing: false, strictSubdomains: true });
  });

  it('reads h=, s= and n=, and warns when only sha1 is allowed (RFC 8301)', () => {
    const r = ok(`v=DKIM1; h=sha1; s=email; n=our key; p=${RSA_2048}`);
    expect(r).toMatchObject({
      hashAlgorithms: ['sha1'],
      serviceTypes: ['email'],
      notes: 'our key',
    });
    expect(r.problems[0]).toMatch(/^h=sha1 does not allow sha256: RFC 8301 forbids rsa-sha1/);
    expect(ok(`h=sha1:sha256; p=${RSA_2048}`).problems).toEqual([]);
    expect(ok(`s=tlsrpt; p=${RSA_2048}`).problems[0]).toMatch(/not offered for email/);
  });

  it('measures an ed25519 key as its 32 raw bytes (RFC 8463)', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    const r = ok(`v=DKIM1; k=ed25519; p=${raw.toString('base64')}`);
    expect(r).toMatchObject({ keyType: 'ed25519', bits: 256 });
    expect(r.problems[0]).toMatch(/publish an RSA key beside it/);
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(bad(`k=ed25519; p=${spki}`)).toMatch(/holds 44 \(this looks like an SPKI-wrapped key/);
  });

  it('reports undecodable keys as parse errors', () => {
    expect(bad('v=DKIM1; p=not*base64')).toBe('p= is not valid base64');
    expect(bad('v=DKIM1; p=QUJD')).toBe(
      'p= decodes, but not to an RSA public key (neither SPKI nor PKCS#1)',
    );
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ec = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(bad(`k=rsa; p=${ec}`)).toBe('p= holds a key of type ec, but k= says rsa');
  });

  it('reads k=, h=, s= and t= values case-insensitively, as ABNF literals are', () => {
    expect(ok(`v=DKIM1; k=RSA; h=SHA256; s=Email; t=Y; p=${RSA_2048}`)).toMatchObject({
      keyType: 'rsa',
      bits: 2048,
      testing: true,
      hashAlgorithms: ['sha256'],
      serviceTypes: ['email'],
    });
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    expect(ok(`k=Ed25519; p=${raw.toString('base64')}`).keyType).toBe('ed25519');
  });

  it('says why a key that parses can verify nothing (h= without sha256, s= without email)', () => {
    expect(ok(`h=sha1; p=${RSA_2048}`).unusable).toMatch(
      /^h=sha1 does not allow sha256: RFC 8301 forbids rsa-sha1/,
    );
    expect(ok(`s=tlsrpt; p=${RSA_2048}`).unusable).toBe(
      's=tlsrpt: the key is not offered for email, so receivers ignore it',
    );
    expect(ok(`h=sha1; s=tlsrpt; p=${RSA_2048}`).unusable).toMatch(/sha256.*; s=tlsrpt/);
    for (const usable of [
      `p=${RSA_2048}`,
      `h=sha1:sha256; s=email; p=${RSA_2048}`,
      `s=*; p=${RSA_2048}`,
      `t=y; p=${RSA_2048}`,
      'p=',
    ]) {
      expect(ok(usable), usable.slice(0, 20)).not.toHaveProperty('unusable');
    }
  });

  it('enforces v=DKIM1 first when present, a known k= and a p= tag', () => {
    expect(bad(`k=rsa; v=DKIM1; p=${RSA_2048}`)).toBe(
      'v= must be the first tag of a DKIM key record',
    );
    expect(bad(`v=DKIM2; p=${RSA_2048}`)).toMatch(/^v=DKIM2 is not DKIM1/);
    expect(bad(`k=dsa; p=${RSA_2048}`)).toMatch(/^unknown key type k=dsa/);
    expect(bad('v=DKIM1; k=rsa')).toBe('no p= tag: the record holds no public key');
    expect(bad('v=DKIM1; p=a; p=b')).toMatch(/duplicate tag "p"/);
  });
});

describe('common selectors', () => {
  it('lists each selector once, with its providers', () => {
    const names = COMMON_DKIM_SELECTORS.map((c) => c.selector);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['google', 'selector1', 'selector2', 's1', 's2', 'k1', 'resend']),
    );
    expect(UNGUESSABLE_DKIM_SELECTORS.map((u) => u.provider)).toEqual(['Amazon SES', 'Postmark']);
  });

  it('guesses the provider from a selector name, including the unguessable patterns', () => {
    expect(guessDkimProvider('google')).toBe('Google Workspace');
    expect(guessDkimProvider('Selector1')).toBe('Microsoft 365');
    expect(guessDkimProvider('k1')).toBe('Mailchimp or Mailgun');
    expect(guessDkimProvider('20240101120000pm')).toBe('Postmark');
    expect(guessDkimProvider('abcdefghijklmnopqrstuvwxyz012345')).toBe('Amazon SES (Easy DKIM)');
    expect(guessDkimProvider('mykey')).toBeUndefined();
  });
});

/** Serves TXT answers from memory and records how many lookups were in flight at once. */
function memoryDns(zone: Record<string, EmailDnsAnswer>) {
  const asked: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const dns: EmailDns = {
    async lookup(name, type) {
      asked.push(`${name} ${type}`);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return zone[name] ?? { kind: 'nxdomain' };
    },
  };
  return { dns, asked, maxInFlight: () => maxInFlight };
}

describe('discoverDkim', () => {
  it('tries own selectors first, then the common ones, each once, with bounded concurrency', async () => {
    const m = memoryDns({
      'mykey._domainkey.example.com': { kind: 'records', records: [`v=DKIM1; p=${RSA_2048}`] },
      'google._domainkey.example.com': {
        kind: 'records',
        records: ['google-site-verification=abc', `v=DKIM1; k=rsa; p=${RSA_1024}`],
      },
      's1._domainkey.example.com': { kind: 'error', message: 'SERVFAIL' },
    });
    const d = await discoverDkim('Example.COM.', ['mykey', 'GOOGLE', 'mykey'], m.dns, {
      concurrency: 3,
    });
    expect(d.domain).toBe('example.com');
    expect(d.results).toHaveLength(1 + COMMON_DKIM_SELECTORS.length);
    expect(new Set(m.asked).size).toBe(m.asked.length);
    expect(m.maxInFlight()).toBeLessThanOrEqual(3);
    expect(d.results[0]).toMatchObject({
      selector: 'mykey',
      source: 'own',
      status: 'found',
      key: { ok: true, bits: 2048 },
    });
    expect(d.results[1]).toMatchObject({
      selector: 'google',
      source: 'own',
      status: 'found',
      provider: 'Google Workspace',
      record: `v=DKIM1; k=rsa; p=${RSA_1024}`,
      key: { ok: true, bits: 1024 },
      problems: [],
    });
    expect(d.results.find((r) => r.selector === 's1')).toMatchObject({
      status: 'error',
      error: 'SERVFAIL',
      source: 'common',
    });
    expect(d.results.find((r) => r.selector === 'selector1')).toMatchObject({
      status: 'not-found',
    });
  });

  it('flags several keys at one selector and reads the first', async () => {
    const m = memoryDns({
      'a._domainkey.x.test': {
        kind: 'records',
        records: [`v=DKIM1; p=${RSA_2048}`, `p=${RSA_1024}`],
      },
      'b._domainkey.x.test': { kind: 'records', records: ['some other text'] },
    });
    const d = await discoverDkim('x.test', ['a', 'b', 'bad selector!'], m.dns, {
      includeCommon: false,
    });
    expect(d.results[0]?.problems[0]).toMatch(/^2 DKIM key records at a\._domainkey\.x\.test/);
    expect(d.results[0]?.key).toMatchObject({ ok: true, bits: 2048 });
    expect(d.results[1]).toMatchObject({
      status: 'not-found',
      problems: ['1 TXT record(s) here, none of them a DKIM key'],
    });
    expect(d.results[2]).toMatchObject({
      status: 'error',
      error: '"bad selector!" is not a valid DKIM selector',
    });
    expect(m.asked).toEqual(['a._domainkey.x.test TXT', 'b._domainkey.x.test TXT']);
  });

  it('accepts exactly the selectors the workspace accepts: one rule, usable from zod', async () => {
    const cases = [
      's1',
      'a.b',
      'a_b',
      'x-1.y_2',
      '20240101120000pm',
      'a'.repeat(63),
      'a..b',
      '.a',
      '-a',
      'a-',
      'a.-b',
      'a b',
      'a/b',
      'a'.repeat(64),
      `${'a'.repeat(60)}.`.repeat(4) + 'b',
    ];
    const m = memoryDns({});
    const d = await discoverDkim('x.test', cases, m.dns, { includeCommon: false });
    const valid = cases.map((c) => DKIM_SELECTOR.test(c));
    expect(d.results.map((r) => r.status !== 'error')).toEqual(valid);
    expect(valid).toEqual([...Array(6).fill(true), ...Array(9).fill(false)]);
    const field = z.string().regex(DKIM_SELECTOR);
    expect([field.safeParse('s1.mail').success, field.safeParse('a..b').success]).toEqual([
      true,
      false,
    ]);
  });

  it('caps the total number of lookups and names the selectors skipped', async () => {
    const m = memoryDns({});
    const own = Array.from({ length: 10 }, (_, i) => `key${i}`);
    const d = await discoverDkim('x.test', own, m.dns, { maxLookups: 4 });
    expect(d.results.map((r) => r.selector)).toEqual(['key0', 'key1', 'key2', 'key3']);
    expect(d.skipped).toHaveLength(6 + COMMON_DKIM_SELECTORS.length);
    expect(m.asked).toHaveLength(4);
  });

  it('stops when aborted, and turns a throwing EmailDns into per-selector errors', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborting: EmailDns = {
      lookup: async () => {
        throw new Error('stopped');
      },
    };
    await expect(
      discoverDkim('x.test', ['a'], aborting, { signal: controller.signal }),
    ).rejects.toThrow('stopped');
    const d = await discoverDkim('x.test', ['a'], aborting, { includeCommon: false });
    expect(d.results[0]).toMatchObject({ status: 'error', error: 'stopped' });
  });
});
