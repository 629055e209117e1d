/** Stage 5 — SPF: one record with a real policy, within RFC 7208's lookup budget, naming every sender. */
import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import type { SpfInspection, SpfProblem } from '../probes/email/spf';
import { PROVIDER_SPF } from './email-providers';
import {
  listWords,
  missingProviders,
  namedProviders,
  outcome,
  providerNames,
  sendingDomain,
  spfOf,
} from './email-support';
import { suggestedSpf } from './email-spf-suggestion';
import type { SpfSuggestion } from './email-spf-suggestion';

/** RFC 7208 §4.6.4. */
export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LIMIT = 2;

function spfEvidence(spf: SpfInspection, suggested: SpfSuggestion | null): Record<string, unknown> {
  return {
    domain: spf.domain,
    records: spf.records,
    record: spf.record ?? null,
    allQualifier: spf.allQualifier ?? null,
    lookups: spf.lookups,
    voidLookups: spf.voidLookups,
    includes: spf.includes,
    firstOverLimit: spf.firstOverLimit ?? null,
    problems: spf.problems.map((p) => p.message),
    suggestedRecord: suggested?.record ?? null,
    suggestedLookups: suggested?.lookups ?? null,
  };
}

function publish(domain: string, s: SpfSuggestion | null): string {
  if (!s) return '';
  const still =
    s.lookups > SPF_LOOKUP_LIMIT
      ? ` It still needs about ${s.lookups} lookups: send bulk or marketing mail from a subdomain with its own record.`
      : '';
  const gone = s.dropped.length > 0 ? ` (it leaves out ${s.dropped.join(', ')})` : '';
  return ` Publish one TXT record at ${domain}: "${s.record}"${gone}.${still}`;
}

/** A problem's words without the domain prefix the inspection puts on them. */
function plain(p: SpfProblem | undefined): string {
  if (!p) return 'DNS error';
  const prefix = `${p.domain}: `;
  return p.message.startsWith(prefix) ? p.message.slice(prefix.length) : p.message;
}

/** DNS trouble at the top of the walk: nothing about the record can be concluded. */
function dnsError(spf: SpfInspection): CheckOutcome | null {
  if (spf.tree.dnsResult !== 'error') return null;
  const p = spf.problems.find((x) => x.code === 'dns-error');
  return outcome(
    'error',
    `Could not decide: for ${spf.domain}, ${plain(p)}.`,
    spfEvidence(spf, null),
  );
}

/** The walk, the record to suggest and the evidence; or the error outcome when DNS failed. */
async function readSpf(
  ctx: CheckContext,
): Promise<
  | CheckOutcome
  | { spf: SpfInspection; suggested: SpfSuggestion | null; ev: Record<string, unknown> }
> {
  const spf = await spfOf(ctx);
  const err = dnsError(spf);
  if (err) return err;
  const suggested = suggestedSpf(spf, namedProviders(ctx));
  return { spf, suggested, ev: spfEvidence(spf, suggested) };
}

export const spfRecord: Check = {
  id: 'email.spf.record',
  stage: 5,
  title: 'One SPF record that ends in -all or ~all',
  why: 'SPF lists the servers allowed to send email as your domain. Without it, or with two of them, Gmail and Outlook cannot tell your invites from forgeries and are quicker to put them in spam. A record ending in +all or ?all authorises the whole internet to send as you.',
  fix: [
    'Keep exactly one TXT record starting with "v=spf1" on your sending domain; merge any others into it.',
    'List each service that sends as you with its include: (your provider’s set-up page gives it).',
    'End the record with "~all" (or "-all" once you are sure nothing else sends as you), never "+all" or "?all".',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const read = await readSpf(ctx);
    if ('status' in read) return read;
    const { spf, suggested, ev } = read;
    const d = spf.domain;
    if (spf.records.length === 0) {
      return outcome(
        'fail',
        `${d} has no SPF record, so receivers cannot tell your real email from forgeries.${publish(d, suggested ?? { record: 'v=spf1 include:<your email provider> ~all', lookups: 1, dropped: [] })}`,
        ev,
      );
    }
    if (spf.records.length > 1) {
      return outcome(
        'fail',
        `${d} has ${spf.records.length} SPF records; receivers treat that as a broken SPF (permerror) and ignore all of them. Merge them into one.${publish(d, suggested)}`,
        ev,
      );
    }
    const syntax = spf.problems.filter((p) => p.code === 'syntax' && p.domain === d);
    if (syntax.length > 0) {
      return outcome(
        'fail',
        `The SPF record of ${d} has a syntax error, so receivers treat it as broken (${plain(syntax[0])}).${publish(d, suggested)}`,
        ev,
      );
    }
    switch (spf.allQualifier) {
      case '+':
        return outcome(
          'fail',
          `The SPF record of ${d} ends in "+all": it authorises every server on the internet to send as you.${publish(d, suggested)}`,
          ev,
        );
      case '?':
        return outcome(
          'fail',
          `The SPF record of ${d} ends in "?all" (neutral): it tells receivers nothing about forgeries.${publish(d, suggested)}`,
          ev,
        );
      case undefined:
        return outcome(
          'warn',
          `The SPF record of ${d} has no "all" at the end, so mail from other servers is neutral rather than suspicious.${publish(d, suggested)}`,
          ev,
        );
      default:
        return outcome('pass', `${d} has one SPF record ending in "${spf.allQualifier}all".`, ev);
    }
  },
};

