/**
 * The DNS view the email probes need: one record type for one name, CNAMEs followed, answers
 * reduced to the four outcomes RFC 7208 reasons about. SPF, DKIM, DMARC, MX and MTA-STS read
 * DNS only through this interface, so the conformance suite can serve its zones from memory
 * and the app from the real client.
 */
import { queryDns } from '../dns';
import { ProbeError } from '../errors';
import type { NetworkContext } from '../net-context';

export type EmailRecordType = 'TXT' | 'A' | 'AAAA' | 'MX' | 'PTR';

export type EmailDnsAnswer =
  /** NOERROR with records of the type asked. TXT: each record's strings joined; MX: "10 host"; PTR: the name. */
  | { kind: 'records'; records: string[] }
  /** NOERROR, nothing of this type. */
  | { kind: 'nodata' }
  | { kind: 'nxdomain' }
  /** Timeout, SERVFAIL, REFUSED, a CNAME loop: nothing can be concluded (SPF's temperror). */
  | { kind: 'error'; message: string };

export interface EmailDns {
  lookup(name: string, type: EmailRecordType, signal?: AbortSignal): Promise<EmailDnsAnswer>;
}

const MAX_CNAME_HOPS = 8;

/** The app's EmailDns: the project's DNS client, asking the context's servers. */
export function networkEmailDns(net: NetworkContext): EmailDns {
  return {
    async lookup(name, type, signal) {
      const seen = new Set<string>();
      let current = stripDot(name).toLowerCase();
      for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
        if (seen.has(current)) return { kind: 'error', message: `CNAME loop at ${current}` };
        seen.add(current);
        let res;
        try {
          res = await queryDns(current, type, net, { signal });
        } catch (err) {
          if (err instanceof ProbeError && err.kind === 'aborted') throw err;
          return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
        }
        // Walk the chain inside this answer first; ask again only where it stops short.
        let owner = current;
        for (let inAnswer = 0; inAnswer <= MAX_CNAME_HOPS; inAnswer++) {
          const found = res.answers.filter((r) => r.type === type && same(r.name, owner));
          if (found.length > 0) return { kind: 'records', records: found.map((r) => r.data) };
          const cname = res.answers.find((r) => r.type === 'CNAME' && same(r.name, owner));
          if (!cname) break;
          owner = cname.data.toLowerCase();
          if (seen.has(owner)) return { kind: 'error', message: `CNAME loop at ${owner}` };
          seen.add(owner);
        }
        if (res.rcode === 'NXDOMAIN') return { kind: 'nxdomain' };
        if (res.rcode !== 'NOERROR') {
          return { kind: 'error', message: `${res.server} answered ${res.rcode} for ${current}` };
        }
        if (owner === current) return { kind: 'nodata' };
        seen.delete(owner);
        current = owner;
      }
      return { kind: 'error', message: `more than ${MAX_CNAME_HOPS} CNAMEs from ${name}` };
    },
  };
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function same(a: string, b: string): boolean {
  return stripDot(a).toLowerCase() === stripDot(b).toLowerCase();
}

/** The answer, with a misbehaving EmailDns's throw turned into an error; a stop still throws. */
export async function safeLookup(
  dns: EmailDns,
  name: string,
  type: EmailRecordType,
  signal: AbortSignal | undefined,
): Promise<EmailDnsAnswer> {
  try {
    return await dns.lookup(name, type, signal);
  } catch (err) {
    if (signal?.aborted || (err instanceof ProbeError && err.kind === 'aborted')) throw err;
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}
