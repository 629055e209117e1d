/** Stage 5 — where mail to the domain goes: MX, MTA-STS (encrypted delivery) and TLS-RPT. */
import type { Check } from '../engine/check';
import { fetchMtaSts, mxMatchesPolicy } from '../probes/email/mta-sts';
import { findTlsRpt } from '../probes/email/tls-rpt';
import { emailDns, listWords, mxOf, outcome, sendingDomain } from './email-support';

export const mxRecords: Check = {
  id: 'email.mx',
  stage: 5,
  title: 'MX records exist, point at real mail servers and not at aliases',
  why: 'MX records say where email to your domain goes: replies to invites, bounces, and the support@ address a buyer writes to. Receivers also trust senders whose domain can receive mail. An MX that points at an alias (CNAME) or a name that does not resolve loses mail without telling anyone.',
  fix: [
    'Publish the MX records your mailbox provider gives (Google Workspace: "1 smtp.google.com"; Microsoft 365: "0 <domain>.mail.protection.outlook.com").',
    'Point each MX at a host name with its own A/AAAA records, never at a CNAME or an IP address.',
    'Remove MX records of providers you no longer use.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const d = sendingDomain(ctx);
    const mx = await mxOf(ctx);
    const ev = {
      domain: d,
      status: mx.status,
      exchanges: mx.exchanges.map((e) => ({
        preference: e.preference,
        host: e.host,
        addresses: e.addresses,
        resolves: e.resolves,
        cname: e.cname ?? null,
        problems: e.problems,
      })),
      implicitMx: mx.implicitMx ?? null,
      problems: mx.problems,
    };
    switch (mx.status) {
      case 'error':
        return outcome(
          'error',
          `Could not decide: the MX lookup for ${d} failed (${mx.error ?? 'DNS error'}).`,
          ev,
        );
      case 'nxdomain':
        return outcome(
          'fail',
          `${d} does not exist in DNS, so it can neither send nor receive email.`,
          ev,
        );
      case 'null-mx':
        return outcome(
          'fail',
          `${d} publishes a "null MX" (0 .): it says the domain takes no email, so replies to your invites bounce and some receivers distrust its mail. Publish your mailbox provider's MX records instead.`,
          ev,
        );
      case 'no-mx':
        if (mx.implicitMx?.resolves === null) {
          return outcome(
            'error',
            `Could not decide: ${d} has no MX record and looking up its own address failed.`,
            ev,
          );
        }
        return outcome(
          mx.implicitMx?.resolves ? 'warn' : 'fail',
          mx.implicitMx?.resolves
            ? `${d} has no MX record, so email to it goes to your web server's address, which does not take mail: replies bounce. Publish your mailbox provider's MX records.`
            : `${d} has no MX record and no address, so nobody can reply to your emails. Publish your mailbox provider's MX records.`,
          ev,
        );
    }
    const aliased = mx.exchanges.filter((e) => typeof e.cname === 'string');
    const literal = mx.exchanges.filter((e) => e.ipLiteral);
    const dead = mx.exchanges.filter((e) => e.resolves === false && !e.ipLiteral);
    const unknown = mx.exchanges.filter((e) => e.resolves === null);
    const working = mx.exchanges.filter((e) => e.resolves === true && typeof e.cname !== 'string');
    if (aliased.length > 0) {
      return outcome(
        'fail',
        `The MX ${listWords(aliased.map((e) => `${e.host} is an alias for ${e.cname}`))}; mail servers may refuse to deliver through an alias. Point the MX at ${listWords(aliased.map((e) => e.cname ?? ''))} directly.`,
        ev,
      );
    }
    if (literal.length > 0) {
      return outcome(
        'fail',
        `The MX record ${listWords(literal.map((e) => e.host))} is an IP address; MX records must name a host. Use your provider's MX host name.`,
        ev,
      );
    }
    if (working.length === 0 && unknown.length > 0) {
      return outcome(
        'error',
        `Could not decide: looking up the addresses of ${listWords(unknown.map((e) => e.host))} failed.`,
        ev,
      );
    }
    if (dead.length > 0) {
      return outcome(
        working.length > 0 ? 'warn' : 'fail',
        `The MX host ${listWords(dead.map((e) => e.host))} has no address, so mail tried there is lost or delayed. Remove it or fix its DNS.`,
        ev,
      );
    }
    return outcome(
      'pass',
      `Mail for ${d} goes to ${listWords(mx.exchanges.map((e) => `${e.host} (${e.preference})`))}.`,
      ev,
    );
  },
};

