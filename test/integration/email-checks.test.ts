/**
 * Stage 5 (email deliverability) checks through the engine, against the lab: real DNS packets
 * over loopback and real HTTPS with the lab CA. Each fault is a small change to the healthy
 * scenario, served by a lab of its own.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { Workspace } from '../../src/shared/workspace';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRecord, LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import type { ScenarioFragment } from '../../src/main/core/lab/scenarios/compose';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { RSA_2048_B } from '../../src/main/core/lab/scenarios/dkim-keys';
import { COMMON_DKIM_SELECTORS } from '../../src/main/core/probes/email/dkim';

const SPF = 'email.spf.record';
const LOOKUPS = 'email.spf.lookups';
const PROVIDERS = 'email.spf.providers';
const DKIM = 'email.dkim.keys';
const POLICY = 'email.dmarc.policy';
const REPORTING = 'email.dmarc.reporting';
const MX = 'email.mx';
const STS = 'email.mta-sts';
const TLSRPT = 'email.tls-rpt';
const BULK = 'email.bulk-sender';
const INBOX = 'email.ask.inbox-placement';
const BRANDING = 'email.ask.reply-to-branding';
const AUTOMATED = [SPF, LOOKUPS, PROVIDERS, DKIM, POLICY, REPORTING, MX, STS, TLSRPT, BULK];
const ASKS = [INBOX, BRANDING];

const SHORT = { dnsMs: 300, connectMs: 600, requestMs: 800 };
const CHECK_TIMEOUT_MS = 4000;

const D = 'steady-ai.test';
const POSTMARK_SELECTOR = '20240611093012pm';
const POLICY_PATH = '/.well-known/mta-sts.txt';
const GOOD_POLICY = 'version: STSv1\nmode: enforce\nmx: smtp.google.com\nmax_age: 604800\n';
const HEALTHY = getScenario('healthy');

type Results = Record<string, CheckResult>;

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function lab(scenario: LabScenario, short = false): Promise<RunningLab> {
  const l = await startLab(scenario, { timeouts: short ? SHORT : undefined });
  labs.push(l);
  return l;
}

async function runOn(
  l: RunningLab,
  ids: readonly string[],
  tweak?: (ws: Workspace) => void,
): Promise<Results> {
  const ws = workspaceFromScenario(l.scenario, 'email-checks');
  tweak?.(ws);
  const record = await executeRun(planRun(CATALOGUE, ws, ids), ws, l.net, {
    checkTimeoutMs: CHECK_TIMEOUT_MS,
  });
  return Object.fromEntries(record.results.map((r) => [r.id, r]));
}

/** Starts a lab for the scenario and runs the checks once. */
async function run(
  scenario: LabScenario,
  opts: { ids?: readonly string[]; short?: boolean; workspace?: (ws: Workspace) => void } = {},
): Promise<Results> {
  return runOn(await lab(scenario, opts.short), opts.ids ?? AUTOMATED, opts.workspace);
}

/** The healthy scenario with a fragment composed on, then records dropped and added. */
function healthyWith(change: {
  fragment?: ScenarioFragment;
  drop?: (r: LabRecord) => boolean;
  add?: LabRecord[];
  unanswered?: string[];
}): LabScenario {
  const s = change.fragment ? composeScenario(HEALTHY, change.fragment) : structuredClone(HEALTHY);
  const drop = change.drop;
  if (drop) s.dns.records = s.dns.records.filter((r) => !drop(r));
  s.dns.records.push(...(change.add ?? []));
  if (change.unanswered) s.dns.unanswered = change.unanswered;
  return s;
}

const txt = (name: string, data: string): LabRecord => ({ name, type: 'TXT', data });
const isSpf = (r: LabRecord) => r.name === D && r.type === 'TXT' && r.data.startsWith('v=spf1');
const isDkim = (r: LabRecord) => r.type === 'TXT' && r.name.includes('._domainkey.');
const isGoogleKey = (r: LabRecord) => r.name === `google._domainkey.${D}`;
const isDmarc = (r: LabRecord) => r.name === `_dmarc.${D}`;
const isMx = (r: LabRecord) => r.name === D && r.type === 'MX';

const withSpf = (record: string) => healthyWith({ drop: isSpf, add: [txt(D, record)] });
const withGoogleKey = (record: string) =>
  healthyWith({ drop: isGoogleKey, add: [txt(`google._domainkey.${D}`, record)] });
const withDmarc = (record: string) =>
  healthyWith({ drop: isDmarc, add: [txt(`_dmarc.${D}`, record)] });
const withMx = (...data: string[]) =>
  healthyWith({ drop: isMx, add: data.map((d) => ({ name: D, type: 'MX' as const, data: d })) });
const withPolicyRoute = (route: {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}) =>
  healthyWith({
    fragment: { sites: { [`mta-sts.${D}`]: { routes: [{ path: POLICY_PATH, ...route }] } } },
  });
const withTlsRpt = (...data: string[]) =>
  healthyWith({
    drop: (r) => r.name === `_smtp._tls.${D}`,
    add: data.map((d) => txt(`_smtp._tls.${D}`, d)),
  });
const withStsCertificate = (kind: 'expired' | 'self-signed') => {
  const s = structuredClone(HEALTHY);
  const site = s.web.sites.find((x) => x.host === `mta-sts.${D}`);
  if (!site) throw new Error('the healthy scenario has no mta-sts site');
  site.https = { certificate: { kind } };
  return s;
};

function rsaKey(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** RFC 8463: the raw 32-byte Ed25519 key, base64. */
function ed25519Key(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url').toString('base64');
}

const ev = (r: CheckResult | undefined) => (r?.evidence ?? {}) as Record<string, unknown>;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\<>]/g, '\\$&');

/** The MTA-STS recipe every MTA-STS failure ends with. */
const stsRecipe = (domain: string, mx: string) =>
  new RegExp(
    `Publish TXT at _mta-sts\\.${esc(domain)}: "v=STSv1; id=\\d{8}" and serve https://mta-sts\\.${esc(domain)}/\\.well-known/mta-sts\\.txt as text/plain: "version: STSv1\\\\nmode: testing\\\\nmx: ${esc(mx)}\\\\nmax_age: 604800"\\.$`,
  );

