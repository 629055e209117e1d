/**
 * Which lockfiles a repository holds and what they pin: one entry per Node project (its
 * package.json and lockfile) and one per Python/Ruby/Go/Rust lockfile.
 */
import type { Ecosystem } from './dependency-types';
import type { NodeProject } from './frameworks';
import type { LockedPackages, PackageLock } from './lockfile-packages';
import {
  declaredDependencies,
  parsePackageLock,
  parsePnpmLock,
  parseYarnLock,
} from './lockfile-packages';
import { dirOf, findManifests, joinRel, readText } from './manifest-finder';
import {
  parseCargoLock,
  parseGemfileLock,
  parseGoMod,
  parseGoSum,
  parsePipfileLock,
  parsePoetryLock,
  parseRequirements,
} from './other-lockfiles';

const NODE_LOCKS = ['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];
const OTHER_PARSERS: Record<string, (text: string, file: string) => LockedPackages> = {
  'poetry.lock': parsePoetryLock,
  'Pipfile.lock': parsePipfileLock,
  'Gemfile.lock': parseGemfileLock,
  'go.mod': parseGoMod,
  'go.sum': parseGoSum,
  'Cargo.lock': parseCargoLock,
};
const REQUIREMENTS = /^requirements[\w.-]*\.txt$/i;
const MAX_NODE_PROJECTS = 5;
const MAX_OTHER_FILES = 10;

export interface NodeSource extends NodeProject {
  dir: string;
  /** The lockfile's name; null for a package.json without one. */
  lockName: string | null;
  /** Set for package-lock.json / npm-shrinkwrap.json: `npm audit` can read it. */
  packageLock: PackageLock | null;
  /** Why the lockfile could not be read, when it could not. */
  error: string | null;
}

export interface OtherSource {
  ecosystem: Ecosystem;
  file: string;
  locked: LockedPackages | null;
  error: string | null;
}

export interface RepoSources {
  node: NodeSource[];
  other: OtherSource[];
  notes: string[];
}

function wanted(name: string): boolean {
  return (
    name === 'package.json' ||
    NODE_LOCKS.includes(name) ||
    name in OTHER_PARSERS ||
    REQUIREMENTS.test(name)
  );
}

const ECOSYSTEM_OF: Record<string, Ecosystem> = {
  'poetry.lock': 'PyPI',
  'Pipfile.lock': 'PyPI',
  'Gemfile.lock': 'RubyGems',
  'go.mod': 'Go',
  'go.sum': 'Go',
  'Cargo.lock': 'crates.io',
};

async function nodeSource(root: string, dir: string, names: Set<string>): Promise<NodeSource> {
  const manifest = joinRel(dir, 'package.json');
  const declared = declaredDependencies((await readText(root, manifest)) ?? '');
  const lockName = NODE_LOCKS.find((n) => names.has(n)) ?? null;
  const source: NodeSource = {
    dir,
    manifest,
    declared,
    lockName,
    locked: null,
    packageLock: null,
    error: null,
  };
  if (lockName === null) return source;
  const file = joinRel(dir, lockName);
  const text = await readText(root, file);
  if (text === null) return { ...source, error: `${file} could not be read` };
  try {
    if (lockName === 'pnpm-lock.yaml') source.locked = parsePnpmLock(text, file);
    else if (lockName === 'yarn.lock') source.locked = parseYarnLock(text, file);
    else source.locked = source.packageLock = parsePackageLock(text, file);
  } catch (err) {
    source.error = `${file} is not valid JSON (${(err as Error).message})`;
  }
  return source;
}

export async function findSources(root: string): Promise<RepoSources> {
  const files = await findManifests(root, wanted);
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = dirOf(f);
    const set = byDir.get(dir) ?? new Set<string>();
    set.add(f.slice(dir === '' ? 0 : dir.length + 1));
    byDir.set(dir, set);
  }
  const notes: string[] = [];
  const node: NodeSource[] = [];
  const other: OtherSource[] = [];
  const lockDirs = [...byDir].filter(([, n]) => NODE_LOCKS.some((l) => n.has(l))).map(([d]) => d);
  for (const [dir, names] of byDir) {
    const hasLock = NODE_LOCKS.some((l) => names.has(l));
    if (names.has('package.json') || hasLock) {
      // A workspace member is covered by the lockfile of a folder above it.
      const covered = !hasLock && lockDirs.some((d) => d === '' || dir.startsWith(`${d}/`));
      if (!covered) {
        if (node.length < MAX_NODE_PROJECTS) node.push(await nodeSource(root, dir, names));
        else
          notes.push(
            `${joinRel(dir, 'package.json')} was not audited: at most ${MAX_NODE_PROJECTS} Node projects are.`,
          );
      }
    }
    const locks = NODE_LOCKS.filter((l) => names.has(l));
    if (locks.length > 1) {
      notes.push(
        `${dir || 'The top folder'} has several lockfiles (${locks.join(', ')}); ${locks[0]} was audited.`,
      );
    }
    // go.sum only when there is no go.mod: it also lists versions the build does not use.
    const otherNames = [...names].filter(
      (n) =>
        (n in OTHER_PARSERS || REQUIREMENTS.test(n)) && !(n === 'go.sum' && names.has('go.mod')),
    );
    for (const name of otherNames) {
      const file = joinRel(dir, name);
      if (other.length >= MAX_OTHER_FILES) {
        notes.push(`${file} was not audited: at most ${MAX_OTHER_FILES} such lockfiles are.`);
        continue;
      }
      const parse = OTHER_PARSERS[name] ?? parseRequirements;
      const ecosystem = ECOSYSTEM_OF[name] ?? 'PyPI';
      const text = await readText(root, file);
      if (text === null) {
        other.push({ ecosystem, file, locked: null, error: `${file} could not be read` });
        continue;
      }
      try {
        other.push({ ecosystem, file, locked: parse(text, file), error: null });
      } catch (err) {
        other.push({
          ecosystem,
          file,
          locked: null,
          error: `${file} could not be read (${(err as Error).message})`,
        });
      }
    }
  }
  for (const n of node) {
    if (n.lockName === null && n.declared.size > 0) {
      notes.push(
        `${n.manifest} has no lockfile: the exact versions are unknown, so it was not audited.`,
      );
    }
  }
  return { node, other, notes };
}