export const mtaSts: Check = {
  id: 'email.mta-sts',
  stage: 5,
  title: 'MTA-STS makes mail to your domain travel encrypted',
  why: 'Without MTA-STS, an attacker on the network path can strip the encryption from email sent to you (password resets for your own admin accounts, contracts from buyers) and read or change it. Enterprise security reviews ask for it.',
  fix: [
    'Publish TXT at _mta-sts.<your domain>: "v=STSv1; id=<a date, changed whenever the policy changes>".',
    'Serve https://mta-sts.<your domain>/.well-known/mta-sts.txt with a valid certificate, as text/plain, no redirect: "version: STSv1", "mode: testing" (later "enforce"), one "mx:" line per MX host, "max_age: 604800".',
    'Add a TLS-RPT record too, so you hear about delivery failures, and switch to mode: enforce after a clean week.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const d = sendingDomain(ctx);
    const [sts, mx] = await Promise.all([
      fetchMtaSts(d, ctx.net, emailDns(ctx), { signal: ctx.signal, resolve: ctx.cache.resolve }),
      mxOf(ctx),
    ]);
    const hosts = mx.exchanges.map((e) => e.host);
    const policy = sts.policy?.ok ? sts.policy.policy : null;
    const uncovered = policy ? hosts.filter((h) => !mxMatchesPolicy(h, policy.mx)) : [];
    const ev = {
      domain: d,
      txt: sts.txt,
      policyUrl: sts.policyUrl,
      httpStatus: sts.httpStatus ?? null,
      contentType: sts.contentType ?? null,
      policy,
      mxHosts: hosts,
      uncoveredMx: uncovered,
      errorKind: sts.errorKind ?? null,
      error: sts.error ?? null,
      problems: sts.problems,
    };
    const mxLines = (hosts.length > 0 ? hosts : ['<your MX host>'])
      .map((h) => `mx: ${h}`)
      .join('\\n');
    const recipe = `Publish TXT at _mta-sts.${d}: "v=STSv1; id=${ctx.now.toISOString().slice(0, 10).replaceAll('-', '')}" and serve ${sts.policyUrl} as text/plain: "version: STSv1\\nmode: testing\\n${mxLines}\\nmax_age: 604800".`;
    if (mx.status !== 'mx' && mx.status !== 'error' && sts.errorKind === 'no-txt') {
      return outcome(
        'skipped',
        `${d} receives no email through MX hosts (the MX check says why), so there is nothing for MTA-STS to protect yet.`,
        ev,
      );
    }
    if (sts.errorKind === 'txt-dns') {
      return outcome(
        'error',
        `Could not decide: the lookup of _mta-sts.${d} failed (${sts.error ?? 'DNS error'}).`,
        ev,
      );
    }
    if (sts.errorKind === 'no-txt') {
      return outcome(
        'fail',
        `${d} has no MTA-STS, so mail sent to you can be downgraded to unencrypted on the way. ${recipe}`,
        ev,
      );
    }
    if (sts.errorKind === 'timeout' || sts.errorKind === 'network' || sts.errorKind === 'reset') {
      return outcome(
        'error',
        `Could not decide: fetching ${sts.policyUrl} failed (${sts.error ?? sts.errorKind}).`,
        ev,
      );
    }
    if (sts.errorKind || !policy) {
      return outcome(
        'fail',
        `MTA-STS for ${d} is published but unusable, so senders ignore it: ${sts.error ?? 'the policy could not be read'}. ${recipe}`,
        ev,
      );
    }
    if (uncovered.length > 0) {
      return outcome(
        'fail',
        `The MTA-STS policy does not list the MX host ${listWords(uncovered)}: in enforce mode senders refuse to deliver there. Add "mx: ${uncovered[0] ?? ''}" to ${sts.policyUrl} and change the id in the TXT record.`,
        ev,
      );
    }
    if (policy.mode !== 'enforce') {
      return outcome(
        'warn',
        `MTA-STS for ${d} is in mode: ${policy.mode}, so senders still deliver over unencrypted connections. After a week of clean TLS reports, change it to mode: enforce and change the id in the TXT record.`,
        ev,
      );
    }
    if (hosts.length === 0) {
      return outcome(
        'warn',
        `MTA-STS for ${d} is in enforce mode, but the domain has no MX host for it to cover (see the MX check).`,
        ev,
      );
    }
    return outcome('pass', `MTA-STS for ${d} is in enforce mode and covers every MX host.`, ev);
  },
};

export const tlsRpt: Check = {
  id: 'email.tls-rpt',
  stage: 5,
  title: 'TLS-RPT reports delivery encryption failures to you',
  why: 'With TLS-RPT, Gmail and Microsoft send you a daily report when mail to your domain could not be delivered securely, so a broken certificate or MTA-STS policy does not silently lose mail.',
  fix: [
    'Publish TXT at _smtp._tls.<your domain>: "v=TLSRPTv1; rua=mailto:tls-reports@<your domain>".',
  ],
  impact: 'low',
  kind: 'probe',
  async run(ctx) {
    const d = sendingDomain(ctx);
    const r = await findTlsRpt(d, emailDns(ctx), { signal: ctx.signal });
    const ev = {
      domain: d,
      name: r.name,
      status: r.status,
      record: r.record ?? null,
      problems: r.problems,
      error: r.error ?? null,
    };
    const recipe = `Publish TXT at ${r.name}: "v=TLSRPTv1; rua=mailto:tls-reports@${d}".`;
    switch (r.status) {
      case 'error':
        return outcome(
          'error',
          `Could not decide: the lookup of ${r.name} failed (${r.error ?? 'DNS error'}).`,
          ev,
        );
      case 'none':
        return outcome(
          'warn',
          `${d} has no TLS-RPT record, so nobody tells you when mail to you cannot be delivered securely. ${recipe}`,
          ev,
        );
      case 'multiple':
        return outcome(
          'fail',
          `${r.name} has several TLS-RPT records, so senders ignore them all. Keep one. ${recipe}`,
          ev,
        );
      case 'invalid':
        return outcome(
          'fail',
          `The TLS-RPT record at ${r.name} is invalid (${r.parsed && !r.parsed.ok ? r.parsed.error : 'does not parse'}). ${recipe}`,
          ev,
        );
      default: {
        const rua = r.parsed?.ok ? r.parsed.rua.map((u) => u.address ?? u.uri) : [];
        return outcome('pass', `TLS reports for ${d} go to ${listWords(rua)}.`, ev);
      }
    }
  },
};
