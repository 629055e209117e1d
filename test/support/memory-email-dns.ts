/**
 * An in-memory EmailDns built from the zone data of the openspf/RFC 7208 test suite, so SPF
 * (and other email checks) can be tested without a network.
 *
 * Zone data maps a name to a list of entries: "TIMEOUT", or one { TYPE: data } each, where
 * TXT/SPF data is a string or a list of character-strings (joined without separator), MX is
 * [preference, host] and "TXT: NONE" means "no TXT record, but do not copy SPF records".
 *
 * Two behaviours follow the suite's reference driver (pyspf's testspf.py), because the
 * expected results depend on them:
 * - SPF (type 99) records are served as TXT too when the name has no TXT entry at all (the
 *   "auto-magic duplication" the YAML header describes). Serving them only as SPF would turn
 *   most of the suite into "none"; serving them as TXT beside real TXT records would make
 *   "spfoverride" and "multispf2" permerror instead of fail and pass.
 * - TIMEOUT times out the record types the name has no records of, not every query:
 *   "spftimeout" (TXT records plus TIMEOUT) must still find its TXT record and fail.
 */
import type {
  EmailDns,
  EmailDnsAnswer,
  EmailRecordType,
} from '../../src/main/core/probes/email/email-dns';
import { ProbeError } from '../../src/main/core/probes/errors';

/** One zone-data entry as the suite writes it: "TIMEOUT", or { TYPE: data }. */
export type ZoneEntry = string | Record<string, unknown>;
export type ZoneData = Record<string, ZoneEntry[] | null | undefined>;

export interface MemoryEmailDnsOptions {
  /** Serve SPF records as TXT where a name has no TXT entry (default true: the suite's rule). */
  spfAsTxt?: boolean;
}

type ServedType = EmailRecordType | 'CNAME' | 'SPF';

interface NameData {
  records: Map<ServedType, string[]>;
  timeout: boolean;
}

const MAX_CNAME_HOPS = 8;

export class MemoryEmailDns implements EmailDns {
  /** Every query asked, in order. */
  readonly queries: { name: string; type: EmailRecordType }[] = [];
  private readonly names = new Map<string, NameData>();

  constructor(zone: ZoneData, opts: MemoryEmailDnsOptions = {}) {
    for (const [name, entries] of Object.entries(zone)) {
      this.names.set(canonical(name), parseEntries(entries ?? [], opts.spfAsTxt ?? true));
    }
  }

  get queryCount(): number {
    return this.queries.length;
  }

  async lookup(name: string, type: EmailRecordType, signal?: AbortSignal): Promise<EmailDnsAnswer> {
    if (signal?.aborted) throw new ProbeError('aborted', `DNS query for ${name}: stopped`);
    this.queries.push({ name, type });
    let current = canonical(name);
    if (!isValidDnsName(current)) {
      // As the real client: such a name cannot be put in a query at all.
      return { kind: 'error', message: `"${name}" is not a valid DNS name.` };
    }
    const seen = new Set<string>();
    for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      if (seen.has(current)) return { kind: 'error', message: `CNAME loop at ${current}` };
      seen.add(current);
      const data = this.names.get(current);
      if (!data) return { kind: 'nxdomain' };
      const found = data.records.get(type);
      if (found && found.length > 0) return { kind: 'records', records: [...found] };
      if (data.timeout) return { kind: 'error', message: `DNS query for ${current} timed out` };
      const cname = data.records.get('CNAME')?.[0];
      if (!cname) return { kind: 'nodata' };
      current = canonical(cname);
    }
    return { kind: 'error', message: `more than ${MAX_CNAME_HOPS} CNAMEs from ${name}` };
  }
}

function parseEntries(entries: ZoneEntry[], spfAsTxt: boolean): NameData {
  const data: NameData = { records: new Map(), timeout: false };
  const add = (type: ServedType, value: string) => {
    const list = data.records.get(type) ?? [];
    list.push(value);
    data.records.set(type, list);
  };
  let hasTxtEntry = false;
  for (const entry of entries) {
    if (entry === 'TIMEOUT') {
      data.timeout = true;
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    for (const [type, value] of Object.entries(entry)) {
      switch (type) {
        case 'TXT':
          hasTxtEntry = true;
          if (value !== 'NONE') add('TXT', joinStrings(value));
          break;
        case 'SPF':
          if (value !== 'NONE') add('SPF', joinStrings(value));
          break;
        case 'MX': {
          const [pref, host] = Array.isArray(value) ? value : String(value).split(/\s+/);
          add('MX', `${Number(pref)} ${stripDot(String(host ?? '')) || '.'}`);
          break;
        }
        case 'A':
        case 'AAAA':
          add(type, String(value));
          break;
        case 'PTR':
        case 'CNAME':
          add(type, stripDot(String(value)));
          break;
      }
    }
  }
  if (spfAsTxt && !hasTxtEntry) {
    for (const spf of data.records.get('SPF') ?? []) add('TXT', spf);
  }
  return data;
}

function joinStrings(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join('') : String(value ?? '');
}

function canonical(name: string): string {
  return stripDot(name.trim()).toLowerCase();
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** The real client's rule: labels of 1–63 bytes, at most 253 bytes in all. */
export function isValidDnsName(name: string): boolean {
  if (name === '' || Buffer.byteLength(name) > 253) return false;
  return name.split('.').every((l) => l.length > 0 && Buffer.byteLength(l) <= 63);
}
