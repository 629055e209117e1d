/** Stage 2 — the domain map (A, AAAA, CNAME chains, NS, CAA) and CAA records. */
import type { Host } from '../../../shared/workspace';
import type { Check, CheckContext } from '../engine/check';
import { ProbeError } from '../probes/errors';
import type { Finding } from './edge-support';
import { errorMessage, foldFindings, perFinding, plural, queryShared } from './edge-support';

const MAX_ALIAS_HOPS = 8;

function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}

/** The names whose CAA records can apply to `host`, nearest first, never above the domain. */
function caaClimb(host: string, domain: string): string[] {
  const h = host.toLowerCase();
  const d = domain.toLowerCase();
  if (h !== d && !h.endsWith(`.${d}`)) return [h];
  const names: string[] = [];
  for (let n = h; n !== d; n = n.slice(n.indexOf('.') + 1)) names.push(n);
  names.push(d);
  return names;
}

/**
 * CAA records at one name, following its CNAME chain as RFC 8659 does (the alias target's
 * records apply). A server failure at the name itself is an error; at an alias target in
 * someone else's zone it means no records there.
 */
async function caaAt(ctx: CheckContext, name: string): Promise<string[]> {
  const seen = new Set([name.toLowerCase()]);
  let current = name;
  for (let hop = 0; hop <= MAX_ALIAS_HOPS; hop++) {
    const res = await queryShared(ctx, current, 'CAA');
    if (res.rcode !== 'NOERROR' && res.rcode !== 'NXDOMAIN') {
      if (hop === 0)
        throw new ProbeError(
          'dns',
          `the DNS server answered ${res.rcode} to a CAA query for ${name}`,
        );
      return [];
    }
    let owner = current;
    for (;;) {
      const caa = res.answers.filter((r) => r.type === 'CAA' && sameName(r.name, owner));
      if (caa.length > 0) return caa.map((r) => r.data);
      const alias = res.answers.find((r) => r.type === 'CNAME' && sameName(r.name, owner));
      if (!alias) break;
      owner = alias.data;
      if (seen.has(owner.toLowerCase())) return [];
      seen.add(owner.toLowerCase());
    }
    // The chain left the answer (another zone): ask for its last name, as a resolver would.
    if (owner === current || res.rcode === 'NXDOMAIN') return [];
    current = owner;
  }
  return [];
}

export interface CaaSet {
  /** The name whose records apply to the host; null when no name up to the domain has any. */
  at: string | null;
  records: string[];
}

/** RFC 8659's relevant record set: the host's own records, else the nearest parent's. */
export async function relevantCaa(ctx: CheckContext, host: string): Promise<CaaSet> {
  for (const name of caaClimb(host, ctx.workspace.domain)) {
    const records = await caaAt(ctx, name);
    if (records.length > 0) return { at: name, records };
  }
  return { at: null, records: [] };
}

interface CaaRecord {
  flags: number;
  tag: string;
  value: string;
}

/** "0 issue \"letsencrypt.org\"" as the DNS client renders it. */
function parseCaa(data: string): CaaRecord | null {
  const m = /^(\d{1,3})\s+([A-Za-z0-9]+)\s+"(.*)"$/.exec(data.trim());
  if (!m) return null;
  return { flags: Number(m[1]), tag: (m[2] ?? '').toLowerCase(), value: m[3] ?? '' };
}

/** Authority domains allowed to issue (the part of an issue value before any parameters). */
function issuersOf(records: readonly string[]): string[] {
  return records
    .map(parseCaa)
    .filter((r): r is CaaRecord => r !== null && (r.tag === 'issue' || r.tag === 'issuewild'))
    .map((r) => (r.value.split(';')[0] ?? '').trim() || '(nobody)');
}

const RESOLUTION_NOTES: Record<string, { status: Finding['status']; note: string }> = {
  nxdomain: { status: 'skipped', note: 'is not in DNS (see "Every host resolves")' },
  'no-address': { status: 'skipped', note: 'has no address records (see "Every host resolves")' },
  'cname-loop': { status: 'fail', note: 'is a CNAME loop: it can never resolve' },
  servfail: { status: 'error', note: 'could not be mapped: the DNS server failed (SERVFAIL)' },
  refused: { status: 'error', note: 'could not be mapped: the DNS server refused to answer' },
};

async function mapHost(ctx: CheckContext, host: Host): Promise<Finding> {
  const r = await ctx.cache.resolve(host.name, ctx.signal);
  let caa: Record<string, unknown>;
  try {
    const set = await relevantCaa(ctx, host.name);
    caa = { at: set.at, records: set.records };
  } catch (err) {
    // CAA is part of the map, not of this check's verdict: the CAA check reports the failure.
    caa = { error: errorMessage(err) };
  }
  const evidence = {
    host: host.name,
    resolution: r.status,
    cnameChain: r.cnameChain,
    ipv4: r.addresses.filter((a) => a.family === 4).map((a) => a.address),
    ipv6: r.addresses.filter((a) => a.family === 6).map((a) => a.address),
    caa,
    server: r.server,
  };
  const f = (status: Finding['status'], note: string): Finding => ({
    label: host.name,
    status,
    note,
    evidence,
  });
  if (r.status === 'ok') {
    const via = r.cnameChain.length > 0 ? `CNAME ${r.cnameChain.join(' → ')} → ` : '';
    return f('pass', `points to ${via}${r.addresses.map((a) => a.address).join(', ')}`);
  }
  if (r.status === 'dangling-cname') {
    const target = r.cnameChain[r.cnameChain.length - 1] ?? 'its target';
    return f(
      'fail',
      `is a CNAME to ${target}, which no longer exists: whoever claims that name can publish pages on your domain (subdomain takeover)`,
    );
  }
  const known = RESOLUTION_NOTES[r.status];
  return f(known?.status ?? 'error', known?.note ?? `could not be mapped (${r.status})`);
}

