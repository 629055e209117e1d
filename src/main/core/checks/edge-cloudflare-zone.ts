/**
 * Stage 2 — the founder's Cloudflare zone as its API shows it (read-only token): SSL mode,
 * HTTPS and TLS settings, protection, which records are proxied, and cache rules that would
 * serve one visitor's private page to the next.
 */
import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import type { CloudflarePart, CloudflareReport } from '../integrations/cloudflare';
import { inspectCloudflare } from '../integrations/cloudflare';
import { vendorOptions, withVendor } from './integration-support';
import { outcome } from './outcome';
import { firstFew, listWords } from './words';

/** Six months: what browsers' preload list asks, and what edge.http.hsts warns under. */
const HSTS_MIN_SECONDS = 15_552_000;
const MODERN_TLS = new Set(['1.2', '1.3']);

function zoneReport(ctx: CheckContext, token: string): Promise<CloudflareReport> {
  const zoneName = ctx.workspace.domain;
  return ctx.cache.memo(
    `cloudflare:${zoneName}`,
    (signal) =>
      inspectCloudflare({
        ...vendorOptions(ctx, 'cloudflare'),
        signal,
        token,
        zoneName,
        now: ctx.now,
      }),
    ctx.signal,
  );
}

/** Runs `body` on the zone's report, skipping when Cloudflare is not connected. */
function withZone(
  ctx: CheckContext,
  body: (r: CloudflareReport) => CheckOutcome,
): Promise<CheckOutcome> {
  return withVendor(ctx, 'cloudflare', async (token) => body(await zoneReport(ctx, token)));
}

/** A part the token could not read: an error naming what it lacks. */
function unreadable(
  what: string,
  part: Extract<CloudflarePart<unknown>, { ok: false }>,
): CheckOutcome {
  return outcome('error', `Could not decide: ${what} could not be read. ${part.message}`, {
    integration: 'cloudflare',
    failure: part.failure,
    permission: part.permission ?? null,
  });
}

const zoneEvidence = (r: CloudflareReport) => ({
  zone: r.zone.name,
  zoneStatus: r.zone.status,
  plan: r.zone.plan,
});

const SSL_WORDS: Record<string, string> = {
  off: 'Off: Cloudflare serves your site over plain HTTP',
  flexible:
    'Flexible: visitors see a padlock, but Cloudflare talks to your server over plain HTTP, so passwords and data cross the internet unencrypted (and redirects to HTTPS loop)',
  full: 'Full: Cloudflare encrypts to your server but accepts any certificate there, even a forged one',
  strict: 'Full (strict)',
};

export const cloudflareSslMode: Check = {
  id: 'edge.cloudflare.ssl-mode',
  stage: 2,
  title: 'Cloudflare encrypts all the way to your server (SSL mode Full (strict))',
  why: 'The padlock a visitor sees only covers the trip to Cloudflare. In Flexible mode the second half, Cloudflare to your server, is plain HTTP: anyone on that path reads passwords and customer data, and a server that redirects to HTTPS sends visitors into a loop.',
  fix: [
    'Make sure your server has a valid certificate: your host’s managed certificate, Let’s Encrypt, or a free Cloudflare Origin Certificate (SSL/TLS → Origin Server).',
    'In Cloudflare, open SSL/TLS → Overview and choose "Full (strict)".',
    'Open your site in a private window and check every page still loads; then re-check here.',
  ],
  impact: 'critical',
  kind: 'integration',
  run: (ctx) =>
    withZone(ctx, (r) => {
      const ssl = r.settings.ssl;
      if (!ssl.ok) return unreadable('the SSL/TLS mode', ssl);
      const ev = { ...zoneEvidence(r), sslMode: ssl.value };
      const words = SSL_WORDS[ssl.value] ?? ssl.value;
      if (ssl.value === 'strict')
        return outcome('pass', `${r.zone.name} is in SSL/TLS mode Full (strict).`, ev);
      if (ssl.value === 'full')
        return outcome(
          'warn',
          `${r.zone.name}’s SSL/TLS mode is ${words}. Switch to Full (strict).`,
          ev,
        );
      return outcome(
        'fail',
        `${r.zone.name}’s SSL/TLS mode is ${words}. Switch to Full (strict).`,
        ev,
      );
    }),
};

