/** Stage 5 — DMARC: a policy that protects the domain, and reports that reach someone. */
import type { Check, CheckOutcome } from '../engine/check';
import type { DmarcLookup, DmarcRecord } from '../probes/email/dmarc';
import { checkReportAuthorization } from '../probes/email/dmarc';
import { dmarcOf, emailDns, listWords, outcome, sendingDomain } from './email-support';

function dmarcEvidence(l: DmarcLookup): Record<string, unknown> {
  const rec = l.parsed?.ok ? l.parsed.record : null;
  return {
    domain: l.domain,
    organisationalDomain: l.organisationalDomain,
    status: l.status,
    foundAt: l.foundAt ?? null,
    recordName: l.recordName ?? null,
    record: l.record ?? null,
    candidates: l.candidates ?? [],
    appliedPolicy: l.appliedPolicy ?? null,
    policy: rec?.policy ?? null,
    subdomainPolicy: rec?.subdomainPolicy ?? null,
    pct: rec?.pct ?? null,
    rua: rec?.rua.map((u) => u.uri) ?? [],
    ruf: rec?.ruf.map((u) => u.uri) ?? [],
    adkim: rec?.adkim ?? null,
    aspf: rec?.aspf ?? null,
    problems: [...l.problems, ...(l.parsed?.ok ? l.parsed.problems : [])],
    ignoredRecords: l.ignoredRecords,
  };
}

/**
 * The record a founder should publish next: their own record with only p= and rua= changed,
 * every other tag (sp, adkim, ruf, fo…) kept as written. Without reports, the first step is
 * rua= at the current policy (tightening blind could send their own mail to spam); with
 * reports, p=none becomes quarantine.
 */
export function suggestedDmarc(domain: string, rec: DmarcRecord | null, raw?: string): string {
  const rua = `mailto:dmarc-reports@${domain}`;
  if (!rec || raw === undefined) return `v=DMARC1; p=none; rua=${rua}`;
  const policy = rec.rua.length > 0 && rec.policy === 'none' ? 'quarantine' : rec.policy;
  const tags = raw
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const out = tags.map((t) => (/^p\s*=/i.test(t) ? `p=${policy}` : t));
  if (!tags.some((t) => /^p\s*=/i.test(t))) out.splice(1, 0, `p=${policy}`);
  if (rec.rua.length === 0) {
    const at = out.findIndex((t) => /^rua\s*=/i.test(t));
    if (at >= 0) out[at] = `rua=${rua}`;
    else out.push(`rua=${rua}`);
  }
  return out.join('; ');
}

/** DNS trouble or no usable record: the outcomes both DMARC checks share. */
function unusable(l: DmarcLookup, d: string): CheckOutcome | null {
  const ev = dmarcEvidence(l);
  // Replacing broken or duplicate records must never lower the protection they asked for.
  const texts = [l.record ?? '', ...(l.candidates ?? [])].join(' ');
  const strongest = /\bp\s*=\s*reject\b/i.test(texts)
    ? 'reject'
    : /\bp\s*=\s*quarantine\b/i.test(texts)
      ? 'quarantine'
      : 'none';
  const rua = /rua\s*=\s*(mailto:[^;\s,]+)/i.exec(texts)?.[1] ?? `mailto:dmarc-reports@${d}`;
  const start = `v=DMARC1; p=${l.status === 'none' ? 'none' : strongest}; rua=${rua}`;
  switch (l.status) {
    case 'error':
      return outcome(
        'error',
        `Could not decide: the DMARC lookup for ${d} failed (${l.error ?? 'DNS error'}).`,
        ev,
      );
    case 'none':
      return outcome(
        'fail',
        `${d} has no DMARC record: receivers apply no policy to forgeries of your domain and send you no reports. Publish TXT at _dmarc.${d}: "${start}", read the reports for two weeks, then move to p=quarantine.`,
        ev,
      );
    case 'multiple':
      return outcome(
        'fail',
        `${l.recordName ?? `_dmarc.${d}`} has several DMARC records, so receivers ignore all of them. Keep one: "${start}".`,
        ev,
      );
    case 'invalid':
      return outcome(
        'fail',
        `The DMARC record at ${l.recordName ?? `_dmarc.${d}`} is invalid (${l.parsed && !l.parsed.ok ? l.parsed.error : 'does not parse'}), so receivers ignore it. Publish: "${start}".`,
        ev,
      );
    default:
      return null;
  }
}

