/**
 * What the stage 5 checks share: the sending domain, one DNS walk per record family and run
 * (several checks read the same SPF tree or DMARC record), and the SPF record to suggest.
 */
import { emailProviderName } from '../../../shared/email-providers';
import type { EmailProviderId } from '../../../shared/email-providers';
import { normalizeDomain } from '../../../shared/domain';
import type { CheckContext } from '../engine/check';
import type { DkimDiscovery } from '../probes/email/dkim';
import { discoverDkim } from '../probes/email/dkim';
import type { DmarcLookup } from '../probes/email/dmarc';
import { findDmarc } from '../probes/email/dmarc';
import type { EmailDns } from '../probes/email/email-dns';
import { networkEmailDns } from '../probes/email/email-dns';
import type { MxInspection } from '../probes/email/mx';
import { inspectMx } from '../probes/email/mx';
import type { SpfInspection, SpfNode } from '../probes/email/spf';
import { inspectSpf } from '../probes/email/spf';
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

/** The whole SPF walk gets this long: one slow include must not hold the stage forever. */
const SPF_WALK_DEADLINE_MS = 12_000;

export function spfOf(ctx: CheckContext): Promise<SpfInspection> {
  const d = sendingDomain(ctx);
  return ctx.cache.memo(
    `email:spf:${d}`,
    (s) => inspectSpf(d, dnsFor(ctx), { signal: s, deadlineMs: SPF_WALK_DEADLINE_MS }),
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
import { listWords } from './words';

export { listWords };

export { outcome } from './outcome';

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
