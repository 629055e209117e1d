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
import type { FakeAdvisoryServer } from './fake-advisories';
import { startFakeAdvisoryServer } from './fake-advisories';
import type { Credentials } from '../engine/check';
import type { LabRepoHandle } from './lab-repo';
import { createLabRepo } from './lab-repo';
import type { RunningVendors } from './lab-vendors';
import { startLabVendors } from './lab-vendors';
import type { LabScenario } from './scenario';
import type { LabWeb } from './web-servers';
import { startLabWeb } from './web-servers';

export interface RunningLab {
  scenario: LabScenario;
  net: NetworkContext;
  caPem: string;
  dns: LabDnsServer;
  web: LabWeb;
  /** The npm registry and OSV stand-in, when the scenario has a repository to audit. */
  advisories: FakeAdvisoryServer | null;
  /** The fake vendor APIs the product is connected to, and their endpoints in `net.vendors`. */
  vendors: RunningVendors;
  /** The tokens the scenario's founder saved: what a run uses instead of the keychain. */
  credentials: Credentials;
  /** The scenario's repository, generated on first call (null when it has none). */
  repo(): Promise<string | null>;
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
  let advisories: FakeAdvisoryServer | null = null;
  let vendors: RunningVendors;
  try {
    if (scenario.repo) advisories = await startFakeAdvisoryServer(scenario.repo.advisories ?? {});
    vendors = await startLabVendors(scenario.vendors);
  } catch (err) {
    await Promise.allSettled([dns.close(), web.close(), advisories?.close()]);
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
    ...(advisories ? { advisories: { npmRegistry: advisories.url, osvApi: advisories.url } } : {}),
    vendors: vendors.endpoints,
  };
  let repo: Promise<LabRepoHandle | null> | undefined;
  return {
    scenario,
    net,
    caPem: ca.certPem,
    dns,
    web,
    advisories,
    vendors,
    credentials: vendors.credentials,
    repo() {
      repo ??= scenario.repo ? createLabRepo(scenario.repo, scenario.name) : Promise.resolve(null);
      // A failed build may be retried on the next call.
      repo.catch(() => (repo = undefined));
      return repo.then((r) => r?.path ?? null);
    },
    async stop() {
      const built = repo?.catch(() => null);
      await Promise.allSettled([
        dns.close(),
        web.close(),
        advisories?.close(),
        vendors.close(),
        built?.then((r) => r?.remove()),
      ]);
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
    ...(scenario.product.aiEndpoint ? { aiEndpoint: { ...scenario.product.aiEndpoint } } : {}),
    lab: scenario.name,
    createdAt: at,
    updatedAt: at,
  };
}

/** The scenario's workspace for this running lab, its repository generated and bound. */
export async function labWorkspace(
  lab: RunningLab,
  id: string,
  now = new Date(),
): Promise<Workspace> {
  const repoPath = await lab.repo();
  return { ...workspaceFromScenario(lab.scenario, id, now), ...(repoPath ? { repoPath } : {}) };
}
