/**
 * The email probes against real DNS packets and real HTTPS: one lab zone holding every shape a
 * founder's domain can take, keys generated per run.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab } from '../../src/main/core/lab/lab';
import type { LabRecord, LabScenario } from '../../src/main/core/lab/scenario';
import { discoverDkim } from '../../src/main/core/probes/email/dkim';
import { checkReportAuthorization, findDmarc } from '../../src/main/core/probes/email/dmarc';
import type { EmailDns } from '../../src/main/core/probes/email/email-dns';
import { networkEmailDns } from '../../src/main/core/probes/email/email-dns';
import { fetchMtaSts, mxMatchesPolicy } from '../../src/main/core/probes/email/mta-sts';
import { inspectMx, mxTargetIsCname } from '../../src/main/core/probes/email/mx';
import { inspectSpf } from '../../src/main/core/probes/email/spf';
import { findTlsRpt } from '../../src/main/core/probes/email/tls-rpt';

const D = 'launchmail.test';
/** Include targets whose DNS server never answers. */
const SILENT = Array.from({ length: 8 }, (_, i) => `s${i}.slow.${D}`);
const POLICY_PATH = '/.well-known/mta-sts.txt';

function rsaKey(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

const txt = (name: string, data: string): LabRecord => ({ name, type: 'TXT', data });
const a = (name: string): LabRecord => ({ name, type: 'A', data: '127.0.0.1' });
const plain = { 'content-type': 'text/plain; charset=utf-8' };

function scenario(): LabScenario {
  const key1024 = rsaKey(1024);
  const key2048 = rsaKey(2048);
  return {
    name: 'email-probes',
    title: 'email probes',
    description: 'DKIM, DMARC, MTA-STS, TLS-RPT and MX shapes',
    domain: D,
    product: { name: 'launchmail', hosts: [], routes: [] },
    dns: {
      mode: 'answer',
      zones: [D, 'esp.test', 'reports.test', 'other.test'],
      records: [
        a(D),
        a(`app.${D}`),
        // DKIM: the founder's selectors and a common one, delegated to a sender by CNAME.
        txt(`k1024._domainkey.${D}`, `v=DKIM1; k=rsa; p=${key1024}`),
        txt(`google._domainkey.${D}`, `v=DKIM1; k=rsa; p=${key2048}`),
        txt(`old._domainkey.${D}`, 'v=DKIM1; k=rsa; p='),
        txt(`trial._domainkey.${D}`, `v=DKIM1; t=y; p=${key2048}`),
        { name: `s1._domainkey.${D}`, type: 'CNAME', data: 's1.domainkey.u42.esp.test' },
        txt('s1.domainkey.u42.esp.test', `v=DKIM1; k=rsa; p=${key2048}`),
        // DMARC at the organisational domain, with outside report addresses.
        txt(
          `_dmarc.${D}`,
          `v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@${D},mailto:agg@reports.test,mailto:agg@other.test`,
        ),
        txt(`${D}._report._dmarc.reports.test`, 'v=DMARC1'),
        a('other.test'),
        // MTA-STS: a good policy, a broken one, no HTTPS site, a redirect, an untrusted certificate.
        txt(`_mta-sts.${D}`, 'v=STSv1; id=20240101'),
        a(`mta-sts.${D}`),
        txt(`_mta-sts.bad.${D}`, 'v=STSv1; id=2'),
        a(`mta-sts.bad.${D}`),
        txt(`_mta-sts.nosite.${D}`, 'v=STSv1; id=3'),
        a(`mta-sts.nosite.${D}`),
        txt(`_mta-sts.moved.${D}`, 'v=STSv1; id=4'),
        a(`mta-sts.moved.${D}`),
        txt(`_mta-sts.selfsigned.${D}`, 'v=STSv1; id=5'),
        a(`mta-sts.selfsigned.${D}`),
        txt(`_smtp._tls.${D}`, 'v=TLSRPTv1; rua=mailto:tls@reports.test'),
        // MX: a good host, one that is an alias, one that does not exist; a null MX.
        { name: D, type: 'MX', data: `10 mx1.${D}` },
        { name: D, type: 'MX', data: `20 mx2.${D}` },
        { name: D, type: 'MX', data: `30 gone.${D}` },
        a(`mx1.${D}`),
        { name: `mx2.${D}`, type: 'CNAME', data: `mx1.${D}` },
        { name: `nullmx.${D}`, type: 'MX', data: '0 .' },
        // SPF: eight includes whose servers never answer.
        txt(
          `spf.${D}`,
          `v=spf1 ip4:192.0.2.0/24 ${SILENT.map((s) => `include:${s}`).join(' ')} -all`,
        ),
      ],
      unanswered: [`slow._domainkey.${D}`, ...SILENT],
    },
    web: {
      mode: 'serve',
      sites: [
        {
          host: `mta-sts.${D}`,
          https: { certificate: { kind: 'valid' } },
          routes: [
            {
              path: POLICY_PATH,
              status: 200,
              headers: plain,
              body: `version: STSv1\r\nmode: enforce\r\nmx: mx1.${D}\r\nmx: *.${D}\r\nmax_age: 604800\r\n`,
            },
          ],
        },
        {
          host: `mta-sts.bad.${D}`,
          https: { certificate: { kind: 'valid' } },
          routes: [
            {
              path: POLICY_PATH,
              status: 200,
              headers: { 'content-type': 'text/html' },
              body: 'version: STSv1\nmode: sometimes\nmx: mx1.example.com\nmax_age: 86400\n',
            },
          ],
        },
        { host: `mta-sts.nosite.${D}`, http: 'serve', routes: [] },
        {
          host: `mta-sts.moved.${D}`,
          https: { certificate: { kind: 'valid' } },
          redirect: { to: `https://mta-sts.${D}`, status: 301 },
          routes: [],
        },
        {
          host: `mta-sts.selfsigned.${D}`,
          https: { certificate: { kind: 'self-signed' } },
          routes: [{ path: POLICY_PATH, status: 200, headers: plain, body: 'version: STSv1\n' }],
        },
      ],
    },
  };
}

let lab: RunningLab;
let dns: EmailDns;

beforeAll(async () => {
  lab = await startLab(scenario(), { timeouts: { dnsMs: 300, connectMs: 600, requestMs: 800 } });
  dns = networkEmailDns(lab.net);
});
afterAll(async () => {
  await lab?.stop();
});

describe('inspectSpf over DNS, with includes that never answer', () => {
  it('asks them together: eight silent includes cost about one DNS timeout, not eight', async () => {
    const started = performance.now();
    const spf = await inspectSpf(`spf.${D}`, dns);
    // The lab's DNS timeout is 300 ms; one after another they would take 2.4 s.
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(spf.lookups).toBe(8);
    expect(spf.problems.filter((p) => p.code === 'dns-error')).toHaveLength(8);
  });

  it('returns at the deadline, naming each include that did not answer in time', async () => {
    const started = performance.now();
    const spf = await inspectSpf(`spf.${D}`, dns, { deadlineMs: 120 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(spf.problems.map((p) => p.message)).toEqual(
      SILENT.map(
        (s) =>
          `spf.${D}: include:${s}: ${s} did not answer in time (the inspection stopped after 120 ms), so what it adds is not counted`,
      ),
    );
  });
});

describe('discoverDkim over DNS', () => {
  it('finds keys by own and common selectors, through CNAMEs, and reports timeouts', async () => {
    const d = await discoverDkim(D, ['k1024', 'old', 'trial', 'slow', 'missing'], dns);
    const by = Object.fromEntries(d.results.map((r) => [r.selector, r]));
    expect(by.k1024).toMatchObject({
      source: 'own',
      status: 'found',
      key: { ok: true, keyType: 'rsa', bits: 1024, revoked: false },
    });
    expect(by.google).toMatchObject({
      source: 'common',
      status: 'found',
      provider: 'Google Workspace',
      key: { ok: true, bits: 2048, problems: [] },
    });
    expect(by.old).toMatchObject({ status: 'found', key: { ok: true, revoked: true, bits: null } });
    expect(by.trial).toMatchObject({ status: 'found', key: { ok: true, testing: true } });
    // CNAME delegation to the sender is transparent: the key is read at the target.
    expect(by.s1).toMatchObject({
      name: `s1._domainkey.${D}`,
      status: 'found',
      provider: 'SendGrid',
      key: { ok: true, bits: 2048 },
    });
    expect(by.slow).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/did not answer/),
    });
    expect(by.missing).toMatchObject({ status: 'not-found' });
    expect(by.selector1).toMatchObject({ status: 'not-found' });
    expect(d.results.filter((r) => r.status === 'found')).toHaveLength(5);
  });
});

