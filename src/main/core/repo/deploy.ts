/**
 * Stage 3 deploy-path analysis of the founder's repository: are dependencies locked (and does
 * the lockfile still match package.json), is there a build, does CI run tests before deploying,
 * and can each database migration be rolled back. Pure analysis: plain data out; script bodies
 * and file contents are never returned, only names, paths and matched keywords.
 */
import { join, resolve } from 'node:path';
import { assertFolder, readText, walkTree } from './bounded-fs';
import type { Tree } from './bounded-fs';
import { analyseBuild } from './build';
import type { BuildInfo } from './build';
import { analyseCi } from './ci';
import type { CiAnalysis } from './ci';
import { otherEcosystems } from './ecosystems';
import type { EcosystemLock } from './ecosystems';
import { LOCKFILES, SECTIONS, checkLockfile } from './lockfile';
import type { Declared, NodeLockfile, NodePackageManager } from './lockfile';
import { analyseMigrations } from './migrations';
import type { MigrationAnalysis } from './migrations';

export type { BuildInfo, BuildScript, PlatformConfig } from './build';
export type { CiAnalysis, CiFile, CiJob, CiSystem } from './ci';
export type { EcosystemLock, LockEcosystem } from './ecosystems';
export type {
  DependencyMismatch,
  DependencySection,
  LockConsistency,
  NodeLockfile,
  NodePackageManager,
} from './lockfile';
export type {
  MigrationAnalysis,
  MigrationReport,
  MigrationTool,
  Reversibility,
} from './migrations';

/**
 * `consistent`: locked, and the lockfile matches package.json. `inconsistent`: some lockfile
 * disagrees with package.json. `no-lockfile`: nothing pins versions. `unknown`: not comparable.
 */
export type NodeLockStatus = 'consistent' | 'inconsistent' | 'no-lockfile' | 'unknown';

export interface NodeProject {
  /** Folder relative to the root ('' for the root). */
  dir: string;
  /** Repository-relative path of its package.json. */
  packageJson: string;
  /** package.json `packageManager` (e.g. `pnpm@9.1.0`), without its hash. */
  declaredManager: string | null;
  /** Dependencies declared across dependencies, devDependencies and optionalDependencies. */
  dependencyCount: number;
  lockfiles: NodeLockfile[];
  /** Lockfiles of more than one package manager: installs differ by who runs them. */
  multipleManagers: boolean;
  lockStatus: NodeLockStatus;
  /** Script names (never their commands). */
  scriptNames: string[];
  /** Plain-words problems: invalid package.json, several managers, manager mismatch… */
  problems: string[];
}

/** Everything stage 3 needs to judge the deploy path; safe to store and show. */
export interface DeployAnalysis {
  /** Absolute path analysed. */
  root: string;
  /** Node projects at the root and in first-level folders (workspace members are covered by the root). */
  node: NodeProject[];
  /** Python, Ruby, Go, Rust and PHP projects at the root and in first-level folders. */
  otherEcosystems: EcosystemLock[];
  build: BuildInfo;
  ci: CiAnalysis;
  migrations: MigrationAnalysis;
  /** Plain-words notes: caps reached, folders not followed… */
  notes: string[];
  ms: number;
}

const PACKAGE_JSON_CAP = 1024 * 1024;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface PackageRead {
  project: NodeProject;
  scripts: Record<string, string>;
}

async function readNodeProject(
  root: string,
  dir: string,
  names: Set<string>,
): Promise<PackageRead> {
  const rel = (n: string) => (dir === '' ? n : `${dir}/${n}`);
  const dirAbs = join(root, dir);
  const problems: string[] = [];
  let declared: Declared | null = null;
  let scripts: Record<string, string> = {};
  let declaredManager: string | null = null;
  const read = await readText(join(dirAbs, 'package.json'), PACKAGE_JSON_CAP);
  let doc: unknown = null;
  if (!read.ok) problems.push(`package.json could not be read (${read.reason})`);
  else {
    try {
      doc = JSON.parse(read.text);
      if (!isObj(doc)) problems.push('package.json is not a JSON object');
    } catch {
      problems.push('package.json is not valid JSON');
    }
  }
  if (isObj(doc)) {
    declared = Object.fromEntries(SECTIONS.map((s) => [s, {}])) as Declared;
    for (const s of SECTIONS) {
      const v = doc[s];
      if (v === undefined) continue;
      if (!isObj(v)) problems.push(`package.json "${s}" is not an object`);
      else
        for (const [n, spec] of Object.entries(v))
          if (typeof spec === 'string') declared[s][n] = spec;
    }
    if (isObj(doc.scripts)) {
      for (const [n, body] of Object.entries(doc.scripts))
        if (typeof body === 'string') scripts[n] = body;
    }
    if (typeof doc.packageManager === 'string') declaredManager = doc.packageManager.split('+')[0]!;
  } else scripts = {};

  const lockfiles: NodeLockfile[] = [];
  for (const { name, manager } of LOCKFILES) {
    if (names.has(name)) lockfiles.push(await checkLockfile(dirAbs, rel(name), manager, declared));
  }
  const managers = [...new Set(lockfiles.map((l) => l.manager))];
  const multipleManagers = managers.length > 1;
  if (multipleManagers) {
    problems.push(
      `lockfiles of several package managers (${managers.join(', ')}): installs differ by who runs them`,
    );
  }
  const wanted = declaredManager?.split('@')[0] as NodePackageManager | undefined;
  if (wanted && lockfiles.length > 0 && !managers.includes(wanted)) {
    problems.push(`packageManager says ${wanted}, but the lockfile is ${managers.join(' and ')}'s`);
  }
  const dependencyCount = declared
    ? SECTIONS.reduce((n, s) => n + Object.keys(declared[s]).length, 0)
    : 0;
  let lockStatus: NodeLockStatus;
  if (lockfiles.length === 0)
    lockStatus = dependencyCount === 0 && declared ? 'consistent' : 'no-lockfile';
  else if (lockfiles.some((l) => l.consistency === 'inconsistent')) lockStatus = 'inconsistent';
  else if (lockfiles.some((l) => l.consistency === 'consistent')) lockStatus = 'consistent';
  else lockStatus = 'unknown';
  if (lockStatus === 'no-lockfile')
    problems.push('no lockfile: every install can pull different versions');
  return {
    project: {
      dir,
      packageJson: rel('package.json'),
      declaredManager,
      dependencyCount,
      lockfiles,
      multipleManagers,
      lockStatus,
      scriptNames: Object.keys(scripts).sort(),
      problems,
    },
    scripts,
  };
}

