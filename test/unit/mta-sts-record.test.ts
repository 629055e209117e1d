import { describe, expect, it } from 'vitest';
import {
  mxMatchesPolicy,
  parseMtaStsPolicy,
  parseMtaStsTxt,
} from '../../src/main/core/probes/email/mta-sts';

describe('parseMtaStsTxt (RFC 8461 §3.1)', () => {
  it('reads the id and any extensions', () => {
    expect(parseMtaStsTxt('v=STSv1; id=20240101T000000')).toEqual({
      ok: true,
      id: '20240101T000000',
      extensions: {},
      problems: [],
    });
    expect(parseMtaStsTxt('v=STSv1;id=abc;x-ext=1;')).toEqual({
      ok: true,
      id: 'abc',
      extensions: { 'x-ext': '1' },
      problems: ['unknown fields ignored by senders: x-ext'],
    });
  });

  it('requires v=STSv1 first, exactly', () => {
    for (const txt of ['id=1; v=STSv1', 'v=stsv1; id=1', 'v=STSv2; id=1']) {
      expect(parseMtaStsTxt(txt)).toEqual({
        ok: false,
        error: 'an MTA-STS record starts with v=STSv1',
      });
    }
  });

  it('requires an id of 1 to 32 letters and digits', () => {
    expect(parseMtaStsTxt('v=STSv1')).toMatchObject({ ok: false, error: /^no id= field/ });
    expect(parseMtaStsTxt('v=STSv1; id=2024-01-01')).toEqual({
      ok: false,
      error: 'id=2024-01-01 is not 1 to 32 letters and digits',
    });
    expect(parseMtaStsTxt(`v=STSv1; id=${'a'.repeat(33)}`).ok).toBe(false);
    expect(parseMtaStsTxt(`v=STSv1; id=${'a'.repeat(32)}`).ok).toBe(true);
    expect(parseMtaStsTxt('v=STSv1; id=')).toMatchObject({ ok: false });
  });

  it('reports a malformed list', () => {
    expect(parseMtaStsTxt('v=STSv1; id=1; id=2')).toMatchObject({
      ok: false,
      error: /duplicate tag "id"/,
    });
  });
});

const GOOD =
  'version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n';

describe('parseMtaStsPolicy (RFC 8461 §3.2)', () => {
  it('reads a policy with LF line ends', () => {
    expect(parseMtaStsPolicy(GOOD)).toEqual({
      ok: true,
      policy: {
        version: 'STSv1',
        mode: 'enforce',
        mx: ['mail.example.com', '*.example.net'],
        maxAge: 604800,
        extensions: {},
      },
      problems: [],
    });
  });

  it('reads CRLF line ends, no final line end, and spacing after ":"', () => {
    const r = parseMtaStsPolicy(
      'version:STSv1\r\nmode:   testing\r\nmx: MAIL.Example.com.\r\nmax_age: 0',
    );
    expect(r).toMatchObject({
      ok: true,
      policy: { mode: 'testing', mx: ['mail.example.com'], maxAge: 0 },
      problems: [],
    });
  });

  it('accepts mode none without mx', () => {
    expect(parseMtaStsPolicy('version: STSv1\nmode: none\nmax_age: 86400\n')).toMatchObject({
      ok: true,
      policy: { mode: 'none', mx: [] },
    });
  });

  it('fails on missing, repeated or invalid required fields', () => {
    const error = (text: string) => {
      const r = parseMtaStsPolicy(text);
      return r.ok ? 'parsed' : r.error;
    };
    expect(error('mode: enforce\nmx: a.example.com\nmax_age: 1')).toBe('no version field');
    expect(error('version: STSv1\nmx: a.example.com\nmax_age: 1')).toBe('no mode field');
    expect(error('version: STSv1\nmode: enforce\nmx: a.example.com')).toBe('no max_age field');
    expect(error(`${GOOD}mode: testing\n`)).toBe('mode appears more than once');
    expect(error(GOOD.replace('STSv1', 'STSv2'))).toBe('version: STSv2 is not STSv1');
    expect(error(GOOD.replace('enforce', 'Enforce'))).toBe(
      'mode: Enforce is not enforce, testing or none',
    );
    expect(error(GOOD.replace('604800', '1w'))).toBe('max_age: 1w is not a number of seconds');
    expect(error('version: STSv1\nmode: enforce\nmax_age: 1')).toBe(
      'no valid mx field: with mode enforce, senders would accept no MX at all',
    );
  });

  it('reports what senders tolerate as problems', () => {
    const r = parseMtaStsPolicy(
      'mode: testing\n\nversion: STSv1\nmx: mail.example.com\nmx: mail.example.com\nmx: -bad-\nMX: other.example.com\nnonsense\nmax_age: 99999999\nfoo: bar\n\n',
    );
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([
      'line 2 is blank (the format has no blank lines)',
      '"MX" is not "mx": field names are case-sensitive',
      'line 8 is not "key: value": "nonsense"',
      'line 11 is blank (the format has no blank lines)',
      'version should be the first line',
      'max_age 99999999 is above the RFC 8461 limit of 31557600 (one year)',
      'mx: mail.example.com is listed twice',
      'mx: -bad- is not a host name or *.domain pattern',
      'unknown fields ignored by senders: MX, foo',
    ]);
  });
});

describe('mxMatchesPolicy (RFC 8461 §4.1)', () => {
  const patterns = ['mail.example.com', '*.example.net'];
  it('matches exact names case-insensitively, ignoring a trailing dot', () => {
    expect(mxMatchesPolicy('mail.example.com', patterns)).toBe(true);
    expect(mxMatchesPolicy('MAIL.Example.COM.', patterns)).toBe(true);
    expect(mxMatchesPolicy('mail2.example.com', patterns)).toBe(false);
  });

  it('lets a wildcard match exactly one label on the left', () => {
    expect(mxMatchesPolicy('mx1.example.net', patterns)).toBe(true);
    expect(mxMatchesPolicy('example.net', patterns)).toBe(false);
    expect(mxMatchesPolicy('a.b.example.net', patterns)).toBe(false);
    expect(mxMatchesPolicy('', patterns)).toBe(false);
    expect(mxMatchesPolicy('mx1.example.net', [])).toBe(false);
  });
});
