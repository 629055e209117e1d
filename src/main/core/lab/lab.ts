/**
 * The lab: a small internet on loopback. Starts the scenario's DNS and web servers and hands
 * back the network context that routes probes to them.
 */
import type { Workspace } from '../../../shared/workspace';
import type { NetworkContext, Timeouts } from '../probes/net-context';
import { DEFAULT_TIMEOUTS, isLoopback } from '../probes/net-context';
import { createLabCa } from './ca';
import type { LabDnsServer } from './dns-server';
import { startLabDns } from './dns-server';
import type { LabScenario } from './scenario';
import type { LabWeb } from './web-servers';
import { startLabWeb } from './web-servers';

export interface RunningLab {
  scenario: LabScenario;
  net: NetworkContext;
  caPem: string;
  dns: LabDnsServer;
  web: LabWeb;
  stop(): Promise<void>;
}

export async function startLab(
  scenario: LabScenario,
  opts: { timeouts?: Partial<Timeouts> } = {},
): Promise<RunningLab> {
  const ca = await createLabCa(`Launch Ready lab CA (${scenario.name})`);
  const dns = await startLabDns(scenario.dns);
  let web: LabWeb;
  try {
    web = await startLabWeb(scenario.web, ca);
  } catch (err) {
    await dns.close();
    throw err;
  }
  const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const blackhole = scenario.web.mode === 'blackhole';
  const net: NetworkContext = {
    resolvers: [{ address: dns.address, port: dns.port }],
    // In the blackhole every connection must reach a server that hangs, even with DNS silent.
    connectTo: blackhole
      ? [
          { host: null, port: 443, toAddress: web.address, toPort: web.httpsPort },
          { host: null, port: 80, toAddress: web.address, toPort: web.httpPort },
        ]
      : [],
    portMap: { 80: web.httpPort, 443: web.httpsPort },
    // Published addresses that are not loopback (a CDN range in a scenario) land on the lab too.
    addressMap: Object.fromEntries(
      scenario.dns.records
        .filter((r) => (r.type === 'A' || r.type === 'AAAA') && !isLoopback(r.data))
        .map((r) => [r.data, web.address]),
    ),
    loopbackOnly: true,
    extraCa: [ca.certPem],
    timeouts,
  };
  return {
    scenario,
    net,
    caPem: ca.certPem,
    dns,
    web,
    async stop() {
      await Promise.allSettled([dns.close(), web.close()]);
    },
  };
}

/** The workspace a scenario stands for, bound to the lab so runs probe it instead of the internet. */
export function workspaceFromScenario(
  scenario: LabScenario,
  id: string,
  now = new Date(),
): Workspace {
  const at = now.toISOString();
  return {
    id,
    name: scenario.product.name,
    domain: scenario.domain,
    hosts: scenario.product.hosts.map((h) => ({ ...h })),
    routes: scenario.product.routes.map((r) => ({ ...r })),
    dkimSelectors: [...(scenario.product.email?.dkimSelectors ?? [])],
    ...(scenario.product.email?.sendingDomain
      ? { sendingDomain: scenario.product.email.sendingDomain }
      : {}),
    ...(scenario.product.email?.emailProviders
      ? { emailProviders: [...scenario.product.email.emailProviders] }
      : {}),
    integrations: {},
    answers: {},
    ...(scenario.product.optIns ? { optIns: { ...scenario.product.optIns } } : {}),
    lab: scenario.name,
    createdAt: at,
    updatedAt: at,
  };
}
