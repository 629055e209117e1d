/**
 * OSV (api.osv.dev) for Python, Ruby, Go and Rust lockfiles. `POST /v1/querybatch` answers only
 * vulnerability ids per package version (`{ results: [{ vulns: [{ id, modified }] }] }`, in the
 * order asked, `{}` for none); `POST /v1/query` for each hit then gives the full records
 * (summary, severity, affected ranges with the fixed versions).
 */
import { mapLimit } from '../probes/map-limit';
import type { AdvisoryClient } from './advisory-http';
import { AdvisoryHttpError, endpoint } from './advisory-http';
import { cvss3Score, severityOfScore } from './cvss';
import type { Advisory, Severity } from './dependency-types';
import { toSeverity } from './dependency-types';
import type { LockedPackages } from './lockfile-packages';
import type { OsvEvent } from './loose-version';
import { compareLoose, fixedAbove, inEvents } from './loose-version';

/** OSV's own limit per querybatch. */
const BATCH = 1000;
const MAX_PACKAGES = 3000;
/** Package versions whose full records are fetched; beyond it, the ids alone are reported. */
const MAX_DETAILS = 60;

interface OsvRecord {
  id: string;
  summary?: string;
  details?: string;
  severity?: Array<{ type?: string; score?: string }>;
  database_specific?: { severity?: unknown };
  affected?: Array<{
    package?: { name?: string; ecosystem?: string };
    ranges?: Array<{ type?: string; events?: OsvEvent[] }>;
    versions?: string[];
  }>;
}

export interface OsvResult {
  advisories: Advisory[];
  packages: number;
  truncated: boolean;
}

function severityOf(v: OsvRecord): Severity {
  const word = toSeverity(v.database_specific?.severity);
  if (word !== 'unknown') return word;
  for (const s of v.severity ?? []) {
    const score = typeof s.score === 'string' ? cvss3Score(s.score) : null;
    if (score !== null) return severityOfScore(score);
  }
  return 'unknown';
}

function titleOf(v: OsvRecord): string {
  const text = v.summary?.trim() || v.details?.trim().split('\n')[0] || v.id;
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
}

/** The events of the record's ranges for this package (GIT ranges name commits, not versions). */
function eventsFor(v: OsvRecord, ecosystem: string, name: string): OsvEvent[][] {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_.]+/g, '-');
  return (v.affected ?? [])
    .filter((a) => a.package?.ecosystem === ecosystem && norm(a.package.name ?? '') === norm(name))
    .flatMap((a) => (a.ranges ?? []).filter((r) => r.type !== 'GIT').map((r) => r.events ?? []));
}

function describeRange(events: OsvEvent[]): string {
  const out: string[] = [];
  for (const e of events) {
    if (e.introduced !== undefined && e.introduced !== '0') out.push(`>=${e.introduced}`);
    if (e.fixed !== undefined) out.push(`<${e.fixed}`);
    if (e.last_affected !== undefined) out.push(`<=${e.last_affected}`);
  }
  return out.length === 0 ? 'all versions' : out.join(' ');
}

function leadingNumber(v: string): string {
  return /^v?(\d+)/.exec(v)?.[1] ?? v;
}

function toAdvisory(
  v: OsvRecord,
  locked: LockedPackages,
  name: string,
  installed: string[],
): Advisory {
  const ranges = eventsFor(v, locked.ecosystem, name);
  // The range that holds an installed version, and that range's fix.
  const holding = ranges.filter((ev) => installed.some((i) => inEvents(ev, i)));
  const relevant = holding.length > 0 ? holding : ranges;
  const fixes = installed
    .flatMap((i) => relevant.map((ev) => fixedAbove(ev, i)))
    .filter((f): f is string => f !== null)
    .sort(compareLoose);
  const fix = fixes[fixes.length - 1] ?? null;
  return {
    ecosystem: locked.ecosystem,
    package: name,
    installed,
    severity: severityOf(v),
    title: titleOf(v),
    url: `https://osv.dev/vulnerability/${encodeURIComponent(v.id)}`,
    id: v.id,
    vulnerableRange: relevant.length > 0 ? relevant.map(describeRange).join(' || ') : null,
    fix: {
      available: fix !== null ? true : ranges.length > 0 ? false : null,
      package: name,
      version: fix,
      breaking: fix !== null && installed.some((i) => leadingNumber(i) !== leadingNumber(fix)),
    },
    direct: null,
    source: locked.file,
  };
}