describe('healthy: every automated email check passes', () => {
  let l: RunningLab;
  let r: Results;
  beforeAll(async () => {
    l = await lab(HEALTHY);
    r = await runOn(l, [...AUTOMATED, ...ASKS]);
  });

  it('passes all ten automated checks, each on stage 5', () => {
    for (const id of AUTOMATED) {
      expect(r[id], id).toMatchObject({ status: 'pass', stage: 5 });
    }
  });

  it('SPF: one -all record, 4 lookups through _spf.google.com, Postmark needs no include', () => {
    expect(r[SPF]?.summary).toBe('steady-ai.test has one SPF record ending in "-all".');
    expect(ev(r[SPF])).toMatchObject({
      domain: D,
      records: ['v=spf1 include:_spf.google.com -all'],
      allQualifier: '-',
      lookups: 4,
      voidLookups: 0,
      includes: [{ domain: '_spf.google.com', cost: 4 }],
      firstOverLimit: null,
    });
    expect(r[LOOKUPS]?.summary).toBe(
      'Your SPF record uses 4 of 10 DNS lookups (_spf.google.com 4).',
    );
    expect(r[PROVIDERS]?.summary).toBe(
      'Google Workspace is authorised in the SPF record of steady-ai.test; Postmark sends from its own bounce domain, so it needs no entry in the SPF record of steady-ai.test (DKIM covers it).',
    );
    expect(ev(r[PROVIDERS])).toMatchObject({
      providers: ['google-workspace', 'postmark'],
      missing: [],
      notNeededAtDomain: [expect.stringMatching(/^Postmark sends from its own bounce domain/)],
    });
  });

  it('DKIM: both 2048-bit keys are found, the founder’s Postmark selector first', () => {
    expect(r[DKIM]?.summary).toBe(
      `DKIM keys found for ${D}: ${POSTMARK_SELECTOR} (Postmark): RSA 2048 and google (Google Workspace): RSA 2048.`,
    );
    const keys = ev(r[DKIM]).keys as { selector: string; bits: number; keyType: string }[];
    expect(keys.map((k) => [k.selector, k.keyType, k.bits])).toEqual([
      [POSTMARK_SELECTOR, 'rsa', 2048],
      ['google', 'rsa', 2048],
    ]);
    expect(ev(r[DKIM]).tried).toHaveLength(COMMON_DKIM_SELECTORS.length + 1);
  });

  it('DMARC: quarantine for all mail, reports reach the founder and an authorised service', () => {
    expect(r[POLICY]?.summary).toBe('DMARC for steady-ai.test is p=quarantine for all email.');
    expect(ev(r[POLICY])).toMatchObject({
      foundAt: 'own',
      recordName: `_dmarc.${D}`,
      policy: 'quarantine',
      appliedPolicy: 'quarantine',
      pct: 100,
      rua: [`mailto:dmarc@${D}`, 'mailto:agg@dmarc-reports.test'],
    });
    expect(r[REPORTING]?.summary).toBe(
      'DMARC reports for steady-ai.test go to dmarc@steady-ai.test and agg@dmarc-reports.test (the outside service has authorised them).',
    );
    expect(ev(r[REPORTING]).reportAuthorization).toEqual([
      expect.objectContaining({ uri: `mailto:dmarc@${D}`, status: 'same-organisation' }),
      expect.objectContaining({
        uri: 'mailto:agg@dmarc-reports.test',
        status: 'authorised',
        recordName: `${D}._report._dmarc.dmarc-reports.test`,
      }),
    ]);
  });

  it('MX, MTA-STS and TLS-RPT: Google takes the mail, encrypted delivery is enforced and reported', () => {
    expect(r[MX]?.summary).toBe('Mail for steady-ai.test goes to smtp.google.com (1).');
    expect(ev(r[MX]).exchanges).toEqual([
      expect.objectContaining({
        host: 'smtp.google.com',
        preference: 1,
        resolves: true,
        cname: null,
        addresses: expect.arrayContaining(['192.0.2.26', '2001:db8:4860::1a']),
      }),
    ]);
    expect(r[STS]?.summary).toBe(
      'MTA-STS for steady-ai.test is in enforce mode and covers every MX host.',
    );
    expect(ev(r[STS])).toMatchObject({
      httpStatus: 200,
      policy: { mode: 'enforce', mx: ['smtp.google.com'], maxAge: 604800 },
      uncoveredMx: [],
      errorKind: null,
    });
    expect(r[TLSRPT]?.summary).toBe(
      'TLS reports for steady-ai.test go to tls-reports@steady-ai.test.',
    );
    expect(r[BULK]?.summary).toBe(
      'SPF, DKIM and DMARC are all in place for steady-ai.test, with DKIM aligned to your From domain.',
    );
    expect(ev(r[BULK])).toMatchObject({
      spf: { ok: true, lookups: 4 },
      dkim: { ok: true, alignedSelectors: [POSTMARK_SELECTOR, 'google'] },
      dmarc: { ok: true, appliedPolicy: 'quarantine' },
    });
  });

  it('the two questions stay unanswered until the founder answers', () => {
    for (const id of ASKS) {
      expect(r[id]?.status, id).toBe('unanswered');
      expect(r[id]?.summary).toMatch(/^Not answered yet: /);
      expect(ev(r[id])).toMatchObject({ answer: null });
    }
    expect(r[INBOX]?.summary).toContain('land in the inbox (not spam, not Promotions)?');
  });

  it('answers decide the questions: yes passes, no fails, not sure warns, the note is quoted', async () => {
    const at = '2024-06-11T09:30:00.000Z';
    const answered = async (
      inbox: 'yes' | 'no' | 'not-sure',
      branding: 'yes' | 'no' | 'not-sure',
    ) =>
      runOn(l, ASKS, (ws) => {
        ws.answers = {
          [INBOX]: { answer: inbox, note: `inbox ${inbox}: Gmail and Outlook`, answeredAt: at },
          [BRANDING]: { answer: branding, answeredAt: at },
        };
      });
    const first = await answered('yes', 'no');
    expect(first[INBOX]?.status).toBe('pass');
    expect(first[INBOX]?.summary).toMatch(/^You answered yes to “Have you sent a real invite/);
    expect(first[INBOX]?.summary).toContain('Your note: "inbox yes: Gmail and Outlook".');
    expect(ev(first[INBOX])).toMatchObject({
      answer: 'yes',
      note: 'inbox yes: Gmail and Outlook',
      answeredAt: at,
    });
    expect(first[BRANDING]).toMatchObject({
      status: 'fail',
      summary: 'You answered no — see how to fix.',
    });
    expect(ev(first[BRANDING])).toMatchObject({ answer: 'no', note: null });

    const second = await answered('not-sure', 'yes');
    expect(second[INBOX]).toMatchObject({
      status: 'warn',
      summary:
        'You are not sure yet — the how-to says how to find out. Your note: "inbox not-sure: Gmail and Outlook".',
    });
    expect(second[BRANDING]?.status).toBe('pass');

    const third = await answered('no', 'not-sure');
    expect(third[INBOX]).toMatchObject({
      status: 'fail',
      summary: 'You answered no — see how to fix. Your note: "inbox no: Gmail and Outlook".',
    });
    expect(third[BRANDING]).toMatchObject({
      status: 'warn',
      summary: 'You are not sure yet — the how-to says how to find out.',
    });
  });
});

