/**
 * DKIM public keys in DNS: parsing a key record (RFC 6376 §3.6.1, RFC 8301, RFC 8463) and
 * finding a domain's keys. A key can only be found by its selector, and DNS offers no way to
 * list them, so discovery asks for the founder's own selectors plus the ones widely used
 * senders publish under fixed names.
 */
import { createPublicKey } from 'node:crypto';
import { DKIM_SELECTOR } from '../../../../shared/workspace';
import type { EmailDns } from './email-dns';
import { parseTagList, tagValue } from './tag-list';
import { mapLimit } from '../map-limit';
import { safeLookup } from './email-dns';

export type DkimKeyType = 'rsa' | 'ed25519';

export type DkimKeyParse =
  | {
      ok: true;
      keyType: DkimKeyType;
      /** RSA modulus length or 256 for ed25519; null when the key is revoked (empty p=). */
      bits: number | null;
      revoked: boolean;
      /** t=y: receivers treat signed mail as unsigned (RFC 6376 §3.6.1). */
      testing: boolean;
      /** t=s: the key is not valid for subdomains of the signing domain. */
      strictSubdomains: boolean;
      /** h=: the hash algorithms the key may be used with; absent means any. */
      hashAlgorithms?: string[];
      /** s=: the service types; absent means "*". */
      serviceTypes?: string[];
      /** n=: notes for humans. */
      notes?: string;
      /** What a receiver or the founder should know; the key still parses. */
      problems: string[];
      /**
       * Why no signature can verify with this key although it parses (h= without sha256, s=
       * without email); absent when it can. Revocation and testing have their own fields.
       */
      unusable?: string;
    }
  | { ok: false; error: string };

/** RFC 8301 §3.2: receivers MUST NOT accept signatures made with smaller RSA keys. */
const RSA_MIN_BITS = 1024;
/** RFC 8301 §3.2: signers SHOULD use at least this. */
const RSA_RECOMMENDED_BITS = 2048;
/** RFC 8301 §3.2: verifiers need only handle keys up to this size. */
const RSA_MAX_VERIFIED_BITS = 4096;
const ED25519_KEY_BYTES = 32;

