/** The domain map and redirect rules, and the certificate expiry table, from stage 2's evidence. */
import type { Rec, RunFacts } from './run-facts';
import { list, num, recs, strings, text } from './run-facts';

// ─── Domain map and redirect rules ────────────────────────────────────────────────

export interface DomainRow {
  host: string;
  pointsTo: string;
  http: string;
  https: string;
  notes: string;
}

export interface RedirectRule {
  from: string;
  to: string;
  how: string;
}

export interface DomainMap {
  checked: boolean;
  nameservers: string[];
  rows: DomainRow[];
  canonical: string | null;
  canonicalNotes: string[];
  rules: RedirectRule[];
}

export function domainMap(facts: RunFacts): DomainMap {
  const dns = facts.evidence('edge.dns.map');
  const toHttps = facts.evidence('edge.http.https-redirect');
  const redirects = facts.evidence('edge.http.redirects');
  const canonical = facts.evidence('edge.http.canonical-host');
  const dnsHosts = recs(dns?.hosts);
  const names = dnsHosts.length
    ? dnsHosts.map((h) => text(h.host)).filter((h): h is string => h !== null)
    : facts.data.workspace.hosts.map((h) => h.name);
  const find = (rows: Rec[], host: string) => rows.find((r) => r.host === host) ?? null;
  const httpRows = recs(toHttps?.hosts);
  const redirectRows = recs(redirects?.hosts);

  const rows: DomainRow[] = names.map((host) => {
    const d = find(dnsHosts, host);
    const h = find(httpRows, host);
    const r = find(redirectRows, host);
    const notes: string[] = [];
    for (const part of [d, h, r])
      if (part && part.status !== 'pass' && text(part.note)) notes.push(text(part.note) as string);
    return {
      host,
      pointsTo: d ? pointsTo(d) : 'not checked',
      http: h ? httpAnswer(h) : 'not checked',
      https: r ? httpsLanding(r) : 'not checked',
      notes: notes.join('; ') || (d || h || r ? 'OK' : ''),
    };
  });

  const rules: RedirectRule[] = [];
  for (const h of httpRows) {
    const location = text(h.location);
    const status = num(h.httpStatus);
    if (location && status !== null && status >= 300 && status < 400)
      rules.push({
        from: text(h.url) ?? `http://${String(h.host)}/`,
        to: location,
        how: `${status}`,
      });
  }
  for (const rule of recs(canonical?.rules)) {
    const from = text(rule.from);
    const to = text(rule.to);
    if (!from || !to) continue;
    const statuses = list(rule.statuses).map(String).join(' → ');
    const hops = num(rule.hops);
    rules.push({
      from,
      to,
      how: `${statuses}${hops !== null ? ` (${hops} hop${hops === 1 ? '' : 's'})` : ''}`,
    });
  }
  const canonicalNotes = recs(canonical?.findings)
    .filter((f) => f.status === 'fail' || f.status === 'warn')
    .map((f) => {
      const hosts = strings(f.hosts);
      const who = hosts.length ? hosts.join(' and ') : (text(f.host) ?? '');
      return `${who} ${text(f.note) ?? ''}`.trim();
    });
  return {
    checked: dns !== null || toHttps !== null || redirects !== null,
    nameservers: strings(dns?.nameservers),
    rows,
    canonical: text(canonical?.canonical),
    canonicalNotes,
    rules,
  };
}

function pointsTo(d: Rec): string {
  const resolution = text(d.resolution);
  if (resolution && resolution !== 'ok') return resolution;
  const chain = strings(d.cnameChain).map((c) => `CNAME ${c}`);
  const addresses = [...strings(d.ipv4), ...strings(d.ipv6)];
  const shown =
    addresses.slice(0, 3).join(', ') + (addresses.length > 3 ? ` +${addresses.length - 3}` : '');
  return [...chain, shown].filter((x) => x !== '').join(' → ') || 'no address';
}

function httpAnswer(h: Rec): string {
  const status = num(h.httpStatus);
  const location = text(h.location);
  if (status === null) return text(h.note) ?? 'no answer';
  return location ? `${status} → ${location}` : `${status}, no redirect`;
}

function httpsLanding(r: Rec): string {
  if (text(r.https)) return `HTTPS: ${text(r.https) as string}`;
  const walk = recs(r.walks).find((w) => text(w.start)?.startsWith('https://'));
  if (!walk) return 'not checked';
  const hops = recs(walk.hops);
  const last = hops.at(-1);
  const final = text(walk.finalUrl);
  if (hops.length <= 1) return `${num(last?.status) ?? '?'} on ${final ?? 'the same address'}`;
  return `${hops.length - 1} redirect${hops.length === 2 ? '' : 's'} → ${final ?? '?'} (${num(last?.status) ?? '?'})`;
}

// ─── Certificates ─────────────────────────────────────────────────────────────────

export interface CertificateRow {
  host: string;
  issuer: string;
  validTo: string;
  daysLeft: number | null;
  status: string;
  note: string;
}

export function certificateTable(facts: RunFacts): CertificateRow[] {
  const tls = recs(facts.evidence('edge.tls.certificate')?.hosts);
  let rows: CertificateRow[] = tls.map((h) => ({
    host: text(h.host) ?? '?',
    issuer: cnOrWhole(text(h.issuer)),
    validTo: dateOnly(text(h.validTo)),
    daysLeft: num(h.daysLeft),
    status: text(h.status) ?? '',
    note: text(h.note) ?? text(h.authorizationError) ?? '',
  }));
  if (rows.length === 0) {
    rows = recs(facts.evidence('monitor.tls.expiry')?.certificates).map((c) => ({
      host: text(c.host) ?? '?',
      issuer: '',
      validTo: dateOnly(text(c.validTo)),
      daysLeft: num(c.daysLeft),
      status: '',
      note: '',
    }));
  }
  return rows.sort(
    (a, b) =>
      (a.daysLeft ?? Number.MAX_SAFE_INTEGER) - (b.daysLeft ?? Number.MAX_SAFE_INTEGER) ||
      a.host.localeCompare(b.host),
  );
}

function cnOrWhole(dn: string | null): string {
  if (!dn) return '';
  return /(?:^|,\s*)CN=([^,]+)/.exec(dn)?.[1]?.trim() ?? dn;
}

function dateOnly(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}
