/** Stage 2 — Cloudflare in front: seen from the nameservers, the addresses and the responses. */
import type { Check } from '../engine/check';
import { isCloudflareAddress, isCloudflareNameserver } from '../probes/cloudflare-ranges';
import type { Finding } from './edge-support';
import {
  errorMessage,
  fetchShared,
  foldFindings,
  header,
  isOwnHost,
  perFinding,
  plural,
  queryShared,
  reportedElsewhere,
} from './edge-support';

const MISSING =
  'Without it they go without DDoS protection, edge caching and a web application firewall (WAF): not a launch blocker, but cheap insurance for launch week.';

/** "a", "a and b", "a, b and c". */
function listed(names: readonly string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export const cloudflareInFront: Check = {
  id: 'edge.cdn.cloudflare',
  stage: 2,
  title: 'Cloudflare is in front of your hosts',
  why: 'Cloudflare sits between the internet and your server: it absorbs attacks (DDoS), serves cached files from near your visitors and can block common attacks with a firewall (WAF). Without it, one burst of traffic or a cheap attack can take your product down in the middle of a launch. Its free plan covers a startup.',
  fix: [
    'Create a Cloudflare account and add your domain: it imports your DNS records and gives you two nameservers.',
    'At your registrar, replace the nameservers with Cloudflare’s; your records keep working.',
    'In Cloudflare’s DNS page, switch the proxy on (orange cloud) for your web hosts: the domain, www, app and api.',
    'Under SSL/TLS choose "Full (strict)" and turn on "Always Use HTTPS"; then re-check here.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const domain = ctx.workspace.domain;
    // Asked alongside the hosts: the nameservers only change the wording of a warning.
    const nsAnswer = queryShared(ctx, domain, 'NS').then(
      (res) => ({ names: res.answers.filter((r) => r.type === 'NS').map((r) => r.data) }),
      (err: unknown) => ({ names: [] as string[], error: errorMessage(err) }),
    );
    const onCloudflareDns = nsAnswer.then((ns) => ns.names.some(isCloudflareNameserver));
    const findings = await perFinding(
      ctx.workspace.hosts,
      (h) => h.name,
      async (h): Promise<Finding> => {
        const host = h.name.toLowerCase();
        const r = await ctx.cache.resolve(host, ctx.signal);
        if (r.status !== 'ok')
          return { label: host, status: 'skipped', note: 'does not resolve', evidence: { host } };
        const addresses = r.addresses.map((a) => a.address);
        const inRanges = addresses.filter(isCloudflareAddress);
        let cfRay: string | null = null;
        let server: string | null = null;
        let fetchError: string | null = null;
        try {
          const res = await fetchShared(ctx, `https://${host}/`);
          cfRay = header(res.headers, 'cf-ray');
          server = header(res.headers, 'server');
        } catch (err) {
          // The addresses alone can decide; a page we cannot load only matters when they cannot.
          if (inRanges.length === 0 && !reportedElsewhere(err)) throw err;
          fetchError = errorMessage(err);
        }
        const byHeaders = cfRay !== null || /^cloudflare$/i.test(server?.trim() ?? '');
        const evidence = {
          host,
          addresses,
          cloudflareAddresses: inRanges,
          cnameChain: r.cnameChain,
          cfRay,
          server,
          ...(fetchError ? { fetchError } : {}),
        };
        if (inRanges.length > 0 || byHeaders) {
          const signs = [
            inRanges.length > 0 && `${inRanges[0]} is a Cloudflare address`,
            cfRay !== null && 'cf-ray header',
            /^cloudflare$/i.test(server?.trim() ?? '') && 'server: cloudflare',
          ].filter(Boolean);
          return {
            label: host,
            status: 'pass',
            note: `is behind Cloudflare (${signs.join(', ')})`,
            evidence,
          };
        }
        const target = r.cnameChain[r.cnameChain.length - 1];
        if (target && !isOwnHost(ctx.workspace, target))
          return {
            label: host,
            status: 'skipped',
            note: `is run by a vendor (CNAME to ${target}), so it is not expected behind your Cloudflare`,
            evidence,
          };
        return {
          label: host,
          status: 'warn',
          note: (await onCloudflareDns)
            ? 'uses Cloudflare DNS, but its traffic goes straight to your server (proxy off: the grey cloud)'
            : 'is not behind Cloudflare',
          evidence,
        };
      },
    );
    const ns = await nsAnswer;
    const dnsOnCloudflare = await onCloudflareDns;
    const outcome = foldFindings(findings, {
      evidenceKey: 'hosts',
      extra: {
        nameservers: ns.names,
        dnsOnCloudflare,
        ...('error' in ns ? { nameserverError: ns.error } : {}),
        ranges: 'https://www.cloudflare.com/ips/',
      },
      pass: (n) =>
        `${n === 1 ? 'Your host is' : `All ${plural(n, 'host')} you run are`} behind Cloudflare${dnsOnCloudflare ? ', with DNS on Cloudflare too' : ''}.`,
      none: 'None of your own hosts could be checked (they do not resolve, or vendors run them).',
    });
    if (outcome.status === 'warn') {
      // The same finding for several hosts reads better as one sentence than as a list.
      const hosts = findings.filter((f) => f.status === 'warn').map((f) => f.label);
      const one = hosts.length === 1;
      const why = dnsOnCloudflare
        ? `: your DNS is on Cloudflare, but the proxy is off for ${one ? 'it' : 'them'} (the grey cloud), so visitors reach your server directly`
        : '';
      outcome.summary = `${listed(hosts)} ${one ? 'is' : 'are'} not behind Cloudflare${why}. ${MISSING}`;
    }
    return outcome;
  },
};