export function parseDkimKey(txt: string): DkimKeyParse {
  const list = parseTagList(txt);
  if (!list.ok) return { ok: false, error: `not a valid tag=value list: ${list.error}` };
  const { tags } = list;
  const problems: string[] = [];

  // RFC 6376 §3.6.1: v= is optional, but when present it is "DKIM1" and comes first.
  const vIndex = tags.findIndex((t) => t.name === 'v');
  if (vIndex > 0) return { ok: false, error: 'v= must be the first tag of a DKIM key record' };
  if (vIndex === 0 && tags[0]?.value !== 'DKIM1') {
    return {
      ok: false,
      error: `v=${tags[0]?.value ?? ''} is not DKIM1: receivers discard this record`,
    };
  }

  // The values of k=, h=, s= and t= are ABNF literals (RFC 6376 §3.6.1), so case-insensitive.
  const rawK = tagValue(tags, 'k') ?? 'rsa';
  const k = rawK.toLowerCase();
  if (k !== 'rsa' && k !== 'ed25519') {
    return { ok: false, error: `unknown key type k=${rawK} (receivers know rsa and ed25519)` };
  }
  const keyType: DkimKeyType = k;

  const p = tagValue(tags, 'p');
  if (p === undefined) return { ok: false, error: 'no p= tag: the record holds no public key' };

  const flags = listOf(tagValue(tags, 't'));
  const testing = flags?.includes('y') ?? false;
  const strictSubdomains = flags?.includes('s') ?? false;
  if (testing) {
    problems.push(
      't=y: the key is in testing mode, so receivers treat signed mail as if it were unsigned',
    );
  }

  const unusable: string[] = [];
  const hashAlgorithms = listOf(tagValue(tags, 'h'));
  if (hashAlgorithms) {
    const known = hashAlgorithms.filter((h) => h === 'sha256' || h === 'sha1');
    if (!hashAlgorithms.includes('sha256')) {
      const why = `h=${hashAlgorithms.join(':')} does not allow sha256: RFC 8301 forbids rsa-sha1, so receivers can verify no signature made with this key`;
      problems.push(why);
      unusable.push(why);
    } else if (known.length < hashAlgorithms.length) {
      problems.push(
        `h= names unknown hash algorithms (${hashAlgorithms.join(':')}); they are ignored`,
      );
    }
  }

  const serviceTypes = listOf(tagValue(tags, 's'));
  if (serviceTypes && !serviceTypes.includes('*') && !serviceTypes.includes('email')) {
    const why = `s=${serviceTypes.join(':')}: the key is not offered for email, so receivers ignore it`;
    problems.push(why);
    unusable.push(why);
  }

  const notes = tagValue(tags, 'n');
  const extras = {
    ...(hashAlgorithms ? { hashAlgorithms } : {}),
    ...(serviceTypes ? { serviceTypes } : {}),
    ...(notes !== undefined ? { notes } : {}),
    ...(unusable.length > 0 ? { unusable: unusable.join('; ') } : {}),
  };

  // Base64 in p= may be broken up by whitespace (RFC 6376 §3.6.1); an empty one is a revocation.
  const b64 = p.replace(/[ \t\r\n]/g, '');
  if (b64 === '') {
    problems.push('p= is empty: this key has been revoked, and signatures made with it fail');
    return {
      ok: true,
      keyType,
      bits: null,
      revoked: true,
      testing,
      strictSubdomains,
      ...extras,
      problems,
    };
  }
  const der = decodeBase64(b64);
  if (!der) return { ok: false, error: 'p= is not valid base64' };

  const measured = keyType === 'rsa' ? measureRsa(der) : measureEd25519(der);
  if ('error' in measured) return { ok: false, error: measured.error };
  const bits = measured.bits;
  if (keyType === 'rsa') {
    if (bits < RSA_MIN_BITS) {
      problems.push(
        `${bits}-bit RSA key: receivers reject signatures from keys under ${RSA_MIN_BITS} bits (RFC 8301)`,
      );
    } else if (bits < RSA_RECOMMENDED_BITS) {
      problems.push(
        `${bits}-bit RSA key: accepted, but ${RSA_RECOMMENDED_BITS} bits is the recommended minimum (RFC 8301)`,
      );
    } else if (bits > RSA_MAX_VERIFIED_BITS) {
      problems.push(
        `${bits}-bit RSA key: receivers need only verify keys up to ${RSA_MAX_VERIFIED_BITS} bits (RFC 8301), so some may not`,
      );
    }
  } else {
    problems.push(
      'ed25519 key: many receivers do not verify ed25519 yet, so publish an RSA key beside it (RFC 8463)',
    );
  }
  return {
    ok: true,
    keyType,
    bits,
    revoked: false,
    testing,
    strictSubdomains,
    ...extras,
    problems,
  };
}

/** Strict base64 (standard alphabet, correct padding), or null. */
function decodeBase64(s: string): Buffer | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64');
}

function measureRsa(der: Buffer): { bits: number } | { error: string } {
  // SPKI is what RFC 6376 specifies; some publishers paste a bare PKCS#1 RSAPublicKey instead,
  // which OpenSSL-based verifiers accept too.
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType !== 'rsa') {
        return {
          error: `p= holds a key of type ${key.asymmetricKeyType ?? 'unknown'}, but k= says rsa`,
        };
      }
      const bits = key.asymmetricKeyDetails?.modulusLength;
      if (typeof bits === 'number') return { bits };
    } catch {
      // Not this encoding: try the next.
    }
  }
  return { error: 'p= decodes, but not to an RSA public key (neither SPKI nor PKCS#1)' };
}

function measureEd25519(raw: Buffer): { bits: number } | { error: string } {
  // RFC 8463 §4.2: the raw 32-byte public key, not wrapped in SPKI.
  if (raw.length !== ED25519_KEY_BYTES) {
    const hint =
      raw.length === 44 ? ' (this looks like an SPKI-wrapped key; publish the raw key)' : '';
    return { error: `an ed25519 key is ${ED25519_KEY_BYTES} bytes, p= holds ${raw.length}${hint}` };
  }
  try {
    createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return { error: 'p= is not a usable ed25519 public key' };
  }
  return { bits: ED25519_KEY_BYTES * 8 };
}

/**
 * A colon-separated list (h=, s=, t=), lower-cased as their literals compare case-insensitively,
 * whitespace around items dropped; undefined if absent.
 */
function listOf(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(':')
    .map((s) => s.replace(/[ \t\r\n]/g, '').toLowerCase())
    .filter((s) => s !== '');
}

export interface CommonDkimSelector {
  selector: string;
  /** The senders known to publish keys under this name; several share some names. */
  providers: string[];
  note?: string;
}

