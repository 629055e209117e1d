/**
 * Which files the secret scan reads, by path alone: lockfiles are skipped (their integrity
 * hashes look like secrets), third-party folders are skipped (their test fixtures are not the
 * founder's keys), and documentation files (`.env.example`) are read for real-format keys only.
 */

/** Lockfiles and checksum files: long random-looking hashes, never secrets. */
const LOCKFILE_NAMES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'Cargo.lock',
  'go.sum',
  'composer.lock',
  'Gemfile.lock',
  'pubspec.lock',
  'Podfile.lock',
  'flake.lock',
  'deno.lock',
];
const LOCKFILES = new Set(LOCKFILE_NAMES.map((n) => n.toLowerCase()));

/** Dependencies installed or vendored from elsewhere: skipped even when committed. */
const THIRD_PARTY_DIRS = [
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  '.venv',
  'venv',
  'site-packages',
  '__pycache__',
  '.git',
];

/**
 * Build output and caches: skipped when untracked (regenerated on every build), but read when
 * committed — a committed bundle with an inlined key is shipped as it is.
 */
const BUILD_DIRS = new Set([
  'dist',
  'build',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.output',
  'out',
  'coverage',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.vercel',
  '.netlify',
  'target',
]);

const THIRD_PARTY = new Set(THIRD_PARTY_DIRS);

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirs(path: string): string[] {
  return path.split('/').slice(0, -1);
}

export function isLockfile(path: string): boolean {
  return LOCKFILES.has(basename(path).toLowerCase());
}

export function inThirdPartyDir(path: string): boolean {
  return dirs(path).some((d) => THIRD_PARTY.has(d));
}

export function inBuildDir(path: string): boolean {
  return dirs(path).some((d) => BUILD_DIRS.has(d));
}

/** `.env.example`, `.env.sample`, `.env.template`, `config.example.json`, `settings.sample.py`. */
export function isDocumentationFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  return (
    /\.(?:example|sample|template|dist)(?:\.|$)/.test(name) ||
    /^(?:example|sample)\.env$/.test(name)
  );
}

/** Skipped wherever found: lockfiles and third-party folders. */
export function isSkippedPath(path: string): boolean {
  return isLockfile(path) || inThirdPartyDir(path);
}

/** git pathspecs excluding the same files from `git log`, so git never sends their diffs. */
export function historyPathspecs(): string[] {
  return [
    '.',
    ...THIRD_PARTY_DIRS.map((d) => `:(exclude,glob)**/${d}/**`),
    // Pathspec globs are case-sensitive: the usual spellings are enough here.
    ...LOCKFILE_NAMES.map((f) => `:(exclude,glob)**/${f}`),
  ];
}
