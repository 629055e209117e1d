/**
 * The SPF record to suggest: built from what the founder has, never authorising more than it
 * did and never silently dropping their own servers.
 */
import type { EmailProviderId } from '../../../shared/email-providers';
import type { SpfInspection } from '../probes/email/spf';
import { parseSpfRecord } from '../probes/email/spf';
import { PROVIDER_SPF } from './email-providers';

/**
 * Include targets of well-known third-party senders besides the providers a founder can name:
 * an include of one of these that the founder did not name is a leftover from a tool they
 * tried. Anything else (their own _spf host, an unknown service) is kept.
 */
const OTHER_KNOWN_SENDERS = [
  '_spf.salesforce.com',
  'mail.zendesk.com',
  '_spf.sparkpostmail.com',
  'spf.mailjet.com',
  'email.freshdesk.com',
  'helpscoutemail.com',
];

/** Longer than this and some DNS hosting panels refuse the record. */
const MAX_RECORD_LENGTH = 450;

export interface SpfSuggestion {
  record: string;
  /** DNS lookups the suggestion needs, from the walk (services not walked yet count 1 each). */
  lookups: number;
  /** Terms of the current record left out, so the summary can say what goes. */
  dropped: string[];
}

/**
 * Every SPF record's terms merged (two records become one); includes of known senders the
 * founder did not name dropped (only when they named any); terms that find nothing dropped;
 * a redirect= turned into an include when no `all` silences it; the missing services added;
 * the `all` kept at -all or made ~all. null when nothing would authorise anyone, the result is
 * too long, or nothing would change.
 */
export function suggestedSpf(
  spf: SpfInspection,
  named: readonly EmailProviderId[],
): SpfSuggestion | null {
  const terms = spf.records.slice(0, 4).flatMap((r) => parseSpfRecord(r).terms);
  const namedIncludes = new Set(named.flatMap((p) => PROVIDER_SPF[p].includes));
  const knownSenders = new Set([
    ...Object.values(PROVIDER_SPF).flatMap((p) => p.includes),
    ...OTHER_KNOWN_SENDERS,
  ]);
  // What the walk learnt about the top record's terms: their cost and whether they are void.
  const walked = new Map(spf.tree.terms.map((t) => [t.text.toLowerCase(), t]));
  const hasAll = terms.some((t) => t.type === 'mechanism' && t.kind === 'all');
  const keep: string[] = [];
  const seen = new Set<string>();
  const dropped: string[] = [];
  let lookups = 0;
  const add = (text: string, cost: number) => {
    const key = text.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    keep.push(text);
    lookups += cost;
  };
  for (const t of terms) {
    const w = walked.get(t.text.toLowerCase());
    // Never evaluated (after the first all): keeping it would change nothing but length.
    if (w?.unreachable) {
      dropped.push(t.text);
      continue;
    }
    if (t.type === 'invalid' || w?.void) {
      dropped.push(t.text);
      continue;
    }
    const costly =
      (t.type === 'mechanism' && !['ip4', 'ip6', 'all'].includes(t.kind)) ||
      (t.type === 'modifier' && t.name === 'redirect');
    // A child's cost already counts the include or redirect that reaches it.
    const cost = w ? (w.child?.cost ?? w.lookupCost) : costly ? 1 : 0;
    if (t.type === 'mechanism' && t.kind === 'all') continue;
    if (t.type === 'mechanism' && t.kind === 'include') {
      const target = (t.domain?.text ?? '').toLowerCase();
      if (named.length > 0 && knownSenders.has(target) && !namedIncludes.has(target)) {
        dropped.push(t.text);
        continue;
      }
    }
    if (t.type === 'modifier' && t.name === 'redirect') {
      // With an `all` the redirect never ran: turning it into an include would widen the record.
      if (!hasAll) add(`include:${t.value}`, cost);
      continue;
    }
    add(t.text, cost);
  }
  for (const p of named) {
    const spec = PROVIDER_SPF[p];
    if (spec.neededAtDomain && !spec.includes.some((d) => seen.has(`include:${d}`))) {
      add(spec.add, 1);
    }
  }
  const authorising = keep.filter((k) => !/^(exp|[a-z][a-z0-9_.-]*)=/i.test(k));
  if (authorising.length === 0) return null;
  const all = spf.allQualifier === '-' ? '-all' : '~all';
  const record = ['v=spf1', ...keep, all].join(' ');
  if (record.length > MAX_RECORD_LENGTH) return null;
  const same = (a: string) => a.trim().replace(/\s+/g, ' ').toLowerCase();
  if (spf.records.length === 1 && same(spf.records[0] ?? '') === same(record)) return null;
  return { record, lookups, dropped };
}
