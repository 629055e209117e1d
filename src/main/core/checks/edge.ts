/**
 * Stage 2 — domain and edge hardening: the certificate and HTTP→HTTPS checks here, the others
 * in edge-*.ts, all listed in edgeChecks.
 */
import { isWithin } from '../../../shared/domain';
import type { Check } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { httpRequest } from '../probes/http';
import { probeTls } from '../probes/tls';
import { privateNotCached, staticAssetsCached } from './edge-cache';
import { canonicalHost, cleanRedirects } from './edge-canonical';
import { cloudflareInFront } from './edge-cloudflare';
import { cloudflareZoneChecks } from './edge-cloudflare-zone';
import { caaRecords, dnsMap } from './edge-dns';
import { hsts } from './edge-hsts';
import { callbackOnCanonical } from './edge-login';
import type { HostVerdict } from './hosts';
import { foldHosts, perReachableHost } from './hosts';

/** "During a live sales cycle": a certificate must outlive the next few weeks of demos. */
export const CERT_FAIL_DAYS = 7;
export const CERT_WARN_DAYS = 30;
const MODERN_TLS = new Set(['TLSv1.2', 'TLSv1.3']);

const TRUST_WORDS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'has an expired certificate',
  CERT_NOT_YET_VALID:
    'has a certificate that is not valid yet (check the server clock or the issue date)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'has a self-signed certificate browsers do not trust',
  SELF_SIGNED_CERT_IN_CHAIN: 'has a certificate chain ending in an untrusted self-signed root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'does not send the intermediate certificates browsers need (incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'has a certificate from an issuer browsers do not trust',
};

export const tlsCertificate: Check = {
  id: 'edge.tls.certificate',
  stage: 2,
  title: 'HTTPS certificate is trusted, matches and is not about to expire',
  why: 'A certificate warning makes your product look unsafe in the middle of a demo, and most browsers refuse to continue. An expiring certificate takes the whole site down on a known date.',
  fix: [
    "Use your host's managed certificates (Vercel, Netlify, Render, Cloudflare and most platforms issue and renew them automatically) or Let's Encrypt with automatic renewal.",
    'Make sure every host name (www, app, api…) is listed on the certificate, or use one certificate per host.',
    'If the chain is incomplete, install the "full chain" file your certificate authority provides, not just your own certificate.',
    `Renew now if it expires within ${CERT_WARN_DAYS} days, and set an expiry alert (stage 6).`,
  ],
  impact: 'critical',
  kind: 'probe',
  async run(ctx) {
    const verdicts = await perReachableHost(
      ctx,
      443,
      async (host, target): Promise<HostVerdict> => {
        const t = await probeTls(target, ctx.net, { signal: ctx.signal, now: ctx.now });
        const c = t.certificate;
        const evidence = {
          host: host.name,
          address: `${t.address}:${t.port}`,
          protocol: t.protocol,
          authorized: t.authorized,
          authorizationError: t.authorizationError,
          hostnameMatches: t.hostnameMatches,
          subject: c.subject,
          issuer: c.issuer,
          subjectAltNames: c.subjectAltNames,
          validTo: c.validTo,
          daysLeft: c.daysLeft,
          fingerprint256: c.fingerprint256,
        };
        const bad = (note: string): HostVerdict => ({
          host: host.name,
          status: 'fail',
          note,
          evidence,
        });
        if (!t.authorized)
          return bad(
            TRUST_WORDS[t.authorizationError ?? ''] ??
              `has an untrusted certificate (${t.authorizationError ?? 'unknown reason'})`,
          );
        if (!t.hostnameMatches)
          return bad(
            `serves a certificate for ${c.subjectAltNames.slice(0, 3).join(', ') || c.subject}, not for this name`,
          );
        if (t.protocol !== null && !MODERN_TLS.has(t.protocol))
          return bad(`only speaks ${t.protocol}; TLS 1.2 or newer is required`);
        if (c.daysLeft < CERT_FAIL_DAYS)
          return bad(
            `certificate expires in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'} (${c.validTo.slice(0, 10)})`,
          );
        if (c.daysLeft < CERT_WARN_DAYS)
          return {
            host: host.name,
            status: 'warn',
            note: `certificate expires in ${c.daysLeft} days (${c.validTo.slice(0, 10)})`,
            evidence,
          };
        return {
          host: host.name,
          status: 'pass',
          note: `valid for ${c.daysLeft} more days`,
          evidence,
        };
      },
    );
    return foldHosts(
      verdicts,
      (n) =>
        `All ${n} host${n === 1 ? '' : 's'} have a trusted, matching certificate valid for more than ${CERT_WARN_DAYS} days.`,
    );
  },
};

