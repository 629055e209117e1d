/**
 * What the stage 5 checks share: the sending domain, one DNS walk per record family and run
 * (several checks read the same SPF tree or DMARC record), and the SPF record to suggest.
 */
import { emailProviderName } from '../../../shared/email-providers';
import type { EmailProviderId } from '../../../shared/email-providers';
import { normalizeDomain } from '../../../shared/domain';
import type { CheckContext, CheckOutcome } from '../engine/check';
import type { DkimDiscovery } from '../probes/email/dkim';
import { discoverDkim } from '../probes/email/dkim';
import type { DmarcLookup } from '../probes/email/dmarc';
import { findDmarc } from '../probes/email/dmarc';
import type { EmailDns } from '../probes/email/email-dns';
import { networkEmailDns } from '../probes/email/email-dns';
import type { MxInspection } from '../probes/email/mx';
import { inspectMx } from '../probes/email/mx';
import type { SpfInspection, SpfNode } from '../probes/email/spf';
import { inspectSpf, parseSpfRecord } from '../probes/email/spf';
import { PROVIDER_SPF } from './email-providers';

/** The domain invites and resets come from: the founder's sending domain, else the product's. */
export function sendingDomain(ctx: CheckContext): string {
  const raw = ctx.workspace.sendingDomain?.trim() || ctx.workspace.domain;
  const n = normalizeDomain(raw);
  return n.ok ? n.domain : raw.trim().toLowerCase();
}

function dnsFor(ctx: CheckContext): EmailDns {
  return networkEmailDns(ctx.net);
}

export function spfOf(ctx: CheckContext): Promise<SpfInspection> {
  const d = sendingDomain(ctx);
  return ctx.cache.memo(
    `email:spf:${d}`,
    (s) => inspectSpf(d, dnsFor(ctx), { signal: s }),
    ctx.signal,
  );
}

export function dkimOf(ctx: CheckContext): Promise<DkimDiscovery> {
  const d = sendingDomain(ctx);
  return ctx.cache.memo(
    `email:dkim:${d}`,
    (s) => discoverDkim(d, ctx.workspace.dkimSelectors, dnsFor(ctx), { signal: s }),
    ctx.signal,
  );
}

export function dmarcOf(ctx: CheckContext): Promise<DmarcLookup> {
  const d = sendingDomain(ctx);
  return ctx.cache.memo(
    `email:dmarc:${d}`,
    (s) => findDmarc(d, dnsFor(ctx), { signal: s }),
    ctx.signal,
  );
}

export function mxOf(ctx: CheckContext): Promise<MxInspection> {
  const d = sendingDomain(ctx);
  return ctx.cache.memo(
    `email:mx:${d}`,
    (s) => inspectMx(d, dnsFor(ctx), { signal: s, net: ctx.net }),
    ctx.signal,
  );
}

export function emailDns(ctx: CheckContext): EmailDns {
  return dnsFor(ctx);
}

export function namedProviders(ctx: CheckContext): EmailProviderId[] {
  return [...new Set(ctx.workspace.emailProviders ?? [])];
}

export function providerNames(ids: readonly EmailProviderId[]): string {
  return listWords(ids.map(emailProviderName));
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function outcome(
  status: CheckOutcome['status'],
  summary: string,
  evidence: CheckOutcome['evidence'],
): CheckOutcome {
  return { status, summary, evidence };
}

/** Every include/redirect target anywhere in the tree, lower-case. */
export function includedDomains(node: SpfNode, out = new Set<string>()): Set<string> {
  for (const t of node.terms) {
    if (t.child) {
      out.add(t.child.domain.toLowerCase());
      includedDomains(t.child, out);
    }
  }
  return out;
}

/** The named providers whose default set-up needs the domain's SPF record to include them. */
export function missingProviders(spf: SpfInspection, named: readonly EmailProviderId[]) {
  const included = includedDomains(spf.tree);
  return named.filter(
    (p) => PROVIDER_SPF[p].neededAtDomain && !PROVIDER_SPF[p].includes.some((d) => included.has(d)),
  );
}

export interface SpfSuggestion {
  record: string;
  /** DNS lookups the suggestion needs, from the walk (services not walked yet count 1 each). */
  lookups: number;
}

/**
 * The record to publish instead: every SPF record's terms merged (two records become one), the
 * founder's own addresses kept, includes of services they did not name dropped (when they named
 * any), terms that find nothing dropped, redirect= turned into an include (an `all` is added,
 * which would silence it), the missing services added, and a real `all`. null when there is
 * nothing to go on, or nothing would change.
 */
export function suggestedSpf(
  spf: SpfInspection,
  named: readonly EmailProviderId[],
): SpfSuggestion | null {
  const terms = spf.records.flatMap((r) => parseSpfRecord(r).terms);
  const needed = named.filter((p) => PROVIDER_SPF[p].neededAtDomain);
  const namedIncludes = new Set(named.flatMap((p) => PROVIDER_SPF[p].includes));
  // What the walk learnt about the top record's terms: their cost and whether they are void.
  const walked = new Map(spf.tree.terms.map((t) => [t.text.toLowerCase(), t]));
  const keep: string[] = [];
  let lookups = 0;
  let all = '~all';
  const add = (text: string, cost: number) => {
    if (keep.some((k) => k.toLowerCase() === text.toLowerCase())) return;
    keep.push(text);
    lookups += cost;
  };
  for (const t of terms) {
    const seen = walked.get(t.text.toLowerCase());
    if (t.type === 'invalid' || seen?.void) continue;
    const costly =
      (t.type === 'mechanism' && !['ip4', 'ip6', 'all'].includes(t.kind)) ||
      (t.type === 'modifier' && t.name === 'redirect');
    const cost = seen ? (seen.child?.cost ?? 0) + seen.lookupCost : costly ? 1 : 0;
    if (t.type === 'mechanism' && t.kind === 'all') {
      if (t.text.toLowerCase() === '-all') all = '-all';
      continue;
    }
    if (t.type === 'mechanism' && t.kind === 'include') {
      const target = (t.domain?.text ?? '').toLowerCase();
      // Founders who named their services lose the includes of everything else.
      if (named.length > 0 && !namedIncludes.has(target)) continue;
    }
    if (t.type === 'modifier' && t.name === 'redirect') {
      add(`include:${t.value}`, cost);
      continue;
    }
    add(t.text, cost);
  }
  for (const p of needed) {
    const spec = PROVIDER_SPF[p];
    if (!keep.some((k) => spec.includes.some((d) => k.toLowerCase() === `include:${d}`))) {
      add(spec.add, 1);
    }
  }
  if (keep.length === 0 && terms.length === 0) return null;
  const record = ['v=spf1', ...keep, all].join(' ');
  const same = (a: string) => a.trim().replace(/\s+/g, ' ').toLowerCase();
  if (spf.records.length === 1 && same(spf.records[0] ?? '') === same(record)) return null;
  return { record, lookups };
}