export const spfLookups: Check = {
  id: 'email.spf.lookups',
  stage: 5,
  title: 'SPF stays within 10 DNS lookups and 2 empty ones',
  why: 'Receivers stop evaluating SPF after 10 DNS lookups (each include: costs at least one, and includes inside includes count too). Past the limit SPF fails for every email you send, whichever server sent it — a silent break that usually comes from adding one more tool. Includes that point at nothing waste the budget too, and more than two of them also break SPF.',
  fix: [
    'Remove the includes of services you no longer send with; the evidence lists what each include costs.',
    'Send marketing or bulk mail from a subdomain (news.yourdomain) with its own SPF record.',
    'Remove includes that point at names that no longer exist.',
    'Avoid "flattening" services into IP lists unless the service documents its addresses as stable.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const read = await readSpf(ctx);
    if ('status' in read) return read;
    const { spf, suggested, ev } = read;
    const d = spf.domain;
    if (!spf.record)
      return outcome('skipped', `${d} has no SPF record to count (see the SPF record check).`, ev);
    const costs = spf.includes.map((i) => `${i.domain} ${i.cost}`).join(', ');
    // An include that did not answer hides its own includes: the count is a lower bound.
    const unanswered = spf.problems.find((p) => p.code === 'dns-error');
    if (unanswered && spf.lookups <= SPF_LOOKUP_LIMIT) {
      return outcome(
        'error',
        `Could not decide: ${plain(unanswered)}, so the lookups it would add cannot be counted (receivers get a temporary error too).`,
        ev,
      );
    }
    const named = namedProviders(ctx).length > 0;
    const nextStep =
      suggested !== null
        ? publish(d, suggested)
        : named
          ? ''
          : ' Name the services that send your email in the workspace settings and the app will write the record to publish; meanwhile remove the includes of services you no longer use.';
    if (spf.lookups > SPF_LOOKUP_LIMIT) {
      const over = spf.firstOverLimit;
      const breaker = !over
        ? ''
        : over.topLevelTerm.toLowerCase() === over.term.toLowerCase()
          ? ` ${over.term} is the one that goes over.`
          : ` ${over.term} (in ${over.domain}, reached through your ${over.topLevelTerm}) is the one that goes over.`;
      return outcome(
        'fail',
        `Your SPF record needs ${spf.lookups} DNS lookups; receivers stop at ${SPF_LOOKUP_LIMIT} and then treat SPF as failed for every email you send.${breaker} Cost per include: ${costs}.${nextStep}`,
        ev,
      );
    }
    if (spf.voidLookups > SPF_VOID_LIMIT) {
      return outcome(
        'fail',
        `Your SPF record makes ${spf.voidLookups} lookups that find nothing; receivers allow ${SPF_VOID_LIMIT} and then treat SPF as failed.${nextStep}`,
        ev,
      );
    }
    // Anything that makes receivers return permerror, in the founder's record or an included one.
    const broken = spf.problems.filter(
      (p) =>
        (RECORD_BREAKERS.has(p.code) || p.code === 'invalid-target') &&
        p.code !== 'lookup-limit' &&
        p.code !== 'void-limit',
    );
    if (broken.length > 0) {
      return outcome(
        'fail',
        `Part of your SPF record is broken, so receivers treat SPF as failed: ${plain(broken[0])}.${nextStep}`,
        ev,
      );
    }
    if (spf.voidLookups > 0) {
      return outcome(
        'warn',
        `Your SPF record uses ${spf.lookups} of ${SPF_LOOKUP_LIMIT} lookups, but ${spf.voidLookups} of them find nothing (an include or name that no longer exists); remove it.`,
        ev,
      );
    }
    if (spf.lookups >= SPF_LOOKUP_LIMIT - 1) {
      return outcome(
        'warn',
        `Your SPF record uses ${spf.lookups} of ${SPF_LOOKUP_LIMIT} DNS lookups: the next service you add will break SPF for all your email. Cost per include: ${costs}.`,
        ev,
      );
    }
    return outcome(
      'pass',
      `Your SPF record uses ${spf.lookups} of ${SPF_LOOKUP_LIMIT} DNS lookups${costs ? ` (${costs})` : ''}.`,
      ev,
    );
  },
};