export const cloudflareHttps: Check = {
  id: 'edge.cloudflare.https',
  stage: 2,
  title: 'Cloudflare forces HTTPS, TLS 1.2 or newer, and HSTS',
  why: 'These three settings make every visit encrypted: Always Use HTTPS redirects plain links, a minimum of TLS 1.2 refuses protocols with known attacks (and is required by PCI for payments), and HSTS tells browsers never to try plain HTTP again.',
  fix: [
    'SSL/TLS → Edge Certificates: turn on "Always Use HTTPS".',
    'Same page: set "Minimum TLS Version" to TLS 1.2.',
    'Same page: enable HSTS with a max-age of 6 months or more (start with include subdomains off if some subdomain is not on HTTPS yet).',
  ],
  impact: 'high',
  kind: 'integration',
  run: (ctx) =>
    withZone(ctx, (r) => {
      const { alwaysUseHttps, minTlsVersion, hsts } = r.settings;
      for (const [what, part] of [
        ['Always Use HTTPS', alwaysUseHttps],
        ['the minimum TLS version', minTlsVersion],
        ['the HSTS setting', hsts],
      ] as const) {
        if (!part.ok) return unreadable(what, part);
      }
      if (!alwaysUseHttps.ok || !minTlsVersion.ok || !hsts.ok) throw new Error('unreachable');
      const ev = {
        ...zoneEvidence(r),
        alwaysUseHttps: alwaysUseHttps.value,
        minTlsVersion: minTlsVersion.value,
        hsts: hsts.value,
      };
      const off: string[] = [];
      if (!alwaysUseHttps.value) off.push('Always Use HTTPS is off');
      if (!MODERN_TLS.has(minTlsVersion.value))
        off.push(`TLS ${minTlsVersion.value} is still accepted`);
      if (!hsts.value.enabled) off.push('HSTS is off');
      if (off.length > 0) return outcome('fail', `On ${r.zone.name}: ${listWords(off)}.`, ev);
      if (hsts.value.maxAge < HSTS_MIN_SECONDS) {
        return outcome(
          'warn',
          `HSTS is on with a max-age of ${Math.round(hsts.value.maxAge / 86_400)} days; raise it to 6 months or more.`,
          ev,
        );
      }
      return outcome(
        'pass',
        `${r.zone.name} redirects to HTTPS, accepts TLS ${minTlsVersion.value} and newer, and sends HSTS for ${Math.round(hsts.value.maxAge / 86_400)} days.`,
        ev,
      );
    }),
};

export const cloudflareProtection: Check = {
  id: 'edge.cloudflare.protection',
  stage: 2,
  title: 'Cloudflare’s security level and bot protection are on',
  why: 'Launch week brings scrapers, credential-stuffing bots and the odd attack. Cloudflare’s security level challenges known-bad visitors and Bot Fight Mode slows automated traffic — both free, both off means your login and AI endpoints take every request.',
  fix: [
    'Security → Settings: set the security level to Medium (or High during an attack).',
    'Security → Bots: turn on Bot Fight Mode.',
    'If a partner’s integration gets challenged, add a WAF skip rule for its address rather than turning protection off.',
  ],
  impact: 'medium',
  kind: 'integration',
  run: (ctx) =>
    withZone(ctx, (r) => {
      const level = r.settings.securityLevel;
      const bots = r.botFightMode;
      if (!level.ok) return unreadable('the security level', level);
      if (!bots.ok) return unreadable('Bot Fight Mode', bots);
      const ev = { ...zoneEvidence(r), securityLevel: level.value, botFightMode: bots.value };
      const off: string[] = [];
      if (level.value === 'off' || level.value === 'essentially_off')
        off.push(`the security level is "${level.value.replace('_', ' ')}"`);
      if (!bots.value) off.push('Bot Fight Mode is off');
      if (off.length === 2) return outcome('fail', `On ${r.zone.name}: ${listWords(off)}.`, ev);
      if (off.length === 1) return outcome('warn', `On ${r.zone.name}: ${off[0]}.`, ev);
      return outcome(
        'pass',
        `${r.zone.name} has security level "${level.value.replace('_', ' ')}" and Bot Fight Mode on.`,
        ev,
      );
    }),
};

const WEB_TYPES = new Set(['A', 'AAAA', 'CNAME']);