function readIds(answer: unknown, expected: number, url: string): string[][] {
  const results = (answer as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length !== expected) {
    throw new AdvisoryHttpError('bad-response', `${url} did not answer one result per query`);
  }
  return results.map((r) => {
    const vulns = (r as { vulns?: unknown } | null)?.vulns;
    if (vulns === undefined) return [];
    if (!Array.isArray(vulns))
      throw new AdvisoryHttpError('bad-response', `${url}: vulns is not a list`);
    return vulns
      .map((x) => (x as { id?: unknown } | null)?.id)
      .filter((id): id is string => typeof id === 'string');
  });
}

export async function osvAudit(
  locked: LockedPackages,
  client: AdvisoryClient,
  osvApi: string,
  notes: string[],
): Promise<OsvResult> {
  const pairs: Array<[string, string]> = [];
  for (const [name, versions] of [...locked.packages].sort(([a], [b]) => a.localeCompare(b))) {
    for (const v of versions) pairs.push([name, v]);
  }
  const kept = pairs.slice(0, MAX_PACKAGES);
  const batchUrl = endpoint(osvApi, '/v1/querybatch');
  const hits: Array<{ name: string; version: string; ids: string[] }> = [];
  for (let i = 0; i < kept.length; i += BATCH) {
    const slice = kept.slice(i, i + BATCH);
    const answer = await client.postJson(batchUrl, {
      queries: slice.map(([name, version]) => ({
        package: { name, ecosystem: locked.ecosystem },
        version,
      })),
    });
    readIds(answer, slice.length, batchUrl).forEach((ids, j) => {
      const [name, version] = slice[j] as [string, string];
      if (ids.length > 0) hits.push({ name, version, ids });
    });
  }

  // One advisory per (package, vulnerability), over all installed versions it hits.
  const records = new Map<string, { record: OsvRecord; name: string; installed: string[] }>();
  const queryUrl = endpoint(osvApi, '/v1/query');
  await mapLimit(hits.slice(0, MAX_DETAILS), 4, async (hit) => {
    const answer = await client.postJson(queryUrl, {
      package: { name: hit.name, ecosystem: locked.ecosystem },
      version: hit.version,
    });
    const vulns = (answer as { vulns?: unknown } | null)?.vulns ?? [];
    if (!Array.isArray(vulns))
      throw new AdvisoryHttpError('bad-response', `${queryUrl}: vulns is not a list`);
    for (const v of vulns as OsvRecord[]) {
      if (typeof v?.id !== 'string') continue;
      const key = `${hit.name}\u0000${v.id}`;
      const entry = records.get(key) ?? { record: v, name: hit.name, installed: [] };
      entry.installed.push(hit.version);
      records.set(key, entry);
    }
  });
  const advisories = [...records.values()].map((e) =>
    toAdvisory(e.record, locked, e.name, e.installed),
  );
  // Beyond the detail cap: the ids are known, the rest is not.
  for (const hit of hits.slice(MAX_DETAILS)) {
    for (const id of hit.ids) {
      advisories.push(
        toAdvisory({ id, summary: `Known vulnerability ${id}` }, locked, hit.name, [hit.version]),
      );
    }
  }
  if (hits.length > MAX_DETAILS) {
    notes.push(
      `${locked.file}: details were fetched for ${MAX_DETAILS} of ${hits.length} vulnerable packages; the rest are listed by id only.`,
    );
  }
  return { advisories, packages: kept.length, truncated: pairs.length > kept.length };
}