export const spfProviders: Check = {
  id: 'email.spf.providers',
  stage: 5,
  title: 'Every service that sends your email is in the SPF record',
  why: 'A service that sends as your domain but is missing from SPF fails the check at Gmail and Outlook; if DKIM is not set up for it either, its invites and resets go to spam or bounce.',
  fix: [
    'Add the include: your sending service documents (the summary names it) to your one SPF record.',
    'Some services (Postmark, SendGrid with automated security, Amazon SES, Resend, Mailchimp) send from a bounce domain of their own and only need their DKIM records.',
    'Tell the app which services send your email (workspace settings) so this check knows what to look for.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx: CheckContext) {
    const named = namedProviders(ctx);
    const d = sendingDomain(ctx);
    if (named.length === 0) {
      return outcome(
        'skipped',
        'Name the services that send your email (Google Workspace, Postmark…) in the workspace settings to check they are authorised.',
        { domain: d, providers: [] },
      );
    }
    const spf = await spfOf(ctx);
    const err = dnsError(spf);
    if (err) return err;
    const missing = missingProviders(spf, named);
    const suggested = suggestedSpf(spf, named);
    const notes = named
      .filter((p) => !PROVIDER_SPF[p].neededAtDomain)
      .map((p) => PROVIDER_SPF[p].note ?? '');
    const ev = {
      ...spfEvidence(spf, suggested),
      providers: named,
      missing,
      notNeededAtDomain: notes,
    };
    if (missing.length > 0) {
      const adds = listWords(missing.map((p) => `"${PROVIDER_SPF[p].add}"`));
      return outcome(
        'fail',
        `${providerNames(missing)} send${missing.length === 1 ? 's' : ''} email as ${d} but ${missing.length === 1 ? 'is' : 'are'} not in its SPF record: add ${adds}.${publish(d, suggested)}`,
        ev,
      );
    }
    const atDomain = named.filter((p) => PROVIDER_SPF[p].neededAtDomain);
    const elsewhere = named.filter((p) => !PROVIDER_SPF[p].neededAtDomain);
    // Every service in the record, but the record itself broken: none of them passes SPF.
    const breaker = spf.problems.find((p) => RECORD_BREAKERS.has(p.code));
    if (atDomain.length > 0 && (breaker || spf.lookups > SPF_LOOKUP_LIMIT)) {
      return outcome(
        'fail',
        `${providerNames(atDomain)} ${atDomain.length === 1 ? 'is' : 'are'} in the SPF record of ${d}, but the record is broken (${breaker ? plain(breaker) : `${spf.lookups} DNS lookups`}), so their email fails SPF anyway. See the other SPF checks.${publish(d, suggested)}`,
        ev,
      );
    }
    const parts = [
      atDomain.length > 0
        ? `${providerNames(atDomain)} ${atDomain.length === 1 ? 'is' : 'are'} authorised in the SPF record of ${d}`
        : '',
      elsewhere.length > 0
        ? `${providerNames(elsewhere)} ${elsewhere.length === 1 ? 'sends' : 'send'} from ${elsewhere.length === 1 ? 'its' : 'their'} own bounce domain, so ${elsewhere.length === 1 ? 'it needs' : 'they need'} no entry in the SPF record of ${d} (DKIM covers ${elsewhere.length === 1 ? 'it' : 'them'})`
        : '',
    ].filter(Boolean);
    return outcome('pass', `${parts.join('; ')}.`, ev);
  },
};

/** Problems that make receivers return permerror for the whole record. */
export const RECORD_BREAKERS = new Set<SpfProblem['code']>([
  'multiple-records',
  'syntax',
  'include-none',
  'include-loop',
  'redirect-none',
  'mx-too-many',
  'void-limit',
  'lookup-limit',
]);
