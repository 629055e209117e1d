/** Stage 1 — quick audit: the DNS check here, the other probes in audit-*.ts. */
import type { Check } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { bundleKeys, sourceMaps } from './audit-bundles';
import { sensitiveFiles } from './audit-exposure';
import { securityHeaders } from './audit-headers';
import { aiPromptInjection } from './audit-redteam';
import { adminProtected, keyRoutesAnswer } from './audit-routes';
import type { HostVerdict } from './hosts';
import { foldHosts, perHost } from './hosts';

const STATUS_WORDS: Record<string, string> = {
  nxdomain: 'does not exist in DNS (NXDOMAIN)',
  'no-address': 'exists but has no IPv4 or IPv6 address',
  servfail: 'cannot be looked up: the DNS server failed (SERVFAIL)',
  refused: 'cannot be looked up: the DNS server refused to answer',
  'cname-loop': 'points to itself through a loop of CNAME records',
  'dangling-cname':
    'is a CNAME to a name that no longer exists (anyone who registers it could take over this host)',
};

export const hostsResolve: Check = {
  id: 'audit.dns.resolves',
  stage: 1,
  title: 'Every host resolves',
  why: 'If a name your customers or your app use does not resolve, they see a browser error instead of your product — often the first thing a buyer tries.',
  fix: [
    'Open the DNS settings at your domain registrar or DNS host (often Cloudflare).',
    'For each host listed as failing, add the A/AAAA record or CNAME your hosting provider gives you, or remove links that point to it.',
    'For a CNAME that points to a deleted service (a "dangling" record), delete the record now: someone else could claim that service name and serve content on your domain.',
    'Re-check after a few minutes; DNS changes can take up to the record TTL to appear.',
  ],
  impact: 'critical',
  kind: 'probe',
  async run(ctx) {
    const verdicts = await perHost(ctx.workspace.hosts, async (host): Promise<HostVerdict> => {
      try {
        const r = await ctx.cache.resolve(host.name, ctx.signal);
        const evidence = {
          host: host.name,
          resolution: r.status,
          addresses: r.addresses.map((a) => a.address),
          cnameChain: r.cnameChain,
          server: r.server,
        };
        if (r.status === 'ok')
          return { host: host.name, status: 'pass', note: 'resolves', evidence };
        if (r.status === 'dangling-cname')
          return {
            host: host.name,
            status: 'fail',
            note: STATUS_WORDS[r.status] ?? r.status,
            evidence,
          };
        if (!host.confirmed && r.status === 'nxdomain') {
          // A usual name we proposed and the founder never confirmed: absence is not a fault.
          return {
            host: host.name,
            status: 'skipped',
            note: 'is not in use (we proposed it; it does not exist)',
            evidence,
          };
        }
        return {
          host: host.name,
          status: 'fail',
          note: STATUS_WORDS[r.status] ?? r.status,
          evidence,
        };
      } catch (err) {
        if (err instanceof ProbeError) {
          return {
            host: host.name,
            status: 'error',
            note: `could not be looked up (${err.message})`,
            evidence: { host: host.name, error: err.kind, message: err.message },
          };
        }
        throw err;
      }
    });
    return foldHosts(verdicts, (n) => `All ${n} host${n === 1 ? '' : 's'} resolve.`);
  },
};

/**
 * In the order a founder reads them: reachability, then what is open, then what leaks, then
 * whether the AI tool can be talked into leaking.
 */
export const auditChecks: Check[] = [
  hostsResolve,
  keyRoutesAnswer,
  adminProtected,
  sensitiveFiles,
  bundleKeys,
  sourceMaps,
  securityHeaders,
  aiPromptInjection,
];
