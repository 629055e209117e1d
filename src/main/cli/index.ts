/**
 * `launch-ready`: the headless entry. `check` runs the automated checks and prints a table or
 * JSON; `ui` serves the app to a local browser over the loopback transport.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeDomain } from '../../shared/domain';
import { EMAIL_PROVIDER_IDS } from '../../shared/email-providers';
import type { EmailProviderId } from '../../shared/email-providers';
import type { Host, Workspace } from '../../shared/workspace';
import { DKIM_SELECTOR, proposeHosts, proposeRoutes } from '../../shared/workspace';
import { DEMO_WORKSPACE_ID, createCoreApi } from '../core/api';
import { CATALOGUE, catalogueMeta } from '../core/checks/catalogue';
import { planRun } from '../core/engine/plan';
import { DEFAULT_CHECK_TIMEOUT_MS, executeRun } from '../core/engine/run';
import type { RunningLab } from '../core/lab/lab';
import { startLab, workspaceFromScenario } from '../core/lab/lab';
import { SCENARIOS, getScenario } from '../core/lab/scenarios';
import type { NetworkContext } from '../core/probes/net-context';
import { internetContext, parseConnectTo, parseResolver } from '../core/probes/net-context';
import { startWebServer } from '../web/server';
import { renderRunTable, renderScan } from './table';
import { CLI_WORKSPACE_ID, SECRETS_HELP, secretsCommand } from './secrets-command';
import type { Credentials } from '../core/engine/check';
import { openVault, vaultCredentials } from '../core/vault';
import { vendorEndpointsFromEnv } from '../core/integrations/endpoints-env';
import { scanRepo } from '../core/repo/secrets';
import type { RepoScan } from '../core/repo/types';

const VERSION = '0.1.0';

const HELP = `Launch Ready ${VERSION} — is your product safe to demo, sell and hand off?

Usage:
  launch-ready check --demo [--json]              check the built-in demo product (a lab on this machine)
  launch-ready check --scenario NAME [--json]     another lab scenario: ${Object.keys(SCENARIOS).join(', ')}
  launch-ready check DOMAIN [options] [--json]    check your real product
  launch-ready scan-repo PATH [--json]            look for secrets in a repository folder and its git history
  launch-ready ui [--demo] [--port N]             open the app in your browser (http://127.0.0.1 only)
${SECRETS_HELP}

Options for check:
  --json                      print one JSON document instead of a table
  --host NAME                 a host of yours to check (repeatable); default: DOMAIN, www, and the
                              usual app/api/status/docs names where they exist
  --resolver IP[:PORT]        ask this DNS server (repeatable), e.g. your authoritative one
  --connect-to H:P:ADDR:PORT  as curl: connect to ADDR:PORT for H:P (check a server before switching DNS)
  --ca FILE                   trust an extra certificate authority (PEM), e.g. for staging
  --repo PATH                 your code's folder: secrets in it and its git history, env files,
                              deploy path, dependencies (stage 3)
  --sending-domain NAME       the domain your emails come from (default: DOMAIN)
  --dkim-selector NAME        a DKIM selector of yours (repeatable); common ones are tried anyway
  --email-provider ID         a service that sends your email (repeatable): ${EMAIL_PROVIDER_IDS.join(', ')}
  --timeout SECONDS           per-check time limit (default ${DEFAULT_CHECK_TIMEOUT_MS / 1000})
  --strict                    exit 1 when the product is not demo-ready

Exit codes: 0 done (1 with --strict when not demo-ready), 2 bad input.
For secrets: 0 done, 1 the keychain cannot be used (locked, not running), 2 bad input.`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest);
      case 'ui':
        return await ui(rest);
      case 'scan-repo':
        return await scanRepoCommand(rest);
      case 'secrets':
        return await secretsCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(
        `launch-ready: ${(err as Error).message}\nRun "launch-ready help" for usage.\n`,
      );
      return 2;
    }
    throw err;
  }
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      scenario: { type: 'string' },
      json: { type: 'boolean' },
      host: { type: 'string', multiple: true },
      resolver: { type: 'string', multiple: true },
      'connect-to': { type: 'string', multiple: true },
      ca: { type: 'string', multiple: true },
      'sending-domain': { type: 'string' },
      repo: { type: 'string' },
      'dkim-selector': { type: 'string', multiple: true },
      'email-provider': { type: 'string', multiple: true },
      timeout: { type: 'string' },
      strict: { type: 'boolean' },
    },
  });
  const scenarioName = values.scenario ?? (values.demo ? 'demo' : undefined);
  if (scenarioName !== undefined && positionals.length > 0)
    throw new UsageError('Give either a DOMAIN or --demo/--scenario, not both.');
  if (scenarioName === undefined && positionals.length !== 1)
    throw new UsageError('Give one DOMAIN to check, or --demo.');
  const timeoutMs =
    values.timeout === undefined ? DEFAULT_CHECK_TIMEOUT_MS : Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1000 || timeoutMs > 600_000)
    throw new UsageError('--timeout wants seconds between 1 and 600.');

  let lab: RunningLab | null = null;
  let workspace: Workspace;
  let net: NetworkContext;
  let credentials: Credentials;
  if (scenarioName !== undefined) {
    if (!SCENARIOS[scenarioName])
      throw new UsageError(
        `There is no lab scenario "${scenarioName}". Known: ${Object.keys(SCENARIOS).join(', ')}.`,
      );
    const scenario = getScenario(scenarioName);
    lab = await startLab(scenario);
    net = lab.net;
    credentials = lab.credentials;
    // --repo stands in for the scenario's own repository (try stage 3 on your code offline).
    const repoPath = values.repo === undefined ? await lab.repo() : resolve(values.repo);
    workspace = {
      ...workspaceFromScenario(scenario, scenario.name),
      ...(repoPath ? { repoPath } : {}),
    };
  } else {
    const checked = normalizeDomain(positionals[0] ?? '');
    if (!checked.ok) throw new UsageError(checked.message);
    net = internetContext({
      vendors: usage(vendorEndpointsFromEnv)(process.env),
      resolvers: (values.resolver ?? []).map(usage(parseResolver)),
      connectTo: (values['connect-to'] ?? []).map(usage(parseConnectTo)),
      extraCa: (values.ca ?? []).map(readCa),
    });
    workspace = {
      ...cliWorkspace(checked.domain, values.host ?? []),
      ...emailOptions(values['sending-domain'], values['dkim-selector'], values['email-provider']),
      ...(values.repo === undefined ? {} : { repoPath: resolve(values.repo) }),
    };
    // The tokens "launch-ready secrets set NAME" saved (or LAUNCH_READY_<NAME>_TOKEN).
    credentials = vaultCredentials(openVault(), CLI_WORKSPACE_ID);
  }

  try {
    const record = await executeRun(planRun(CATALOGUE, workspace), workspace, net, {
      checkTimeoutMs: timeoutMs,
      credentials,
    });
    if (values.json) {
      const doc = {
        verdict: record.verdict,
        results: record.results.map(
          ({ id, stage, status, summary, impact, durationMs, evidence }) => ({
            id,
            stage,
            status,
            summary,
            impact,
            durationMs,
            evidence,
          }),
        ),
        startedAt: record.startedAt,
        finishedAt: record.finishedAt,
      };
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
      const meta = new Map(catalogueMeta().map((m) => [m.id, m]));
      const where = lab ? ` · lab scenario "${lab.scenario.name}" on this machine` : '';
      process.stdout.write(`Launch Ready — ${workspace.name} (${workspace.domain})${where}\n\n`);
      process.stdout.write(`${renderRunTable(record, meta, process.stdout.columns || 110)}\n`);
    }
    return values.strict && !record.verdict.demoReady ? 1 : 0;
  } finally {
    await lab?.stop();
  }
}

/** A workspace for a one-off check: apex and www must exist; the usual others only where they do. */
function cliWorkspace(domain: string, hostArgs: string[]): Workspace {
  let hosts: Host[] = proposeHosts(domain);
  if (hostArgs.length > 0) {
    hosts = hostArgs.map((h) => {
      const c = normalizeDomain(h);
      if (!c.ok) throw new UsageError(`--host ${h}: ${c.message}`);
      return { name: c.domain, confirmed: true };
    });
  }
  const now = new Date().toISOString();
  return {
    id: 'cli',
    name: domain,
    domain,
    hosts,
    routes: proposeRoutes(domain),
    dkimSelectors: [],
    integrations: {},
    answers: {},
    createdAt: now,
    updatedAt: now,
  };
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

function usage<A, R>(fn: (a: A) => R): (a: A) => R {
  return (a) => {
    try {
      return fn(a);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
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

export function dataDir(): string {
  if (process.env.LAUNCH_READY_DATA_DIR) return resolve(process.env.LAUNCH_READY_DATA_DIR);
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'launch-ready');
}

/** Secrets in one folder's working tree and git history: the same scanner stage 3 uses. */
async function scanRepoCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('Give one PATH: the repository folder.');
  const root = resolve(positionals[0] ?? '');
  let scan: RepoScan;
  try {
    scan = await scanRepo(root);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.json) {
    const doc = {
      root: scan.root,
      isGitRepo: scan.isGitRepo,
      findings: scan.findings.map((f) => ({
        rule: f.rule,
        provider: f.provider,
        file: f.file,
        line: f.line,
        commit: f.commit,
        authorDate: f.authorDate,
        inHead: f.inHead,
        preview: f.preview,
      })),
      stats: scan.stats,
      notes: scan.notes,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(renderScan(scan));
  return 0;
}

async function ui(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { demo: { type: 'boolean' }, port: { type: 'string' } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port wants a number from 0 to 65535 (0: any free port).');
  const api = createCoreApi({ dataDir: dataDir(), transport: 'web', version: VERSION });
  if (values.demo) {
    const opened = await api.invoke('openDemo', {});
    if (!opened.ok)
      process.stderr.write(`launch-ready: could not prepare the demo: ${opened.error.message}\n`);
    else if ((opened.value as Workspace).id !== DEMO_WORKSPACE_ID)
      throw new Error('demo workspace id mismatch');
  }
  const rendererDir = resolve(import.meta.dirname, '../renderer');
  const server = await startWebServer({ api, rendererDir, port });
  process.stdout.write(`Launch Ready UI: ${server.url}\n`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await api.dispose();
  return 0;
}

// Only when run as the entry (bin/launch-ready.js imports and calls main itself).
export function runFromCommandLine(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `launch-ready: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