export const dnsMap: Check = {
  id: 'edge.dns.map',
  stage: 2,
  title: 'Domain map: every host points somewhere real, nothing dangles',
  why: 'This is the map of where each of your addresses goes: your servers, a CDN or a vendor. A record that still points to a service you deleted (a "dangling" CNAME) lets anyone who claims that service name publish pages on your domain — phishing under your name.',
  fix: [
    'Read the map in the evidence with whoever set up your hosting: every host should point to a server or service you still use.',
    'Delete any record marked dangling at your DNS host today, or re-create the service it points to.',
    'Remove records of hosts you no longer use, so nobody can claim them later.',
    'Keep this map with your handover: it is what to check whenever you change hosting.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const domain = ctx.workspace.domain;
    const [ns, findings] = await Promise.all([
      queryShared(ctx, domain, 'NS').then(
        (res) => ({
          names: res.answers.filter((r) => r.type === 'NS').map((r) => r.data),
          rcode: res.rcode,
        }),
        (err: unknown) => ({ error: err }),
      ),
      perFinding(
        ctx.workspace.hosts,
        (h) => h.name,
        (h) => mapHost(ctx, h),
      ),
    ]);
    const all = [...findings];
    if ('error' in ns) {
      all.push({
        label: `the nameservers of ${domain}`,
        status: 'error',
        note: `could not be looked up (${errorMessage(ns.error)})`,
        evidence: { nameservers: null, message: errorMessage(ns.error) },
      });
    }
    const nameservers = 'names' in ns ? ns.names : null;
    return foldFindings(all, {
      evidenceKey: 'hosts',
      extra: { domain, nameservers },
      pass: (n) =>
        `Mapped ${plural(n, 'host')}: each points somewhere real and none dangles${nameservers && nameservers.length > 0 ? ` (nameservers ${nameservers.join(', ')})` : ''}.`,
      none: 'No host of this product exists in DNS yet, so there is nothing to map.',
    });
  },
};

export const caaRecords: Check = {
  id: 'edge.dns.caa',
  stage: 2,
  title: 'CAA records name who may issue your certificates',
  why: 'A CAA record tells every certificate authority which of them may issue certificates for your domain. Without one, any of them can be tricked into issuing a certificate to someone else. It is a cheap safeguard that security reviews ask about.',
  fix: [
    'See who issues your certificates today (the certificate check shows the issuer: often Let’s Encrypt, Google Trust Services or your host’s own authority).',
    'At your DNS host, add a CAA record on your domain for each of them, e.g. 0 issue "letsencrypt.org". Cloudflare adds the ones it uses when it manages your certificates.',
    'Optionally add 0 iodef "mailto:security@your-domain" to hear about refused requests.',
    'Check the list before saving: a CAA record that leaves out your real issuer blocks the next renewal.',
  ],
  impact: 'low',
  kind: 'probe',
  async run(ctx) {
    const findings = await perFinding(
      ctx.workspace.hosts,
      (h) => h.name,
      async (host): Promise<Finding> => {
        const r = await ctx.cache.resolve(host.name, ctx.signal);
        if (r.status === 'nxdomain')
          return {
            label: host.name,
            status: 'skipped',
            note: 'is not in DNS',
            evidence: { host: host.name },
          };
        const set = await relevantCaa(ctx, host.name);
        const issuers = issuersOf(set.records);
        const evidence = { host: host.name, at: set.at, records: set.records, issuers };
        const inherited = set.at !== null && set.at !== host.name.toLowerCase();
        if (set.at === null)
          return { label: host.name, status: 'warn', note: 'has no CAA record', evidence };
        if (issuers.length === 0)
          return {
            label: host.name,
            status: 'warn',
            note: `has CAA records${inherited ? ` (from ${set.at})` : ''} but none says which authority may issue (no "issue" tag)`,
            evidence,
          };
        return {
          label: host.name,
          status: 'pass',
          note: `allows ${issuers.join(', ')}${inherited ? ` (from ${set.at})` : ''}`,
          evidence,
        };
      },
    );
    const outcome = foldFindings(findings, {
      evidenceKey: 'hosts',
      extra: { domain: ctx.workspace.domain },
      pass: (n) => {
        const issuers = [
          ...new Set(findings.flatMap((f) => (f.evidence.issuers as string[] | undefined) ?? [])),
        ];
        return `CAA covers all ${plural(n, 'host')}: only ${issuers.join(', ')} may issue certificates.`;
      },
      none: 'No host of this product exists in DNS yet.',
    });
    const decided = findings.filter((f) => f.status !== 'skipped');
    if (
      outcome.status === 'warn' &&
      decided.every((f) => f.status === 'warn' && f.evidence.at === null)
    ) {
      // The usual case: no CAA anywhere. One sentence says it better than a list of hosts.
      outcome.summary = `No CAA record on ${ctx.workspace.domain} or its hosts: any certificate authority may issue certificates for your domain.`;
    }
    return outcome;
  },
};