/**
 * Selectors widely used senders publish under fixed names, checked against vendor
 * documentation (and, where the vendor page was not available, against setup guides):
 *
 * - Google Workspace: "google" is the default prefix the Admin console suggests (Google Admin
 *   Help 11611356, "the prefix selector is automatically set to the default, google").
 * - Microsoft 365: CNAMEs selector1/selector2._domainkey → selector{1,2}-<domain>._domainkey.
 *   <tenant>.onmicrosoft.com (New-DkimSigningConfig, Get-DkimSigningConfig Selector1CNAME).
 * - SendGrid: with automated security, CNAMEs s1/s2._domainkey → s{1,2}.domainkey.uNNN.wlNNN.
 *   sendgrid.net. "smtpapi" is the older TXT key of accounts without automated security; no
 *   current Twilio page shows it, so it is kept as a legacy guess.
 * - Mailgun: the selector is chosen per domain; "mailo" and "mx" appear in Mailgun-generated
 *   records, "pdk1"/"pdk2" are the CNAMEs of Automatic Sender Security (Mailgun docs, DKIM
 *   security). "k1", "smtp" and "krs" are seen in the wild but no vendor page confirms them.
 * - Postmark: the DKIM host is dated and per key ("YYYYMMDDhhmmsspm._domainkey") and changes on
 *   rotation, so it cannot be guessed; "pm" is the fixed selector of older accounts.
 * - Amazon SES: Easy DKIM publishes three CNAMEs named after random tokens
 *   (<token>._domainkey → <token>.dkim.amazonses.com, SES API VerifyDomainDkim), so they
 *   cannot be guessed; only BYODKIM uses a selector the owner chose. A custom MAIL FROM domain
 *   changes SPF alignment, not DKIM.
 * - Resend: a TXT key at "resend._domainkey" of the domain added to Resend — often a sending
 *   subdomain (updates.example.com), which discovery at the main domain does not see.
 * - Mailchimp: CNAMEs k1 (and k2 in newer setups) → dkim*.mcsv.net; "k3" is seen in the wild
 *   but unconfirmed. Mandrill (Mailchimp Transactional): CNAMEs mte1/mte2 → dkim{1,2}.
 *   mandrillapp.com today; "mandrill" is the TXT key older accounts published.
 */
export const COMMON_DKIM_SELECTORS: readonly CommonDkimSelector[] = [
  { selector: 'google', providers: ['Google Workspace'] },
  { selector: 'selector1', providers: ['Microsoft 365'] },
  { selector: 'selector2', providers: ['Microsoft 365'] },
  { selector: 's1', providers: ['SendGrid'] },
  { selector: 's2', providers: ['SendGrid'] },
  { selector: 'smtpapi', providers: ['SendGrid'], note: 'legacy, without automated security' },
  { selector: 'mailo', providers: ['Mailgun'] },
  { selector: 'mx', providers: ['Mailgun'] },
  { selector: 'pdk1', providers: ['Mailgun'], note: 'Automatic Sender Security' },
  { selector: 'pdk2', providers: ['Mailgun'], note: 'Automatic Sender Security' },
  { selector: 'k1', providers: ['Mailchimp', 'Mailgun'] },
  { selector: 'k2', providers: ['Mailchimp'] },
  { selector: 'k3', providers: ['Mailchimp'], note: 'seen in the wild, unconfirmed' },
  { selector: 'smtp', providers: ['Mailgun'], note: 'seen in the wild, unconfirmed' },
  { selector: 'krs', providers: ['Mailgun'], note: 'seen in the wild, unconfirmed' },
  { selector: 'pm', providers: ['Postmark'], note: 'older accounts; newer keys are dated' },
  { selector: 'resend', providers: ['Resend'] },
  { selector: 'mte1', providers: ['Mailchimp Transactional (Mandrill)'] },
  { selector: 'mte2', providers: ['Mailchimp Transactional (Mandrill)'] },
  { selector: 'mandrill', providers: ['Mailchimp Transactional (Mandrill)'], note: 'legacy' },
];

/** Senders whose selectors no list can guess: the founder has to name them. */
export const UNGUESSABLE_DKIM_SELECTORS: readonly { provider: string; why: string }[] = [
  {
    provider: 'Amazon SES',
    why: 'Easy DKIM names its three keys after random tokens (<token>._domainkey); copy them from the SES console',
  },
  {
    provider: 'Postmark',
    why: 'keys are dated (for example 20240101120000pm._domainkey) and change on rotation; copy the host from Postmark',
  },
];