/** Root plus first-level folders, with the file names each holds. */
function projectDirs(tree: Tree): { dir: string; names: Set<string>; subFiles: string[] }[] {
  const dirs = new Map<string, { names: Set<string>; subFiles: string[] }>([
    ['', { names: new Set(), subFiles: [] }],
  ]);
  for (const d of tree.dirs) if (!d.includes('/')) dirs.set(d, { names: new Set(), subFiles: [] });
  for (const f of tree.files) {
    const parts = f.path.split('/');
    if (parts.length === 1) dirs.get('')!.names.add(f.name);
    else if (parts.length === 2) dirs.get(parts[0]!)?.names.add(f.name);
    if (parts.length === 2 && parts[0] === 'requirements') dirs.get('')!.subFiles.push(f.path);
    if (parts.length === 3 && parts[1] === 'requirements')
      dirs.get(parts[0]!)?.subFiles.push(parts.slice(1).join('/'));
  }
  return [...dirs].map(([dir, v]) => ({ dir, ...v }));
}

/** Throws only for a missing folder (or an abort); every other oddity is reported. */
export async function analyseDeployPath(
  root: string,
  opts: { signal?: AbortSignal } = {},
): Promise<DeployAnalysis> {
  const started = Date.now();
  const abs = resolve(root);
  await assertFolder(abs);
  const { signal } = opts;
  const tree = await walkTree(abs, { signal });
  const notes: string[] = [];
  if (tree.capped) notes.push('the folder is very large: only part of it was analysed');
  if (tree.unreadableDirs.length > 0) {
    notes.push(`${tree.unreadableDirs.length} folder(s) could not be read`);
  }
  if (tree.symlinkedDirsSkipped > 0)
    notes.push(`${tree.symlinkedDirsSkipped} symlinked folder(s) were not followed`);

  const dirs = projectDirs(tree);
  const rootNames = dirs[0]!.names;
  const rootIsWorkspace =
    rootNames.has('pnpm-workspace.yaml') ||
    rootNames.has('lerna.json') ||
    (await isWorkspaceRoot(abs));
  const node: PackageRead[] = [];
  const otherLocks: EcosystemLock[] = [];
  for (const { dir, names, subFiles } of dirs) {
    signal?.throwIfAborted();
    if (names.has('package.json')) {
      const hasLock = LOCKFILES.some((l) => names.has(l.name));
      const rootRead = node.find((n) => n.project.dir === '');
      // A workspace member without its own lockfile is locked by the root's.
      const member =
        dir !== '' && !hasLock && rootIsWorkspace && (rootRead?.project.lockfiles.length ?? 0) > 0;
      if (!member) node.push(await readNodeProject(abs, dir, names));
    }
    otherLocks.push(...(await otherEcosystems(abs, dir, names, subFiles)));
  }

  const rootScripts = node.find((n) => n.project.dir === '')?.scripts ?? null;
  const build = await analyseBuild(
    abs,
    tree,
    node.map((n) => ({ packageJson: n.project.packageJson, scripts: n.scripts })),
  );
  const ci = await analyseCi(abs, tree, rootScripts);
  const migrations = await analyseMigrations(abs, tree, signal);
  if (migrations.capped) notes.push('too many migrations: only the first were read');
  return {
    root: abs,
    node: node.map((n) => n.project),
    otherEcosystems: otherLocks,
    build,
    ci,
    migrations,
    notes,
    ms: Date.now() - started,
  };
}

/** The root package.json declares `workspaces` (npm, yarn, bun). */
async function isWorkspaceRoot(root: string): Promise<boolean> {
  const read = await readText(join(root, 'package.json'), PACKAGE_JSON_CAP);
  if (!read.ok) return false;
  try {
    const doc: unknown = JSON.parse(read.text);
    return isObj(doc) && doc.workspaces !== undefined;
  } catch {
    return false;
  }
}
