/**
 * What the dependency audit reports: known advisories against the versions the lockfiles pin,
 * and how far the main frameworks are behind. Every shape is plain JSON, safe to store and show.
 */

/** 'unknown': the advisory carries no severity (some OSV records); never read it as harmless. */
export type Severity = 'critical' | 'high' | 'moderate' | 'low' | 'unknown';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'moderate', 'low', 'unknown'];

/** OSV's ecosystem names, which npm shares. */
export type Ecosystem = 'npm' | 'PyPI' | 'RubyGems' | 'Go' | 'crates.io';

/**
 * How a lockfile was audited. npm-audit: the npm CLI (`npm audit --package-lock-only`);
 * npm-bulk: our own POST of the lockfile's versions to the registry's bulk advisory endpoint;
 * osv: OSV's querybatch.
 */
export type AuditRoute = 'npm-audit' | 'npm-bulk' | 'osv';

/**
 * ok: the database answered and was read. unreachable: it could not be reached (refused, DNS,
 * timeout, 5xx): the check must say "skipped", never pass. error: it answered with something
 * unusable, or the lockfile could not be read.
 */
export type AuditStatus = 'ok' | 'unreachable' | 'error';

export const UNREACHABLE_MESSAGE = 'could not reach the advisory database';

export interface AdvisoryFix {
  /** true: a fixed version exists; false: none published yet; null: not known. */
  available: boolean | null;
  /** The package to update: the vulnerable one, or (npm audit) the direct dependency pulling it in. */
  package: string;
  /** The version to move to; null when only "a compatible update" is known (`npm audit fix`). */
  version: string | null;
  /** The update crosses a major version: expect breaking changes. */
  breaking: boolean;
}

export interface Advisory {
  ecosystem: Ecosystem;
  package: string;
  /** The installed versions the advisory applies to (from the lockfile). */
  installed: string[];
  severity: Severity;
  title: string;
  /** The advisory's page (GitHub advisory, OSV record); null when none was given. */
  url: string | null;
  /** GHSA / npm advisory number / OSV id. */
  id: string;
  /** The vulnerable range as the database states it (npm) or summarised (OSV); null if none. */
  vulnerableRange: string | null;
  fix: AdvisoryFix;
  /** A direct dependency of the project (declared in its manifest); null when not known. */
  direct: boolean | null;
  /** The lockfile it came from, relative to the audited root. */
  source: string;
}

export interface SourceAudit {
  ecosystem: Ecosystem;
  /** Lockfile or manifest path relative to the root, forward slashes. */
  file: string;
  route: AuditRoute;
  status: AuditStatus;
  /** Plain words: "npm audit checked 412 packages", UNREACHABLE_MESSAGE, … */
  message: string;
  /** Technical detail for the curious (the error code, the HTTP status); never a secret. */
  detail: string | null;
  /** Distinct name@version pairs sent for checking. */
  packages: number;
  /** Some packages were left out because of the per-source cap. */
  truncated: boolean;
}

export type SeverityCounts = Record<Severity, number> & { total: number };

export interface FrameworkStatus {
  name: string;
  ecosystem: Ecosystem;
  /** Where the installed version was read. */
  file: string;
  installed: string | null;
  latest: string | null;
  /** latest major − installed major; null when either is unknown. */
  majorsBehind: number | null;
  /** behind: more than one major behind (unsupported soon, if not already). */
  status: 'current' | 'one-behind' | 'behind' | 'unknown';
  message: string;
}

export interface DependencyAudit {
  /** The worst of the sources: one unreachable source makes the whole audit unreachable. */
  status: AuditStatus | 'none';
  message: string;
  sources: SourceAudit[];
  advisories: Advisory[];
  counts: SeverityCounts;
  frameworks: FrameworkStatus[];
  /** Caps reached, lockfiles skipped, ranges not understood… */
  notes: string[];
  ms: number;
}

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, moderate: 0, low: 0, unknown: 0, total: 0 };
}

export function toSeverity(value: unknown): Severity {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  if (v === 'critical' || v === 'high' || v === 'moderate' || v === 'low') return v;
  if (v === 'medium') return 'moderate';
  if (v === 'info') return 'low';
  return 'unknown';
}
