/**
 * Is the app's main framework more than one major version behind? Old majors stop getting
 * security fixes, and hosting platforms drop them. npm frameworks are compared with the
 * registry's `dist-tags.latest`; Python and Ruby ones would need PyPI or RubyGems, which this
 * audit does not ask, so they are listed with status 'unknown'.
 */
import { mapLimit } from '../probes/map-limit';
import type { AdvisoryClient } from './advisory-http';
import { AdvisoryHttpError } from './advisory-http';
import type { Ecosystem, FrameworkStatus } from './dependency-types';
import type { LockedPackages } from './lockfile-packages';
import type { Packument } from './npm-versions';
import { fetchPackument, majorOf, versionFromRange } from './npm-versions';

export const NPM_FRAMEWORKS: readonly string[] = [
  'next',
  'react',
  'vue',
  'nuxt',
  '@angular/core',
  'svelte',
  '@sveltejs/kit',
  'express',
  'fastify',
  '@nestjs/core',
  '@remix-run/react',
  '@remix-run/node',
  'remix',
  'astro',
];

export const OTHER_FRAMEWORKS: ReadonlyArray<{
  name: string;
  ecosystem: Ecosystem;
  registry: string;
}> = [
  { name: 'django', ecosystem: 'PyPI', registry: 'PyPI' },
  { name: 'flask', ecosystem: 'PyPI', registry: 'PyPI' },
  { name: 'fastapi', ecosystem: 'PyPI', registry: 'PyPI' },
  { name: 'rails', ecosystem: 'RubyGems', registry: 'RubyGems' },
];

export interface NodeProject {
  /** package.json, relative to the root. */
  manifest: string;
  declared: Map<string, string>;
  /** The project's lockfile, when there is one. */
  locked: LockedPackages | null;
}

interface Found {
  name: string;
  file: string;
  installed: string | null;
}

function nodeFrameworks(projects: readonly NodeProject[]): Found[] {
  const out: Found[] = [];
  for (const p of projects) {
    let remix = false;
    for (const name of NPM_FRAMEWORKS) {
      const range = p.declared.get(name);
      if (range === undefined) continue;
      // One Remix line is enough: its packages move together.
      if (name.startsWith('@remix-run/')) {
        if (remix) continue;
        remix = true;
      }
      const locked = [...(p.locked?.packages.get(name) ?? [])];
      out.push({
        name,
        file: p.locked?.file ?? p.manifest,
        installed: versionFromRange(range, locked),
      });
    }
  }
  return out;
}

function compare(f: Found, latest: string): FrameworkStatus {
  const base = {
    name: f.name,
    ecosystem: 'npm' as const,
    file: f.file,
    installed: f.installed,
    latest,
  };
  const have = f.installed === null ? null : majorOf(f.installed);
  const want = majorOf(latest);
  if (have === null || want === null) {
    return {
      ...base,
      majorsBehind: null,
      status: 'unknown',
      message: `The installed version of ${f.name} could not be read.`,
    };
  }
  const behind = Math.max(0, want - have);
  if (behind === 0) {
    return {
      ...base,
      majorsBehind: 0,
      status: 'current',
      message: `${f.name} ${f.installed} is on the latest major version (latest: ${latest}).`,
    };
  }
  return {
    ...base,
    majorsBehind: behind,
    status: behind === 1 ? 'one-behind' : 'behind',
    message:
      behind === 1
        ? `${f.name} ${f.installed} is one major version behind ${latest}.`
        : `${f.name} ${f.installed} is ${behind} major versions behind ${latest}: old majors stop getting security fixes.`,
  };
}

export async function checkFrameworks(
  projects: readonly NodeProject[],
  others: readonly LockedPackages[],
  client: AdvisoryClient,
  registry: string,
  /** The registry already failed this run: do not wait for it again. */
  registryDown = false,
): Promise<FrameworkStatus[]> {
  const found = nodeFrameworks(projects);
  const names = registryDown ? [] : [...new Set(found.map((f) => f.name))];
  const docs = new Map<string, Packument | Error>();
  await mapLimit(names, 4, async (name) => {
    docs.set(
      name,
      await fetchPackument(client, registry, name).catch((err: unknown) =>
        err instanceof Error ? err : new Error(String(err)),
      ),
    );
  });
  const out: FrameworkStatus[] = found.map((f) => {
    const doc = docs.get(f.name);
    if (doc && !(doc instanceof Error) && doc.latest) return compare(f, doc.latest);
    const why =
      registryDown || (doc instanceof AdvisoryHttpError && doc.failure === 'unreachable')
        ? 'the registry could not be reached'
        : 'the registry gave no latest version';
    return {
      name: f.name,
      ecosystem: 'npm',
      file: f.file,
      installed: f.installed,
      latest: null,
      majorsBehind: null,
      status: 'unknown',
      message: `Not compared: ${why}.`,
    };
  });
  for (const locked of others) {
    for (const fw of OTHER_FRAMEWORKS) {
      if (fw.ecosystem !== locked.ecosystem) continue;
      const versions = [...(locked.packages.get(fw.name) ?? [])];
      if (versions.length === 0) continue;
      out.push({
        name: fw.name,
        ecosystem: fw.ecosystem,
        file: locked.file,
        installed: versions[0] ?? null,
        latest: null,
        majorsBehind: null,
        status: 'unknown',
        message: `Not compared: the latest ${fw.name} is listed on ${fw.registry}, which this audit does not ask.`,
      });
    }
  }
  return out;
}
