/** Stage 2 — HSTS: browsers are told to use HTTPS only, for long enough to matter. */
import type { Check, CheckContext } from '../engine/check';
import type { HttpProbeResult } from '../probes/http';
import type { Finding } from './edge-support';
import {
  ELSEWHERE_NOTES,
  fetchShared,
  foldFindings,
  header,
  perFinding,
  plural,
  reportedElsewhere,
} from './edge-support';

/** 180 days: the floor most scanners use; hstspreload.org wants a year. */
export const HSTS_MIN_SECONDS = 15_552_000;
const DAY = 86_400;

export interface HstsPolicy {
  /** The header parsed as RFC 6797 §6.1 says; false means browsers ignore it. */
  valid: boolean;
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
}

/** Parses one Strict-Transport-Security value (RFC 6797 §6.1: browsers use the first header). */
export function parseHsts(value: string): HstsPolicy {
  const seen = new Set<string>();
  let maxAge: number | null = null;
  let valid = true;
  for (const part of value.split(';')) {
    const d = part.trim();
    if (d === '') continue;
    const eq = d.indexOf('=');
    const name = (eq === -1 ? d : d.slice(0, eq)).trim().toLowerCase();
    const raw = eq === -1 ? null : d.slice(eq + 1).trim();
    // A directive given twice makes the whole header invalid.
    if (seen.has(name)) valid = false;
    seen.add(name);
    if (name === 'max-age') {
      const v = raw?.replace(/^"(.*)"$/, '$1') ?? '';
      if (/^\d+$/.test(v)) maxAge = Number(v);
      else valid = false;
    }
  }
  if (maxAge === null) valid = false;
  return {
    valid,
    maxAge,
    includeSubDomains: seen.has('includesubdomains'),
    preload: seen.has('preload'),
  };
}

function days(seconds: number): string {
  const d = Math.floor(seconds / DAY);
  return d === 1 ? '1 day' : `${d} days`;
}

/** The domain's own policy covers a subdomain for visitors who opened the domain first. */
async function domainCovers(ctx: CheckContext, host: string): Promise<boolean> {
  const domain = ctx.workspace.domain.toLowerCase();
  if (!host.endsWith(`.${domain}`)) return false;
  try {
    const r = await fetchShared(ctx, `https://${domain}/`);
    const p = parseHsts(header(r.headers, 'strict-transport-security') ?? '');
    return p.valid && p.includeSubDomains && (p.maxAge ?? 0) >= HSTS_MIN_SECONDS;
  } catch {
    return false;
  }
}

async function judge(ctx: CheckContext, host: string, r: HttpProbeResult): Promise<Finding> {
  const raw = header(r.headers, 'strict-transport-security');
  const p = raw === null ? null : parseHsts(raw);
  const evidence = {
    host,
    url: r.url,
    httpStatus: r.status,
    header: raw,
    maxAge: p?.maxAge ?? null,
    includeSubDomains: p?.includeSubDomains ?? false,
    preload: p?.preload ?? false,
  };
  const f = (status: Finding['status'], note: string): Finding => ({
    label: host,
    status,
    note,
    evidence,
  });
  if (p === null) {
    if (await domainCovers(ctx, host))
      return f(
        'warn',
        `sends no HSTS header of its own (the includeSubDomains policy of ${ctx.workspace.domain} covers it only for visitors who opened ${ctx.workspace.domain} first)`,
      );
    return f(
      'fail',
      'sends no Strict-Transport-Security header, so a visitor on a hostile network can be kept on plain HTTP',
    );
  }
  if (!p.valid) return f('fail', `sends an HSTS header browsers ignore ("${raw}")`);
  const maxAge = p.maxAge ?? 0;
  if (maxAge === 0) return f('fail', 'switches HSTS off (max-age=0)');
  if (maxAge < HSTS_MIN_SECONDS)
    return f(
      'warn',
      `asks browsers to remember HTTPS for only ${days(maxAge)}; use at least 180 days (max-age=${HSTS_MIN_SECONDS})`,
    );
  const extras = [p.includeSubDomains && 'includeSubDomains', p.preload && 'preload'].filter(
    Boolean,
  );
  return f('pass', `HSTS for ${days(maxAge)}${extras.length > 0 ? `, ${extras.join(', ')}` : ''}`);
}

export const hsts: Check = {
  id: 'edge.http.hsts',
  stage: 2,
  title: 'HSTS tells browsers to use HTTPS only',
  why: 'A redirect to HTTPS still leaves the first request unencrypted: on café or conference Wi-Fi an attacker can answer it and keep the visitor on a fake plain-HTTP page. The HSTS header makes browsers go straight to HTTPS for months, and refuse to click through certificate warnings.',
  fix: [
    'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response (redirects included) of every host.',
    'On Cloudflare: SSL/TLS → Edge Certificates → HTTP Strict Transport Security. On Vercel and Netlify it is on by default for their domains; add it in vercel.json / _headers for your own. In Express, use helmet.',
    'Start with a shorter max-age (a day) if you are unsure every subdomain has HTTPS, then raise it to a year.',
    'Add "preload" and submit the domain at hstspreload.org only once every subdomain works over HTTPS.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const findings = await perFinding(
      ctx.workspace.hosts,
      (h) => h.name,
      async (h): Promise<Finding> => {
        const host = h.name.toLowerCase();
        let r: HttpProbeResult;
        try {
          r = await fetchShared(ctx, `https://${host}/`);
        } catch (err) {
          const elsewhere = reportedElsewhere(err);
          if (!elsewhere) throw err;
          return {
            label: host,
            status: 'skipped',
            note: ELSEWHERE_NOTES[elsewhere],
            evidence: { host },
          };
        }
        return judge(ctx, host, r);
      },
    );
    return foldFindings(findings, {
      evidenceKey: 'hosts',
      extra: { minimumSeconds: HSTS_MIN_SECONDS },
      pass: (n) =>
        `All ${plural(n, 'host')} send HSTS for at least 180 days, so browsers stay on HTTPS.`,
      none: 'No host could be checked over HTTPS (see the DNS and certificate checks).',
    });
  },
};
