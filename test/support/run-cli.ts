/** Runs the built CLI (bin/launch-ready.js) as a founder would, capturing its output. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/launch-ready.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Throws a clear message when the CLI has not been built (npm test builds it first). */
export function assertCliBuilt(): void {
  if (!existsSync(join(ROOT, 'out/main/cli.js')))
    throw new Error('The CLI is not built: run "npm run build" first (npm test does).');
}

/** `env` is added to this process's environment (a value of undefined removes a variable). */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/**
 * The options that point a real-domain `check` at a running lab instead of the internet: its
 * DNS server, its web servers for ports 443 and 80, and its CA (written to `caFile` first).
 */
export function labNetworkArgs(
  lab: {
    dns: { address: string; port: number };
    web: { address: string; httpsPort: number; httpPort: number };
  },
  caFile: string,
): string[] {
  return [
    '--resolver',
    `${lab.dns.address}:${lab.dns.port}`,
    '--connect-to',
    `:443:${lab.web.address}:${lab.web.httpsPort}`,
    '--connect-to',
    `:80:${lab.web.address}:${lab.web.httpPort}`,
    '--ca',
    caFile,
  ];
}

/** cli() with standard input (`secrets set`, a passphrase), and optionally another environment. */
export function cliWithInput(
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
    child.stdin.on('error', () => {}); // the CLI may refuse before reading it all
    child.stdin.end(input);
  });
}