describe('demo: the planted stage 5 faults, each with the exact fix', () => {
  const P = 'promptly-ai.test';
  let r: Results;
  beforeAll(async () => {
    r = await run(getScenario('demo'));
  });

  it('SPF needs 11 lookups: include:mail.zendesk.com goes over, and a 3-include record is offered', () => {
    expect(r[LOOKUPS]?.status).toBe('fail');
    expect(r[LOOKUPS]?.summary).toMatch(
      /^Your SPF record needs 11 DNS lookups; receivers stop at 10/,
    );
    expect(r[LOOKUPS]?.summary).toContain('include:mail.zendesk.com is the one that goes over.');
    expect(r[LOOKUPS]?.summary).toContain(
      'Cost per include: _spf.google.com 4, sendgrid.net 1, servers.mcsv.net 1, spf.protection.outlook.com 2, _spf.salesforce.com 2, mail.zendesk.com 1.',
    );
    expect(r[LOOKUPS]?.summary).toContain(
      `Publish one TXT record at promptly-ai.test: "v=spf1 include:_spf.google.com include:sendgrid.net include:mailgun.org ~all" (it leaves out include:servers.mcsv.net, include:spf.protection.outlook.com, include:_spf.salesforce.com, include:mail.zendesk.com).`,
    );
    expect(ev(r[LOOKUPS])).toMatchObject({
      lookups: 11,
      firstOverLimit: { term: 'include:mail.zendesk.com', domain: P, cumulative: 11 },
      suggestedRecord:
        'v=spf1 include:_spf.google.com include:sendgrid.net include:mailgun.org ~all',
      // Google 4 (the include and its three), SendGrid 1, Mailgun 1 (not walked yet).
      suggestedLookups: 6,
    });
    // Over the limit is a lookup problem; the record itself is one, ending in ~all.
    expect(r[SPF]?.status).toBe('pass');
  });

  it('SPF leaves out Mailgun, which sends the invites', () => {
    expect(r[PROVIDERS]?.status).toBe('fail');
    expect(r[PROVIDERS]?.summary).toBe(
      `Mailgun sends email as promptly-ai.test but is not in its SPF record: add "include:mailgun.org". Publish one TXT record at promptly-ai.test: "v=spf1 include:_spf.google.com include:sendgrid.net include:mailgun.org ~all" (it leaves out include:servers.mcsv.net, include:spf.protection.outlook.com, include:_spf.salesforce.com, include:mail.zendesk.com).`,
    );
    expect(ev(r[PROVIDERS])).toMatchObject({ missing: ['mailgun'] });
  });

  it('DKIM: the Google key is only 1024 bits; the SendGrid key behind the CNAME is fine', () => {
    expect(r[DKIM]?.status).toBe('warn');
    expect(r[DKIM]?.summary).toMatch(
      /^The DKIM key google \(Google Workspace\) is only 1024 bits;/,
    );
    expect(r[DKIM]?.summary).toContain(
      'publish it as TXT "v=DKIM1; k=rsa; p=<the new public key>" at <new selector>._domainkey.promptly-ai.test, then retire google._domainkey.promptly-ai.test.',
    );
    const keys = ev(r[DKIM]).keys as { selector: string; bits: number }[];
    expect(keys.map((k) => [k.selector, k.bits])).toEqual([
      ['google', 1024],
      ['s1', 2048],
    ]);
  });

  it('DMARC is p=none with nowhere to send reports: both DMARC checks fail with a record to publish', () => {
    expect(r[POLICY]?.status).toBe('fail');
    expect(r[POLICY]?.summary).toMatch(/^DMARC for promptly-ai\.test is p=none: /);
    expect(r[POLICY]?.summary).toContain('with no rua= address nobody receives reports');
    expect(r[POLICY]?.summary).toContain(
      'Publish at _dmarc.promptly-ai.test: "v=DMARC1; p=none; rua=mailto:dmarc-reports@promptly-ai.test".',
    );
    expect(ev(r[POLICY])).toMatchObject({
      record: 'v=DMARC1; p=none',
      rua: [],
      suggestedRecord: 'v=DMARC1; p=none; rua=mailto:dmarc-reports@promptly-ai.test',
    });
    expect(r[REPORTING]).toMatchObject({
      status: 'fail',
      summary:
        'The DMARC record for promptly-ai.test has no rua= address, so nobody receives reports. Add "rua=mailto:dmarc-reports@promptly-ai.test": publish "v=DMARC1; p=none; rua=mailto:dmarc-reports@promptly-ai.test".',
    });
  });

  it('no MTA-STS (the recipe names the TXT record and the policy) and no TLS-RPT', () => {
    expect(r[STS]?.status).toBe('fail');
    expect(r[STS]?.summary).toMatch(
      /^promptly-ai\.test has no MTA-STS, so mail sent to you can be downgraded/,
    );
    expect(r[STS]?.summary).toMatch(stsRecipe(P, 'smtp.google.com'));
    expect(ev(r[STS])).toMatchObject({ errorKind: 'no-txt', mxHosts: ['smtp.google.com'] });
    expect(r[TLSRPT]).toMatchObject({
      status: 'warn',
      summary:
        'promptly-ai.test has no TLS-RPT record, so nobody tells you when mail to you cannot be delivered securely. Publish TXT at _smtp._tls.promptly-ai.test: "v=TLSRPTv1; rua=mailto:tls-reports@promptly-ai.test".',
    });
  });

  it('bulk-sender rules fail on the broken SPF; MX is fine', () => {
    expect(r[BULK]).toMatchObject({
      status: 'fail',
      summary:
        'Gmail and Yahoo expect SPF, DKIM and DMARC from promptly-ai.test; missing: SPF is broken (see the SPF checks). Fix SPF first (see the checks above).',
    });
    expect(ev(r[BULK])).toMatchObject({
      spf: { ok: false, lookups: 11 },
      dkim: { ok: true, alignedSelectors: ['google', 's1'] },
      dmarc: { ok: true },
    });
    expect(r[MX]).toMatchObject({
      status: 'pass',
      summary: 'Mail for promptly-ai.test goes to smtp.google.com (1).',
    });
  });
});

describe('blackhole: nothing answers, nothing passes', () => {
  it('every automated email check ends in error within the check timeout', async () => {
    const t0 = performance.now();
    const r = await run(getScenario('blackhole'), { short: true, ids: [...AUTOMATED, ...ASKS] });
    expect(performance.now() - t0).toBeLessThan(CHECK_TIMEOUT_MS + 1500);
    for (const id of AUTOMATED) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.summary, id).toMatch(/^Could not decide: /);
      expect(r[id]?.summary, id).toContain('void-ai.test');
    }
    expect(r[SPF]?.summary).toMatch(/^Could not decide: for void-ai\.test, the TXT lookup failed/);
    expect(r[DKIM]?.summary).toMatch(
      /^Could not decide: no DKIM key found for void-ai\.test, but 20 of 20 lookups failed \(.*did not answer/,
    );
    expect(r[BULK]?.summary).toBe(
      'Could not decide: the DNS lookups for SPF, DKIM and DMARC at void-ai.test failed.',
    );
    // The asks never touch the network.
    for (const id of ASKS) expect(r[id]?.status, id).toBe('unanswered');
  });
});