describe('findDmarc and report authorisation over DNS', () => {
  it('finds the policy at the organisational domain and applies sp=', async () => {
    const r = await findDmarc(`app.${D}`, dns);
    expect(r).toMatchObject({
      status: 'found',
      foundAt: 'organisational',
      organisationalDomain: D,
      policyDomain: D,
      recordName: `_dmarc.${D}`,
      appliedPolicy: 'quarantine',
    });
    expect((await findDmarc(D, dns)).appliedPolicy).toBe('reject');
  });

  it('tells authorised outside report addresses from unauthorised ones', async () => {
    const r = await findDmarc(D, dns);
    const rua = r.parsed?.ok ? r.parsed.record.rua : [];
    const auth = await checkReportAuthorization(r.policyDomain ?? D, rua, dns);
    expect(auth.map((x) => [x.destination, x.status])).toEqual([
      [D, 'same-organisation'],
      ['reports.test', 'authorised'],
      ['other.test', 'not-authorised'],
    ]);
  });
});

describe('fetchMtaSts over DNS and HTTPS', () => {
  it('reads a policy served over HTTPS with a trusted certificate', async () => {
    const r = await fetchMtaSts(D, lab.net, dns);
    expect(r).toMatchObject({
      txt: { status: 'found', parsed: { ok: true, id: '20240101' } },
      fetched: true,
      httpStatus: 200,
      contentType: 'text/plain; charset=utf-8',
      policy: { ok: true, policy: { mode: 'enforce', maxAge: 604800 } },
      problems: [],
    });
    expect(r.errorKind).toBeUndefined();
    const patterns = r.policy?.ok ? r.policy.policy.mx : [];
    expect(mxMatchesPolicy(`mx1.${D}`, patterns)).toBe(true);
    expect(mxMatchesPolicy('mx.elsewhere.test', patterns)).toBe(false);
  });

  it('reports an invalid policy file and its content type', async () => {
    const r = await fetchMtaSts(`bad.${D}`, lab.net, dns);
    expect(r).toMatchObject({
      errorKind: 'invalid-policy',
      error: 'the policy file is invalid: mode: sometimes is not enforce, testing or none',
      httpStatus: 200,
    });
    expect(r.problems).toContain(
      'the policy is served as text/html, not text/plain: some senders reject it',
    );
  });

  it('reports a policy host without HTTPS, and one with an untrusted certificate, as TLS failures', async () => {
    const nosite = await fetchMtaSts(`nosite.${D}`, lab.net, dns);
    expect(nosite).toMatchObject({ fetched: true, errorKind: 'tls' });
    expect(nosite.httpStatus).toBeUndefined();
    const selfSigned = await fetchMtaSts(`selfsigned.${D}`, lab.net, dns);
    expect(selfSigned).toMatchObject({
      errorKind: 'tls',
      error: expect.stringMatching(/certificate not trusted/),
    });
  });

  it('does not follow a redirect', async () => {
    const r = await fetchMtaSts(`moved.${D}`, lab.net, dns);
    expect(r).toMatchObject({
      errorKind: 'redirect',
      httpStatus: 301,
      location: `https://mta-sts.${D}${POLICY_PATH}`,
    });
    expect(r.policy).toBeUndefined();
  });

  it('says when there is no MTA-STS record at all, without fetching', async () => {
    const r = await fetchMtaSts(`app.${D}`, lab.net, dns);
    expect(r).toMatchObject({ fetched: false, errorKind: 'no-txt', txt: { status: 'none' } });
  });
});