export const dmarcPolicy: Check = {
  id: 'email.dmarc.policy',
  stage: 5,
  title: 'DMARC policy tells receivers to quarantine or reject forgeries',
  why: 'DMARC tells Gmail and Outlook what to do with email that claims to be from you but fails SPF and DKIM. With p=none they deliver it anyway: anyone can send "password reset" emails as your domain to your customers, and you only find out from a screenshot. Gmail and Yahoo require at least a DMARC record from bulk senders.',
  fix: [
    'Start with "v=DMARC1; p=none; rua=mailto:dmarc-reports@yourdomain" so reports show who sends as you.',
    'When the reports show only your own services passing (usually two to four weeks), change p=none to p=quarantine, then p=reject.',
    'Keep pct=100 (or leave it out) and do not set sp=none unless a subdomain really must stay unprotected.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const d = sendingDomain(ctx);
    const l = await dmarcOf(ctx);
    const bad = unusable(l, d);
    if (bad) return bad;
    const rec = l.parsed?.ok ? l.parsed.record : null;
    const ev = { ...dmarcEvidence(l), suggestedRecord: suggestedDmarc(d, rec, l.record) };
    if (!rec) return outcome('error', 'Could not decide: the DMARC record could not be read.', ev);
    const where =
      l.foundAt === 'organisational'
        ? ` (from ${l.recordName}, the organisational domain's record)`
        : '';
    const applied = l.appliedPolicy ?? rec.policy;
    if (applied === 'none') {
      const reports =
        rec.rua.length > 0
          ? 'Reports go to ' +
            listWords(rec.rua.map((u) => u.address ?? u.uri)) +
            ': use them to confirm your services pass, then tighten.'
          : 'And with no rua= address nobody receives reports, so you cannot even see the forgeries. Add reports first, then move to p=quarantine once they show your own services passing.';
      return outcome(
        rec.rua.length > 0 ? 'warn' : 'fail',
        `DMARC for ${d} is p=none${where}: receivers deliver email that fails SPF and DKIM as if it were yours. ${reports} Publish at _dmarc.${d}: "${suggestedDmarc(d, rec, l.record)}".`,
        ev,
      );
    }
    if (rec.pct < 100) {
      return outcome(
        'warn',
        `DMARC for ${d} is p=${applied} but pct=${rec.pct}: only ${rec.pct}% of failing email gets the policy. Set pct=100.`,
        ev,
      );
    }
    if (l.foundAt === 'own' && rec.subdomainPolicy === 'none') {
      return outcome(
        'warn',
        `DMARC for ${d} is p=${applied} but sp=none leaves every subdomain open to forgery. Remove sp=none.`,
        ev,
      );
    }
    return outcome(
      'pass',
      `DMARC for ${d} is p=${applied}${rec.pct < 100 ? '' : ' for all email'}${where}.`,
      ev,
    );
  },
};

export const dmarcReporting: Check = {
  id: 'email.dmarc.reporting',
  stage: 5,
  title: 'DMARC reports are sent somewhere that accepts them',
  why: 'Aggregate reports (rua=) are the only way to see which servers send as your domain and whether your own services pass. Without them, tightening the policy is guesswork. An outside reporting service must also publish a record saying it accepts your reports, or receivers send nothing.',
  fix: [
    'Add rua=mailto:<an address you read, or a DMARC report service> to your DMARC record.',
    'For an address at another domain, that domain must publish TXT "v=DMARC1" at <your domain>._report._dmarc.<its domain>; report services do this when you sign up.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const d = sendingDomain(ctx);
    const l = await dmarcOf(ctx);
    const bad = unusable(l, d);
    if (bad) {
      // Policy problems belong to the policy check; here they only mean "no reports".
      return bad.status === 'error'
        ? bad
        : outcome('fail', `No DMARC reports reach you: ${bad.summary}`, bad.evidence);
    }
    const rec = l.parsed?.ok ? l.parsed.record : null;
    const ev = dmarcEvidence(l);
    if (!rec) return outcome('error', 'Could not decide: the DMARC record could not be read.', ev);
    if (rec.rua.length === 0) {
      return outcome(
        'fail',
        `The DMARC record for ${d} has no rua= address, so nobody receives reports. Add "rua=mailto:dmarc-reports@${d}": publish "${suggestedDmarc(d, rec, l.record)}".`,
        ev,
      );
    }
    const policyDomain = l.policyDomain ?? d;
    const auth = await checkReportAuthorization(policyDomain, rec.rua, emailDns(ctx), {
      signal: ctx.signal,
    });
    const withAuth = { ...ev, reportAuthorization: auth };
    const refused = auth.filter((a) => a.status === 'not-authorised');
    const failed = auth.filter((a) => a.status === 'error');
    if (refused.length > 0) {
      const first = refused[0];
      return outcome(
        'fail',
        `Reports to ${listWords(refused.map((a) => a.uri))} are dropped: ${first?.destination ?? 'that domain'} has not published "v=DMARC1" at ${first?.recordName ?? `${policyDomain}._report._dmarc.<its domain>`}. Ask the report service to authorise ${policyDomain}, or send reports to an address at ${policyDomain}.`,
        withAuth,
      );
    }
    // https: destinations (not-checked) need no DNS authorisation to be tried.
    const reaching = auth.filter((a) => a.status !== 'error');
    if (failed.length > 0 && reaching.length === 0) {
      return outcome(
        'error',
        `Could not decide: the authorisation lookups for ${listWords(failed.map((a) => a.uri))} failed (${failed[0]?.error ?? 'DNS error'}).`,
        withAuth,
      );
    }
    return outcome(
      'pass',
      `DMARC reports for ${d} go to ${listWords(rec.rua.map((u) => u.address ?? u.uri))}${auth.some((a) => a.status === 'authorised') ? ' (the outside service has authorised them)' : ''}.`,
      withAuth,
    );
  },
};