export const cloudflareDnsProxied: Check = {
  id: 'edge.cloudflare.dns-proxied',
  stage: 2,
  title: 'Your web hosts are proxied through Cloudflare (orange cloud)',
  why: 'A record that is "DNS only" (grey cloud) sends visitors straight to your server: no DDoS protection, no caching, no firewall — and it publishes your server’s real address, so attackers can go around Cloudflare for every other host too.',
  fix: [
    'In Cloudflare → DNS → Records, click the grey cloud next to each host listed and turn it orange ("Proxied").',
    'Leave mail records (MX, and the mail server’s own A record) and verification TXT records as they are: they must stay DNS only.',
    'If the server’s address was public before, consider changing it (or firewall it to Cloudflare’s ranges) so nobody bypasses the proxy.',
  ],
  impact: 'high',
  kind: 'integration',
  run: (ctx) =>
    withZone(ctx, (r) => {
      if (!r.dnsRecords.ok) return unreadable('the DNS records', r.dnsRecords);
      const hosts = new Set(ctx.workspace.hosts.map((h) => h.name.toLowerCase()));
      const web = r.dnsRecords.value.filter(
        (d) => WEB_TYPES.has(d.type) && hosts.has(d.name.toLowerCase()),
      );
      const grey = web.filter((d) => d.proxiable && !d.proxied);
      const ev = {
        ...zoneEvidence(r),
        records: web.map((d) => ({
          type: d.type,
          name: d.name,
          proxied: d.proxied,
          proxiable: d.proxiable,
        })),
        truncated: r.dnsRecordsTruncated,
      };
      const more = r.dnsRecordsTruncated ? ' (the zone has more records than were read)' : '';
      if (web.length === 0) {
        return outcome(
          'warn',
          `None of the product’s hosts has an A, AAAA or CNAME record in the Cloudflare zone ${r.zone.name}${more}: are they served from another DNS provider?`,
          ev,
        );
      }
      if (grey.length > 0) {
        const names = [...new Set(grey.map((d) => d.name))];
        return outcome(
          'fail',
          `${firstFew(names)} ${names.length === 1 ? 'is' : 'are'} DNS only (grey cloud): visitors reach your server directly, without Cloudflare’s protection, and its address is public${more}.`,
          ev,
        );
      }
      const names = new Set(web.map((d) => d.name));
      return outcome(
        'pass',
        `All ${names.size} of the product’s hosts in ${r.zone.name} are proxied${more}.`,
        ev,
      );
    }),
};

function shortExpression(expression: string): string {
  const flat = expression.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat;
}

export const cloudflareCacheRules: Check = {
  id: 'edge.cloudflare.cache-rules',
  stage: 2,
  title: 'No Cloudflare cache rule caches private pages or the API',
  why: 'A "cache everything" rule that matches /api, /admin, /dashboard or /login makes Cloudflare keep one visitor’s signed-in answer and hand it to the next: one customer sees another’s data, or anyone sees your admin list. It is one of the most common launch-week leaks.',
  fix: [
    'In Cloudflare → Caching → Cache Rules, edit each rule listed so it only matches static files (for example URI path starts with /assets/ or ends with .js, .css, .png).',
    'Add a rule above it: URI path starts with /api, /admin, /dashboard, /login or /account → Bypass cache.',
    'Purge the cache (Caching → Configuration → Purge Everything) so copies already stored disappear, then re-check here.',
  ],
  impact: 'critical',
  kind: 'integration',
  run: (ctx) =>
    withZone(ctx, (r) => {
      if (!r.cacheRules.ok) return unreadable('the cache rules', r.cacheRules);
      const a = r.analytics;
      const hit = a.ok ? a.value.cacheHitRatio : null;
      const ev = {
        ...zoneEvidence(r),
        rules: r.cacheRules.value,
        analytics: a.ok ? a.value : { readable: false, permission: a.permission ?? null },
      };
      const leaking = r.cacheRules.value.filter((c) => c.matchesPrivatePaths.length > 0);
      if (leaking.length > 0) {
        const paths = [...new Set(leaking.flatMap((c) => c.matchesPrivatePaths))];
        return outcome(
          'fail',
          `The cache rule "${shortExpression(leaking[0]?.expression ?? '')}" caches everything under ${listWords(paths)}${leaking.length > 1 ? ` (and ${leaking.length - 1} more rule${leaking.length > 2 ? 's' : ''})` : ''}: signed-in answers can be served to other visitors.`,
          ev,
        );
      }
      const ratio =
        hit === null
          ? a.ok
            ? ' (no traffic in the last 7 days)'
            : ' (cache analytics not readable with this token)'
          : ` Cache hit ratio over 7 days: ${Math.round(hit * 100)} %.`;
      return outcome(
        'pass',
        `None of ${r.cacheRules.value.length} cache rule${r.cacheRules.value.length === 1 ? '' : 's'} caches private pages or the API.${ratio}`,
        ev,
      );
    }),
};

export const cloudflareZoneChecks: Check[] = [
  cloudflareSslMode,
  cloudflareHttps,
  cloudflareProtection,
  cloudflareDnsProxied,
  cloudflareCacheRules,
];