describe('SPF faults', () => {
  it('no SPF record: the record check fails with a record to publish; nothing to count', async () => {
    const r = await run(healthyWith({ drop: isSpf }));
    expect(r[SPF]).toMatchObject({
      status: 'fail',
      summary:
        'steady-ai.test has no SPF record, so receivers cannot tell your real email from forgeries. Publish one TXT record at steady-ai.test: "v=spf1 include:_spf.google.com ~all".',
    });
    expect(ev(r[SPF])).toMatchObject({ records: [], record: null });
    expect(r[LOOKUPS]).toMatchObject({
      status: 'skipped',
      summary: 'steady-ai.test has no SPF record to count (see the SPF record check).',
    });
    expect(r[PROVIDERS]?.status).toBe('fail');
    expect(r[PROVIDERS]?.summary).toMatch(
      /^Google Workspace sends email as steady-ai\.test but is not in its SPF record: add "include:_spf\.google\.com"\./,
    );
    expect(r[BULK]?.status).toBe('fail');
    expect(r[BULK]?.summary).toContain('missing: no SPF record. Fix SPF first');
  });

  it('two SPF records: permerror, merge them into one', async () => {
    const r = await run(
      healthyWith({ fragment: { records: [txt(D, 'v=spf1 include:mailgun.org ~all')] } }),
    );
    expect(r[SPF]?.status).toBe('fail');
    expect(r[SPF]?.summary).toMatch(
      /^steady-ai\.test has 2 SPF records; receivers treat that as a broken SPF \(permerror\) and ignore all of them\. Merge them into one\. Publish one TXT record at steady-ai\.test: "v=spf1 /,
    );
    expect(ev(r[SPF]).records).toHaveLength(2);
    expect(r[BULK]?.status).toBe('fail');
    expect(r[BULK]?.summary).toContain('missing: SPF is broken (see the SPF checks)');
  });

  it.each([
    [
      'v=spf1 include:_spf.google.com +all',
      'fail',
      'ends in "+all": it authorises every server on the internet to send as you.',
    ],
    [
      'v=spf1 include:_spf.google.com ?all',
      'fail',
      'ends in "?all" (neutral): it tells receivers nothing about forgeries.',
    ],
    [
      'v=spf1 include:_spf.google.com',
      'warn',
      'has no "all" at the end, so mail from other servers is neutral rather than suspicious.',
    ],
  ] as const)('"%s" is a %s, with a ~all record to publish', async (record, status, words) => {
    const r = await run(withSpf(record), { ids: [SPF, BULK] });
    expect(r[SPF]?.status).toBe(status);
    expect(r[SPF]?.summary).toBe(
      `The SPF record of steady-ai.test ${words} Publish one TXT record at steady-ai.test: "v=spf1 include:_spf.google.com ~all".`,
    );
    expect(ev(r[SPF]).suggestedRecord).toBe('v=spf1 include:_spf.google.com ~all');
    // +all authorises everyone: not SPF in Gmail's and Yahoo's sense.
    expect(r[BULK]?.status).toBe(record.endsWith('+all') ? 'fail' : 'pass');
  });

  it('a syntax error fails the record; the suggestion drops the broken term', async () => {
    const r = await run(withSpf('v=spf1 include:_spf.google.com ip4:300.1.2.3 -all'), {
      ids: [SPF, BULK],
    });
    expect(r[SPF]?.status).toBe('fail');
    expect(r[SPF]?.summary).toMatch(
      /^The SPF record of steady-ai\.test has a syntax error, so receivers treat it as broken \(.*"300\.1\.2\.3" is not an IPv4 address\)\. Publish one TXT record at steady-ai\.test: "v=spf1 include:_spf\.google\.com -all" \(it leaves out ip4:300\.1\.2\.3\)\.$/,
    );
    expect(r[BULK]?.status).toBe('fail');
  });

  it('terms after -all are never evaluated: the suggestion leaves them out and they cost nothing', async () => {
    const r = await run(withSpf('v=spf1 include:_spf.google.com -all include:sendgrid.net'), {
      ids: [SPF, LOOKUPS],
    });
    expect(ev(r[LOOKUPS])).toMatchObject({
      lookups: 4,
      suggestedRecord: 'v=spf1 include:_spf.google.com -all',
      suggestedLookups: 4,
    });
    expect(r[SPF]?.status).toBe('pass');
  });

  it('an include of a name that does not exist breaks SPF (include-none, one void lookup)', async () => {
    const r = await run(
      withSpf('v=spf1 include:_spf.google.com include:gone.steady-ai.test -all'),
      {
        ids: [SPF, LOOKUPS, BULK],
      },
    );
    expect(r[LOOKUPS]?.status).toBe('fail');
    expect(r[LOOKUPS]?.summary).toMatch(
      /^Part of your SPF record is broken, so receivers treat SPF as failed: include:gone\.steady-ai\.test: gone\.steady-ai\.test has no SPF record \(nxdomain\), which is a permerror\. Publish one TXT record at steady-ai\.test: "v=spf1 include:_spf\.google\.com -all" \(it leaves out include:gone\.steady-ai\.test\)\.$/,
    );
    expect(ev(r[LOOKUPS])).toMatchObject({ lookups: 5, voidLookups: 1 });
    expect(r[SPF]?.status).toBe('pass');
    expect(r[BULK]?.status).toBe('fail');
  });

  it('one void a: lookup warns; three fail past the limit of two', async () => {
    const one = await run(withSpf('v=spf1 include:_spf.google.com a:gone.steady-ai.test -all'), {
      ids: [LOOKUPS],
    });
    expect(one[LOOKUPS]).toMatchObject({
      status: 'warn',
      summary:
        'Your SPF record uses 5 of 10 lookups, but 1 of them find nothing (an include or name that no longer exists); remove it.',
    });
    expect(ev(one[LOOKUPS])).toMatchObject({ voidLookups: 1 });

    const three = await run(
      withSpf(
        'v=spf1 include:_spf.google.com a:g1.steady-ai.test a:g2.steady-ai.test a:g3.steady-ai.test -all',
      ),
      { ids: [LOOKUPS, BULK] },
    );
    expect(three[LOOKUPS]?.status).toBe('fail');
    expect(three[LOOKUPS]?.summary).toMatch(
      /^Your SPF record makes 3 lookups that find nothing; receivers allow 2 and then treat SPF as failed\. Publish one TXT record at steady-ai\.test: "v=spf1 /,
    );
    expect(ev(three[LOOKUPS])).toMatchObject({ lookups: 7, voidLookups: 3 });
    expect(three[BULK]?.status).toBe('fail');
  });

  it('the record offered for too many void lookups drops the void terms', async () => {
    const r = await run(
      withSpf(
        'v=spf1 include:_spf.google.com a:g1.steady-ai.test a:g2.steady-ai.test a:g3.steady-ai.test -all',
      ),
      { ids: [LOOKUPS] },
    );
    expect(r[LOOKUPS]?.status).toBe('fail');
    // Publishing the suggestion must not fail the same way again.
    expect(ev(r[LOOKUPS]).suggestedRecord).toBe('v=spf1 include:_spf.google.com -all');
  });

  it.each([
    [
      10,
      'include:_spf.google.com include:spf.protection.outlook.com include:_spf.salesforce.com include:mailgun.org',
      '_spf.google.com 4, spf.protection.outlook.com 2, _spf.salesforce.com 2, mailgun.org 2',
    ],
    [
      9,
      'include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org',
      '_spf.google.com 4, spf.protection.outlook.com 2, sendgrid.net 1, mailgun.org 2',
    ],
  ])('%i lookups warn that the next service breaks SPF', async (n, includes, costs) => {
    const r = await run(withSpf(`v=spf1 ${includes} -all`), { ids: [LOOKUPS, BULK] });
    expect(r[LOOKUPS]).toMatchObject({
      status: 'warn',
      summary: `Your SPF record uses ${n} of 10 DNS lookups: the next service you add will break SPF for all your email. Cost per include: ${costs}.`,
    });
    expect(ev(r[LOOKUPS])).toMatchObject({ lookups: n, firstOverLimit: null });
    expect(r[BULK]?.status).toBe('pass');
  });

  it('the SPF lookup timing out is an error for every SPF check (and for MX, which asks the same name)', async () => {
    const t0 = performance.now();
    const r = await run(healthyWith({ unanswered: [D] }), {
      short: true,
      ids: [SPF, LOOKUPS, PROVIDERS, MX, BULK],
    });
    expect(performance.now() - t0).toBeLessThan(CHECK_TIMEOUT_MS + 1500);
    for (const id of [SPF, LOOKUPS, PROVIDERS]) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.summary, id).toMatch(
        /^Could not decide: for steady-ai\.test, the TXT lookup failed \(.*did not answer/,
      );
    }
    expect(ev(r[SPF])).toMatchObject({ suggestedRecord: null });
    expect(r[MX]?.status).toBe('error');
    expect(r[MX]?.summary).toMatch(/^Could not decide: the MX lookup for steady-ai\.test failed/);
    expect(r[BULK]).toMatchObject({
      status: 'error',
      summary: 'Could not decide: the DNS lookups for SPF at steady-ai.test failed.',
    });
  });

  it('an include whose lookup times out leaves the count undecided: error, here and in the bulk rules', async () => {
    const r = await run(healthyWith({ unanswered: ['_spf.google.com'] }), {
      short: true,
      ids: [LOOKUPS, BULK],
    });
    // Receivers get a temperror there; the real count (4) cannot be known.
    expect(r[LOOKUPS]?.status).toBe('error');
    expect(r[LOOKUPS]?.summary).toMatch(
      /^Could not decide: include:_spf\.google\.com: its TXT lookup failed .*cannot be counted/,
    );
    expect(r[BULK]?.status).toBe('error');
  });

  it('no providers named: the provider check is skipped and asks for them', async () => {
    const l = await lab(HEALTHY);
    for (const tweak of [
      (ws: Workspace) => delete ws.emailProviders,
      (ws: Workspace) => (ws.emailProviders = []),
    ]) {
      const r = await runOn(l, [PROVIDERS], tweak);
      expect(r[PROVIDERS]).toMatchObject({
        status: 'skipped',
        summary:
          'Name the services that send your email (Google Workspace, Postmark…) in the workspace settings to check they are authorised.',
        evidence: { domain: D, providers: [] },
      });
    }
  });

  it('a Postmark-only founder needs no Postmark include: the provider check passes', async () => {
    const r = await run(HEALTHY, {
      ids: [PROVIDERS],
      workspace: (ws) => (ws.emailProviders = ['postmark']),
    });
    expect(r[PROVIDERS]).toMatchObject({
      status: 'pass',
      summary:
        'Postmark sends from its own bounce domain, so it needs no entry in the SPF record of steady-ai.test (DKIM covers it).',
    });
    expect(ev(r[PROVIDERS])).toMatchObject({
      providers: ['postmark'],
      missing: [],
      notNeededAtDomain: [expect.stringContaining('SPF at your domain is not needed')],
    });
    expect(ev(r[PROVIDERS]).includes).not.toContainEqual(
      expect.objectContaining({ domain: 'spf.mtasv.net' }),
    );
  });

  it('two SPF records and no providers named: the merged record keeps both senders', async () => {
    const r = await run(
      healthyWith({ fragment: { records: [txt(D, 'v=spf1 include:mailgun.org ~all')] } }),
      { ids: [SPF], workspace: (ws) => (ws.emailProviders = []) },
    );
    expect(r[SPF]?.status).toBe('fail');
    expect(ev(r[SPF]).suggestedRecord).toBe(
      'v=spf1 include:_spf.google.com include:mailgun.org -all',
    );
  });

  it('over the lookup limit with no providers named: no record offered, the founder is asked to name them', async () => {
    const r = await run(getScenario('demo'), {
      ids: [LOOKUPS],
      workspace: (ws) => delete ws.emailProviders,
    });
    expect(r[LOOKUPS]?.status).toBe('fail');
    expect(ev(r[LOOKUPS]).suggestedRecord).toBeNull();
    expect(r[LOOKUPS]?.summary).toMatch(
      /Name the services that send your email in the workspace settings and the app will write the record to publish/,
    );
  });
});