describe('findTlsRpt over DNS', () => {
  it('reads the reporting address', async () => {
    const r = await findTlsRpt(D, dns);
    expect(r).toMatchObject({
      status: 'found',
      parsed: { ok: true, rua: [{ address: 'tls@reports.test', domain: 'reports.test' }] },
    });
  });
});

describe('inspectMx over DNS', () => {
  it('checks each exchange: resolving, an alias (CNAME) and one that does not exist', async () => {
    const r = await inspectMx(D, dns, { net: lab.net });
    expect(r).toMatchObject({
      status: 'mx',
      totalRecords: 3,
      truncated: false,
      cnameChecked: true,
    });
    expect(r.exchanges.map((e) => [e.preference, e.host, e.resolves, e.cname])).toEqual([
      [10, `mx1.${D}`, true, null],
      [20, `mx2.${D}`, true, `mx1.${D}`],
      [30, `gone.${D}`, false, null],
    ]);
    expect(r.exchanges[0]?.addresses).toEqual(['127.0.0.1']);
    expect(r.exchanges[1]?.problems[0]).toMatch(/is a CNAME to mx1\.launchmail\.test/);
    expect(r.exchanges[2]?.problems).toEqual([
      `gone.${D} has no address: senders cannot deliver to it`,
    ]);
    expect(await mxTargetIsCname(`mx1.${D}`, lab.net)).toBeNull();
  });

  it('recognises a null MX and a domain with no MX', async () => {
    expect(await inspectMx(`nullmx.${D}`, dns)).toMatchObject({
      status: 'null-mx',
      exchanges: [],
      problems: [],
    });
    const none = await inspectMx(`app.${D}`, dns);
    expect(none).toMatchObject({
      status: 'no-mx',
      implicitMx: { addresses: ['127.0.0.1'], resolves: true },
    });
    expect(await inspectMx(`nowhere.${D}`, dns)).toMatchObject({ status: 'nxdomain' });
  });
});
