/**
 * Where a domain receives mail: its MX records (RFC 5321 §5.1), the null MX that says it takes
 * none (RFC 7505), and whether each exchange is a usable host name with addresses. Reads DNS
 * through EmailDns, except for the one question EmailDns cannot answer: see mxTargetIsCname.
 */
import { isIP } from 'node:net';
import { queryDns } from '../dns';
import { ProbeError } from '../errors';
import type { NetworkContext } from '../net-context';
import type { EmailDns } from './email-dns';
import { mapLimit } from '../map-limit';
import { safeLookup } from './email-dns';

export interface MxExchange {
  preference: number;
  /** Lower-case, without the trailing dot. */
  host: string;
  /** The MX names an IP address instead of a host: not allowed, and senders skip it. */
  ipLiteral: boolean;
  /** IPv4 then IPv6 addresses the host resolves to. */
  addresses: string[];
  /** true: has addresses; false: none (no such name, or no A/AAAA); null: lookups failed. */
  resolves: boolean | null;
  lookupError?: string;
  /** Only with opts.net: the CNAME target when the host is an alias, null when it is not. */
  cname?: string | null;
  cnameError?: string;
  problems: string[];
}

export interface MxInspection {
  domain: string;
  /**
   * mx: at least one exchange; null-mx: "0 ." alone, the domain takes no mail (RFC 7505);
   * no-mx: none published, so senders deliver to the domain's own address (implicit MX);
   * nxdomain: the domain does not exist; error: DNS failed.
   */
  status: 'mx' | 'null-mx' | 'no-mx' | 'nxdomain' | 'error';
  /** Ordered by preference; at most MAX_EXCHANGES. */
  exchanges: MxExchange[];
  /** With no MX: the domain's own addresses, where mail goes instead (RFC 5321 §5.1). */
  implicitMx?: { addresses: string[]; resolves: boolean | null };
  /** MX records published, before the cap. */
  totalRecords: number;
  truncated: boolean;
  /** Whether CNAME targets were checked (opts.net given). */
  cnameChecked: boolean;
  problems: string[];
  error?: string;
}

export interface InspectMxOptions {
  signal?: AbortSignal;
  /**
   * The network to ask about CNAMEs. EmailDns follows them invisibly, so without it an MX
   * that is an alias cannot be told apart from one that is not.
   */
  net?: NetworkContext;
  concurrency?: number;
}

/** Real domains have a handful; more is a mistake or an attack on the prober's time. */
export const MAX_EXCHANGES = 20;
const DEFAULT_CONCURRENCY = 8;

export async function inspectMx(
  domain: string,
  dns: EmailDns,
  opts: InspectMxOptions = {},
): Promise<MxInspection> {
  const d = domain.trim().replace(/\.$/, '').toLowerCase();
  const base: MxInspection = {
    domain: d,
    status: 'mx',
    exchanges: [],
    totalRecords: 0,
    truncated: false,
    cnameChecked: opts.net !== undefined,
    problems: [],
  };
  const answer = await safeLookup(dns, d, 'MX', opts.signal);
  if (answer.kind === 'error') return { ...base, status: 'error', error: answer.message };
  if (answer.kind === 'nxdomain') {
    return { ...base, status: 'nxdomain', problems: [`${d} does not exist in DNS`] };
  }
  if (answer.kind === 'nodata') {
    const own = await addressesOf(d, dns, opts.signal);
    const implicitMx = { addresses: own.addresses, resolves: own.resolves };
    const problems =
      own.resolves === false
        ? [`${d} has no MX record and no address: mail to it bounces`]
        : [`${d} has no MX record: senders deliver to its own address instead (implicit MX)`];
    return { ...base, status: 'no-mx', implicitMx, problems };
  }

  const problems: string[] = [];
  const parsed: { preference: number; host: string }[] = [];
  for (const record of answer.records) {
    const m = /^(\d{1,5})\s*(\S*)$/.exec(record.trim());
    if (!m) {
      problems.push(`MX record "${record.slice(0, 80)}" could not be read`);
      continue;
    }
    parsed.push({ preference: Number(m[1]), host: (m[2] ?? '').toLowerCase().replace(/\.$/, '') });
  }
  const nulls = parsed.filter((p) => p.host === '');
  const real = parsed.filter((p) => p.host !== '');
  if (nulls.length > 0 && real.length === 0) {
    if (nulls.some((n) => n.preference !== 0)) {
      problems.push('a null MX should have preference 0 (RFC 7505)');
    }
    return { ...base, status: 'null-mx', totalRecords: parsed.length, problems };
  }
  if (nulls.length > 0) {
    problems.push(
      'a null MX ("0 .") sits beside real MX records: RFC 7505 allows it only alone, so senders may treat the domain either way',
    );
  }

  // One entry per host, at its best preference, in the order senders try them.
  const byHost = new Map<string, number>();
  for (const p of real) byHost.set(p.host, Math.min(p.preference, byHost.get(p.host) ?? Infinity));
  const ordered = [...byHost.entries()]
    .map(([host, preference]) => ({ host, preference }))
    .sort((a, b) => a.preference - b.preference || a.host.localeCompare(b.host));
  const truncated = ordered.length > MAX_EXCHANGES;
  if (truncated) {
    problems.push(`${ordered.length} MX hosts: only the first ${MAX_EXCHANGES} were checked`);
  }
  const exchanges = await mapLimit(
    ordered.slice(0, MAX_EXCHANGES),
    Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY),
    (e) => inspectExchange(e.host, e.preference, dns, opts),
  );
  if (exchanges.length > 0 && exchanges.every((e) => e.resolves === false || e.ipLiteral)) {
    problems.push('no MX host has an address: mail to this domain bounces');
  }
  return {
    ...base,
    exchanges,
    totalRecords: parsed.length,
    truncated,
    problems,
  };
}

