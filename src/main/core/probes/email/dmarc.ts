/**
 * DMARC (RFC 7489): parsing a policy record strictly, finding the record that governs a domain
 * (its own, else its organisational domain's), and checking that outside report addresses
 * agreed to receive reports (§7.1), without which receivers send them nowhere.
 */
import { getDomain } from 'tldts';
import type { EmailDns } from './email-dns';
import { parseTagList, startsWithVersion } from './tag-list';
import { safeLookup } from './email-dns';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';
export type DmarcAlignment = 'r' | 's';

/** One report destination of rua=/ruf= (or TLS-RPT's rua=). */
export interface ReportUri {
  /** The URI without its size limit. */
  uri: string;
  /** Lower-case, without ":". */
  scheme: string;
  /** mailto: the address, percent-decoded. */
  address?: string;
  /** mailto: the address's domain; https: the host. Lower-case. */
  domain?: string;
  /** "!50m": the largest report the owner accepts, in bytes. */
  maxBytes?: number;
}

export interface DmarcRecord {
  policy: DmarcPolicy;
  /**
   * p= (or sp=) was missing or invalid but rua= holds a valid address, so receivers act as if
   * p=none (RFC 7489 §6.6.3 step 5).
   */
  policyAssumed: boolean;
  subdomainPolicy?: DmarcPolicy;
  pct: number;
  rua: ReportUri[];
  ruf: ReportUri[];
  adkim: DmarcAlignment;
  aspf: DmarcAlignment;
  fo: string[];
  rf: string[];
  ri: number;
  /** Tags DMARC does not define: receivers ignore them (RFC 7489 §6.3). */
  unknownTags: string[];
}

export type DmarcParse =
  { ok: true; record: DmarcRecord; problems: string[] } | { ok: false; error: string };

const POLICIES: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];
const KNOWN_TAGS = new Set([
  'v',
  'p',
  'sp',
  'pct',
  'rua',
  'ruf',
  'adkim',
  'aspf',
  'fo',
  'rf',
  'ri',
]);
const DEFAULT_RI = 86400;
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};
const U64_MAX = 2n ** 64n - 1n;
const U32_MAX = 2 ** 32 - 1;

export function parseDmarc(txt: string): DmarcParse {
  // Tag names are ABNF string literals in RFC 7489 §6.4, so case-insensitive: "P" is "p".
  // Empty tag-specs (";;") are outside the grammar, but receivers skip them: see tag-list.ts.
  const list = parseTagList(txt, { caseInsensitiveNames: true, allowEmptyTags: true });
  if (!list.ok) return { ok: false, error: `not a valid tag=value list: ${list.error}` };
  const tags = new Map(list.tags.map((t) => [t.name.toLowerCase(), t.value]));
  const first = list.tags[0];
  if (first?.name.toLowerCase() !== 'v' || first.value !== 'DMARC1') {
    return { ok: false, error: 'a DMARC record starts with v=DMARC1' };
  }
  const problems: string[] = [];
  const empty = list.emptyTags ?? [];
  if (empty.length > 0) {
    const at = empty.length > 3 ? `${empty.slice(0, 3).join(', ')}…` : empty.join(', ');
    problems.push(
      `empty ";;" (at position${empty.length > 1 ? 's' : ''} ${at}) — harmless to most receivers, but tidy it`,
    );
  }

  const rua = parseUris('rua', tags.get('rua'), problems);
  const ruf = parseUris('ruf', tags.get('ruf'), problems);

  const p = tags.get('p');
  const policy = policyOf(p);
  const sp = tags.get('sp');
  const subdomainPolicy = policyOf(sp);
  const pInvalid = policy === undefined;
  const spInvalid = sp !== undefined && subdomainPolicy === undefined;
  let policyAssumed = false;
  if (pInvalid || spInvalid) {
    const what = pInvalid
      ? p === undefined
        ? 'no p= tag'
        : `p=${p} is not none, quarantine or reject`
      : `sp=${sp} is not none, quarantine or reject`;
    // RFC 7489 §6.6.3 step 5: with a usable rua=, receivers carry on as if p=none.
    if (rua.length === 0) return { ok: false, error: `${what}, and no valid rua= to fall back on` };
    policyAssumed = true;
    problems.push(`${what}: receivers treat the record as p=none because rua= is valid`);
  } else if (list.tags[1]?.name.toLowerCase() !== 'p') {
    problems.push(
      'p= should come right after v=DMARC1 (RFC 7489 §6.4); most receivers accept it anywhere',
    );
  }

  const pct = integerTag('pct', tags.get('pct'), 100, 100, problems);
  const ri = integerTag('ri', tags.get('ri'), DEFAULT_RI, U32_MAX, problems);
  const adkim = alignmentTag('adkim', tags.get('adkim'), problems);
  const aspf = alignmentTag('aspf', tags.get('aspf'), problems);
  const fo = colonList('fo', tags.get('fo'), ['0'], (v) => /^[01ds]$/i.test(v), problems).map((v) =>
    v.toLowerCase(),
  );
  const rf = colonList('rf', tags.get('rf'), ['afrf'], (v) => v.toLowerCase() === 'afrf', problems);

  const unknownTags = list.tags.map((t) => t.name).filter((n) => !KNOWN_TAGS.has(n.toLowerCase()));
  if (unknownTags.length > 0) {
    problems.push(`unknown tags ignored by receivers: ${unknownTags.join(', ')}`);
  }
  return {
    ok: true,
    record: {
      policy: policyAssumed ? 'none' : (policy ?? 'none'),
      policyAssumed,
      ...(!policyAssumed && subdomainPolicy ? { subdomainPolicy } : {}),
      pct,
      rua,
      ruf,
      adkim,
      aspf,
      fo,
      rf,
      ri,
      unknownTags,
    },
    problems,
  };
}

