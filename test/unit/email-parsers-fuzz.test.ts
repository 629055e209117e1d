/**
 * Every email record parser against random and mutated input from a seeded generator: none may
 * throw, each returns a result of its documented shape, and 100 kB inputs finish quickly.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDkimKey } from '../../src/main/core/probes/email/dkim';
import {
  organisationalDomain,
  parseDmarc,
  parseReportUri,
} from '../../src/main/core/probes/email/dmarc';
import {
  mxMatchesPolicy,
  parseMtaStsPolicy,
  parseMtaStsTxt,
} from '../../src/main/core/probes/email/mta-sts';
import { parseTagList, startsWithVersion } from '../../src/main/core/probes/email/tag-list';
import { parseTlsRpt } from '../../src/main/core/probes/email/tls-rpt';

/** mulberry32: small, fast and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'=;:,.!@*-_/+ \t\r\n?%',
  '\u0000',
  '\u00e9',
  '\u{1F600}',
  '\uFEFF',
  'v=',
  'p=',
  'DKIM1',
  'DMARC1',
  'STSv1',
  'TLSRPTv1',
  'mailto:',
  'https://',
  '\r\n ',
];

const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const KEY = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const SEEDS = [
  `v=DKIM1; k=rsa; t=y:s; h=sha256; p=${KEY}`,
  'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
  'v=DMARC1; p=reject; sp=none; pct=50; rua=mailto:a@example.com!10m,mailto:b@x.test; ruf=mailto:f@example.com; adkim=s; aspf=r; fo=0:1:d:s; rf=afrf; ri=3600',
  'v=STSv1; id=20240101000000Z',
  'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n',
  'v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.net/v1',
];

function randomString(rand: () => number, maxLen: number): string {
  const n = Math.floor(rand() * maxLen);
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

function mutate(rand: () => number, text: string): string {
  let s = text;
  const edits = 1 + Math.floor(rand() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (s.length + 1));
    switch (Math.floor(rand() * 6)) {
      case 0: // insert
        s = s.slice(0, at) + (ALPHABET[Math.floor(rand() * ALPHABET.length)] ?? '') + s.slice(at);
        break;
      case 1: // delete a run
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 8));
        break;
      case 2: // duplicate a run (repeated tags, repeated lines)
        s = s.slice(0, at) + s.slice(at, at + 20) + s.slice(at);
        break;
      case 3: // flip the case of one character
        s = s.slice(0, at) + (s[at] ?? '').toUpperCase() + s.slice(at + 1);
        break;
      case 4: // cut
        s = s.slice(0, at);
        break;
      default: // swap in a separator
        s =
          s.slice(0, at) +
          ([';', '=', '\n', ',', ':', ' '][Math.floor(rand() * 6)] ?? '') +
          s.slice(at + 1);
    }
  }
  return s;
}

const isStrings = (v: unknown): boolean =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Each parser, and what a well-formed result of it looks like. */
const PARSERS: {
  name: string;
  run: (s: string) => unknown;
  wellFormed: (r: unknown) => boolean;
}[] = [
  {
    name: 'parseTagList',
    run: (s) => [
      parseTagList(s),
      parseTagList(s, { caseInsensitiveNames: true }),
      parseTagList(s, { extendedNames: true }),
      parseTagList(s, { allowEmptyTags: true }),
    ],
    wellFormed: (r) =>
      (r as unknown[]).every((x) => {
        const t = x as {
          ok: boolean;
          tags?: unknown[];
          emptyTags?: unknown[];
          error?: string;
          at?: number;
        };
        return t.ok
          ? Array.isArray(t.tags) &&
              (t.emptyTags === undefined || t.emptyTags.every((at) => typeof at === 'number')) &&
              t.tags.length > 0 &&
              t.tags.every((tag) => {
                const { name, value, at } = tag as { name: unknown; value: unknown; at: unknown };
                return (
                  typeof name === 'string' &&
                  name !== '' &&
                  typeof value === 'string' &&
                  typeof at === 'number'
                );
              })
          : typeof t.error === 'string' && t.error !== '' && typeof t.at === 'number';
      }),
  },
  {
    name: 'parseDkimKey',
    run: parseDkimKey,
    wellFormed: (r) => {
      const k = r as Record<string, unknown>;
      if (!k.ok) return typeof k.error === 'string' && k.error !== '';
      return (
        (k.keyType === 'rsa' || k.keyType === 'ed25519') &&
        (k.bits === null || (typeof k.bits === 'number' && k.bits > 0)) &&
        typeof k.revoked === 'boolean' &&
        k.revoked === (k.bits === null) &&
        typeof k.testing === 'boolean' &&
        typeof k.strictSubdomains === 'boolean' &&
        (k.unusable === undefined || (typeof k.unusable === 'string' && k.unusable !== '')) &&
        isStrings(k.problems)
      );
    },
  },
  {
    name: 'parseDmarc',
    run: parseDmarc,
    wellFormed: (r) => {
      const d = r as {
        ok: boolean;
        error?: string;
        problems?: unknown;
        record?: Record<string, unknown>;
      };
      if (!d.ok) return typeof d.error === 'string' && d.error !== '';
      const rec = d.record ?? {};
      return (
        ['none', 'quarantine', 'reject'].includes(rec.policy as string) &&
        typeof rec.pct === 'number' &&
        (rec.pct as number) >= 0 &&
        (rec.pct as number) <= 100 &&
        Array.isArray(rec.rua) &&
        Array.isArray(rec.ruf) &&
        ['r', 's'].includes(rec.adkim as string) &&
        ['r', 's'].includes(rec.aspf as string) &&
        isStrings(rec.fo) &&
        isStrings(rec.unknownTags) &&
        isStrings(d.problems)
      );
    },
  },
  {
    name: 'parseReportUri',
    run: (s) => [parseReportUri(s), parseReportUri(s, { allowSize: true })],
    wellFormed: (r) =>
      (r as Record<string, unknown>[]).every((u) =>
        'error' in u
          ? typeof u.error === 'string'
          : typeof u.uri === 'string' && (u.scheme === 'mailto' || u.scheme === 'https'),
      ),
  },
  {
    name: 'parseMtaStsTxt',
    run: parseMtaStsTxt,
    wellFormed: (r) => {
      const t = r as Record<string, unknown>;
      return t.ok
        ? typeof t.id === 'string' && /^[A-Za-z0-9]{1,32}$/.test(t.id) && isStrings(t.problems)
        : typeof t.error === 'string';
    },
  },
  {
    name: 'parseMtaStsPolicy',
    run: parseMtaStsPolicy,
    wellFormed: (r) => {
      const p = r as {
        ok: boolean;
        error?: string;
        problems: unknown;
        policy?: Record<string, unknown>;
      };
      if (!isStrings(p.problems) || (p.problems as string[]).length > 20) return false;
      if (!p.ok) return typeof p.error === 'string';
      const pol = p.policy ?? {};
      return (
        pol.version === 'STSv1' &&
        ['enforce', 'testing', 'none'].includes(pol.mode as string) &&
        isStrings(pol.mx) &&
        Number.isInteger(pol.maxAge)
      );
    },
  },
  {
    name: 'mxMatchesPolicy',
    run: (s) => [mxMatchesPolicy(s, [s, `*.${s}`]), mxMatchesPolicy('mail.example.com', [s])],
    wellFormed: (r) => (r as unknown[]).every((b) => typeof b === 'boolean'),
  },
  {
    name: 'parseTlsRpt',
    run: parseTlsRpt,
    wellFormed: (r) => {
      const t = r as Record<string, unknown>;
      return t.ok
        ? Array.isArray(t.rua) && (t.rua as unknown[]).length > 0 && isStrings(t.problems)
        : typeof t.error === 'string';
    },
  },
  {
    name: 'startsWithVersion / organisationalDomain',
    run: (s) => [startsWithVersion(s, 'DMARC1'), organisationalDomain(s)],
    wellFormed: (r) => {
      const [v, org] = r as [unknown, unknown];
      return typeof v === 'boolean' && (org === null || typeof org === 'string');
    },
  },
];