async function inspectExchange(
  host: string,
  preference: number,
  dns: EmailDns,
  opts: InspectMxOptions,
): Promise<MxExchange> {
  const literal = host.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0) {
    return {
      preference,
      host,
      ipLiteral: true,
      addresses: [],
      resolves: null,
      problems: [
        `${host} is an IP address: an MX must name a host (RFC 5321 §5.1), and senders look it up as a name and fail`,
      ],
    };
  }
  const problems: string[] = [];
  const [own, cname] = await Promise.all([
    addressesOf(host, dns, opts.signal),
    opts.net ? cnameOf(host, opts.net, opts.signal) : Promise.resolve(undefined),
  ]);
  if (own.resolves === false) problems.push(`${host} has no address: senders cannot deliver to it`);
  if (own.resolves === null) problems.push(`${host} could not be looked up: ${own.error ?? ''}`);
  if (cname?.target) {
    problems.push(
      `${host} is a CNAME to ${cname.target}: an MX must name the host itself (RFC 2181 §10.3), and some senders refuse it`,
    );
  }
  return {
    preference,
    host,
    ipLiteral: false,
    addresses: own.addresses,
    resolves: own.resolves,
    ...(own.error !== undefined ? { lookupError: own.error } : {}),
    ...(cname ? { cname: cname.target } : {}),
    ...(cname?.error !== undefined ? { cnameError: cname.error } : {}),
    problems,
  };
}

async function addressesOf(
  host: string,
  dns: EmailDns,
  signal: AbortSignal | undefined,
): Promise<{ addresses: string[]; resolves: boolean | null; error?: string }> {
  const [a, aaaa] = await Promise.all([
    safeLookup(dns, host, 'A', signal),
    safeLookup(dns, host, 'AAAA', signal),
  ]);
  const addresses = [a, aaaa].flatMap((r) => (r.kind === 'records' ? r.records : []));
  if (addresses.length > 0) return { addresses, resolves: true };
  // Without an address, one family failing leaves the answer open.
  const failed = [a, aaaa].find((r) => r.kind === 'error');
  if (failed?.kind === 'error') return { addresses, resolves: null, error: failed.message };
  return { addresses, resolves: false };
}

async function cnameOf(
  host: string,
  net: NetworkContext,
  signal: AbortSignal | undefined,
): Promise<{ target: string | null; error?: string }> {
  try {
    return { target: await mxTargetIsCname(host, net, signal) };
  } catch (err) {
    if (signal?.aborted || (err instanceof ProbeError && err.kind === 'aborted')) throw err;
    return { target: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The CNAME target when `host` is an alias, else null. Lives here, talking to the DNS client
 * directly, because EmailDns follows CNAMEs transparently (as SPF and DKIM need) and so hides
 * exactly the fact RFC 2181 §10.3 cares about: an MX must not point at an alias. An A query
 * is enough: resolvers and authoritative servers put the CNAME in the answer. Throws
 * ProbeError when the question cannot be answered.
 */
export async function mxTargetIsCname(
  host: string,
  net: NetworkContext,
  signal?: AbortSignal,
): Promise<string | null> {
  const owner = host.trim().replace(/\.$/, '').toLowerCase();
  const res = await queryDns(owner, 'A', net, { signal });
  const alias = res.answers.find(
    (r) => r.type === 'CNAME' && r.name.replace(/\.$/, '').toLowerCase() === owner,
  );
  return alias ? alias.data.toLowerCase() : null;
}
