/**
 * `npm audit --json --package-lock-only`: npm reads the lockfile (nothing is installed, no script
 * runs), POSTs its versions gzip-compressed to `<registry>/-/npm/v1/security/advisories/bulk`,
 * then GETs the package document of each vulnerable package to work out `fixAvailable`. npm
 * exits 1 when it finds vulnerabilities, so the exit code says nothing: stdout is read anyway.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProbeError } from '../probes/errors';
import type { Advisory, AdvisoryFix } from './dependency-types';
import { toSeverity } from './dependency-types';
import type { PackageLock } from './lockfile-packages';

export type NpmAuditOutcome =
  | { kind: 'report'; advisories: Advisory[]; packages: number }
  /** The advisory database could not be reached (refused, DNS, timeout, 5xx). */
  | { kind: 'unreachable'; detail: string }
  /** The database answered, but not with advisories (bad JSON, 4xx). */
  | { kind: 'bad-response'; detail: string }
  /** npm itself failed (missing, old, a lockfile it rejects): another route may still work. */
  | { kind: 'failed'; detail: string };

export interface NpmAuditOptions {
  npmPath: string;
  registry: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

const MAX_STDOUT = 64 * 1024 * 1024;
const NETWORK =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|network timeout|socket hang up|timed out/i;

/** The environment npm runs in: quiet, no scripts, no retries, its own throw-away cache. */
function npmEnv(cache: string, timeoutMs: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Settings inherited from a parent npm (npm test → vitest → here) would leak into the audit;
    // NODE_ENV=production would make npm skip devDependencies.
    if (/^npm_config_/i.test(k) || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return {
    ...env,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'true',
    npm_config_offline: 'false',
    npm_config_ignore_scripts: 'true',
    npm_config_progress: 'false',
    npm_config_color: 'false',
    npm_config_loglevel: 'error',
    npm_config_fetch_retries: '0',
    npm_config_fetch_timeout: String(timeoutMs),
    NO_UPDATE_NOTIFIER: '1',
  };
}

interface RunResult {
  stdout: string;
  killed: boolean;
  spawnError: NodeJS.ErrnoException | null;
}

function run(cwd: string, opts: NpmAuditOptions, cache: string): Promise<RunResult> {
  const { signal } = opts;
  return new Promise((resolve) => {
    const child = spawn(
      opts.npmPath,
      ['audit', '--json', '--package-lock-only', '--registry', opts.registry],
      {
        cwd,
        env: npmEnv(cache, opts.timeoutMs),
        stdio: ['ignore', 'pipe', 'ignore'],
        // npm is a .cmd script on Windows, which only a shell can start.
        shell: process.platform === 'win32',
        windowsHide: true,
      },
    );
    const chunks: Buffer[] = [];
    let size = 0;
    let killed = false;
    let spawnError: NodeJS.ErrnoException | null = null;
    const kill = (): void => {
      killed = true;
      child.kill('SIGKILL');
    };
    // npm's own fetch timeout covers each request; this covers npm's start-up and the packument
    // requests that follow the bulk one.
    const timer = setTimeout(kill, opts.timeoutMs * 3 + 15_000);
    signal?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_STDOUT) kill();
      else chunks.push(c);
    });
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve({ stdout: Buffer.concat(chunks).toString('utf8'), killed, spawnError });
    });
  });
}

function readFix(value: unknown, name: string): AdvisoryFix {
  if (value === true) return { available: true, package: name, version: null, breaking: false };
  if (value === false) return { available: false, package: name, version: null, breaking: false };
  const f = value as { name?: unknown; version?: unknown; isSemVerMajor?: unknown } | null;
  if (f && typeof f.name === 'string' && typeof f.version === 'string') {
    return {
      available: true,
      package: f.name,
      version: f.version,
      breaking: f.isSemVerMajor === true,
    };
  }
  return { available: null, package: name, version: null, breaking: false };
}