function policyOf(value: string | undefined): DmarcPolicy | undefined {
  const v = value?.toLowerCase();
  return POLICIES.find((p) => p === v);
}

function integerTag(
  name: string,
  value: string | undefined,
  fallback: number,
  max: number,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  if (/^\d{1,10}$/.test(value) && Number(value) <= max) return Number(value);
  problems.push(
    `${name}=${value} is not a whole number from 0 to ${max}: receivers use ${fallback}`,
  );
  return fallback;
}

function alignmentTag(name: string, value: string | undefined, problems: string[]): DmarcAlignment {
  if (value === undefined) return 'r';
  const v = value.toLowerCase();
  if (v === 'r' || v === 's') return v;
  problems.push(`${name}=${value} is not r or s: receivers use r (relaxed)`);
  return 'r';
}

function colonList(
  name: string,
  value: string | undefined,
  fallback: string[],
  valid: (v: string) => boolean,
  problems: string[],
): string[] {
  if (value === undefined) return fallback;
  const items = value.split(':').map((v) => v.trim());
  const bad = items.filter((v) => !valid(v));
  if (bad.length > 0) problems.push(`${name}= has values receivers do not know: ${bad.join(', ')}`);
  const good = items.filter(valid);
  return good.length > 0 ? good : fallback;
}

function parseUris(tag: string, value: string | undefined, problems: string[]): ReportUri[] {
  if (value === undefined) return [];
  const out: ReportUri[] = [];
  for (const item of value.split(',').map((s) => s.trim())) {
    const parsed = parseReportUri(item, { allowSize: true });
    if ('error' in parsed) problems.push(`${tag}=: ${parsed.error}`);
    else out.push(parsed);
  }
  return out;
}

/**
 * One report URI: mailto: or https:, with DMARC's optional "!size" suffix (RFC 7489 §6.4:
 * URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]). Commas and "!" inside the URI itself must be
 * percent-encoded, so the first "!" starts the size.
 */
