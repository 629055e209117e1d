import { describe, expect, it } from 'vitest';
import {
  isSpfRecord,
  parseSpfRecord,
  selectSpfRecords,
} from '../../src/main/core/probes/email/spf';
import type { Mechanism } from '../../src/main/core/probes/email/spf';

function mechanisms(text: string): Mechanism[] {
  const record = parseSpfRecord(text);
  expect(record.errors).toEqual([]);
  return record.mechanisms;
}

describe('selecting SPF records (RFC 7208 §4.5)', () => {
  it.each([
    ['v=spf1', true],
    ['v=spf1 -all', true],
    ['V=SpF1 ~all', true],
    ['v=spf1   ', true],
    ['v=spf10', false],
    ['v=spf1mx', false],
    [' v=spf1 -all', false],
    ['v=spf2.0/pra -all', false],
    ['spf1 -all', false],
  ])('%j is an SPF record: %s', (txt, expected) => {
    expect(isSpfRecord(txt)).toBe(expected);
  });

  it('keeps only the SPF records among a name’s TXT records', () => {
    const txts = ['google-site-verification=abc', 'v=spf1 -all', 'v=spf10 +all', 'V=SPF1 +all'];
    expect(selectSpfRecords(txts)).toEqual(['v=spf1 -all', 'V=SPF1 +all']);
  });
});

describe('parsing terms', () => {
  it('reads qualifiers, defaulting to +', () => {
    const ms = mechanisms('v=spf1 a +mx -ip4:192.0.2.1 ~include:_spf.example.com ?all');
    expect(ms.map((m) => [m.kind, m.qualifier])).toEqual([
      ['a', '+'],
      ['mx', '+'],
      ['ip4', '-'],
      ['include', '~'],
      ['all', '?'],
    ]);
  });

  it('reads a and mx with optional domains and dual prefix lengths', () => {
    const [a, b, c, d] = mechanisms('v=spf1 a a/24 mx:mail.example.com//64 a:e.example.com/24//48');
    expect([a?.domain, a?.cidr4, a?.cidr6]).toEqual([undefined, 32, 128]);
    expect([b?.cidr4, b?.cidr6]).toEqual([24, 128]);
    expect([c?.domain?.text, c?.cidr4, c?.cidr6]).toEqual(['mail.example.com', 32, 64]);
    expect([d?.domain?.text, d?.cidr4, d?.cidr6]).toEqual(['e.example.com', 24, 48]);
  });

  it('allows any visible character but % in a domain-spec, slashes and colons included', () => {
    const [a] = mechanisms('v=spf1 a:foo:bar/baz.example.com');
    expect(a?.domain?.text).toBe('foo:bar/baz.example.com');
    expect([a?.cidr4, a?.cidr6]).toEqual([32, 128]);
  });

  it('reads ip4 and ip6 networks, with full-length prefixes by default', () => {
    const [v4, v4net, v6, v6mapped] = mechanisms(
      'v=spf1 ip4:192.0.2.1 ip4:198.51.100.0/24 ip6:2001:db8::/32 ip6:::ffff:192.0.2.1',
    );
    expect([v4?.prefix, v4net?.prefix, v6?.prefix, v6mapped?.prefix]).toEqual([32, 24, 32, 128]);
    expect([...(v4net?.network?.bytes ?? [])]).toEqual([198, 51, 100, 0]);
    expect(v6?.network?.family).toBe(6);
    expect([...(v6mapped?.network?.bytes ?? [])].slice(10)).toEqual([0xff, 0xff, 192, 0, 2, 1]);
  });

  it('treats mechanism and modifier names case-insensitively', () => {
    const record = parseSpfRecord(
      'v=spf1 IP4:192.0.2.1 MX -ALL Redirect=example.com EXP=x.example.com',
    );
    expect(record.errors).toEqual([]);
    expect(record.mechanisms.map((m) => m.kind)).toEqual(['ip4', 'mx', 'all']);
    expect(record.redirect?.domain?.text).toBe('example.com');
    expect(record.exp?.domain?.text).toBe('x.example.com');
  });

  it('keeps unknown modifiers without acting on them', () => {
    const record = parseSpfRecord('v=spf1 moo.cow-far_out=man:dog/cat default=+ -all');
    expect(record.errors).toEqual([]);
    expect(record.terms.filter((t) => t.type === 'modifier').map((t) => t.text)).toEqual([
      'moo.cow-far_out=man:dog/cat',
      'default=+',
    ]);
  });

  it('accepts several spaces between terms and trailing spaces', () => {
    expect(mechanisms('v=spf1  a   -all  ').map((m) => m.text)).toEqual(['a', '-all']);
  });

  it('accepts an empty record', () => {
    const record = parseSpfRecord('v=spf1');
    expect(record).toMatchObject({ errors: [], terms: [], mechanisms: [] });
  });

  it('accepts macros where a domain-spec ends in one or in a top label', () => {
    const record = parseSpfRecord(
      'v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} include:_spf.%{d2} a:%{H} a:x.example.com. -all exp=explain.%{o}',
    );
    expect(record.errors).toEqual([]);
  });
});

