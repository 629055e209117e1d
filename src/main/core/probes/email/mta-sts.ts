/**
 * MTA-STS (RFC 8461): the _mta-sts TXT record announcing a policy, the policy file served at
 * https://mta-sts.<domain>/.well-known/mta-sts.txt, and whether an MX host is one the policy
 * allows. Sending servers that honour an "enforce" policy refuse to deliver to any MX the
 * policy does not list, so every mistake here can cost the founder mail.
 */
import { ProbeError } from '../errors';
import type { ProbeErrorKind } from '../errors';
import { fetchUrl } from '../fetch';
import type { ResolveFn } from '../connect';
import type { NetworkContext } from '../net-context';
import type { EmailDns } from './email-dns';
import { parseTagList, startsWithVersion } from './tag-list';
import { safeLookup } from './email-dns';

export type MtaStsTxtParse =
  | { ok: true; id: string; extensions: Record<string, string>; problems: string[] }
  | { ok: false; error: string };

/**
 * RFC 8461 §3.1: "v=STSv1" first, then "id=" 1*32(ALPHA / DIGIT); further fields are
 * extensions. Names and values are case-sensitive.
 */
export function parseMtaStsTxt(txt: string): MtaStsTxtParse {
  const list = parseTagList(txt, { extendedNames: true });
  if (!list.ok) return { ok: false, error: `not a valid record: ${list.error}` };
  const [first, ...rest] = list.tags;
  if (first?.name !== 'v' || first.value !== 'STSv1') {
    return { ok: false, error: 'an MTA-STS record starts with v=STSv1' };
  }
  const extensions: Record<string, string> = {};
  let id: string | undefined;
  for (const tag of rest) {
    if (tag.name === 'id') id = tag.value;
    else extensions[tag.name] = tag.value;
  }
  if (id === undefined)
    return { ok: false, error: 'no id= field: senders cannot tell when the policy changes' };
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) {
    return { ok: false, error: `id=${id} is not 1 to 32 letters and digits` };
  }
  const problems =
    Object.keys(extensions).length > 0
      ? [`unknown fields ignored by senders: ${Object.keys(extensions).join(', ')}`]
      : [];
  return { ok: true, id, extensions, problems };
}

export type MtaStsMode = 'enforce' | 'testing' | 'none';

export interface MtaStsPolicy {
  version: 'STSv1';
  mode: MtaStsMode;
  /** Allowed MX patterns, lower-case: "mail.example.com" or "*.example.net". */
  mx: string[];
  /** Seconds senders may cache the policy. */
  maxAge: number;
  /** Fields RFC 8461 does not define: senders ignore them. */
  extensions: Record<string, string>;
}

export type MtaStsPolicyParse =
  | { ok: true; policy: MtaStsPolicy; problems: string[] }
  | { ok: false; error: string; problems: string[] };

/** RFC 8461 §3.2: the longest a policy may be cached (a year). */
export const MTA_STS_MAX_AGE_LIMIT = 31557600;
/** RFC 8461 §3.3: senders read at most this much of a policy file. */
export const MTA_STS_MAX_POLICY_BYTES = 64 * 1024;
const SINGLE_FIELDS = ['version', 'mode', 'max_age'] as const;

/**
 * RFC 8461 §3.2: "key: value" lines separated by LF or CRLF (erratum 6253): version, mode,
 * max_age once each, mx once per allowed host. Fatal: a required field missing, repeated or
 * invalid. Problems: anything senders tolerate but the founder should fix.
 */
