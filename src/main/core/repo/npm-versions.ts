/**
 * npm version arithmetic on top of `semver` (the same library npm uses, so ranges mean exactly
 * what they mean to `npm audit`): which installed versions a range hits, and the first version
 * that escapes it.
 */
import semver from 'semver';
import { mapLimit } from '../probes/map-limit';
import type { AdvisoryClient } from './advisory-http';
import { endpoint, packumentPath } from './advisory-http';
import type { Advisory } from './dependency-types';

/** The abbreviated ("corgi") document: versions and dist-tags, without readmes. */
export const CORGI_ACCEPT =
  'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/** Installed versions that fall in `range`; all of them when the range cannot be read. */
export function affectedVersions(range: string, versions: readonly string[]): string[] {
  if (semver.validRange(range) === null) return [...versions];
  return versions.filter((v) => semver.satisfies(v, range, { includePrerelease: true }));
}

/**
 * Without a version list: the upper bound of the part of the range that holds the installed
 * version (`>=2.0.0 <2.4.1` → 2.4.1). Null for open or `<=` bounds, where the next release is
 * not knowable.
 */
export function fixFromBound(range: string, installed: string): string | null {
  if (semver.validRange(range) === null || semver.valid(installed) === null) return null;
  const r = new semver.Range(range);
  for (const set of r.set) {
    if (!set.every((c) => c.test(installed))) continue;
    const upper = set.find((c) => c.operator === '<');
    if (upper) return upper.semver.version;
  }
  return null;
}

/** The lowest published, non-prerelease version above every installed one that escapes `range`. */
export function lowestOutside(
  range: string,
  published: readonly string[],
  installed: readonly string[],
): string | null {
  if (semver.validRange(range) === null) return null;
  const floor = installed.filter((v) => semver.valid(v) !== null);
  const candidates = published
    .filter((v) => semver.valid(v) !== null && semver.prerelease(v) === null)
    .filter((v) => floor.every((i) => semver.gt(v, i)))
    .filter((v) => !semver.satisfies(v, range))
    .sort((a, b) => semver.compare(a, b));
  return candidates[0] ?? null;
}

export function majorOf(version: string): number | null {
  const v = semver.valid(version) ?? semver.coerce(version)?.version ?? null;
  return v === null ? null : semver.major(v);
}

/** The version a package.json range most likely installed, for projects without a lockfile. */
export function versionFromRange(range: string, locked: readonly string[]): string | null {
  if (semver.validRange(range) === null) return locked[0] ?? null;
  const best = semver.maxSatisfying(locked, range);
  if (best) return best;
  return semver.minVersion(range)?.version ?? null;
}

export interface Packument {
  versions: string[];
  latest: string | null;
}

/** Reads versions and dist-tags.latest; throws on a document that has neither. */
export function readPackument(json: unknown): Packument {
  const doc = json as { versions?: unknown; 'dist-tags'?: { latest?: unknown } } | null;
  const versions =
    doc && typeof doc.versions === 'object' && doc.versions !== null
      ? Object.keys(doc.versions)
      : [];
  const latest = doc?.['dist-tags']?.latest;
  if (versions.length === 0 && typeof latest !== 'string') {
    throw new Error('not a package document');
  }
  return { versions, latest: typeof latest === 'string' ? latest : null };
}

export async function fetchPackument(
  client: AdvisoryClient,
  registry: string,
  name: string,
): Promise<Packument> {
  const json = await client.getJson(endpoint(registry, packumentPath(name)), {
    accept: CORGI_ACCEPT,
  });
  return readPackument(json);
}

const MAX_FIX_LOOKUPS = 40;

/**
 * Fills `fix.version` where it is missing but a fix may exist: from the package's published
 * versions when the registry answers, else from the range's upper bound. Bounded lookups; a
 * failed lookup only leaves the bound.
 */
export async function fillFixVersions(
  advisories: Advisory[],
  client: AdvisoryClient,
  registry: string,
  notes: string[],
): Promise<void> {
  const open = advisories.filter(
    (a) =>
      a.fix.version === null &&
      a.fix.available !== false &&
      a.fix.package === a.package &&
      a.vulnerableRange,
  );
  const names = [...new Set(open.map((a) => a.package))];
  if (names.length > MAX_FIX_LOOKUPS) {
    notes.push(
      `Fix versions were looked up for ${MAX_FIX_LOOKUPS} of ${names.length} packages; the rest show the advisory's upper bound only.`,
    );
  }
  const lookedUp = new Map<string, Packument | null>();
  await mapLimit(names.slice(0, MAX_FIX_LOOKUPS), 4, async (name) => {
    lookedUp.set(name, await fetchPackument(client, registry, name).catch(() => null));
  });
  for (const a of open) {
    const range = a.vulnerableRange as string;
    const doc = lookedUp.get(a.package);
    const version = doc
      ? lowestOutside(range, doc.versions, a.installed)
      : (a.installed.map((i) => fixFromBound(range, i)).find((v) => v !== null) ?? null);
    if (version === null) {
      // Every published version is still vulnerable: no fix yet.
      if (doc) a.fix = { ...a.fix, available: false };
      continue;
    }
    const majors = a.installed.map(majorOf).filter((m): m is number => m !== null);
    a.fix = {
      ...a.fix,
      available: true,
      version,
      breaking: majors.some((m) => m !== majorOf(version)),
    };
  }
}
