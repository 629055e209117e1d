/**
 * Pinned versions from Python, Ruby, Go and Rust projects, for OSV. Only exact pins are read:
 * a range (`requests>=2`) says nothing about what is deployed.
 */
import type { Ecosystem } from './dependency-types';
import type { LockedPackages } from './lockfile-packages';
import { addVersion } from './lockfile-packages';

/** PEP 503 normalised name: OSV and PyPI compare names this way. */
export function normalizePyName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function locked(ecosystem: Ecosystem, file: string): LockedPackages {
  return { ecosystem, file, packages: new Map() };
}

/** `name==1.2.3` lines of a requirements file; ranges, URLs, options and `-r` includes skipped. */
export function parseRequirements(text: string, file: string): LockedPackages {
  const out = locked('PyPI', file);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('-')) continue;
    const m =
      /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9._+!-]+)\s*(?:;.*)?(?:\\)?$/.exec(
        line,
      );
    if (m?.[1] && m[2] && !m[2].includes('*'))
      addVersion(out.packages, normalizePyName(m[1]), m[2]);
  }
  return out;
}

/**
 * The `[[package]]` tables of a TOML lockfile (poetry.lock, Cargo.lock): their top-level
 * `name`, `version` and `source` keys, read line by line.
 */
function tomlPackages(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let current: Record<string, string> | null = null;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '[[package]]') {
      current = {};
      out.push(current);
      continue;
    }
    // Any other table header ([package.dependencies], [metadata]) ends the package's own keys.
    if (t.startsWith('[')) {
      current = null;
      continue;
    }
    const kv = /^(name|version|source)\s*=\s*"([^"]*)"/.exec(t);
    if (current && kv?.[1] && kv[2] !== undefined) current[kv[1]] = kv[2];
  }
  return out;
}

export function parsePoetryLock(text: string, file: string): LockedPackages {
  const out = locked('PyPI', file);
  for (const p of tomlPackages(text)) {
    if (p.name && p.version) addVersion(out.packages, normalizePyName(p.name), p.version);
  }
  return out;
}

export function parsePipfileLock(text: string, file: string): LockedPackages {
  const out = locked('PyPI', file);
  const json = JSON.parse(text) as Record<string, unknown>;
  for (const group of ['default', 'develop']) {
    const deps = json[group];
    if (typeof deps !== 'object' || deps === null) continue;
    for (const [name, entry] of Object.entries(deps as Record<string, unknown>)) {
      const v = (entry as { version?: unknown } | null)?.version;
      if (typeof v === 'string' && v.startsWith('==')) {
        addVersion(out.packages, normalizePyName(name), v.slice(2));
      }
    }
  }
  return out;
}

/** The `GEM` section's specs (gems from rubygems.org); GIT and PATH gems are not in OSV. */
export function parseGemfileLock(text: string, file: string): LockedPackages {
  const out = locked('RubyGems', file);
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      section = line.trim();
      continue;
    }
    if (section !== 'GEM') continue;
    // Four spaces: a gem; six: one of its requirements.
    const m = /^ {4}([A-Za-z0-9._-]+) \(([^)\s]+)\)\s*$/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    // Platform gems: `nokogiri (1.16.0-x86_64-linux)`; OSV knows the plain version.
    const version = m[2].replace(
      /-(?:x86|x64|arm|aarch|universal|java|mingw|mswin|darwin|linux).*$/,
      '',
    );
    addVersion(out.packages, m[1], version);
  }
  return out;
}

/** OSV's Go versions carry no `v` prefix. */
function goVersion(v: string): string {
  return v.startsWith('v') ? v.slice(1) : v;
}

/** go.mod `require` lines (the full build list since Go 1.17); `replace` targets not followed. */
export function parseGoMod(text: string, file: string): LockedPackages {
  const out = locked('Go', file);
  let inRequire = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inRequire) {
      if (line === ')') inRequire = false;
      else {
        const m = /^(\S+)\s+(v\S+)$/.exec(line);
        if (m?.[1] && m[2]) addVersion(out.packages, m[1], goVersion(m[2]));
      }
      continue;
    }
    if (/^require\s*\($/.test(line)) {
      inRequire = true;
      continue;
    }
    const single = /^require\s+(\S+)\s+(v\S+)$/.exec(line);
    if (single?.[1] && single[2]) addVersion(out.packages, single[1], goVersion(single[2]));
  }
  return out;
}

/** go.sum, when there is no go.mod: every module version it hashes (a superset of the build). */
export function parseGoSum(text: string, file: string): LockedPackages {
  const out = locked('Go', file);
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\S+)\s+(v[^/\s]+)\s+h1:/.exec(line.trim());
    if (m?.[1] && m[2]) addVersion(out.packages, m[1], goVersion(m[2]));
  }
  return out;
}

/** Cargo.lock packages from a registry (workspace crates have no `source`). */
export function parseCargoLock(text: string, file: string): LockedPackages {
  const out = locked('crates.io', file);
  for (const p of tomlPackages(text)) {
    if (p.name && p.version && p.source?.startsWith('registry+')) {
      addVersion(out.packages, p.name, p.version);
    }
  }
  return out;
}