/** Advisories from npm's report (auditReportVersion 2); vulnerable-by-dependency entries skipped. */
export function readNpmReport(json: Record<string, unknown>, lock: PackageLock): Advisory[] {
  const vulns = json.vulnerabilities;
  if (typeof vulns !== 'object' || vulns === null) return [];
  const out: Advisory[] = [];
  for (const [name, raw] of Object.entries(vulns as Record<string, unknown>)) {
    const v = raw as {
      isDirect?: unknown;
      via?: unknown;
      nodes?: unknown;
      fixAvailable?: unknown;
    };
    const nodes = Array.isArray(v.nodes) ? v.nodes.filter((n) => typeof n === 'string') : [];
    const installed = [
      ...new Set(nodes.map((n) => lock.nodes.get(n)).filter((x) => x !== undefined)),
    ];
    // A `via` entry that is a string names another vulnerable package (reported on its own).
    for (const via of Array.isArray(v.via) ? v.via : []) {
      if (typeof via !== 'object' || via === null) continue;
      const a = via as Record<string, unknown>;
      if (a.name !== undefined && a.name !== name) continue;
      out.push({
        ecosystem: 'npm',
        package: name,
        installed,
        severity: toSeverity(a.severity),
        title: typeof a.title === 'string' ? a.title : `Advisory for ${name}`,
        url: typeof a.url === 'string' ? a.url : null,
        id: String(a.source ?? a.url ?? 'unknown'),
        vulnerableRange: typeof a.range === 'string' ? a.range : null,
        fix: readFix(v.fixAvailable, name),
        direct: typeof v.isDirect === 'boolean' ? v.isDirect : null,
        source: lock.file,
      });
    }
  }
  return out;
}

function classifyError(json: Record<string, unknown>): NpmAuditOutcome {
  // npm's audit-endpoint error: { message, method, uri, statusCode, body }.
  const message = typeof json.message === 'string' ? json.message : '';
  const status = typeof json.statusCode === 'number' ? json.statusCode : null;
  if (status !== null) {
    return status >= 500 || status === 429
      ? { kind: 'unreachable', detail: `HTTP ${status}: ${message}` }
      : { kind: 'bad-response', detail: `HTTP ${status}: ${message}` };
  }
  if (NETWORK.test(message)) return { kind: 'unreachable', detail: message };
  if (/invalid json/i.test(message)) return { kind: 'bad-response', detail: message };
  // npm's own failure: { error: { code, summary, detail } }.
  const err = json.error as { code?: unknown; summary?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  const summary = typeof err?.summary === 'string' ? err.summary : '';
  return {
    kind: 'failed',
    detail: [code, summary, message].filter(Boolean).join(': ') || 'npm failed',
  };
}

export async function runNpmAudit(
  dir: string,
  lock: PackageLock,
  opts: NpmAuditOptions,
): Promise<NpmAuditOutcome> {
  const cache = await mkdtemp(join(tmpdir(), 'launch-ready-npm-'));
  try {
    const res = await run(dir, opts, cache);
    if (opts.signal?.aborted) throw new ProbeError('aborted', 'npm audit: stopped');
    if (res.spawnError)
      return {
        kind: 'failed',
        detail: `npm could not start (${res.spawnError.code ?? res.spawnError.message})`,
      };
    if (res.killed) {
      return { kind: 'unreachable', detail: 'npm audit did not finish in time' };
    }
    let json: unknown;
    try {
      json = JSON.parse(res.stdout);
    } catch {
      return { kind: 'failed', detail: 'npm audit printed no JSON report' };
    }
    if (typeof json !== 'object' || json === null) {
      return { kind: 'failed', detail: 'npm audit printed no JSON report' };
    }
    const obj = json as Record<string, unknown>;
    if (obj.auditReportVersion === undefined || typeof obj.vulnerabilities !== 'object') {
      return classifyError(obj);
    }
    const deps = (obj.metadata as { dependencies?: { total?: unknown } } | undefined)?.dependencies;
    const packages = typeof deps?.total === 'number' ? deps.total : lock.nodes.size;
    return { kind: 'report', advisories: readNpmReport(obj, lock), packages };
  } finally {
    await rm(cache, { recursive: true, force: true }).catch(() => undefined);
  }
}
