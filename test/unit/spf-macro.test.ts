import { describe, expect, it } from 'vitest';
import { checkHost, expandMacros, parseMacroString } from '../../src/main/core/probes/email/spf';
import type { MacroMode, MacroValues } from '../../src/main/core/probes/email/spf';
import { MemoryEmailDns } from '../support/memory-email-dns';

// RFC 7208 §7.4's example: sender strong-bad@email.example.com, client 192.0.2.3.
const values: MacroValues = {
  s: 'strong-bad@email.example.com',
  l: 'strong-bad',
  o: 'email.example.com',
  d: 'email.example.com',
  i: '192.0.2.3',
  v: 'in-addr',
  h: 'mx.example.org',
  c: '192.0.2.3',
  r: 'mx.example.net',
  t: '1700000000',
  p: () => Promise.resolve('mx.example.org'),
};

async function expand(text: string, mode: MacroMode = 'domain', v = values): Promise<string> {
  const parsed = parseMacroString(text, mode);
  if (!parsed.ok) throw new Error(parsed.error);
  return expandMacros(parsed.tokens, v);
}

describe('macro expansion (RFC 7208 §7.4 examples)', () => {
  it.each([
    ['%{s}', 'strong-bad@email.example.com'],
    ['%{o}', 'email.example.com'],
    ['%{d}', 'email.example.com'],
    ['%{d4}', 'email.example.com'],
    ['%{d3}', 'email.example.com'],
    ['%{d2}', 'example.com'],
    ['%{d1}', 'com'],
    ['%{dr}', 'com.example.email'],
    ['%{d2r}', 'example.email'],
    ['%{l}', 'strong-bad'],
    ['%{l-}', 'strong.bad'],
    ['%{lr}', 'strong-bad'],
    ['%{lr-}', 'bad.strong'],
    ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
    ['%{p2}.trusted-domains.example.net', 'example.org.trusted-domains.example.net'],
  ])('%s → %s', async (text, expected) => {
    expect(await expand(text)).toBe(expected);
  });

  it('asks for more parts than there are: all of them', async () => {
    expect(await expand('%{d99}')).toBe('email.example.com');
    expect(await expand('%{d99999999999999999999}')).toBe('email.example.com');
  });

  it('splits on several delimiters at once and joins with dots', async () => {
    const v = { ...values, l: 'foo-bar+zip+quux' };
    expect(await expand('%{l2r+-}', 'domain', v)).toBe('bar.foo');
    expect(await expand('%{l+-}', 'domain', v)).toBe('foo.bar.zip.quux');
  });

  it('expands %%, %_ and %- to "%", " " and "%20"', async () => {
    expect(await expand('macro%%percent%_%_space%-url-space.example.com')).toBe(
      'macro%percent  space%20url-space.example.com',
    );
  });

  it('URL-escapes upper-case macros, keeping only the unreserved characters', async () => {
    const v = { ...values, l: '~jack&jill=up-a_b3.c', s: 'a+b@example.com' };
    expect(await expand('%{L}', 'domain', v)).toBe('~jack%26jill%3Dup-a_b3.c');
    expect(await expand('%{S}', 'domain', v)).toBe('a%2Bb%40example.com');
    expect(await expand('%{L}', 'domain', { ...v, l: 'é' })).toBe('%C3%A9');
  });

  it('looks up %{p} only when it is used', async () => {
    let calls = 0;
    const counting = { ...values, p: () => Promise.resolve(`p${++calls}.example.com`) };
    await expand('%{d}.%{i}', 'domain', counting);
    expect(calls).toBe(0);
    expect(await expand('%{p}', 'domain', counting)).toBe('p1.example.com');
  });

  it('allows c, r, t and spaces in explanations only', async () => {
    expect(await expand('%{c} to %{r} at %{t}', 'explain')).toBe(
      '192.0.2.3 to mx.example.net at 1700000000',
    );
    expect(parseMacroString('%{c}', 'domain')).toEqual({
      ok: false,
      error: 'macro "%{c}": %{c} is allowed only in explanation text',
    });
    expect(parseMacroString('two words', 'domain').ok).toBe(false);
  });
});

