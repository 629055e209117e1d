/**
 * Node lockfiles: which package managers' lockfiles are present, and whether each still matches
 * package.json — every dependency with the same spec in the lockfile's root entry, which is what
 * `npm ci`, `pnpm install --frozen-lockfile` and `yarn --frozen-lockfile` insist on.
 */
import { join } from 'node:path';
import { parse } from 'yaml';
import { readText } from './bounded-fs';

export type NodePackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';
export type DependencySection = 'dependencies' | 'devDependencies' | 'optionalDependencies';
export const SECTIONS: DependencySection[] = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
];

export interface DependencyMismatch {
  name: string;
  section: DependencySection;
  /** The spec in package.json; null when only the lockfile has it. */
  declared: string | null;
  /** The spec the lockfile recorded; null when it lacks the dependency. */
  locked: string | null;
}

/**
 * `consistent`: every declared dependency is locked with the same spec. `inconsistent`: see
 * `mismatches` (installs from a clean checkout fail or drift). `unknown`: the lockfile could not
 * be read or compared (binary, too large, invalid).
 */
export type LockConsistency = 'consistent' | 'inconsistent' | 'unknown';

export interface NodeLockfile {
  /** Repository-relative path. */
  file: string;
  manager: NodePackageManager;
  /** The lockfile format version as written (`3`, `9.0`, `v1`, `berry`…), when known. */
  format: string | null;
  consistency: LockConsistency;
  /** Plain words: what was compared, or why it could not be. */
  detail: string;
  /** First 50 differences. */
  mismatches: DependencyMismatch[];
}

export const LOCKFILES: { name: string; manager: NodePackageManager }[] = [
  { name: 'package-lock.json', manager: 'npm' },
  { name: 'npm-shrinkwrap.json', manager: 'npm' },
  { name: 'pnpm-lock.yaml', manager: 'pnpm' },
  { name: 'yarn.lock', manager: 'yarn' },
  { name: 'bun.lock', manager: 'bun' },
  { name: 'bun.lockb', manager: 'bun' },
];

const LOCK_CAP = 64 * 1024 * 1024;
const MAX_MISMATCHES = 50;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export type Declared = Record<DependencySection, Record<string, string>>;

/** Specs a lockfile need not repeat: local links and workspace references. */
const UNCHECKABLE = /^(?:link:|workspace:|portal:)/;

/** Compares declared specs with a lookup of locked specs; `extras` lists locked root names. */
function compare(
  declared: Declared,
  lookup: (section: DependencySection, name: string) => string | null,
  extras: Partial<Record<DependencySection, string[]>> = {},
): DependencyMismatch[] {
  const out: DependencyMismatch[] = [];
  for (const section of SECTIONS) {
    for (const [name, spec] of Object.entries(declared[section])) {
      if (UNCHECKABLE.test(spec)) continue;
      const locked = lookup(section, name);
      if (locked !== spec) out.push({ name, section, declared: spec, locked });
    }
    for (const name of extras[section] ?? []) {
      if (!(name in declared[section])) {
        out.push({ name, section, declared: null, locked: lookup(section, name) });
      }
    }
  }
  return out;
}

