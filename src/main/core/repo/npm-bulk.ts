/**
 * The registry's bulk advisory endpoint, asked directly with a lockfile's versions: the route for
 * pnpm and yarn projects, and the fallback when the npm CLI is missing or fails. The request is
 * `{ "name": ["version", …] }`, the answer `{ "name": [{ id, url, title, severity,
 * vulnerable_versions, cwe, cvss }] }` (as npm's own audit sends and reads it).
 */
import type { AdvisoryClient } from './advisory-http';
import { AdvisoryHttpError, endpoint } from './advisory-http';
import type { Advisory } from './dependency-types';
import { toSeverity } from './dependency-types';
import type { LockedPackages } from './lockfile-packages';
import { affectedVersions } from './npm-versions';

export const BULK_PATH = '/-/npm/v1/security/advisories/bulk';
/** Names per POST: the registry takes large bodies, but a bounded one fails (and retries) small. */
const BATCH_NAMES = 400;
const MAX_NAMES = 4000;

export interface BulkResult {
  advisories: Advisory[];
  /** name@version pairs sent. */
  packages: number;
  truncated: boolean;
}

interface BulkAdvisory {
  id: string;
  url: string | null;
  title: string;
  severity: unknown;
  range: string;
}

function readAdvisories(name: string, value: unknown, url: string): BulkAdvisory[] {
  if (!Array.isArray(value)) {
    throw new AdvisoryHttpError('bad-response', `${url}: advisories of ${name} are not a list`);
  }
  const out: BulkAdvisory[] = [];
  for (const item of value.slice(0, 200)) {
    const a = item as Record<string, unknown> | null;
    if (!a || typeof a.vulnerable_versions !== 'string') {
      throw new AdvisoryHttpError('bad-response', `${url}: an advisory of ${name} has no range`);
    }
    out.push({
      id: String(a.id ?? a.url ?? 'unknown'),
      url: typeof a.url === 'string' ? a.url : null,
      title: typeof a.title === 'string' ? a.title : `Advisory for ${name}`,
      severity: a.severity,
      range: a.vulnerable_versions,
    });
  }
  return out;
}

export async function bulkAudit(
  locked: LockedPackages,
  direct: ReadonlySet<string>,
  client: AdvisoryClient,
  registry: string,
): Promise<BulkResult> {
  const names = [...locked.packages.keys()].sort();
  const kept = names.slice(0, MAX_NAMES);
  const url = endpoint(registry, BULK_PATH);
  const advisories: Advisory[] = [];
  let packages = 0;
  // Sequential batches: one audit should not hammer the registry.
  for (let i = 0; i < kept.length; i += BATCH_NAMES) {
    const body: Record<string, string[]> = {};
    for (const name of kept.slice(i, i + BATCH_NAMES)) {
      body[name] = [...(locked.packages.get(name) ?? [])];
      packages += body[name].length;
    }
    const answer = await client.postJson(url, body);
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      throw new AdvisoryHttpError('bad-response', `${url} did not answer an advisory map`);
    }
    for (const [name, list] of Object.entries(answer as Record<string, unknown>)) {
      const installed = body[name];
      if (!installed) continue; // An answer about a package we did not ask about.
      for (const a of readAdvisories(name, list, url)) {
        const hit = affectedVersions(a.range, installed);
        if (hit.length === 0) continue;
        advisories.push({
          ecosystem: 'npm',
          package: name,
          installed: hit,
          severity: toSeverity(a.severity),
          title: a.title,
          url: a.url,
          id: a.id,
          vulnerableRange: a.range,
          fix: { available: null, package: name, version: null, breaking: false },
          direct: direct.has(name),
          source: locked.file,
        });
      }
    }
  }
  return { advisories, packages, truncated: names.length > kept.length };
}
