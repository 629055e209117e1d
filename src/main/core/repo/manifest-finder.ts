/**
 * Finds dependency manifests and lockfiles near the top of a repository: founders' projects
 * often keep the backend in `api/` or `server/`, a monorepo in `apps/*`. The walk is shallow and
 * bounded, and never enters installed dependencies or build output.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SKIP_DIRS = new Set([
  'node_modules',
  'vendor',
  'venv',
  'env',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  '__pycache__',
  'site-packages',
  'bower_components',
]);

export interface FindOptions {
  /** 0: the root only. */
  maxDepth?: number;
  maxDirs?: number;
  maxFiles?: number;
}

/** Repository-relative paths (forward slashes) of files whose name passes `wanted`, root first. */
export async function findManifests(
  root: string,
  wanted: (name: string) => boolean,
  opts: FindOptions = {},
): Promise<string[]> {
  const maxDepth = opts.maxDepth ?? 2;
  const maxDirs = opts.maxDirs ?? 300;
  const maxFiles = opts.maxFiles ?? 60;
  const found: string[] = [];
  // Breadth first, so the root's files come first and the caps cut the deepest folders.
  let level: string[] = [''];
  let visited = 0;
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const rel of level) {
      if (visited++ >= maxDirs || found.length >= maxFiles) return found;
      let entries;
      try {
        entries = await readdir(join(root, rel), { withFileTypes: true });
      } catch {
        continue; // Unreadable folder: nothing to audit there.
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isFile() && wanted(e.name)) {
          if (found.length < maxFiles) found.push(path);
        } else if (e.isDirectory() && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) {
          next.push(path);
        }
      }
    }
    level = next;
  }
  return found;
}

const MAX_TEXT_BYTES = 32 * 1024 * 1024;

/** A text file, or null when missing, not a file, or larger than the cap (a lockfile gone wild). */
export async function readText(root: string, rel: string): Promise<string | null> {
  const path = join(root, rel);
  try {
    const s = await stat(path);
    if (!s.isFile() || s.size > MAX_TEXT_BYTES) return null;
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i === -1 ? '' : rel.slice(0, i);
}

export function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