export function parseReportUri(
  raw: string,
  opts: { allowSize?: boolean } = {},
): ReportUri | { error: string } {
  const shown = raw.length > 80 ? `${raw.slice(0, 79)}…` : raw;
  if (raw === '') return { error: 'an empty entry in the list' };
  const bang = opts.allowSize ? raw.indexOf('!') : -1;
  const uri = bang === -1 ? raw : raw.slice(0, bang);
  let maxBytes: number | undefined;
  if (bang !== -1) {
    const m = /^(\d{1,20})([kmgt]?)$/i.exec(raw.slice(bang + 1));
    // RFC 7489 §6.4: the number must fit an unsigned 64-bit integer.
    if (!m || BigInt(m[1] ?? '0') > U64_MAX) {
      return {
        error: `"${shown}" has a size limit that is not a number with an optional k, m, g or t`,
      };
    }
    maxBytes = Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? 1);
  }
  if (/[\s,;]/.test(uri)) return { error: `"${shown}" contains characters a URI cannot hold` };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  const size = maxBytes !== undefined ? { maxBytes } : {};
  if (scheme === 'mailto') {
    const mail = parseMailto(uri);
    if (!mail) return { error: `"${shown}" is not a valid mailto: address` };
    return { uri, scheme, ...mail, ...size };
  }
  if (scheme === 'https') {
    let host: string;
    try {
      host = new URL(uri).hostname.toLowerCase();
    } catch {
      return { error: `"${shown}" is not a valid https: URL` };
    }
    return { uri, scheme, domain: host, ...size };
  }
  return { error: `"${shown}" is not a mailto: or https: address, so no report is sent there` };
}

/** The address and its domain from mailto:local@domain[?headers], or null. */
export function parseMailto(uri: string): { address: string; domain: string } | null {
  const m = /^mailto:([^?]*)(\?.*)?$/i.exec(uri);
  if (!m) return null;
  let address: string;
  try {
    address = decodeURIComponent(m[1] ?? '');
  } catch {
    return null;
  }
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const domain = address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  if (!isDomainName(domain)) return null;
  return { address, domain };
}

export function isDomainName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 253 &&
    name.split('.').every((l) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(l))
  );
}

/**
 * The organisational domain (RFC 7489 §3.2) from the Public Suffix List that tldts ships
 * offline, private suffixes included (a site on github.io is its own organisation), as the
 * RFC's use of the list intends. Null when the name is itself a public suffix.
 */
export function organisationalDomain(domain: string): string | null {
  const d = domain.trim().replace(/\.$/, '').toLowerCase();
  return getDomain(d, { allowPrivateDomains: true }) ?? null;
}

export interface DmarcLookup {
  domain: string;
  organisationalDomain: string | null;
  /**
   * found: one record governs the domain; none: no record here or at the organisational
   * domain; multiple: several v=DMARC1 records, so receivers ignore all; invalid: the record
   * does not parse; error: DNS failed, nothing can be concluded.
   */
  status: 'found' | 'none' | 'multiple' | 'invalid' | 'error';
  /** Where the governing record was (or the failure happened). */
  foundAt?: 'own' | 'organisational';
  /** The DNS name of that record: _dmarc.<domain>. */
  recordName?: string;
  /** The domain the record belongs to: the policy domain for report authorisation. */
  policyDomain?: string;
  record?: string;
  parsed?: DmarcParse;
  /** own: p=; organisational: sp= if set, else p= (RFC 7489 §6.6.3). */
  appliedPolicy?: DmarcPolicy;
  /** multiple: every v=DMARC1 record found there. */
  candidates?: string[];
  /** TXT records at _dmarc names that do not start with v=DMARC1: receivers skip them. */
  ignoredRecords: string[];
  problems: string[];
  error?: string;
}

export async function findDmarc(
  domain: string,
  dns: EmailDns,
  opts: { signal?: AbortSignal } = {},
): Promise<DmarcLookup> {
  const d = domain.trim().replace(/\.$/, '').toLowerCase();
  const org = organisationalDomain(d);
  const result: DmarcLookup = {
    domain: d,
    organisationalDomain: org,
    status: 'none',
    ignoredRecords: [],
    problems: [],
  };

  const places: { at: 'own' | 'organisational'; policyDomain: string }[] = [
    { at: 'own', policyDomain: d },
  ];
  if (org && org !== d) places.push({ at: 'organisational', policyDomain: org });

  for (const place of places) {
    const name = `_dmarc.${place.policyDomain}`;
    const answer = await safeLookup(dns, name, 'TXT', opts.signal);
    if (answer.kind === 'error') {
      return {
        ...result,
        status: 'error',
        foundAt: place.at,
        recordName: name,
        error: answer.message,
      };
    }
    if (answer.kind !== 'records') continue;
    // RFC 7489 §6.6.3 step 3: only records starting with v=DMARC1 count.
    const dmarc = answer.records.filter((r) =>
      startsWithVersion(r, 'DMARC1', { caseInsensitiveName: true }),
    );
    result.ignoredRecords.push(...answer.records.filter((r) => !dmarc.includes(r)));
    if (dmarc.length === 0) continue;
    const where = { foundAt: place.at, recordName: name, policyDomain: place.policyDomain };
    if (dmarc.length > 1) {
      return {
        ...result,
        ...where,
        status: 'multiple',
        candidates: dmarc,
        problems: [
          ...result.problems,
          `${dmarc.length} DMARC records at ${name}: receivers ignore all of them, so the domain has no DMARC policy`,
        ],
      };
    }
    const record = dmarc[0] ?? '';
    const parsed = parseDmarc(record);
    if (!parsed.ok) return { ...result, ...where, status: 'invalid', record, parsed };
    const { policy, subdomainPolicy } = parsed.record;
    const appliedPolicy = place.at === 'own' ? policy : (subdomainPolicy ?? policy);
    return { ...result, ...where, status: 'found', record, parsed, appliedPolicy };
  }
  return result;
}