describe('macro syntax errors', () => {
  it.each([
    ['%', /not the end/],
    ['foo%', /not the end/],
    ['%(ir)', /not "\("/],
    ['%{', /is not closed/],
    ['%{}', /has no letter/],
    ['%{x}', /"x" is not a macro letter/],
    ['%{d0}', /must not be zero/],
    ['%{d2r?}', /"\?" is not a delimiter/],
    ['%{dx}', /"x" is not a delimiter/],
    ['caf\u00e9', /U\+00E9 is not allowed/],
  ])('%j', (text, message) => {
    const parsed = parseMacroString(text, 'explain');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe('macros in check_host()', () => {
  const check = (
    zone: ConstructorParameters<typeof MemoryEmailDns>[0],
    ip: string,
    sender: string,
  ) =>
    checkHost(
      { ip, domain: sender.slice(sender.indexOf('@') + 1), sender, helo: 'mx.example.org' },
      new MemoryEmailDns(zone),
      { receivingHost: 'mx.example.net', now: new Date(1_700_000_000_000) },
    );

  it('expands %{i} of an IPv6 client as 32 nibbles and %{c} as RFC 5952 text', async () => {
    const r = await check(
      {
        'example.com': [{ TXT: 'v=spf1 -all exp=why.example.com' }],
        'why.example.com': [{ TXT: '%{c} is %{ir}.%{v}.arpa; told %{r} at %{t}' }],
      },
      '2001:DB8:0:0:0:0:0:CB01',
      'strong-bad@example.com',
    );
    expect(r.result).toBe('fail');
    expect(r.explanation).toBe(
      '2001:db8::cb01 is 1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6.arpa; ' +
        'told mx.example.net at 1700000000',
    );
  });

  it('treats an IPv4-mapped client as IPv4 in macros', async () => {
    const r = await check(
      {
        'example.com': [{ TXT: 'v=spf1 -all exp=why.example.com' }],
        'why.example.com': [{ TXT: '%{i} %{v}' }],
      },
      '::ffff:192.0.2.3',
      'x@example.com',
    );
    expect(r.explanation).toBe('192.0.2.3 in-addr');
  });

  it('expands %{d} to the domain being evaluated, inside an include too', async () => {
    const r = await check(
      {
        'example.com': [{ TXT: 'v=spf1 include:inc.example.net -all' }],
        'inc.example.net': [{ TXT: 'v=spf1 exists:%{d}.%{o}.ok.example.org' }],
        'inc.example.net.example.com.ok.example.org': [{ A: '127.0.0.2' }],
      },
      '192.0.2.3',
      'x@example.com',
    );
    expect(r).toMatchObject({ result: 'pass', mechanism: 'include:inc.example.net' });
  });

  it('drops labels from the left of a name over 253 characters (§7.3)', async () => {
    const [a, b] = ['a'.repeat(60), 'b'.repeat(60)];
    const zone = {
      'example.com': [{ TXT: 'v=spf1 exists:%{l}.%{l}.%{l}.example.com -all' }],
      // 377 characters expanded: dropping a, b, a from the left leaves 194.
      [`${b}.${a}.${b}.example.com`]: [{ A: '127.0.0.2' }],
    };
    expect((await check(zone, '192.0.2.3', `${a}.${b}@example.com`)).result).toBe('pass');
  });

  it('uses a validated PTR name for %{p}, preferring one under the domain', async () => {
    const r = await check(
      {
        'example.com': [{ TXT: 'v=spf1 -all exp=why.example.com' }],
        'why.example.com': [{ TXT: 'from %{p}' }],
        '3.2.0.192.in-addr.arpa': [{ PTR: 'other.example.org' }, { PTR: 'mx.example.com' }],
        'other.example.org': [{ A: '192.0.2.3' }],
        'mx.example.com': [{ A: '192.0.2.3' }],
      },
      '192.0.2.3',
      'x@example.com',
    );
    expect(r.explanation).toBe('from mx.example.com');
  });

  it('says "unknown" for %{p} when no PTR name resolves back', async () => {
    const r = await check(
      {
        'example.com': [{ TXT: 'v=spf1 -all exp=why.example.com' }],
        'why.example.com': [{ TXT: 'from %{p}' }],
        '3.2.0.192.in-addr.arpa': [{ PTR: 'liar.example.org' }],
        'liar.example.org': [{ A: '198.51.100.7' }],
      },
      '192.0.2.3',
      'x@example.com',
    );
    expect(r.explanation).toBe('from unknown');
  });

  it('uses postmaster for a sender without a local-part', async () => {
    const r = await check(
      {
        'example.com': [{ TXT: 'v=spf1 -all exp=why.example.com' }],
        'why.example.com': [{ TXT: '%{l} / %{s}' }],
      },
      '192.0.2.3',
      '@example.com',
    );
    expect(r.explanation).toBe('postmaster / postmaster@example.com');
  });
});
