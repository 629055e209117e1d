/**
 * Stage 3 — known vulnerabilities in the versions the repository's lockfiles pin, and
 * frameworks left more than a major behind. Node lockfiles go through `npm audit` when npm is
 * there (package-lock.json), else straight to the registry's bulk advisory endpoint; Python,
 * Ruby, Go and Rust lockfiles go to OSV. A database that cannot be reached makes the result
 * 'unreachable', which a check shows as skipped: offline is never a pass.
 */
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ProbeError } from '../probes/errors';
import type { AdvisoryClient } from './advisory-http';
import { advisoryClient, AdvisoryHttpError } from './advisory-http';
import type {
  Advisory,
  AuditRoute,
  AuditStatus,
  DependencyAudit,
  SourceAudit,
} from './dependency-types';
import { emptyCounts, SEVERITIES, UNREACHABLE_MESSAGE } from './dependency-types';
import type { NodeSource, OtherSource } from './dependency-sources';
import { findSources } from './dependency-sources';
import { checkFrameworks } from './frameworks';
import { countVersions } from './lockfile-packages';
import { bulkAudit } from './npm-bulk';
import { runNpmAudit } from './npm-audit';
import { fillFixVersions } from './npm-versions';
import { osvAudit } from './osv';

export interface AuditOptions {
  signal?: AbortSignal;
  /** Default https://registry.npmjs.org. */
  npmRegistry?: string;
  /** Default https://api.osv.dev. */
  osvApi?: string;
  /** Per request (and npm's fetch timeout). Default 20 s. */
  timeoutMs?: number;
  /** Use the npm CLI for package-lock.json when it is installed. Default true. */
  runNpm?: boolean;
  /** The npm executable; default: found on PATH (and the usual install folders). */
  npmPath?: string;
}

const BAD_RESPONSE = 'the advisory database answered with something that is not an advisory list';