export function parseMtaStsPolicy(text: string): MtaStsPolicyParse {
  const problems: string[] = [];
  const fail = (error: string): MtaStsPolicyParse => ({ ok: false, error, problems });
  if (typeof text !== 'string') return fail('not text');
  const body =
    text.length > MTA_STS_MAX_POLICY_BYTES * 2 ? text.slice(0, MTA_STS_MAX_POLICY_BYTES * 2) : text;
  if (body !== text) problems.push('longer than senders read (64 KiB); the rest is ignored');

  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  // One line break may end the file; more, or blank lines inside, break the RFC's grammar.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const single = new Map<string, string>();
  const repeated = new Set<string>();
  const mx: string[] = [];
  const extensions: Record<string, string> = {};
  let firstField: string | undefined;
  let noted = 0;
  const note = (msg: string): void => {
    // A garbage file could produce thousands of these; a handful says enough.
    if (noted++ < 10) problems.push(msg);
  };

  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') {
      note(`line ${n} is blank (the format has no blank lines)`);
      return;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m) {
      note(`line ${n} is not "key: value": ${JSON.stringify(line.slice(0, 60))}`);
      return;
    }
    const key = m[1] ?? '';
    const value = m[2] ?? '';
    firstField ??= key;
    if (key === 'mx') {
      mx.push(value);
    } else if ((SINGLE_FIELDS as readonly string[]).includes(key)) {
      if (single.has(key)) repeated.add(key);
      else single.set(key, value);
    } else {
      if (/^(version|mode|mx|max_age)$/i.test(key)) {
        note(`"${key}" is not "${key.toLowerCase()}": field names are case-sensitive`);
      }
      extensions[key] = value;
    }
  });

  for (const key of SINGLE_FIELDS) {
    if (!single.has(key)) return fail(`no ${key} field`);
    if (repeated.has(key)) return fail(`${key} appears more than once`);
  }
  const version = single.get('version') ?? '';
  if (version !== 'STSv1') return fail(`version: ${version} is not STSv1`);
  if (firstField !== 'version') note('version should be the first line');
  const mode = single.get('mode') ?? '';
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') {
    return fail(`mode: ${mode} is not enforce, testing or none`);
  }
  const maxAgeText = single.get('max_age') ?? '';
  if (!/^\d{1,10}$/.test(maxAgeText))
    return fail(`max_age: ${maxAgeText} is not a number of seconds`);
  const maxAge = Number(maxAgeText);
  if (maxAge > MTA_STS_MAX_AGE_LIMIT) {
    note(`max_age ${maxAge} is above the RFC 8461 limit of ${MTA_STS_MAX_AGE_LIMIT} (one year)`);
  }

  const patterns: string[] = [];
  for (const raw of mx) {
    const pattern = raw.toLowerCase().replace(/\.$/, '');
    if (!validMxPattern(pattern)) note(`mx: ${raw} is not a host name or *.domain pattern`);
    else if (patterns.includes(pattern)) note(`mx: ${raw} is listed twice`);
    else patterns.push(pattern);
  }
  if (patterns.length === 0 && mode !== 'none') {
    return fail(`no valid mx field: with mode ${mode}, senders would accept no MX at all`);
  }
  const unknown = Object.keys(extensions);
  if (unknown.length > 0) note(`unknown fields ignored by senders: ${unknown.join(', ')}`);
  return {
    ok: true,
    policy: { version: 'STSv1', mode, mx: patterns, maxAge, extensions },
    problems,
  };
}

function validMxPattern(p: string): boolean {
  const host = p.startsWith('*.') ? p.slice(2) : p;
  return (
    host.includes('.') &&
    host.length <= 253 &&
    host.split('.').every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l))
  );
}

/**
 * RFC 8461 §4.1: an MX host matches a pattern exactly, or "*.example.com" matches one extra
 * label on the left ("mail.example.com", not "example.com" nor "a.b.example.com").
 */
export function mxMatchesPolicy(mxHost: string, patterns: readonly string[]): boolean {
  const host = mxHost.trim().toLowerCase().replace(/\.$/, '');
  if (host === '') return false;
  return patterns.some((raw) => {
    const p = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!p.startsWith('*.')) return p === host;
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === p.slice(2);
  });
}

/** Why no usable policy came back. */
export type MtaStsErrorKind =
  | 'no-txt'
  | 'multiple-txt'
  | 'invalid-txt'
  | 'txt-dns'
  /** The HTTPS fetch failed: certificate not trusted, no such host, refused, timed out… */
  | Exclude<ProbeErrorKind, 'aborted'>
  /** A 3xx: RFC 8461 §3.3 forbids following it, so there is no policy. */
  | 'redirect'
  | 'http-status'
  | 'invalid-policy';

export interface MtaStsResult {
  domain: string;
  txt: {
    name: string;
    status: 'found' | 'none' | 'multiple' | 'invalid' | 'error';
    /** The v=STSv1 records found. */
    records: string[];
    parsed?: MtaStsTxtParse;
    error?: string;
  };
  policyUrl: string;
  /** Whether the policy file was requested. */
  fetched: boolean;
  httpStatus?: number;
  contentType?: string;
  /** A redirect's target, reported, never followed. */
  location?: string;
  /** The body as received (at most 64 KiB). */
  policyText?: string;
  policy?: MtaStsPolicyParse;
  /** Set when there is no usable policy. */
  errorKind?: MtaStsErrorKind;
  error?: string;
  /** Everything else worth fixing. */
  problems: string[];
}