export interface ReportAuthorization {
  uri: string;
  /** mailto: the destination domain. */
  destination?: string;
  /**
   * same-organisation: no permission needed; authorised / not-authorised: the destination
   * does or does not publish <policy domain>._report._dmarc.<destination> (RFC 7489 §7.1);
   * not-checked: not a mailto: URI; error: DNS failed (receivers then send nothing).
   */
  status: 'same-organisation' | 'authorised' | 'not-authorised' | 'not-checked' | 'error';
  recordName?: string;
  record?: string;
  error?: string;
}

/** Destinations checked at most, as receivers only promise to honour two (RFC 7489 §6.2). */
const MAX_DESTINATIONS = 10;

/**
 * For each mailto: report address outside the policy domain's organisation, whether its
 * domain agreed to receive the reports. policyDomain is where the DMARC record was found.
 */
export async function checkReportAuthorization(
  policyDomain: string,
  uris: readonly (string | ReportUri)[],
  dns: EmailDns,
  opts: { signal?: AbortSignal } = {},
): Promise<ReportAuthorization[]> {
  const domain = policyDomain.trim().replace(/\.$/, '').toLowerCase();
  const ownOrg = organisationalDomain(domain) ?? domain;
  const lookups = new Map<string, Promise<Omit<ReportAuthorization, 'uri' | 'destination'>>>();

  const check = (
    destination: string,
  ): Promise<Omit<ReportAuthorization, 'uri' | 'destination'>> => {
    const recordName = `${domain}._report._dmarc.${destination}`;
    return safeLookup(dns, recordName, 'TXT', opts.signal).then((answer) => {
      if (answer.kind === 'error') return { status: 'error', recordName, error: answer.message };
      const record =
        answer.kind === 'records'
          ? answer.records.find((r) =>
              startsWithVersion(r, 'DMARC1', { caseInsensitiveName: true }),
            )
          : undefined;
      return record !== undefined
        ? { status: 'authorised', recordName, record }
        : { status: 'not-authorised', recordName };
    });
  };

  const out: Promise<ReportAuthorization>[] = [];
  for (const item of uris) {
    const parsed =
      typeof item === 'string' ? parseReportUri(item.trim(), { allowSize: true }) : item;
    const uri = typeof item === 'string' ? item.trim() : item.uri;
    if ('error' in parsed) {
      out.push(Promise.resolve({ uri, status: 'not-checked', error: parsed.error }));
      continue;
    }
    const destination = parsed.domain;
    if (parsed.scheme !== 'mailto' || !destination) {
      out.push(Promise.resolve({ uri, status: 'not-checked' }));
      continue;
    }
    if ((organisationalDomain(destination) ?? destination) === ownOrg) {
      out.push(Promise.resolve({ uri, destination, status: 'same-organisation' }));
      continue;
    }
    let pending = lookups.get(destination);
    if (!pending) {
      if (lookups.size >= MAX_DESTINATIONS) {
        out.push(
          Promise.resolve({
            uri,
            destination,
            status: 'not-checked',
            error: 'too many destinations',
          }),
        );
        continue;
      }
      pending = check(destination);
      lookups.set(destination, pending);
    }
    out.push(pending.then((r) => ({ uri, destination, ...r })));
  }
  return Promise.all(out);
}