const PERMANENT = new Set([301, 308]);
const TEMPORARY = new Set([302, 303, 307]);

export const httpsRedirect: Check = {
  id: 'edge.http.https-redirect',
  stage: 2,
  title: 'Plain HTTP redirects to HTTPS',
  why: 'People and old links still type or use http://. Without a redirect they land on an unencrypted page (or an error), and logins or tokens can travel in clear text.',
  fix: [
    'Turn on "Always Use HTTPS" (Cloudflare) or "Force HTTPS" / "Redirect HTTP to HTTPS" in your hosting platform.',
    'On your own server, answer every http:// request with a 301 to the same path on https://.',
    'Use a permanent redirect (301 or 308), not a temporary one (302/307), so browsers and search engines remember it.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const verdicts = await perReachableHost(ctx, 80, async (host, target): Promise<HostVerdict> => {
      const url = `http://${host.name}/`;
      let r;
      try {
        r = await httpRequest(
          { url, address: target.address, port: target.port, method: 'GET' },
          ctx.net,
          { signal: ctx.signal, maxBodyBytes: 16 * 1024 },
        );
      } catch (err) {
        if (err instanceof ProbeError && (err.kind === 'refused' || err.kind === 'reset')) {
          return {
            host: host.name,
            status: 'warn',
            note: 'does not answer plain HTTP at all, so visitors typing http:// get an error instead of a redirect',
            evidence: { host: host.name, url, error: err.kind },
          };
        }
        throw err;
      }
      const location = headerValue(r.headers['location']);
      const evidence = {
        host: host.name,
        url,
        httpStatus: r.status,
        location,
        address: `${r.address}:${r.port}`,
      };
      const next = location === null ? null : parseUrl(location, url);
      const toHttps = next?.protocol === 'https:';
      // Sending plain-HTTP visitors off to another domain is not an upgrade to HTTPS.
      if (next && toHttps && !isWithin(next.hostname, ctx.workspace.domain))
        return {
          host: host.name,
          status: 'fail',
          note: `redirects plain HTTP (${r.status}) away to ${next.hostname}, outside ${ctx.workspace.domain}`,
          evidence,
        };
      if (PERMANENT.has(r.status) && toHttps)
        return {
          host: host.name,
          status: 'pass',
          note: `redirects permanently (${r.status}) to ${location}`,
          evidence,
        };
      if (TEMPORARY.has(r.status) && toHttps)
        return {
          host: host.name,
          status: 'warn',
          note: `redirects to HTTPS with a temporary ${r.status}; use 301 or 308`,
          evidence,
        };
      if (location !== null)
        return {
          host: host.name,
          status: 'fail',
          note: `redirects (${r.status}) to ${location}, which is not HTTPS`,
          evidence,
        };
      return {
        host: host.name,
        status: 'fail',
        note: `serves pages over unencrypted HTTP (status ${r.status}) instead of redirecting to HTTPS`,
        evidence,
      };
    });
    return foldHosts(
      verdicts,
      (n) => `All ${n} host${n === 1 ? '' : 's'} redirect plain HTTP to HTTPS permanently.`,
    );
  },
};

function headerValue(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

function parseUrl(location: string, base: string): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}

/** In the order a founder reads them: the map, the certificate, redirects, then the edge. */
export const edgeChecks: Check[] = [
  dnsMap,
  caaRecords,
  tlsCertificate,
  httpsRedirect,
  canonicalHost,
  cleanRedirects,
  hsts,
  cloudflareInFront,
  privateNotCached,
  staticAssetsCached,
  callbackOnCanonical,
  ...cloudflareZoneChecks,
];