const stringMap = (v: unknown): Record<string, string> =>
  isObj(v)
    ? Object.fromEntries(
        Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : {};

function npmLock(doc: Obj, declared: Declared): Omit<NodeLockfile, 'file' | 'manager'> {
  const version = typeof doc.lockfileVersion === 'number' ? doc.lockfileVersion : null;
  const root = isObj(doc.packages) ? doc.packages[''] : undefined;
  if (isObj(root)) {
    const sections = Object.fromEntries(SECTIONS.map((s) => [s, stringMap(root[s])])) as Declared;
    const mismatches = compare(
      declared,
      (s, n) => sections[s][n] ?? null,
      Object.fromEntries(SECTIONS.map((s) => [s, Object.keys(sections[s])])),
    );
    return result(
      String(version ?? '?'),
      mismatches,
      'compared with the lockfile\'s root entry (packages[""])',
    );
  }
  // Lockfile v1 records resolved versions, not the specs: only presence can be checked.
  const deps = isObj(doc.dependencies) ? doc.dependencies : {};
  const mismatches = compare(declared, (s, n) => (isObj(deps[n]) ? declared[s][n]! : null));
  return result(
    String(version ?? 1),
    mismatches,
    'lockfile v1 has no root entry: only checked that each dependency is present',
  );
}

function result(
  format: string | null,
  mismatches: DependencyMismatch[],
  detail: string,
): Omit<NodeLockfile, 'file' | 'manager'> {
  return {
    format,
    consistency: mismatches.length === 0 ? 'consistent' : 'inconsistent',
    detail:
      mismatches.length === 0
        ? detail
        : `${mismatches.length} dependenc${mismatches.length === 1 ? 'y differs' : 'ies differ'} from package.json (${detail})`,
    mismatches: mismatches.slice(0, MAX_MISMATCHES),
  };
}

/** pnpm: only the head matters; the large `packages:`/`snapshots:` sections are cut off unread. */
function pnpmLock(text: string, declared: Declared): Omit<NodeLockfile, 'file' | 'manager'> | null {
  const cut = text.search(/^(?:packages|snapshots):/m);
  let doc: unknown;
  try {
    doc = parse(cut < 0 ? text : text.slice(0, cut), { maxAliasCount: 100 });
  } catch {
    return null;
  }
  if (!isObj(doc)) return null;
  const importers = isObj(doc.importers) ? doc.importers['.'] : undefined;
  const root = isObj(importers) ? importers : doc;
  const format = doc.lockfileVersion === undefined ? null : String(doc.lockfileVersion);
  // pnpm 5.x kept specs apart (`specifiers:`); 6+ writes `name: { specifier, version }`.
  const specifiers = isObj(root.specifiers) ? stringMap(root.specifiers) : null;
  const lookup = (s: DependencySection, n: string): string | null => {
    const section = isObj(root[s]) ? root[s] : {};
    if (!(n in section)) return null;
    if (specifiers) return specifiers[n] ?? null;
    const entry = section[n];
    return isObj(entry) && typeof entry.specifier === 'string' ? entry.specifier : null;
  };
  const extras = Object.fromEntries(
    SECTIONS.map((s) => [s, isObj(root[s]) ? Object.keys(root[s]) : []]),
  );
  return result(
    format,
    compare(declared, lookup, extras),
    "compared with the lockfile's root importer",
  );
}

/** yarn.lock entry headers (`"a@^1", a@^1.2:`), classic and berry. */
function yarnLock(text: string, declared: Declared): Omit<NodeLockfile, 'file' | 'manager'> {
  const keys = new Set<string>();
  let berry = false;
  for (const line of text.split('\n')) {
    if (line === '' || line[0] === ' ' || line[0] === '#' || !line.trimEnd().endsWith(':'))
      continue;
    const header = line.trimEnd().slice(0, -1);
    if (header === '__metadata') berry = true;
    for (const key of header.split(/,\s*/)) keys.add(key.replace(/^"|"$/g, ''));
  }
  // Berry prefixes registry ranges with `npm:`; classic writes them as declared.
  const lookup = (s: DependencySection, n: string): string | null => {
    const spec = declared[s][n]!;
    return keys.has(`${n}@${spec}`) || keys.has(`${n}@npm:${spec}`) ? spec : null;
  };
  return result(
    berry ? 'berry' : 'v1',
    compare(declared, lookup),
    'checked that each dependency has a `name@spec` entry',
  );
}

/** bun.lock is JSON with trailing commas. */
function bunLock(text: string, declared: Declared): Omit<NodeLockfile, 'file' | 'manager'> | null {
  let doc: unknown;
  try {
    doc = JSON.parse(stripTrailingCommas(text));
  } catch {
    return null;
  }
  const root = isObj(doc) && isObj(doc.workspaces) ? doc.workspaces[''] : undefined;
  if (!isObj(root) || !isObj(doc)) return null;
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, stringMap(root[s])])) as Declared;
  const extras = Object.fromEntries(SECTIONS.map((s) => [s, Object.keys(sections[s])]));
  const mismatches = compare(declared, (s, n) => sections[s][n] ?? null, extras);
  return result(
    String(doc.lockfileVersion ?? '?'),
    mismatches,
    "compared with the lockfile's root workspace",
  );
}

/** Removes commas before `}` or `]` outside strings (JSONC as bun writes it). */
export function stripTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') {
        out += c + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',') {
      const next = /\S/.exec(text.slice(i + 1, i + 200))?.[0];
      if (next === '}' || next === ']') continue;
    }
    out += c;
  }
  return out;
}

/** Reads and compares one lockfile; never throws. */
export async function checkLockfile(
  dirAbs: string,
  file: string,
  manager: NodePackageManager,
  declared: Declared | null,
): Promise<NodeLockfile> {
  const base = { file, manager };
  const unknown = (detail: string): NodeLockfile => ({
    ...base,
    format: null,
    consistency: 'unknown',
    detail,
    mismatches: [],
  });
  if (file.endsWith('bun.lockb'))
    return unknown("bun's binary lockfile cannot be read: only its presence is known");
  if (!declared) return unknown('package.json could not be read: nothing to compare');
  const read = await readText(join(dirAbs, file.slice(file.lastIndexOf('/') + 1)), LOCK_CAP);
  if (!read.ok) return unknown(`the lockfile could not be read (${read.reason})`);
  let checked: Omit<NodeLockfile, 'file' | 'manager'> | null = null;
  if (manager === 'npm') {
    try {
      const doc: unknown = JSON.parse(read.text);
      if (isObj(doc)) checked = npmLock(doc, declared);
    } catch {
      checked = null;
    }
  } else if (manager === 'pnpm') checked = pnpmLock(read.text, declared);
  else if (manager === 'yarn') checked = yarnLock(read.text, declared);
  else checked = bunLock(read.text, declared);
  return checked
    ? { ...base, ...checked }
    : unknown('the lockfile is not valid: it could not be compared');
}