export interface FetchMtaStsOptions {
  signal?: AbortSignal;
  /** A per-run DNS cache for the HTTPS connection (CheckContext.cache.resolve). */
  resolve?: ResolveFn;
}

/**
 * The TXT record, then the policy file over HTTPS with the context's trust roots, no
 * redirects followed (RFC 8461 §3.3). The file is fetched whenever a v=STSv1 record exists,
 * even a broken one, so the founder learns about both halves at once. Throws only on abort.
 */
export async function fetchMtaSts(
  domain: string,
  net: NetworkContext,
  dns: EmailDns,
  opts: FetchMtaStsOptions = {},
): Promise<MtaStsResult> {
  const d = domain.trim().replace(/\.$/, '').toLowerCase();
  const name = `_mta-sts.${d}`;
  const policyUrl = `https://mta-sts.${d}/.well-known/mta-sts.txt`;
  const result: MtaStsResult = {
    domain: d,
    txt: { name, status: 'none', records: [] },
    policyUrl,
    fetched: false,
    problems: [],
  };

  const answer = await safeLookup(dns, name, 'TXT', opts.signal);
  if (answer.kind === 'error') {
    result.txt = { ...result.txt, status: 'error', error: answer.message };
    return {
      ...result,
      errorKind: 'txt-dns',
      error: `DNS lookup of ${name} failed: ${answer.message}`,
    };
  }
  const records =
    answer.kind === 'records' ? answer.records.filter((r) => startsWithVersion(r, 'STSv1')) : [];
  if (records.length === 0) {
    return { ...result, errorKind: 'no-txt', error: `no v=STSv1 record at ${name}` };
  }
  result.txt.records = records;
  if (records.length > 1) {
    result.txt.status = 'multiple';
    result.errorKind = 'multiple-txt';
    result.error = `${records.length} v=STSv1 records at ${name}: senders ignore the policy (keep one)`;
  } else {
    const parsed = parseMtaStsTxt(records[0] ?? '');
    result.txt = { ...result.txt, status: parsed.ok ? 'found' : 'invalid', parsed };
    if (!parsed.ok) {
      result.errorKind = 'invalid-txt';
      result.error = `${name}: ${parsed.error}`;
    } else result.problems.push(...parsed.problems);
  }

  result.fetched = true;
  let res;
  try {
    res = await fetchUrl(policyUrl, net, {
      signal: opts.signal,
      resolve: opts.resolve,
      maxBodyBytes: MTA_STS_MAX_POLICY_BYTES,
    });
  } catch (err) {
    if (opts.signal?.aborted || (err instanceof ProbeError && err.kind === 'aborted')) throw err;
    const kind = err instanceof ProbeError ? err.kind : 'network';
    const message = err instanceof Error ? err.message : String(err);
    return setFailure(result, kind === 'aborted' ? 'network' : kind, message);
  }
  result.httpStatus = res.status;
  const contentType = header(res.headers, 'content-type');
  if (contentType !== undefined) result.contentType = contentType;
  if (res.status >= 300 && res.status < 400) {
    const location = header(res.headers, 'location');
    if (location !== undefined) result.location = location;
    return setFailure(
      result,
      'redirect',
      `${policyUrl} answered ${res.status}${location ? ` → ${location}` : ''}: senders do not follow redirects (RFC 8461 §3.3)`,
    );
  }
  if (res.status !== 200) {
    return setFailure(result, 'http-status', `${policyUrl} answered ${res.status}, not 200`);
  }
  // RFC 8461 §3.2: text/plain, parameters such as charset ignored; senders SHOULD check it.
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'text/plain') {
    result.problems.push(
      `the policy is served as ${contentType ?? 'no content type'}, not text/plain: some senders reject it`,
    );
  }
  if (res.bodyTruncated) {
    result.problems.push('the policy file is larger than 64 KiB: senders read no further');
  }
  result.policyText = res.body;
  const policy = parseMtaStsPolicy(res.body);
  result.policy = policy;
  result.problems.push(...policy.problems);
  if (!policy.ok)
    return setFailure(result, 'invalid-policy', `the policy file is invalid: ${policy.error}`);
  return result;
}

/** Keeps a TXT failure, which comes first in the sender's own order, over a later one. */
function setFailure(result: MtaStsResult, kind: MtaStsErrorKind, message: string): MtaStsResult {
  if (result.errorKind) {
    result.problems.push(message);
    return result;
  }
  return { ...result, errorKind: kind, error: message };
}

function header(headers: Record<string, string | string[]>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