describe('DKIM faults', () => {
  it('no DKIM key under any selector: fail, and the bulk-sender rules name DKIM', async () => {
    const r = await run(healthyWith({ drop: isDkim }), { ids: [DKIM, BULK] });
    expect(r[DKIM]).toMatchObject({
      status: 'fail',
      summary: `No DKIM key found for steady-ai.test under the ${COMMON_DKIM_SELECTORS.length + 1} selectors tried. Turn on DKIM in your sending service and publish its record, or add your selector in the workspace settings.`,
    });
    expect(ev(r[DKIM])).toMatchObject({ keys: [], lookupErrors: [] });
    expect(ev(r[DKIM]).tried).toEqual(expect.arrayContaining([POSTMARK_SELECTOR, 'google', 's1']));
    expect(r[BULK]).toMatchObject({
      status: 'fail',
      summary:
        'Gmail and Yahoo expect SPF, DKIM and DMARC from steady-ai.test; missing: no usable DKIM key at steady-ai.test. Fix DKIM first (see the checks above).',
    });
    expect(ev(r[BULK])).toMatchObject({
      dkim: { ok: false, alignedSelectors: [] },
      alignment: null,
    });
  });

  it('only a revoked key: fail, nothing signs', async () => {
    const r = await run(
      healthyWith({ drop: isDkim, add: [txt(`google._domainkey.${D}`, 'v=DKIM1; k=rsa; p=')] }),
      { ids: [DKIM, BULK] },
    );
    expect(r[DKIM]).toMatchObject({
      status: 'fail',
      summary:
        'Every DKIM key found for steady-ai.test is revoked (google (Google Workspace)), so nothing signs your email. Publish the current key from your sending service.',
    });
    expect(ev(r[DKIM]).keys).toEqual([
      expect.objectContaining({ selector: 'google', revoked: true, bits: null }),
    ]);
    expect(r[BULK]?.status).toBe('fail');
  });

  it('t=y: warn, remove testing mode', async () => {
    const r = await run(withGoogleKey(`v=DKIM1; k=rsa; t=y; p=${RSA_2048_B}`), { ids: [DKIM] });
    expect(r[DKIM]).toMatchObject({
      status: 'warn',
      summary:
        'The DKIM key google (Google Workspace) is in testing mode (t=y): receivers may ignore its failures. Remove t=y from the record.',
    });
    expect(ev(r[DKIM]).keys).toContainEqual(
      expect.objectContaining({ selector: 'google', testing: true, bits: 2048 }),
    );
  });

  it('a 512-bit key: fail, receivers reject it; the fix is a new 2048-bit key', async () => {
    const r = await run(withGoogleKey(`v=DKIM1; k=rsa; p=${rsaKey(512)}`), { ids: [DKIM] });
    expect(r[DKIM]).toMatchObject({
      status: 'fail',
      summary:
        'The DKIM key google (Google Workspace) is 512 bits: receivers reject keys under 1024 bits. Generate a 2048-bit key under a new selector and publish it as TXT "v=DKIM1; k=rsa; p=<the new public key>" at <new selector>._domainkey.steady-ai.test, then retire google._domainkey.steady-ai.test.',
    });
    expect(ev(r[DKIM]).keys).toContainEqual(
      expect.objectContaining({ selector: 'google', keyType: 'rsa', bits: 512 }),
    );
  });

  it('an Ed25519 key beside the RSA one passes', async () => {
    const r = await run(withGoogleKey(`v=DKIM1; k=ed25519; p=${ed25519Key()}`), {
      ids: [DKIM, BULK],
    });
    expect(r[DKIM]).toMatchObject({
      status: 'pass',
      summary: `DKIM keys found for steady-ai.test: ${POSTMARK_SELECTOR} (Postmark): RSA 2048 and google (Google Workspace): Ed25519.`,
    });
    expect(ev(r[DKIM]).keys).toContainEqual(
      expect.objectContaining({ selector: 'google', keyType: 'ed25519', bits: 256 }),
    );
    expect(r[BULK]?.status).toBe('pass');
  });

  it('only Ed25519 keys: warn, as many receivers cannot verify them yet', async () => {
    const r = await run(withGoogleKey(`v=DKIM1; k=ed25519; p=${ed25519Key()}`), {
      ids: [DKIM],
      workspace: (ws) => (ws.dkimSelectors = []),
    });
    expect(r[DKIM]?.status).toBe('warn');
    expect(r[DKIM]?.summary).toBe(
      'steady-ai.test publishes only Ed25519 DKIM keys (google (Google Workspace)); many receivers do not verify Ed25519 yet, so sign with a 2048-bit RSA key too and publish it beside them.',
    );
  });

  it('a key whose p= is not base64: fail, the record is broken', async () => {
    const r = await run(withGoogleKey('v=DKIM1; k=rsa; p=MIIB!!not-base64'), { ids: [DKIM] });
    expect(r[DKIM]).toMatchObject({
      status: 'fail',
      summary:
        'The DKIM key record at google._domainkey.steady-ai.test is broken (p= is not valid base64), so every email signed with selector google fails DKIM. Publish the record exactly as your sending service shows it.',
    });
    expect(ev(r[DKIM]).keys).toContainEqual(
      expect.objectContaining({ selector: 'google', error: 'p= is not valid base64' }),
    );
  });

  it('every DKIM lookup timing out: error, and the bulk-sender rules cannot decide either', async () => {
    const names = [POSTMARK_SELECTOR, ...COMMON_DKIM_SELECTORS.map((s) => s.selector)].map(
      (s) => `${s}._domainkey.${D}`,
    );
    const t0 = performance.now();
    const r = await run(healthyWith({ unanswered: names }), { short: true, ids: [DKIM, BULK] });
    expect(performance.now() - t0).toBeLessThan(CHECK_TIMEOUT_MS + 1500);
    expect(r[DKIM]?.status).toBe('error');
    expect(r[DKIM]?.summary).toMatch(
      /^Could not decide: no DKIM key found for steady-ai\.test, but 21 of 21 lookups failed, including your own selector 20240611093012pm \(.*did not answer/,
    );
    expect(ev(r[DKIM]).lookupErrors).toHaveLength(names.length);
    expect(r[BULK]).toMatchObject({
      status: 'error',
      summary: 'Could not decide: the DNS lookups for DKIM at steady-ai.test failed.',
    });
  });
});

describe('DMARC faults', () => {
  const START = 'v=DMARC1; p=none; rua=mailto:dmarc-reports@steady-ai.test';

  it('no DMARC record: both checks fail with the record to start with', async () => {
    const r = await run(healthyWith({ drop: isDmarc }), { ids: [POLICY, REPORTING, BULK] });
    const expected = `steady-ai.test has no DMARC record: receivers apply no policy to forgeries of your domain and send you no reports. Publish TXT at _dmarc.steady-ai.test: "${START}", read the reports for two weeks, then move to p=quarantine.`;
    expect(r[POLICY]).toMatchObject({ status: 'fail', summary: expected });
    expect(ev(r[POLICY])).toMatchObject({ status: 'none', record: null });
    expect(r[REPORTING]).toMatchObject({
      status: 'fail',
      summary: `No DMARC reports reach you: ${expected}`,
    });
    expect(r[BULK]?.status).toBe('fail');
    expect(r[BULK]?.summary).toContain('missing: no valid DMARC record. Fix DMARC first');
  });

  it('a sending subdomain is covered by the organisational record; the other checks look at the subdomain', async () => {
    const S = `mail.${D}`;
    const r = await run(composeScenario(HEALTHY, { email: { sendingDomain: S } }));
    expect(r[POLICY]).toMatchObject({
      status: 'pass',
      summary:
        "DMARC for mail.steady-ai.test is p=quarantine for all email (from _dmarc.steady-ai.test, the organisational domain's record).",
    });
    expect(ev(r[POLICY])).toMatchObject({
      domain: S,
      organisationalDomain: D,
      foundAt: 'organisational',
      recordName: `_dmarc.${D}`,
      appliedPolicy: 'quarantine',
    });
    // Reports are authorised for the policy domain (the organisational one).
    expect(r[REPORTING]?.status).toBe('pass');
    expect(r[SPF]?.summary).toBe(
      'mail.steady-ai.test has no SPF record, so receivers cannot tell your real email from forgeries. Publish one TXT record at mail.steady-ai.test: "v=spf1 include:_spf.google.com ~all".',
    );
    expect(r[DKIM]?.status).toBe('fail');
    expect(r[DKIM]?.summary).toMatch(/^No DKIM key found for mail\.steady-ai\.test /);
    expect(r[MX]).toMatchObject({
      status: 'fail',
      summary:
        'mail.steady-ai.test does not exist in DNS, so it can neither send nor receive email.',
    });
    // No MX at all: nothing for MTA-STS to protect yet, so it is not asked for.
    expect(r[STS]).toMatchObject({
      status: 'skipped',
      summary:
        'mail.steady-ai.test receives no email through MX hosts (the MX check says why), so there is nothing for MTA-STS to protect yet.',
    });
    expect(r[TLSRPT]?.summary).toContain(
      'Publish TXT at _smtp._tls.mail.steady-ai.test: "v=TLSRPTv1; rua=mailto:tls-reports@mail.steady-ai.test".',
    );
    expect(r[BULK]?.summary).toContain(
      'missing: no SPF record and no usable DKIM key at mail.steady-ai.test.',
    );
  });

  it('a sending subdomain under an organisational sp=none gets p=none', async () => {
    const s = composeScenario(withDmarc(`v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@${D}`), {
      email: { sendingDomain: `mail.${D}` },
    });
    const r = await run(s, { ids: [POLICY] });
    expect(r[POLICY]?.status).toBe('warn');
    expect(r[POLICY]?.summary).toMatch(
      /^DMARC for mail\.steady-ai\.test is p=none \(from _dmarc\.steady-ai\.test, the organisational domain's record\)/,
    );
    expect(r[POLICY]?.summary).toContain('Publish at _dmarc.mail.steady-ai.test: "v=DMARC1; p=');
    expect(ev(r[POLICY])).toMatchObject({ appliedPolicy: 'none', subdomainPolicy: 'none' });
  });

  it('two DMARC records: receivers ignore both', async () => {
    const r = await run(
      healthyWith({ fragment: { records: [txt(`_dmarc.${D}`, 'v=DMARC1; p=reject')] } }),
      { ids: [POLICY, REPORTING, BULK] },
    );
    expect(r[POLICY]).toMatchObject({
      status: 'fail',
      // The replacement keeps the strongest policy and the report address they asked for.
      summary: `_dmarc.steady-ai.test has several DMARC records, so receivers ignore all of them. Keep one: "v=DMARC1; p=reject; rua=mailto:dmarc@steady-ai.test".`,
    });
    expect(ev(r[POLICY])).toMatchObject({ status: 'multiple' });
    expect(r[REPORTING]?.status).toBe('fail');
    expect(r[BULK]?.status).toBe('fail');
  });

  it('an invalid DMARC record: fail', async () => {
    const r = await run(withDmarc('v=DMARC1; p=bogus'), { ids: [POLICY] });
    expect(r[POLICY]).toMatchObject({
      status: 'fail',
      summary: `The DMARC record at _dmarc.steady-ai.test is invalid (p=bogus is not none, quarantine or reject, and no valid rua= to fall back on), so receivers ignore it. Publish: "${START}".`,
    });
  });

  it.each([
    [
      `v=DMARC1; p=quarantine; pct=50; rua=mailto:dmarc@${D}`,
      'DMARC for steady-ai.test is p=quarantine but pct=50: only 50% of failing email gets the policy. Set pct=100.',
    ],
    [
      `v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@${D}`,
      'DMARC for steady-ai.test is p=reject but sp=none leaves every subdomain open to forgery. Remove sp=none.',
    ],
    [
      `v=DMARC1; p=none; rua=mailto:dmarc@${D}`,
      'DMARC for steady-ai.test is p=none: receivers deliver email that fails SPF and DKIM as if it were yours. Reports go to dmarc@steady-ai.test: use them to confirm your services pass, then tighten. Publish at _dmarc.steady-ai.test: "v=DMARC1; p=quarantine; rua=mailto:dmarc@steady-ai.test".',
    ],
  ])('"%s" warns', async (record, summary) => {
    const r = await run(withDmarc(record), { ids: [POLICY, REPORTING] });
    expect(r[POLICY]).toMatchObject({ status: 'warn', summary });
    expect(r[REPORTING]).toMatchObject({
      status: 'pass',
      summary: 'DMARC reports for steady-ai.test go to dmarc@steady-ai.test.',
    });
  });

  it('reports to an outside address that has not authorised them are dropped', async () => {
    const s = healthyWith({
      fragment: { zones: ['reports-elsewhere.test'] },
      drop: isDmarc,
      add: [txt(`_dmarc.${D}`, 'v=DMARC1; p=reject; rua=mailto:agg@reports-elsewhere.test')],
    });
    const r = await run(s, { ids: [POLICY, REPORTING] });
    expect(r[POLICY]?.status).toBe('pass');
    expect(r[REPORTING]).toMatchObject({
      status: 'fail',
      summary:
        'Reports to mailto:agg@reports-elsewhere.test are dropped: reports-elsewhere.test has not published "v=DMARC1" at steady-ai.test._report._dmarc.reports-elsewhere.test. Ask the report service to authorise steady-ai.test, or send reports to an address at steady-ai.test.',
    });
    expect(ev(r[REPORTING]).reportAuthorization).toEqual([
      expect.objectContaining({
        uri: 'mailto:agg@reports-elsewhere.test',
        destination: 'reports-elsewhere.test',
        status: 'not-authorised',
      }),
    ]);
  });

  it('the DMARC lookup timing out: both checks and the bulk-sender rules cannot decide', async () => {
    const r = await run(healthyWith({ unanswered: [`_dmarc.${D}`] }), {
      short: true,
      ids: [POLICY, REPORTING, BULK],
    });
    for (const id of [POLICY, REPORTING]) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.summary, id).toMatch(
        /^Could not decide: the DMARC lookup for steady-ai\.test failed \(.*did not answer/,
      );
    }
    expect(r[BULK]).toMatchObject({
      status: 'error',
      summary: 'Could not decide: the DNS lookups for DMARC at steady-ai.test failed.',
    });
  });

  it('the report authorisation lookup timing out: reporting cannot decide', async () => {
    const s = healthyWith({
      drop: isDmarc,
      add: [txt(`_dmarc.${D}`, 'v=DMARC1; p=reject; rua=mailto:agg@dmarc-reports.test')],
      unanswered: [`${D}._report._dmarc.dmarc-reports.test`],
    });
    const r = await run(s, { short: true, ids: [REPORTING] });
    expect(r[REPORTING]?.status).toBe('error');
    expect(r[REPORTING]?.summary).toMatch(
      /^Could not decide: the authorisation lookups for mailto:agg@dmarc-reports\.test failed/,
    );
  });
});

describe('MX faults', () => {
  it('no MX but an address: warn, replies go to the web server', async () => {
    const r = await run(healthyWith({ drop: isMx }), { ids: [MX] });
    expect(r[MX]).toMatchObject({
      status: 'warn',
      summary:
        "steady-ai.test has no MX record, so email to it goes to your web server's address, which does not take mail: replies bounce. Publish your mailbox provider's MX records.",
    });
    expect(ev(r[MX])).toMatchObject({ status: 'no-mx', implicitMx: { resolves: true } });
  });

  it('a null MX: fail, the domain says it takes no mail', async () => {
    const r = await run(withMx('0 .'), { ids: [MX] });
    expect(r[MX]?.status).toBe('fail');
    expect(r[MX]?.summary).toMatch(/^steady-ai\.test publishes a "null MX" \(0 \.\)/);
    expect(ev(r[MX])).toMatchObject({ status: 'null-mx', exchanges: [] });
  });

  it('an MX that is a CNAME: fail, point at the target; MTA-STS does not list the alias either', async () => {
    const s = composeScenario(withMx(`1 mail.${D}`), {
      records: [{ name: `mail.${D}`, type: 'CNAME', data: 'smtp.google.com' }],
    });
    const r = await run(s, { ids: [MX, STS] });
    expect(r[MX]).toMatchObject({
      status: 'fail',
      summary:
        'The MX mail.steady-ai.test is an alias for smtp.google.com; mail servers may refuse to deliver through an alias. Point the MX at smtp.google.com directly.',
    });
    expect(ev(r[MX]).exchanges).toEqual([
      expect.objectContaining({ host: `mail.${D}`, cname: 'smtp.google.com', resolves: true }),
    ]);
    expect(r[STS]?.status).toBe('fail');
    expect(ev(r[STS])).toMatchObject({ uncoveredMx: [`mail.${D}`] });
  });

  it('an MX host without an address: fail', async () => {
    const r = await run(withMx(`1 mail.${D}`), { ids: [MX] });
    expect(r[MX]).toMatchObject({
      status: 'fail',
      summary:
        'The MX host mail.steady-ai.test has no address, so mail tried there is lost or delayed. Remove it or fix its DNS.',
    });
    expect(ev(r[MX]).exchanges).toEqual([expect.objectContaining({ resolves: false })]);
  });

  it('two MX hosts, the backup dead: warn', async () => {
    const r = await run(withMx('1 smtp.google.com', `5 backup.${D}`), { ids: [MX] });
    expect(r[MX]).toMatchObject({
      status: 'warn',
      summary:
        'The MX host backup.steady-ai.test has no address, so mail tried there is lost or delayed. Remove it or fix its DNS.',
    });
    const hosts = (ev(r[MX]).exchanges as { host: string; resolves: boolean }[]).map((e) => [
      e.host,
      e.resolves,
    ]);
    expect(hosts).toEqual([
      ['smtp.google.com', true],
      [`backup.${D}`, false],
    ]);
  });

  it('an MX naming an IP address: fail', async () => {
    const r = await run(withMx('1 192.0.2.1'), { ids: [MX] });
    expect(r[MX]).toMatchObject({
      status: 'fail',
      summary:
        "The MX record 192.0.2.1 is an IP address; MX records must name a host. Use your provider's MX host name.",
    });
  });

  it('the MX host’s address lookups timing out: error', async () => {
    const s = healthyWith({
      drop: isMx,
      add: [{ name: D, type: 'MX', data: `1 mail.${D}` }],
      unanswered: [`mail.${D}`],
    });
    const r = await run(s, { short: true, ids: [MX] });
    expect(r[MX]).toMatchObject({
      status: 'error',
      summary: 'Could not decide: looking up the addresses of mail.steady-ai.test failed.',
    });
  });
});

describe('MTA-STS faults', () => {
  it('mode: testing warns', async () => {
    const r = await run(
      withPolicyRoute({
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: GOOD_POLICY.replace('enforce', 'testing'),
      }),
      { ids: [STS] },
    );
    expect(r[STS]).toMatchObject({
      status: 'warn',
      summary:
        'MTA-STS for steady-ai.test is in mode: testing, so senders still deliver over unencrypted connections. After a week of clean TLS reports, change it to mode: enforce and change the id in the TXT record.',
    });
    expect(ev(r[STS])).toMatchObject({ policy: { mode: 'testing' } });
  });

  it('a policy that does not list the MX host fails and names the line to add', async () => {
    const r = await run(
      withPolicyRoute({
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: GOOD_POLICY.replace('mx: smtp.google.com', 'mx: mx.other-provider.test'),
      }),
      { ids: [STS] },
    );
    expect(r[STS]).toMatchObject({
      status: 'fail',
      summary:
        'The MTA-STS policy does not list the MX host smtp.google.com: in enforce mode senders refuse to deliver there. Add "mx: smtp.google.com" to https://mta-sts.steady-ai.test/.well-known/mta-sts.txt and change the id in the TXT record.',
    });
    expect(ev(r[STS])).toMatchObject({ uncoveredMx: ['smtp.google.com'] });
  });

  it.each([
    [
      '404',
      { status: 404, body: 'not found' },
      'https://mta-sts.steady-ai.test/.well-known/mta-sts.txt answered 404, not 200',
      'http-status',
    ],
    [
      'a redirect',
      { status: 301, headers: { location: `https://www.${D}/mta-sts.txt` } },
      'https://mta-sts.steady-ai.test/.well-known/mta-sts.txt answered 301 → https://www.steady-ai.test/mta-sts.txt: senders do not follow redirects (RFC 8461 §3.3)',
      'redirect',
    ],
    [
      'an invalid policy',
      {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: GOOD_POLICY.replace('enforce', 'sometimes'),
      },
      'the policy file is invalid: mode: sometimes is not enforce, testing or none',
      'invalid-policy',
    ],
  ])('a policy URL answering %s fails, with the recipe', async (_what, route, reason, kind) => {
    const r = await run(withPolicyRoute(route), { ids: [STS] });
    expect(r[STS]?.status).toBe('fail');
    expect(r[STS]?.summary).toContain(
      `MTA-STS for steady-ai.test is published but unusable, so senders ignore it: ${reason}.`,
    );
    expect(r[STS]?.summary).toMatch(stsRecipe(D, 'smtp.google.com'));
    expect(ev(r[STS])).toMatchObject({ errorKind: kind });
  });

  it.each([
    ['expired', 'CERT_HAS_EXPIRED'],
    ['self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ] as const)('a policy site whose certificate is %s fails', async (kind, code) => {
    const r = await run(withStsCertificate(kind), { ids: [STS] });
    expect(r[STS]?.status).toBe('fail');
    expect(r[STS]?.summary).toMatch(
      /^MTA-STS for steady-ai\.test is published but unusable, so senders ignore it: .*certificate not trusted/,
    );
    expect(r[STS]?.summary).toContain(code);
    expect(r[STS]?.summary).toMatch(stsRecipe(D, 'smtp.google.com'));
    expect(ev(r[STS])).toMatchObject({ errorKind: 'tls' });
  });

  it('no _mta-sts TXT record: fail with the recipe', async () => {
    const r = await run(healthyWith({ drop: (x) => x.name === `_mta-sts.${D}` }), { ids: [STS] });
    expect(r[STS]?.status).toBe('fail');
    expect(r[STS]?.summary).toMatch(/^steady-ai\.test has no MTA-STS, /);
    expect(r[STS]?.summary).toMatch(stsRecipe(D, 'smtp.google.com'));
  });

  it('the TXT lookup timing out, or the policy never arriving: error', async () => {
    const txtTimeout = await run(healthyWith({ unanswered: [`_mta-sts.${D}`] }), {
      short: true,
      ids: [STS],
    });
    expect(txtTimeout[STS]?.status).toBe('error');
    expect(txtTimeout[STS]?.summary).toMatch(
      /^Could not decide: the lookup of _mta-sts\.steady-ai\.test failed/,
    );

    const slow = healthyWith({
      fragment: {
        sites: {
          [`mta-sts.${D}`]: {
            routes: [{ path: POLICY_PATH, status: 200, body: GOOD_POLICY, delayMs: 3000 }],
          },
        },
      },
    });
    const r = await run(slow, { short: true, ids: [STS] });
    expect(r[STS]?.status).toBe('error');
    expect(r[STS]?.summary).toMatch(
      /^Could not decide: fetching https:\/\/mta-sts\.steady-ai\.test\/\.well-known\/mta-sts\.txt failed/,
    );
    expect(ev(r[STS])).toMatchObject({ errorKind: 'timeout' });
  });
});

describe('TLS-RPT faults', () => {
  const RECIPE =
    'Publish TXT at _smtp._tls.steady-ai.test: "v=TLSRPTv1; rua=mailto:tls-reports@steady-ai.test".';

  it('an invalid record: fail with the record to publish', async () => {
    const r = await run(withTlsRpt('v=TLSRPTv1; rua=ftp://reports.test/tls'), { ids: [TLSRPT] });
    expect(r[TLSRPT]?.status).toBe('fail');
    expect(r[TLSRPT]?.summary).toMatch(
      /^The TLS-RPT record at _smtp\._tls\.steady-ai\.test is invalid \(rua= holds no usable mailto: or https: address/,
    );
    expect(r[TLSRPT]?.summary).toMatch(new RegExp(`${esc(RECIPE)}$`));
    expect(ev(r[TLSRPT])).toMatchObject({ status: 'invalid' });
  });

  it('two records: fail, keep one', async () => {
    const r = await run(
      withTlsRpt(`v=TLSRPTv1; rua=mailto:a@${D}`, `v=TLSRPTv1; rua=mailto:b@${D}`),
      { ids: [TLSRPT] },
    );
    expect(r[TLSRPT]).toMatchObject({
      status: 'fail',
      summary: `_smtp._tls.steady-ai.test has several TLS-RPT records, so senders ignore them all. Keep one. ${RECIPE}`,
    });
    expect(ev(r[TLSRPT])).toMatchObject({ status: 'multiple' });
  });

  it('the lookup timing out: error', async () => {
    const r = await run(healthyWith({ unanswered: [`_smtp._tls.${D}`] }), {
      short: true,
      ids: [TLSRPT],
    });
    expect(r[TLSRPT]?.status).toBe('error');
    expect(r[TLSRPT]?.summary).toMatch(
      /^Could not decide: the lookup of _smtp\._tls\.steady-ai\.test failed \(.*did not answer/,
    );
  });
});
