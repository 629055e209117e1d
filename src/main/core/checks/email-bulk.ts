/**
 * Stage 5 — Gmail's and Yahoo's sender rules (February 2024): bulk senders need SPF and DKIM
 * and DMARC, aligned with the From domain. The DNS half is checked here; spam rate and
 * one-click unsubscribe live in the mail itself and are left to the inbox question.
 */
import type { Check } from '../engine/check';
import { DKIM_RSA_FAIL_BELOW } from './email-dkim';
import { RECORD_BREAKERS, SPF_LOOKUP_LIMIT } from './email-spf';
import { dkimOf, dmarcOf, listWords, outcome, sendingDomain, spfOf } from './email-support';

export const bulkSenderRules: Check = {
  id: 'email.bulk-sender',
  stage: 5,
  title: "Meets Gmail's and Yahoo's sender rules: SPF, DKIM and DMARC, aligned",
  why: 'Since 2024 Gmail and Yahoo reject or spam-folder mail from senders without working SPF, DKIM and a DMARC record aligned with the From address. A product that sends invites to thousands of users a day counts as a bulk sender, and below that they still reward it.',
  fix: [
    'Fix the SPF, DKIM and DMARC results above: all three must be present and valid.',
    'Sign with DKIM under your own domain (the From domain), not only the sending service’s default domain: that is what aligns with DMARC.',
    'For marketing email also add one-click unsubscribe (List-Unsubscribe-Post) and keep spam complaints under 0.3% in Google Postmaster Tools.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const d = sendingDomain(ctx);
    const [spf, dkim, dmarc] = await Promise.all([spfOf(ctx), dkimOf(ctx), dmarcOf(ctx)]);
    const keys = dkim.results.filter(
      (r) =>
        r.status === 'found' &&
        r.key?.ok === true &&
        !r.key.revoked &&
        // Testing-mode keys are treated as unsigned, unusable ones verify nothing.
        !r.key.testing &&
        r.key.unusable === undefined &&
        (r.key.keyType !== 'rsa' || (r.key.bits ?? 0) >= DKIM_RSA_FAIL_BELOW),
    );
    const spfUnknown = spf.problems.some((p) => p.code === 'dns-error');
    const spfOk =
      spf.records.length === 1 &&
      spf.lookups <= SPF_LOOKUP_LIMIT &&
      !spfUnknown &&
      !spf.problems.some((p) => RECORD_BREAKERS.has(p.code)) &&
      spf.allQualifier !== '+';
    const dmarcOk = dmarc.status === 'found' && dmarc.parsed?.ok === true;
    const dkimUnknown = keys.length === 0 && dkim.results.some((r) => r.status === 'error');
    const requirements = [
      {
        name: 'SPF',
        met: spfOk,
        // Undecided only when nothing definite already breaks the record.
        unknown:
          spf.tree.dnsResult === 'error' ||
          (spfUnknown &&
            spf.records.length === 1 &&
            spf.lookups <= SPF_LOOKUP_LIMIT &&
            !spf.problems.some((p) => RECORD_BREAKERS.has(p.code))),
        missing: spf.records.length === 0 ? 'no SPF record' : 'SPF is broken (see the SPF checks)',
      },
      {
        name: 'DKIM',
        met: keys.length > 0,
        unknown: dkimUnknown,
        missing: `no usable DKIM key at ${d}`,
      },
      {
        name: 'DMARC',
        met: dmarcOk,
        unknown: dmarc.status === 'error',
        missing: 'no valid DMARC record',
      },
    ];
    const unmet = requirements.filter((r) => !r.met);
    const evidence = {
      domain: d,
      spf: { ok: spfOk, record: spf.record ?? null, lookups: spf.lookups },
      dkim: { ok: keys.length > 0, alignedSelectors: keys.map((k) => k.selector) },
      dmarc: {
        ok: dmarcOk,
        record: dmarc.record ?? null,
        appliedPolicy: dmarc.appliedPolicy ?? null,
      },
      alignment:
        keys.length > 0
          ? `DKIM keys are published under ${d} itself, so signatures with d=${d} align with a From address at ${d}.`
          : null,
      notCheckedHere: [
        'one-click unsubscribe for marketing email',
        'spam rate under 0.3%',
        'reverse DNS of sending servers (the provider’s job)',
      ],
    };
    if (unmet.length === 0) {
      return outcome(
        'pass',
        `SPF, DKIM and DMARC are all in place for ${d}, with DKIM aligned to your From domain.`,
        evidence,
      );
    }
    // A requirement whose lookups failed is undecided; only a definite miss is a fail.
    if (unmet.every((r) => r.unknown)) {
      return outcome(
        'error',
        `Could not decide: the DNS lookups for ${listWords(unmet.map((r) => r.name))} at ${d} failed.`,
        evidence,
      );
    }
    const definite = unmet.filter((r) => !r.unknown);
    return outcome(
      'fail',
      `Gmail and Yahoo expect SPF, DKIM and DMARC from ${d}; missing: ${listWords(definite.map((r) => r.missing))}. Fix ${listWords(definite.map((r) => r.name))} first (see the checks above).`,
      evidence,
    );
  },
};
