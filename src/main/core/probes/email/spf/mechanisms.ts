/** Whether one mechanism matches the client (RFC 7208 §5). */
import {
  addressLookup,
  countLookup,
  countVoid,
  expand,
  lookup,
  MAX_NAMES,
  resolvesToClient,
  SpfStop,
  stripDot,
  throwIfAborted,
} from './context';
import type { EvalContext } from './context';
import { isQueryable, queryName } from './domain-name';
import { inNetwork, reverseName } from './ip';
import type { Mechanism } from './record';

/** The outcome of a nested check_host(): what include needs to know (§5.2). */
export interface NestedOutcome {
  result: 'pass' | 'fail' | 'softfail' | 'neutral' | 'none';
  reason: string;
}

export type NestedCheck = (domain: string) => Promise<NestedOutcome>;

/** How the mechanism matched, in plain words, or undefined when it does not match. */
export async function matchMechanism(
  ctx: EvalContext,
  m: Mechanism,
  domain: string,
  nested: NestedCheck,
): Promise<string | undefined> {
  throwIfAborted(ctx.signal);
  switch (m.kind) {
    case 'all':
      return 'all matches every client';
    case 'ip4':
    case 'ip6':
      return m.network && inNetwork(ctx.ip, m.network, m.prefix ?? 0)
        ? `the client is in ${m.text.replace(/^[-+~?]/, '')}`
        : undefined;
    case 'include':
      return matchInclude(ctx, m, domain, nested);
    case 'a':
    case 'exists': {
      countLookup(ctx, m.text, domain);
      const name = await target(ctx, m, domain);
      if (name === undefined) return undefined;
      const found = await addressLookup(ctx, name, m.kind === 'exists' ? 4 : ctx.ip.family);
      if (found.kind === 'error') throw dnsError(m, name, found.message);
      if (found.kind === 'void') return countVoid(ctx, m.text, domain, name);
      if (m.kind === 'exists') return `${name} exists`;
      return matchAny(ctx, m, found.ips) ? `the client is an address of ${name}` : undefined;
    }
    case 'mx':
      return matchMx(ctx, m, domain);
    case 'ptr':
      return matchPtr(ctx, m, domain);
  }
}

/** The expanded target name, or undefined when it cannot be queried (treated as no match). */
async function target(ctx: EvalContext, m: Mechanism, domain: string): Promise<string | undefined> {
  if (!m.domain) return domain;
  return queryName(await expand(ctx, m.domain.tokens, domain));
}

function matchAny(ctx: EvalContext, m: Mechanism, ips: { family: 4 | 6; bytes: Uint8Array }[]) {
  const prefix = ctx.ip.family === 4 ? m.cidr4 : m.cidr6;
  return ips.some((ip) => inNetwork(ctx.ip, ip, prefix));
}

function dnsError(m: Mechanism, name: string, message: string): SpfStop {
  return new SpfStop(
    'temperror',
    `${m.text}: the DNS lookup of ${name} failed (${message})`,
    m.text,
  );
}

async function matchInclude(
  ctx: EvalContext,
  m: Mechanism,
  domain: string,
  nested: NestedCheck,
): Promise<string | undefined> {
  countLookup(ctx, m.text, domain);
  const expanded = stripDot(await expand(ctx, m.domain?.tokens ?? [], domain));
  const inner = await nested(queryName(expanded) ?? expanded);
  switch (inner.result) {
    case 'pass':
      return `${m.text} passed: ${inner.reason}`;
    case 'none':
      // §5.2: an include without a policy is the publisher's error.
      throw new SpfStop('permerror', `${m.text}: ${inner.reason}`, m.text);
    default:
      return undefined;
  }
}

async function matchMx(ctx: EvalContext, m: Mechanism, domain: string) {
  countLookup(ctx, m.text, domain);
  const name = await target(ctx, m, domain);
  if (name === undefined) return undefined;
  const answer = await lookup(ctx, name, 'MX');
  if (answer.kind === 'error') throw dnsError(m, name, answer.message);
  if (answer.kind !== 'records') return countVoid(ctx, m.text, domain, name);
  if (answer.records.length > MAX_NAMES) {
    throw new SpfStop(
      'permerror',
      `${m.text}: ${name} has ${answer.records.length} MX records; at most ${MAX_NAMES} may be looked up`,
      m.text,
    );
  }
  // "PREF host"; a null MX (host ".") names no host (RFC 7505), and MX does not imply A (§5.4).
  const hosts = answer.records.map((r) => stripDot(r.trim().split(/\s+/)[1] ?? ''));
  for (const host of hosts) {
    if (!isQueryable(host)) continue;
    const found = await addressLookup(ctx, host);
    if (found.kind === 'error') throw dnsError(m, host, found.message);
    if (found.kind === 'ok' && matchAny(ctx, m, found.ips)) {
      return `the client is an address of ${host}, an MX host of ${name}`;
    }
  }
  return undefined;
}

/** §5.5: a PTR name of the client that is (a subdomain of) the target and resolves back. */
async function matchPtr(ctx: EvalContext, m: Mechanism, domain: string) {
  countLookup(ctx, m.text, domain);
  const wanted = m.domain
    ? stripDot(await expand(ctx, m.domain.tokens, domain)).toLowerCase()
    : stripDot(domain).toLowerCase();
  const reverse = reverseName(ctx.ip);
  const answer = await lookup(ctx, reverse, 'PTR');
  // A DNS error here is no match, not temperror: the client controls its reverse zone.
  if (answer.kind === 'error') return undefined;
  if (answer.kind !== 'records') return countVoid(ctx, m.text, domain, reverse);
  for (const name of answer.records.slice(0, MAX_NAMES).map(stripDot)) {
    const lower = name.toLowerCase();
    if (lower !== wanted && !lower.endsWith(`.${wanted}`)) continue;
    if (await resolvesToClient(ctx, name)) return `the client's name ${name} is under ${wanted}`;
  }
  return undefined;
}
