/**
 * The exact versions a JavaScript lockfile pins (package-lock.json, pnpm-lock.yaml, yarn.lock),
 * read without installing anything. The YAML and yarn formats are read line by line: only the
 * package keys and versions matter, and a full parser would accept far more than lockfiles hold.
 */
import type { Ecosystem } from './dependency-types';

export interface LockedPackages {
  ecosystem: Ecosystem;
  /** The lockfile, relative to the audited root. */
  file: string;
  /** Package name → installed versions. */
  packages: Map<string, Set<string>>;
}

export interface PackageLock extends LockedPackages {
  /** npm's node paths (`node_modules/a/node_modules/b`) → version, as `npm audit` names them. */
  nodes: Map<string, string>;
  lockfileVersion: number;
}

export function addVersion(map: Map<string, Set<string>>, name: string, version: string): void {
  let set = map.get(name);
  if (!set) map.set(name, (set = new Set()));
  set.add(version);
}

/** Distinct name@version pairs. */
export function countVersions(map: Map<string, Set<string>>): number {
  let n = 0;
  for (const set of map.values()) n += set.size;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A registry version: not a git URL, a tarball, `file:` or `link:`.
const PLAIN_VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

const NPM_NAME = /^(?:@[^/@\s]+\/)?[^/@\s]+$/;

function nameFromNodePath(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  return i === -1 ? path : path.slice(i + 'node_modules/'.length);
}

/** package-lock.json or npm-shrinkwrap.json, lockfile versions 1 to 3. Throws on invalid JSON. */
export function parsePackageLock(text: string, file: string): PackageLock {
  const json: unknown = JSON.parse(text);
  if (!isObject(json)) throw new Error(`${file} is not a JSON object`);
  const packages = new Map<string, Set<string>>();
  const nodes = new Map<string, string>();
  const lockfileVersion = typeof json.lockfileVersion === 'number' ? json.lockfileVersion : 1;
  if (isObject(json.packages)) {
    for (const [path, entry] of Object.entries(json.packages)) {
      // "" is the project itself; paths without node_modules/ are workspace folders.
      if (path === '' || !path.includes('node_modules/') || !isObject(entry)) continue;
      if (entry.link === true || typeof entry.version !== 'string') continue;
      if (!PLAIN_VERSION.test(entry.version)) continue;
      const name = typeof entry.name === 'string' ? entry.name : nameFromNodePath(path);
      nodes.set(path, entry.version);
      addVersion(packages, name, entry.version);
    }
  } else if (isObject(json.dependencies)) {
    // Lockfile v1: nested `dependencies`; bounded by an explicit stack, not recursion.
    const stack: Array<[string, Record<string, unknown>]> = [['', json.dependencies]];
    let seen = 0;
    while (stack.length > 0 && seen < 100_000) {
      const [prefix, deps] = stack.pop() as [string, Record<string, unknown>];
      for (const [name, entry] of Object.entries(deps)) {
        seen++;
        if (!isObject(entry) || typeof entry.version !== 'string') continue;
        const path = `${prefix}node_modules/${name}`;
        if (PLAIN_VERSION.test(entry.version)) {
          nodes.set(path, entry.version);
          addVersion(packages, name, entry.version);
        }
        if (isObject(entry.dependencies)) stack.push([`${path}/`, entry.dependencies]);
      }
    }
  }
  return { ecosystem: 'npm', file, packages, nodes, lockfileVersion };
}

/** Splits `name@version` where the name may be scoped (`@scope/name@1.2.3`). */
function splitAt(spec: string): [string, string] | null {
  const at = spec.indexOf('@', 1);
  if (at <= 0) return null;
  return [spec.slice(0, at), spec.slice(at + 1)];
}

function unquote(s: string): string {
  const t = s.trim();
  return (t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))
    ? t.slice(1, -1)
    : t;
}

/** A pnpm `packages:` key in the v5 (`/a/1.0.0_peer`), v6 (`/a@1.0.0(peer)`) or v9 form. */
function pnpmKey(key: string): [string, string] | null {
  let k = unquote(key).replace(/\(.*$/, '');
  if (k.startsWith('/')) k = k.slice(1);
  const viaAt = splitAt(k);
  if (viaAt && NPM_NAME.test(viaAt[0]) && PLAIN_VERSION.test(viaAt[1])) return viaAt;
  // v5: name/version, the version possibly followed by _peer@x suffixes.
  const parts = k.split('/');
  const scoped = k.startsWith('@');
  const name = scoped ? parts.slice(0, 2).join('/') : parts[0];
  const version = (scoped ? parts[2] : parts[1])?.replace(/_.*$/, '');
  if (!name || !version || parts.length !== (scoped ? 3 : 2)) return null;
  return PLAIN_VERSION.test(version) ? [name, version] : null;
}

export function parsePnpmLock(text: string, file: string): LockedPackages {
  const packages = new Map<string, Set<string>>();
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inPackages = line.trimEnd() === 'packages:';
      continue;
    }
    if (!inPackages) continue;
    // Package keys sit exactly two spaces in: `  /lodash@4.17.20:` or `  'a@1.0.0':`.
    const m = /^ {2}(\S.*):\s*$/.exec(line);
    if (!m?.[1]) continue;
    const pair = pnpmKey(m[1]);
    if (pair) addVersion(packages, pair[0], pair[1]);
  }
  return { ecosystem: 'npm', file, packages };
}

/** yarn.lock v1 (`version "1.2.3"`) and Berry (`version: 1.2.3`, `resolution: "a@npm:1.2.3"`). */
export function parseYarnLock(text: string, file: string): LockedPackages {
  const packages = new Map<string, Set<string>>();
  let name: string | null = null;
  let version: string | null = null;
  let fromRegistry = true;
  const flush = (): void => {
    if (name && version && fromRegistry && PLAIN_VERSION.test(version)) {
      addVersion(packages, name, version);
    }
    name = version = null;
    fromRegistry = true;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (/^\S/.test(line)) {
      flush();
      const header = line.replace(/:\s*$/, '');
      if (header === '__metadata') continue;
      const first = unquote(header.split(',')[0] ?? '');
      const pair = splitAt(first);
      if (pair) name = pair[0];
      continue;
    }
    const v = /^ {2}version:? "?([^"\s]+)"?\s*$/.exec(line);
    if (v?.[1]) version = v[1];
    const r = /^ {2}resolution: "?([^"]+)"?\s*$/.exec(line);
    // Berry: workspaces, patches, links and git sources are not registry packages.
    if (r?.[1]) fromRegistry = /^(@[^/]+\/)?[^@]+@npm:/.test(r[1]);
  }
  flush();
  return { ecosystem: 'npm', file, packages };
}

/** The names a package.json declares, with their ranges (all dependency kinds). */
export function declaredDependencies(packageJson: string): Map<string, string> {
  const out = new Map<string, string>();
  let json: unknown;
  try {
    json = JSON.parse(packageJson);
  } catch {
    return out;
  }
  if (!isObject(json)) return out;
  for (const kind of [
    'dependencies',
    'devDependencies',
    'optionalDependencies',
    'peerDependencies',
  ]) {
    const deps = json[kind];
    if (!isObject(deps)) continue;
    for (const [name, range] of Object.entries(deps)) {
      if (typeof range === 'string' && !out.has(name)) out.set(name, range);
    }
  }
  return out;
}