function check(input: string): void {
  for (const p of PARSERS) {
    let result: unknown;
    try {
      result = p.run(input);
    } catch (err) {
      throw new Error(`${p.name} threw on ${JSON.stringify(input.slice(0, 200))}`, {
        cause: err,
      });
    }
    if (!p.wellFormed(result)) {
      throw new Error(
        `${p.name} returned a malformed result for ${JSON.stringify(input.slice(0, 200))}: ${JSON.stringify(result).slice(0, 300)}`,
      );
    }
  }
}

describe('email record parsers under fuzzing', () => {
  it('never throw and always return well-formed results for random input', () => {
    const rand = prng(0x5eed);
    for (let i = 0; i < 1500; i++) check(randomString(rand, 120));
    expect(PARSERS).toHaveLength(9);
  });

  it('never throw and always return well-formed results for mutated valid records', () => {
    const rand = prng(20240101);
    let stillParsing = 0;
    for (let i = 0; i < 2500; i++) {
      const seed = SEEDS[i % SEEDS.length] ?? '';
      const input = mutate(rand, seed);
      check(input);
      if (parseTagList(input).ok) stillParsing++;
    }
    // The mutations keep many records near-valid, so the deep paths get exercised too.
    expect(stillParsing).toBeGreaterThan(500);
  });

  it('parses the unmutated seeds', () => {
    expect(parseDkimKey(SEEDS[0] ?? '').ok).toBe(true);
    expect(parseDmarc(SEEDS[2] ?? '').ok).toBe(true);
    expect(parseMtaStsTxt(SEEDS[3] ?? '').ok).toBe(true);
    expect(parseMtaStsPolicy(SEEDS[4] ?? '').ok).toBe(true);
    expect(parseTlsRpt(SEEDS[5] ?? '').ok).toBe(true);
  });

  it('handles 100 kB inputs in bounded time', () => {
    const rand = prng(7);
    const big = 100 * 1024;
    const inputs = [
      randomString(rand, 1).padEnd(big, 'a'),
      `v=DKIM1; p=${'QUJD'.repeat(big / 4)}`,
      `v=DKIM1; n=${'x '.repeat(big / 2)}; p=`,
      'a=1;'.repeat(big / 4),
      `v=DMARC1; p=none; rua=${'mailto:a@b.test,'.repeat(big / 16)}`,
      `v=DMARC1; p=none${'; '.repeat(big / 2)}`,
      `version: STSv1\nmode: enforce\nmax_age: 1\n${'mx: a.example.com\n'.repeat(big / 18)}`,
      '\n'.repeat(big),
      ` \r\n`.repeat(big / 3),
      Array.from({ length: big }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join(''),
    ];
    for (const input of inputs) {
      const started = performance.now();
      check(input);
      const ms = performance.now() - started;
      expect(ms, `${input.slice(0, 30)}… took ${Math.round(ms)} ms`).toBeLessThan(1000);
    }
  });
});
