/**
 * Lockfiles outside Node: Python (pinned requirements, poetry.lock, Pipfile.lock, uv.lock,
 * pdm.lock), Ruby (Gemfile.lock), Go (go.sum), Rust (Cargo.lock) and PHP (composer.lock).
 * Presence, plus which requirements lines are not pinned with `==`.
 */
import { join } from 'node:path';
import { readText } from './bounded-fs';

export type LockEcosystem = 'python' | 'ruby' | 'go' | 'rust' | 'php';

export interface EcosystemLock {
  ecosystem: LockEcosystem;
  /** Folder, relative to the root ('' for the root itself). */
  dir: string;
  manifests: string[];
  lockfiles: string[];
  /**
   * `locked`: a lockfile exists, or every requirement is pinned with `==`. `partial`: some
   * requirements are pinned. `unlocked`: a fresh install can pull different versions.
   */
  status: 'locked' | 'partial' | 'unlocked';
  detail: string;
  /** Requirement names not pinned with `==` (first 20). */
  unpinned: string[];
}

const MANIFEST_CAP = 1024 * 1024;

interface Rule {
  ecosystem: Exclude<LockEcosystem, 'python'>;
  manifests: string[];
  lockfiles: string[];
}
const SIMPLE: Rule[] = [
  {
    ecosystem: 'ruby',
    manifests: ['Gemfile', 'gems.rb'],
    lockfiles: ['Gemfile.lock', 'gems.locked'],
  },
  { ecosystem: 'go', manifests: ['go.mod'], lockfiles: ['go.sum'] },
  { ecosystem: 'rust', manifests: ['Cargo.toml'], lockfiles: ['Cargo.lock'] },
  { ecosystem: 'php', manifests: ['composer.json'], lockfiles: ['composer.lock'] },
];
const PY_MANIFESTS = ['pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg'];
const PY_LOCKS = ['poetry.lock', 'Pipfile.lock', 'uv.lock', 'pdm.lock'];

/** `requirements.txt`, `requirements-dev.txt`, `requirements/prod.txt`… */
function isRequirements(path: string): boolean {
  return /^requirements[\w.-]*\.txt$/i.test(path) || /^requirements\/[\w.-]+\.txt$/i.test(path);
}

/** Names of requirement lines not pinned to one version (`==` or `===`, no wildcard). */
export function unpinnedRequirements(text: string): { total: number; unpinned: string[] } {
  let total = 0;
  const unpinned: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$|^#.*$/, '').trim();
    if (line === '' || line.startsWith('-r') || line.startsWith('-c') || line.startsWith('--'))
      continue;
    if (line.startsWith('-e') || /^(?:git\+|https?:|\.{0,2}\/)/.test(line)) {
      total++;
      unpinned.push(line.startsWith('-e') ? 'editable install' : 'direct URL or path');
      continue;
    }
    const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1];
    if (!name) continue;
    total++;
    const spec = line
      .split(';')[0]!
      .replace(/\s--hash[= ]\S+/g, '')
      .replace(/\\$/, '')
      .trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*===?\s*[^\s*,<>=!~]+$/.test(spec)) {
      unpinned.push(name);
    }
  }
  return { total, unpinned };
}

/** Checks `dir` (relative; '' for root) given the file names present in it; never throws. */
export async function otherEcosystems(
  root: string,
  dir: string,
  names: Set<string>,
  subFiles: string[],
): Promise<EcosystemLock[]> {
  const out: EcosystemLock[] = [];
  const rel = (n: string) => (dir === '' ? n : `${dir}/${n}`);
  for (const rule of SIMPLE) {
    const manifests = rule.manifests.filter((m) => names.has(m));
    if (manifests.length === 0) continue;
    const lockfiles = rule.lockfiles.filter((l) => names.has(l));
    let status: EcosystemLock['status'] = lockfiles.length > 0 ? 'locked' : 'unlocked';
    let detail = lockfiles.length > 0 ? `${lockfiles[0]} present` : `no ${rule.lockfiles[0]}`;
    if (rule.ecosystem === 'go' && lockfiles.length === 0) {
      // A module without dependencies has no go.sum, and needs none.
      const mod = await readText(join(root, rel('go.mod')), MANIFEST_CAP);
      if (mod.ok && !/^\s*require\b/m.test(mod.text)) {
        status = 'locked';
        detail = 'go.mod requires no modules: nothing to lock';
      }
    }
    out.push({
      ecosystem: rule.ecosystem,
      dir,
      manifests: manifests.map(rel),
      lockfiles: lockfiles.map(rel),
      status,
      detail,
      unpinned: [],
    });
  }

  const requirements = [...names]
    .filter(isRequirements)
    .concat(subFiles.filter(isRequirements))
    .sort();
  const pyManifests = PY_MANIFESTS.filter((m) => names.has(m));
  if (requirements.length === 0 && pyManifests.length === 0) return out;
  const pyLocks = PY_LOCKS.filter((l) => names.has(l));
  let total = 0;
  const unpinned: string[] = [];
  for (const req of requirements) {
    const read = await readText(join(root, rel(req)), MANIFEST_CAP);
    if (!read.ok) continue;
    const r = unpinnedRequirements(read.text);
    total += r.total;
    unpinned.push(...r.unpinned);
  }
  let status: EcosystemLock['status'];
  let detail: string;
  if (pyLocks.length > 0) {
    status = 'locked';
    detail = `${pyLocks[0]} present`;
  } else if (requirements.length > 0 && total > 0 && unpinned.length === 0) {
    status = 'locked';
    detail = 'every requirement is pinned with ==';
  } else if (requirements.length > 0 && unpinned.length < total) {
    status = 'partial';
    detail = `${unpinned.length} of ${total} requirements are not pinned with ==`;
  } else {
    status = 'unlocked';
    detail =
      requirements.length > 0
        ? 'no requirement is pinned with =='
        : 'no lockfile (poetry.lock, uv.lock, Pipfile.lock…)';
  }
  out.push({
    ecosystem: 'python',
    dir,
    manifests: [...requirements, ...pyManifests].map(rel),
    lockfiles: pyLocks.map(rel),
    status,
    detail,
    unpinned: [...new Set(unpinned)].slice(0, 20),
  });
  return out;
}
