/**
 * What a command checks: a lab scenario (--demo, --scenario), a workspace file (--workspace),
 * or a DOMAIN with options. Shared by check, watch and export so they agree on every option.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalizeDomain } from '../../shared/domain';
import { EMAIL_PROVIDER_IDS } from '../../shared/email-providers';
import type { EmailProviderId } from '../../shared/email-providers';
import type { Host, Workspace } from '../../shared/workspace';
import { DKIM_SELECTOR } from '../../shared/workspace';
import type { Credentials } from '../core/engine/check';
import { vendorEndpointsFromEnv } from '../core/integrations/endpoints-env';
import type { RunningLab } from '../core/lab/lab';
import { startLab, workspaceFromScenario } from '../core/lab/lab';
import { SCENARIOS, getScenario } from '../core/lab/scenarios';
import type { NetworkContext } from '../core/probes/net-context';
import { internetContext, parseConnectTo, parseResolver } from '../core/probes/net-context';
import { openVault, vaultCredentials } from '../core/vault';
import { WorkspaceFileError, readWorkspaceFile } from '../core/workspace-file';
import { freshWorkspace } from '../core/workspace-details';
import { CLI_WORKSPACE_ID } from './secrets-command';
import { UsageError, usage } from './usage-error';

/** parseArgs options every target-taking command accepts. */
export const TARGET_OPTIONS = {
  demo: { type: 'boolean' },
  scenario: { type: 'string' },
  workspace: { type: 'string' },
  host: { type: 'string', multiple: true },
  resolver: { type: 'string', multiple: true },
  'connect-to': { type: 'string', multiple: true },
  ca: { type: 'string', multiple: true },
  'sending-domain': { type: 'string' },
  repo: { type: 'string' },
  'dkim-selector': { type: 'string', multiple: true },
  'email-provider': { type: 'string', multiple: true },
} as const;

export interface TargetValues {
  demo?: boolean;
  scenario?: string;
  workspace?: string;
  host?: string[];
  resolver?: string[];
  'connect-to'?: string[];
  ca?: string[];
  'sending-domain'?: string;
  repo?: string;
  'dkim-selector'?: string[];
  'email-provider'?: string[];
}

export interface Target {
  workspace: Workspace;
  net: NetworkContext;
  credentials: Credentials;
  lab: RunningLab | null;
  /** " · lab scenario "demo" on this machine" or "". */
  where: string;
  close(): Promise<void>;
}

export async function openTarget(values: TargetValues, positionals: string[]): Promise<Target> {
  const scenarioName = values.scenario ?? (values.demo ? 'demo' : undefined);
  const sources = [
    scenarioName !== undefined,
    values.workspace !== undefined,
    positionals.length > 0,
  ];
  if (sources.filter(Boolean).length > 1)
    throw new UsageError('Give one of: a DOMAIN, --workspace FILE, or --demo/--scenario.');
  if (scenarioName === undefined && values.workspace === undefined && positionals.length !== 1)
    throw new UsageError('Give one DOMAIN to check, --workspace FILE, or --demo.');

  if (scenarioName !== undefined) {
    if (!SCENARIOS[scenarioName])
      throw new UsageError(
        `There is no lab scenario "${scenarioName}". Known: ${Object.keys(SCENARIOS).join(', ')}.`,
      );
    const scenario = getScenario(scenarioName);
    const lab = await startLab(scenario);
    try {
      // --repo stands in for the scenario's own repository (try stage 3 on your code offline).
      const repoPath = values.repo === undefined ? await lab.repo() : resolve(values.repo);
      return {
        workspace: {
          ...workspaceFromScenario(scenario, scenario.name),
          ...(repoPath ? { repoPath } : {}),
        },
        net: lab.net,
        credentials: lab.credentials,
        lab,
        where: ` · lab scenario "${scenario.name}" on this machine`,
        close: () => lab.stop(),
      };
    } catch (err) {
      await lab.stop();
      throw err;
    }
  }

  const net = internetContext({
    vendors: usage(vendorEndpointsFromEnv)(process.env),
    resolvers: (values.resolver ?? []).map(usage(parseResolver)),
    connectTo: (values['connect-to'] ?? []).map(usage(parseConnectTo)),
    extraCa: (values.ca ?? []).map(readCa),
  });
  let workspace: Workspace;
  if (values.workspace !== undefined) {
    try {
      workspace = await readWorkspaceFile(values.workspace);
    } catch (err) {
      if (err instanceof WorkspaceFileError) throw new UsageError(err.message);
      throw err;
    }
    if (values.repo !== undefined) workspace = { ...workspace, repoPath: resolve(values.repo) };
  } else {
    const checked = normalizeDomain(positionals[0] ?? '');
    if (!checked.ok) throw new UsageError(checked.message);
    workspace = {
      ...cliWorkspace(checked.domain, values.host ?? []),
      ...emailOptions(values['sending-domain'], values['dkim-selector'], values['email-provider']),
      ...(values.repo === undefined ? {} : { repoPath: resolve(values.repo) }),
    };
  }
  return {
    workspace,
    net,
    // The tokens "launch-ready secrets set NAME" saved (or LAUNCH_READY_<NAME>_TOKEN).
    credentials: vaultCredentials(
      openVault(),
      workspace.id === 'cli' ? CLI_WORKSPACE_ID : workspace.id,
    ),
    lab: null,
    where: '',
    close: async () => {},
  };
}

/** A workspace for a one-off check: apex and www must exist; the usual others only where they do. */
function cliWorkspace(domain: string, hostArgs: string[]): Workspace {
  const ws = freshWorkspace(CLI_WORKSPACE_ID, domain, domain);
  if (hostArgs.length === 0) return ws;
  const hosts: Host[] = hostArgs.map((h) => {
    const c = normalizeDomain(h);
    if (!c.ok) throw new UsageError(`--host ${h}: ${c.message}`);
    return { name: c.domain, confirmed: true };
  });
  return { ...ws, hosts };
}

/** Stage 5's inputs: where email comes from, which selectors and services to look for. */
function emailOptions(
  sending: string | undefined,
  selectors: string[] = [],
  providers: string[] = [],
): Pick<Workspace, 'sendingDomain' | 'dkimSelectors' | 'emailProviders'> {
  const out: Pick<Workspace, 'sendingDomain' | 'dkimSelectors' | 'emailProviders'> = {
    dkimSelectors: [],
  };
  if (sending !== undefined) {
    const c = normalizeDomain(sending);
    if (!c.ok) throw new UsageError(`--sending-domain ${sending}: ${c.message}`);
    out.sendingDomain = c.domain;
  }
  for (const s of selectors) {
    if (!DKIM_SELECTOR.test(s))
      throw new UsageError(
        `--dkim-selector "${s}" is not a DKIM selector (letters, digits, - _ .).`,
      );
    out.dkimSelectors.push(s.toLowerCase());
  }
  const known = new Set<string>(EMAIL_PROVIDER_IDS);
  for (const p of providers) {
    if (!known.has(p))
      throw new UsageError(
        `--email-provider "${p}" is not one of: ${EMAIL_PROVIDER_IDS.join(', ')}.`,
      );
  }
  if (providers.length > 0) out.emailProviders = providers as EmailProviderId[];
  return out;
}

function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--ca ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new UsageError(`--ca ${file}: not a PEM certificate.`);
  return pem;
}