describe('syntax errors (permerror with a precise message)', () => {
  it.each([
    ['v=spf1 ip4:1.2.3.4 -all moo', /"moo" is not a mechanism or a modifier/],
    ['v=spf1 -all.', /"-all\." is not a mechanism/],
    ['v=spf1 -all:foobar', /all takes no domain or prefix length/],
    ['v=spf1 -all/8', /all takes no domain or prefix length/],
    ['v=spf1 redirect:example.com', /redirect is a modifier, written redirect=domain/],
    ['v=spf1 include', /include needs ":domain"/],
    ['v=spf1 include:', /the domain is empty/],
    ['v=spf1 include:ip5.example.com/24', /"com\/24" is not a valid top-level label/],
    ['v=spf1 exists:mail.example.com/24', /not a valid top-level label/],
    ['v=spf1 a:111.222.33.44', /all digits \(an IP address belongs in ip4:\)/],
    ['v=spf1 a:abc.123', /last label "123" is all digits/],
    ['v=spf1 a:museum', /it is not a dotted domain name/],
    ['v=spf1 a:museum.', /it is not a dotted domain name/],
    ['v=spf1 a:example.-com', /"-com" is not a valid top-level label/],
    ['v=spf1 a:example.com:8080', /"com:8080" is not a valid top-level label/],
    ['v=spf1 a/33', /"\/33" is not an IPv4 prefix length \(0-32\)/],
    ['v=spf1 mx//129', /"\/\/129" is not an IPv6 prefix length \(0-128\)/],
    ['v=spf1 a/24/64', /expected a\[:domain\]\[\/prefix\]\[\/\/prefix6\]/],
    ['v=spf1 ptr/0', /ptr takes ":domain" and no prefix length/],
    ['v=spf1 ip4', /expected ip4:address\[\/prefix\]/],
    ['v=spf1 ip4:1.2.3', /"1.2.3" is not an IPv4 address/],
    ['v=spf1 ip4:1.2.3.4:8080', /"1.2.3.4:8080" is not an IPv4 address/],
    ['v=spf1 ip4:01.2.3.4', /is not an IPv4 address/],
    ['v=spf1 ip4:1.2.3.4/33', /"\/33" is not a prefix length \(0-32\)/],
    ['v=spf1 ip4:1.2.3.4/032', /"\/032" is not a prefix length/],
    ['v=spf1 ip4:1.2.3.4//32', /"\/\/32" is not a prefix length/],
    ['v=spf1 ip6::CAFE::BABE', /":CAFE::BABE" is not an IPv6 address/],
    ['v=spf1 ip6:fe80::1%eth0', /is not an IPv6 address/],
    ['v=spf1 ip6:::1/129', /"\/129" is not a prefix length \(0-128\)/],
    ['v=spf1 exp=', /the domain is empty/],
    ['v=spf1 exp=-all', /it is not a dotted domain name/],
    ['v=spf1 redirect=a.example.com redirect=b.example.com', /"redirect=" appears more than once/],
    ['v=spf1 exp=a.example.com -all exp=b.example.com', /"exp=" appears more than once/],
    ['v=spf1 1up=foo', /"1up=foo" is not a mechanism or a modifier/],
    ['v=spf1 =all', /"=all" is not a mechanism or a modifier/],
    ['v=spf1 foo=%abc', /"%" must be followed by "\{", "%", "_" or "-", not "a"/],
    ['v=spf1 -exists:%(ir).sbl.example.com', /not "\("/],
    ['v=spf1 exists:foo%.sbl.example.com', /not "\."/],
    ['v=spf1 a:%{a}.example.com', /"a" is not a macro letter/],
    ['v=spf1 -all exp=%{r}.example.com', /%\{r\} is allowed only in explanation text/],
    ['v=spf1 a:%{d0}.example.com', /the number of parts must not be zero/],
    ['v=spf1 a:%{d2?}.example.com', /"\?" is not a delimiter/],
    ['v=spf1 a:%{d.example.com', /is not closed by "\}"/],
    ['v=spf1 a:ctrl.example.com\rptr -all', /contains U\+000D: SPF records are 7-bit ASCII/],
    ['v=spf1 a:foo.example.com\0', /contains U\+0000/],
    ['v=spf1 a:\u00ef\u00bb\u00bfgarbage.example.net -all', /contains U\+00EF/],
    ['v=spf1 ip4:192.0.2.5\n include:x.example.com', /contains U\+000A/],
  ])('%j', (text, message) => {
    const record = parseSpfRecord(text);
    expect(record.errors.length).toBeGreaterThan(0);
    expect(record.errors.join('\n')).toMatch(message);
  });

  it('reports every bad term, not just the first', () => {
    const record = parseSpfRecord('v=spf1 moo ip4:1.2.3 a -all/8');
    expect(record.errors).toHaveLength(3);
    expect(record.terms.map((t) => t.type)).toEqual(['invalid', 'invalid', 'mechanism', 'invalid']);
  });

  it('rejects text that is not an SPF record', () => {
    expect(parseSpfRecord('v=spf10 -all').errors).toEqual([
      'the record does not start with "v=spf1"',
    ]);
  });
});
