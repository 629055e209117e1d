import { describe, expect, it } from 'vitest';
import type { EmailDns, EmailDnsAnswer } from '../../src/main/core/probes/email/email-dns';
import { findTlsRpt, parseTlsRpt } from '../../src/main/core/probes/email/tls-rpt';

describe('parseTlsRpt (RFC 8460 §3)', () => {
  it('reads mailto: and https: destinations separated by commas', () => {
    expect(
      parseTlsRpt('v=TLSRPTv1; rua=mailto:tls@example.com , https://r.example.net/v1'),
    ).toEqual({
      ok: true,
      rua: [
        {
          uri: 'mailto:tls@example.com',
          scheme: 'mailto',
          address: 'tls@example.com',
          domain: 'example.com',
        },
        { uri: 'https://r.example.net/v1', scheme: 'https', domain: 'r.example.net' },
      ],
      extensions: {},
      problems: [],
    });
  });

  it('keeps extension fields and a trailing ";"', () => {
    expect(parseTlsRpt('v=TLSRPTv1;rua=mailto:a@b.test;x.y-z=1;')).toMatchObject({
      ok: true,
      extensions: { 'x.y-z': '1' },
    });
  });

  it('requires v=TLSRPTv1 first, case-sensitively', () => {
    for (const txt of ['rua=mailto:a@b.test; v=TLSRPTv1', 'v=tlsrptv1; rua=mailto:a@b.test']) {
      expect(parseTlsRpt(txt)).toEqual({
        ok: false,
        error: 'a TLS-RPT record starts with v=TLSRPTv1',
      });
    }
  });

  it('requires rua= with at least one usable address', () => {
    expect(parseTlsRpt('v=TLSRPTv1')).toEqual({
      ok: false,
      error: 'no rua= tag: the record names nowhere to send reports',
    });
    expect(parseTlsRpt('v=TLSRPTv1; RUA=mailto:a@b.test')).toMatchObject({ ok: false });
    expect(parseTlsRpt('v=TLSRPTv1; rua=ftp://x.test')).toEqual({
      ok: false,
      error:
        'rua= holds no usable mailto: or https: address (rua=: "ftp://x.test" is not a mailto: or https: address, so no report is sent there)',
    });
  });

  it('reports unusable addresses beside good ones', () => {
    const r = parseTlsRpt('v=TLSRPTv1; rua=mailto:broken,mailto:ok@x.test');
    expect(r).toMatchObject({ ok: true, rua: [{ address: 'ok@x.test' }] });
    expect(r.ok && r.problems).toEqual(['rua=: "mailto:broken" is not a valid mailto: address']);
  });
});

function memoryDns(zone: Record<string, EmailDnsAnswer>): EmailDns {
  return { lookup: async (name) => zone[name] ?? { kind: 'nxdomain' } };
}

describe('findTlsRpt', () => {
  it('finds the one record at _smtp._tls, skipping other TXT records', async () => {
    const r = await findTlsRpt(
      'Example.com.',
      memoryDns({
        '_smtp._tls.example.com': {
          kind: 'records',
          records: ['unrelated', 'v=TLSRPTv1; rua=mailto:tls@example.com'],
        },
      }),
    );
    expect(r).toMatchObject({
      domain: 'example.com',
      name: '_smtp._tls.example.com',
      status: 'found',
      record: 'v=TLSRPTv1; rua=mailto:tls@example.com',
      parsed: { ok: true },
      ignoredRecords: ['unrelated'],
    });
  });

  it('treats several records as none for senders, and reports invalid and failed lookups', async () => {
    const multiple = await findTlsRpt(
      'x.test',
      memoryDns({
        '_smtp._tls.x.test': {
          kind: 'records',
          records: ['v=TLSRPTv1; rua=mailto:a@x.test', 'v=TLSRPTv1; rua=mailto:b@x.test'],
        },
      }),
    );
    expect(multiple.status).toBe('multiple');
    expect(multiple.problems[0]).toMatch(/senders then send no reports at all/);
    const invalid = await findTlsRpt(
      'x.test',
      memoryDns({ '_smtp._tls.x.test': { kind: 'records', records: ['v=TLSRPTv1;'] } }),
    );
    expect(invalid).toMatchObject({ status: 'invalid', parsed: { ok: false } });
    const failed = await findTlsRpt(
      'x.test',
      memoryDns({ '_smtp._tls.x.test': { kind: 'error', message: 'timed out' } }),
    );
    expect(failed).toMatchObject({ status: 'error', error: 'timed out' });
    expect((await findTlsRpt('x.test', memoryDns({}))).status).toBe('none');
  });
});
