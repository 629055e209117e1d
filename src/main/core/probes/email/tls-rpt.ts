/**
 * SMTP TLS Reporting (RFC 8460): the _smtp._tls TXT record that tells sending servers where
 * to report failed TLS deliveries, so the founder hears about a broken MTA-STS or certificate
 * before mail is lost.
 *
 *   tlsrpt-record  = "v=TLSRPTv1" 1*(field-delim tlsrpt-field) [field-delim]
 *   tlsrpt-rua     = "rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)   ; mailto: or https:
 */
import type { ReportUri } from './dmarc';
import { parseReportUri } from './dmarc';
import type { EmailDns } from './email-dns';
import { parseTagList, startsWithVersion } from './tag-list';
import { safeLookup } from './email-dns';

export type TlsRptParse =
  | {
      ok: true;
      rua: ReportUri[];
      /** Tags other than v and rua: receivers ignore them. */
      extensions: Record<string, string>;
      problems: string[];
    }
  | { ok: false; error: string };

export function parseTlsRpt(txt: string): TlsRptParse {
  // %s"v=TLSRPTv1" and %s"rua=": names and version are case-sensitive.
  const list = parseTagList(txt, { extendedNames: true });
  if (!list.ok) return { ok: false, error: `not a valid tag=value list: ${list.error}` };
  const [first, ...rest] = list.tags;
  if (first?.name !== 'v' || first.value !== 'TLSRPTv1') {
    return { ok: false, error: 'a TLS-RPT record starts with v=TLSRPTv1' };
  }
  const problems: string[] = [];
  const extensions: Record<string, string> = {};
  let ruaValue: string | undefined;
  for (const tag of rest) {
    if (tag.name === 'rua') ruaValue = tag.value;
    else extensions[tag.name] = tag.value;
  }
  if (ruaValue === undefined) {
    return { ok: false, error: 'no rua= tag: the record names nowhere to send reports' };
  }
  const rua: ReportUri[] = [];
  for (const item of ruaValue.split(',').map((s) => s.trim())) {
    const parsed = parseReportUri(item);
    if ('error' in parsed) problems.push(`rua=: ${parsed.error}`);
    else rua.push(parsed);
  }
  if (rua.length === 0) {
    return {
      ok: false,
      error: `rua= holds no usable mailto: or https: address (${problems.join('; ')})`,
    };
  }
  return { ok: true, rua, extensions, problems };
}

export interface TlsRptLookup {
  domain: string;
  /** _smtp._tls.<domain> */
  name: string;
  /**
   * found: exactly one v=TLSRPTv1 record; multiple: several, so senders treat the domain as
   * not using TLS-RPT (RFC 8460 §3); invalid: the one record does not parse.
   */
  status: 'found' | 'none' | 'multiple' | 'invalid' | 'error';
  record?: string;
  parsed?: TlsRptParse;
  /** TXT records there that do not start with v=TLSRPTv1: senders skip them. */
  ignoredRecords: string[];
  problems: string[];
  error?: string;
}

export async function findTlsRpt(
  domain: string,
  dns: EmailDns,
  opts: { signal?: AbortSignal } = {},
): Promise<TlsRptLookup> {
  const d = domain.trim().replace(/\.$/, '').toLowerCase();
  const name = `_smtp._tls.${d}`;
  const base: TlsRptLookup = { domain: d, name, status: 'none', ignoredRecords: [], problems: [] };
  const answer = await safeLookup(dns, name, 'TXT', opts.signal);
  if (answer.kind === 'error') return { ...base, status: 'error', error: answer.message };
  if (answer.kind !== 'records') return base;
  const reports = answer.records.filter((r) => startsWithVersion(r, 'TLSRPTv1'));
  const ignoredRecords = answer.records.filter((r) => !reports.includes(r));
  if (reports.length === 0) return { ...base, ignoredRecords };
  if (reports.length > 1) {
    return {
      ...base,
      ignoredRecords,
      status: 'multiple',
      problems: [
        `${reports.length} TLS-RPT records at ${name}: senders then send no reports at all (keep one)`,
      ],
    };
  }
  const record = reports[0] ?? '';
  const parsed = parseTlsRpt(record);
  return { ...base, ignoredRecords, status: parsed.ok ? 'found' : 'invalid', record, parsed };
}