/** The sender a selector's name points to, if it follows a known pattern. */
export function guessDkimProvider(selector: string): string | undefined {
  const s = selector.toLowerCase();
  const known = COMMON_DKIM_SELECTORS.find((c) => c.selector === s);
  if (known) return known.providers.join(' or ');
  if (/^\d{14}pm$/.test(s)) return 'Postmark';
  // SES Easy DKIM tokens: 32 lowercase letters and digits.
  if (/^[a-z0-9]{32}$/.test(s)) return 'Amazon SES (Easy DKIM)';
  return undefined;
}

export interface DkimSelectorResult {
  selector: string;
  /** <selector>._domainkey.<domain>; a CNAME there is followed like any resolver would. */
  name: string;
  /** own: the founder named it; common: from COMMON_DKIM_SELECTORS. */
  source: 'own' | 'common';
  status: 'found' | 'not-found' | 'error';
  /** The TXT record the key was read from. */
  record?: string;
  key?: DkimKeyParse;
  provider?: string;
  /** About the DNS answer itself (several keys, other TXT records). */
  problems: string[];
  error?: string;
}

export interface DkimDiscovery {
  domain: string;
  results: DkimSelectorResult[];
  /** Selectors not looked up because the total was capped. */
  skipped: string[];
}

export interface DiscoverDkimOptions {
  signal?: AbortSignal;
  /** Lookups in flight at once. */
  concurrency?: number;
  /** Selectors looked up in all (own first). */
  maxLookups?: number;
  /** Also try COMMON_DKIM_SELECTORS (default true). */
  includeCommon?: boolean;
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_MAX_LOOKUPS = 48;

/**
 * Looks up each selector's key. Throws only when the signal aborts; every other failure is a
 * per-selector result.
 */
export async function discoverDkim(
  domain: string,
  selectors: readonly string[],
  dns: EmailDns,
  opts: DiscoverDkimOptions = {},
): Promise<DkimDiscovery> {
  const base = domain.trim().replace(/\.$/, '').toLowerCase();
  const wanted: { selector: string; source: 'own' | 'common' }[] = [];
  const seen = new Set<string>();
  const add = (selector: string, source: 'own' | 'common'): void => {
    const s = selector.trim().replace(/\.$/, '').toLowerCase();
    if (s === '' || seen.has(s)) return;
    seen.add(s);
    wanted.push({ selector: s, source });
  };
  for (const s of selectors) add(s, 'own');
  if (opts.includeCommon !== false)
    for (const c of COMMON_DKIM_SELECTORS) add(c.selector, 'common');

  const max = Math.max(0, opts.maxLookups ?? DEFAULT_MAX_LOOKUPS);
  const asked = wanted.slice(0, max);
  const skipped = wanted.slice(max).map((w) => w.selector);
  const results = await mapLimit(asked, Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY), (w) =>
    lookupSelector(base, w.selector, w.source, dns, opts.signal),
  );
  return { domain: base, results, skipped };
}

async function lookupSelector(
  domain: string,
  selector: string,
  source: 'own' | 'common',
  dns: EmailDns,
  signal: AbortSignal | undefined,
): Promise<DkimSelectorResult> {
  const name = `${selector}._domainkey.${domain}`;
  const provider = guessDkimProvider(selector);
  const base = {
    selector,
    name,
    source,
    ...(provider ? { provider } : {}),
    problems: [] as string[],
  };
  if (!DKIM_SELECTOR.test(selector)) {
    return { ...base, status: 'error', error: `"${selector}" is not a valid DKIM selector` };
  }
  const answer = await safeLookup(dns, name, 'TXT', signal);
  if (answer.kind === 'error') return { ...base, status: 'error', error: answer.message };
  if (answer.kind !== 'records') return { ...base, status: 'not-found' };

  // Other TXT records may share the name (verification tokens); the key is the one that says so.
  const keys = answer.records.filter(
    (r) => /^[ \t]*v[ \t]*=[ \t]*DKIM1/.test(r) || /(^|;)[ \t]*p[ \t]*=/.test(r),
  );
  if (keys.length === 0) {
    return {
      ...base,
      status: 'not-found',
      problems: [`${answer.records.length} TXT record(s) here, none of them a DKIM key`],
    };
  }
  if (keys.length > 1) {
    base.problems.push(
      `${keys.length} DKIM key records at ${name}: receivers may pick any of them, so signatures fail at random (keep one)`,
    );
  }
  const record = keys[0] ?? '';
  return { ...base, status: 'found', record, key: parseDkimKey(record) };
}
