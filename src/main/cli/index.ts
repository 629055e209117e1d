/**
 * `launch-ready`: the headless entry. `check` runs the automated checks and prints a table, JSON
 * or a CI report; `watch` repeats them on a schedule; `ui` serves the app to a local browser over
 * the loopback transport.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Workspace } from '../../shared/workspace';
import { DEMO_WORKSPACE_ID, createCoreApi } from '../core/api';
import { catalogueMeta } from '../core/checks/catalogue';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../core/engine/run';
import { SCENARIOS } from '../core/lab/scenarios';
import { WorkspaceFileError, readWorkspaceFile } from '../core/workspace-file';
import { startWebServer } from '../web/server';
import { checkCommand, FORMATS } from './check-command';
import { initCommand } from './init-command';
import { renderScan } from './table';
import { SECRETS_HELP, secretsCommand } from './secrets-command';
import { HANDOVER_HELP, exportCommand, verifyCommand } from './handover-command';
import { IDENTITY_HELP, identityCommand } from './identity-command';
import { UsageError } from './usage-error';
import { WATCH_HELP, watchCommand } from './watch-command';
import { EMAIL_PROVIDER_IDS } from '../../shared/email-providers';
import { scanRepo } from '../core/repo/secrets';
import type { RepoScan } from '../core/repo/types';

const VERSION = '0.1.0';

const HELP = `Launch Ready ${VERSION} — is your product safe to demo, sell and hand off?

Usage:
  launch-ready check --demo [--json]              check the built-in demo product (a lab on this machine)
  launch-ready check --scenario NAME [--json]     another lab scenario: ${Object.keys(SCENARIOS).join(', ')}
  launch-ready check DOMAIN [options] [--json]    check your real product
  launch-ready check --workspace FILE [options]   check the product a launch-ready.json/.yaml describes
  launch-ready init DOMAIN [--out FILE] [--force] write a starter launch-ready.json (or .yaml) to edit
${WATCH_HELP}
  launch-ready checks [--json]                    list every check: id, stage, impact, title
  launch-ready scan-repo PATH|--workspace FILE [--json]
                                                  look for secrets in a repository folder and its git history
  launch-ready ui [--demo] [--port N]             open the app in your browser (http://127.0.0.1 only)
${SECRETS_HELP}
${HANDOVER_HELP}
${IDENTITY_HELP}

Options for check (and watch):
  --format FORMAT             ${FORMATS.join(' | ')} (default table; --json = --format json);
                              sarif for code scanning, junit for any CI, markdown for a PR comment
  --report FORMAT=FILE        also write this run in another format to FILE (repeatable)
  --fail-on LEVEL             exit 1 when a check at or above LEVEL fails or cannot decide:
                              critical | high | medium | low
  --only STAGES               only these stages, by number or name: --only 2,5 or --only edge,email
  --skip IDS                  leave out these checks (ids or prefixes): --skip perf.*,edge.tls.expiry
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

Exit codes: 0 done (nothing at or above --fail-on failed), 1 the build should fail (--fail-on,
--strict, or a watch --times run that regressed), 2 bad input or configuration.
For secrets: 0 done, 1 the keychain cannot be used (locked, not running), 2 bad input.
For export: 0 written, 1 the keychain cannot be used or signing failed, 2 bad input.
For verify: 0 valid, 1 invalid or changed after signing, 2 bad input (missing file, not a PDF).
For identity: 0 done, 1 the keychain cannot be used, 2 bad input (unreadable file, wrong passphrase).`;

/** `launch-ready checks`: the catalogue, for --skip and --only. */
function listChecks(args: string[]): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const meta = catalogueMeta();
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        meta.map(({ id, stage, impact, kind, title }) => ({ id, stage, impact, kind, title })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const width = Math.max(...meta.map((m) => m.id.length));
  for (const m of meta)
    process.stdout.write(
      `${m.id.padEnd(width)}  ${m.stage}  ${m.impact.padEnd(8)}  ${m.kind.padEnd(11)}  ${m.title}\n`,
    );
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await checkCommand(rest, VERSION);
      case 'watch':
        return await watchCommand(rest);
      case 'init':
        return await initCommand(rest);
      case 'checks':
        return listChecks(rest);
      case 'ui':
        return await ui(rest);
      case 'scan-repo':
        return await scanRepoCommand(rest);
      case 'secrets':
        return await secretsCommand(rest);
      case 'export':
        return await exportCommand(rest, { dataDir: dataDir(), version: VERSION });
      case 'verify':
        return await verifyCommand(rest);
      case 'identity':
        return await identityCommand(rest);
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
    options: { json: { type: 'boolean' }, workspace: { type: 'string' } },
  });
  let root: string;
  if (values.workspace !== undefined) {
    if (positionals.length > 0) throw new UsageError('Give a PATH or --workspace FILE, not both.');
    let ws: Workspace;
    try {
      ws = await readWorkspaceFile(values.workspace);
    } catch (err) {
      if (err instanceof WorkspaceFileError) throw new UsageError(err.message);
      throw err;
    }
    if (!ws.repoPath)
      throw new UsageError(`${values.workspace} names no code folder: add "repo": "." to it.`);
    root = ws.repoPath;
  } else {
    if (positionals.length !== 1) throw new UsageError('Give one PATH: the repository folder.');
    root = resolve(positionals[0] ?? '');
  }
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