/** npm on PATH, or where installers put it (a GUI app on macOS starts with a bare PATH). */
async function findNpm(): Promise<string | null> {
  const name = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/local/bin',
    '/opt/homebrew/bin',
    '/usr/bin',
  ].filter((d) => d !== '');
  for (const dir of dirs.slice(0, 64)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

function source(
  base: Pick<SourceAudit, 'ecosystem' | 'file' | 'route'>,
  status: AuditStatus,
  message: string,
  detail: string | null,
  packages = 0,
  truncated = false,
): SourceAudit {
  return { ...base, status, message, detail, packages, truncated };
}

/** A failed request as a source result; aborts propagate. */
function failure(
  base: Pick<SourceAudit, 'ecosystem' | 'file' | 'route'>,
  err: unknown,
): SourceAudit {
  if (err instanceof AdvisoryHttpError) {
    return err.failure === 'unreachable'
      ? source(base, 'unreachable', UNREACHABLE_MESSAGE, err.message)
      : source(base, 'error', BAD_RESPONSE, err.message);
  }
  throw err;
}

interface Run {
  opts: Required<Pick<AuditOptions, 'npmRegistry' | 'osvApi' | 'timeoutMs'>> & AuditOptions;
  root: string;
  client: AdvisoryClient;
  npmPath: string | null;
  advisories: Advisory[];
  notes: string[];
  /** Once a database is unreachable, later lockfiles skip it instead of waiting again. */
  down: { npm: string | null; osv: string | null };
}

async function auditNode(run: Run, n: NodeSource): Promise<SourceAudit | null> {
  if (n.lockName === null) return null;
  const file = n.locked?.file ?? n.packageLock?.file ?? `${n.dir ? `${n.dir}/` : ''}${n.lockName}`;
  let route: AuditRoute = n.packageLock && run.npmPath ? 'npm-audit' : 'npm-bulk';
  const base = { ecosystem: 'npm' as const, file, route };
  if (n.error || !n.locked) return source(base, 'error', `${file} could not be read`, n.error);
  if (run.down.npm) return source(base, 'unreachable', UNREACHABLE_MESSAGE, run.down.npm);
  const direct = new Set(n.declared.keys());
  let fallback = '';
  if (route === 'npm-audit' && n.packageLock && run.npmPath) {
    const out = await runNpmAudit(join(run.root, n.dir), n.packageLock, {
      npmPath: run.npmPath,
      registry: run.opts.npmRegistry,
      timeoutMs: run.opts.timeoutMs,
      signal: run.opts.signal,
    });
    if (out.kind === 'report') {
      await fillFixVersions(out.advisories, run.client, run.opts.npmRegistry, run.notes);
      run.advisories.push(...out.advisories);
      return source(base, 'ok', `npm audit checked ${out.packages} packages.`, null, out.packages);
    }
    if (out.kind === 'unreachable') {
      run.down.npm = out.detail;
      return source(base, 'unreachable', UNREACHABLE_MESSAGE, out.detail);
    }
    if (out.kind === 'bad-response') return source(base, 'error', BAD_RESPONSE, out.detail);
    fallback = `npm audit failed (${out.detail}), so the registry was asked directly. `;
    route = 'npm-bulk';
  } else if (n.packageLock && run.opts.runNpm !== false) {
    fallback = 'npm was not found, so the registry was asked directly. ';
  }
  const bulkBase = { ...base, route };
  try {
    const res = await bulkAudit(n.locked, direct, run.client, run.opts.npmRegistry);
    await fillFixVersions(res.advisories, run.client, run.opts.npmRegistry, run.notes);
    run.advisories.push(...res.advisories);
    const capped = res.truncated ? ' (capped)' : '';
    return source(
      bulkBase,
      'ok',
      `${fallback}The registry's advisory database checked ${res.packages} package versions${capped}.`,
      null,
      res.packages,
      res.truncated,
    );
  } catch (err) {
    const s = failure(bulkBase, err);
    if (s.status === 'unreachable') run.down.npm = s.detail;
    return s;
  }
}

async function auditOther(run: Run, o: OtherSource): Promise<SourceAudit> {
  const base = { ecosystem: o.ecosystem, file: o.file, route: 'osv' as const };
  if (!o.locked) return source(base, 'error', `${o.file} could not be read`, o.error);
  const pinned = countVersions(o.locked.packages);
  if (pinned === 0) return source(base, 'ok', `${o.file} pins no exact versions to check.`, null);
  if (run.down.osv) return source(base, 'unreachable', UNREACHABLE_MESSAGE, run.down.osv);
  try {
    const res = await osvAudit(o.locked, run.client, run.opts.osvApi, run.notes);
    run.advisories.push(...res.advisories);
    return source(
      base,
      'ok',
      `OSV checked ${res.packages} package versions.`,
      null,
      res.packages,
      res.truncated,
    );
  } catch (err) {
    const s = failure(base, err);
    if (s.status === 'unreachable') run.down.osv = s.detail;
    return s;
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProbeError('aborted', 'The dependency audit was stopped.');
}

export async function auditDependencies(
  root: string,
  options: AuditOptions = {},
): Promise<DependencyAudit> {
  const started = performance.now();
  const opts = {
    ...options,
    npmRegistry: options.npmRegistry ?? 'https://registry.npmjs.org',
    osvApi: options.osvApi ?? 'https://api.osv.dev',
    timeoutMs: options.timeoutMs ?? 20_000,
  };
  checkAbort(opts.signal);
  const found = await findSources(root);
  const wantsNpm = opts.runNpm !== false && found.node.some((n) => n.packageLock);
  const client = advisoryClient({ timeoutMs: opts.timeoutMs, signal: opts.signal });
  const run: Run = {
    opts,
    root,
    client,
    npmPath: wantsNpm ? (opts.npmPath ?? (await findNpm())) : null,
    advisories: [],
    notes: [...found.notes],
    down: { npm: null, osv: null },
  };
  const sources: SourceAudit[] = [];
  try {
    for (const n of found.node) {
      checkAbort(opts.signal);
      const s = await auditNode(run, n);
      if (s) sources.push(s);
    }
    for (const o of found.other) {
      checkAbort(opts.signal);
      sources.push(await auditOther(run, o));
    }
    checkAbort(opts.signal);
    const frameworks = await checkFrameworks(
      found.node,
      found.other.map((o) => o.locked).filter((l) => l !== null),
      client,
      opts.npmRegistry,
      run.down.npm !== null,
    );
    checkAbort(opts.signal);
    return summarize(sources, run, frameworks, started);
  } finally {
    await client.close();
  }
}

function summarize(
  sources: SourceAudit[],
  run: Run,
  frameworks: DependencyAudit['frameworks'],
  started: number,
): DependencyAudit {
  const order = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  const advisories = run.advisories.sort(
    (a, b) => order(a.severity) - order(b.severity) || a.package.localeCompare(b.package),
  );
  const counts = emptyCounts();
  for (const a of advisories) counts[a.severity]++;
  counts.total = advisories.length;
  const status: DependencyAudit['status'] =
    sources.length === 0
      ? 'none'
      : sources.some((s) => s.status === 'unreachable')
        ? 'unreachable'
        : sources.some((s) => s.status === 'error')
          ? 'error'
          : 'ok';
  const checked = sources.reduce((n, s) => n + s.packages, 0);
  const worst = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const message =
    status === 'none'
      ? 'No lockfile was found, so no dependency versions could be checked.'
      : status === 'unreachable'
        ? UNREACHABLE_MESSAGE
        : status === 'error'
          ? (sources.find((s) => s.status === 'error')?.message ?? BAD_RESPONSE)
          : counts.total === 0
            ? `No known vulnerabilities in ${checked} packages.`
            : `${counts.total} known ${counts.total === 1 ? 'vulnerability' : 'vulnerabilities'} (${worst.join(', ')}) in ${checked} packages.`;
  return {
    status,
    message,
    sources,
    advisories,
    counts,
    frameworks,
    notes: run.notes,
    ms: Math.round(performance.now() - started),
  };
}
