/**
 * Which environment variables the code reads, by text patterns per language (no parsing: a
 * read inside a comment still counts, which errs towards asking for documentation). Only names
 * and file:line locations are kept.
 */
import { join } from 'node:path';
import { LineCounter, readText } from './bounded-fs';
import type { Tree } from './bounded-fs';

export interface SourceLocation {
  /** Repository-relative path with forward slashes. */
  file: string;
  /** 1-based line. */
  line: number;
}

export interface EnvVariableUse {
  name: string;
  /** Every read found. */
  count: number;
  /** The first 3 reads, in path order. */
  locations: SourceLocation[];
}

export interface EnvUsageStats {
  filesScanned: number;
  bytesScanned: number;
  /** Files skipped as larger than 1 MiB, binary, or unreadable. */
  skippedLarge: number;
  skippedBinary: number;
  skippedUnreadable: number;
  /** The file cap was reached: later files were not scanned. */
  capped: boolean;
}

export interface EnvUsage {
  /** Variables the founder's code reads, sorted by name. */
  variables: EnvVariableUse[];
  /** Platform- or runtime-provided variables that were read but need no documentation. */
  runtime: EnvVariableUse[];
  /** Reads by computed name (`process.env[key]`): the list above may be incomplete. */
  dynamicReads: { count: number; locations: SourceLocation[] };
  stats: EnvUsageStats;
}

type Lang = 'js' | 'py' | 'rb' | 'go' | 'rs' | 'php' | 'prisma';
const LANG_BY_EXT: Record<string, Lang> = {
  js: 'js', jsx: 'js', ts: 'js', tsx: 'js', mjs: 'js', cjs: 'js', mts: 'js', cts: 'js',
  vue: 'js', svelte: 'js', astro: 'js',
  py: 'py',
  rb: 'rb', rake: 'rb', erb: 'rb', ru: 'rb',
  go: 'go',
  rs: 'rs',
  php: 'php',
  prisma: 'prisma',
}; // prettier-ignore

/** A read followed by `=` (not `==`) is an assignment, e.g. in a test setup: not a read. */
const NOT_ASSIGNED = String.raw`(?!\s*=(?!=))`;
const Q = String.raw`(['"\x60])`;
const ID = String.raw`([A-Za-z_][A-Za-z0-9_]*)`;
const rx = (s: string) => new RegExp(s, 'g');

interface Pattern {
  re: RegExp;
  /** Capture group holding the name. */
  group: number;
  /** import.meta.env reads Vite/Astro built-ins (MODE, DEV…), not environment variables. */
  viteBuiltins?: boolean;
}

const PATTERNS: Record<Lang, Pattern[]> = {
  js: [
    { re: rx(String.raw`\b(?:process|Bun)\.env\??\.${ID}\b${NOT_ASSIGNED}`), group: 1 },
    {
      re: rx(String.raw`\b(?:process|Bun)\.env\??\.?\[\s*${Q}${ID}\1\s*\]${NOT_ASSIGNED}`),
      group: 2,
    },
    {
      re: rx(String.raw`\bimport\.meta\.env\??\.${ID}\b${NOT_ASSIGNED}`),
      group: 1,
      viteBuiltins: true,
    },
    {
      re: rx(String.raw`\bimport\.meta\.env\??\.?\[\s*${Q}${ID}\1\s*\]`),
      group: 2,
      viteBuiltins: true,
    },
    { re: rx(String.raw`\bDeno\.env\.get\(\s*${Q}${ID}\1`), group: 2 },
  ],
  py: [
    { re: rx(String.raw`\benviron\s*\[\s*(['"])${ID}\1\s*\]${NOT_ASSIGNED}`), group: 2 },
    { re: rx(String.raw`\benviron\.(?:get|setdefault|pop)\(\s*(['"])${ID}\1`), group: 2 },
    { re: rx(String.raw`\bgetenv\(\s*(['"])${ID}\1`), group: 2 },
  ],
  rb: [
    { re: rx(String.raw`\bENV\s*\[\s*(['"])${ID}\1\s*\]${NOT_ASSIGNED}`), group: 2 },
    {
      re: rx(String.raw`\bENV\.(?:fetch|key\?|has_key\?|include\?)\s*\(?\s*(['"])${ID}\1`),
      group: 2,
    },
  ],
  go: [{ re: rx(String.raw`\bos\.(?:Getenv|LookupEnv)\(\s*"${ID}"`), group: 1 }],
  rs: [{ re: rx(String.raw`\benv::var(?:_os)?\(\s*"${ID}"`), group: 1 }],
  php: [
    { re: rx(String.raw`\b(?:getenv|env)\(\s*(['"])${ID}\1`), group: 2 },
    { re: rx(String.raw`\$_ENV\s*\[\s*(['"])${ID}\1\s*\]`), group: 2 },
  ],
  prisma: [{ re: rx(String.raw`\benv\(\s*"${ID}"\s*\)`), group: 1 }],
};

/** Destructuring declarations of process.env, import.meta.env or Bun.env: `{ A, B: b, C = 'x' }`. */
const DESTRUCTURE =
  /\b(?:const|let|var)\s*\{([^{}]{1,4000})\}\s*(?::[^=;{}()\n]{1,200})?=\s*(?:process|Bun|import\.meta)\.env\b/g;
/** SvelteKit: `import { STRIPE_KEY } from '$env/static/private'`. */
const SVELTE_IMPORT =
  /import\s*\{([^{}]{1,4000})\}\s*from\s*['"]\$env\/static\/(?:private|public)['"]/g;
const DYNAMIC = /\b(?:process|Bun)\.env\??\.?\[\s*(?![\s'"\x60])/g;

const RUNTIME_EXACT = new Set([
  'NODE_ENV', 'CI', 'HOME', 'PATH', 'PWD', 'TZ', 'USER', 'USERNAME', 'SHELL', 'TERM', 'LANG',
  'TMPDIR', 'TEMP', 'TMP', 'HOSTNAME', 'PORT', 'NODE_OPTIONS', 'NODE_DEBUG', 'NEXT_RUNTIME',
  'NEXT_PHASE', 'RAILS_ENV', 'RACK_ENV', 'RAILS_MAX_THREADS', 'RAILS_MIN_THREADS',
  'WEB_CONCURRENCY', 'PIDFILE', 'RAILS_LOG_TO_STDOUT', 'RAILS_SERVE_STATIC_FILES',
  'RAILS_LOG_LEVEL', 'PYTHONPATH', 'PYTHONUNBUFFERED', 'VIRTUAL_ENV', 'GOPATH', 'GOOS', 'GOARCH',
  'DYNO', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION', 'AWS_EXECUTION_ENV', 'LAMBDA_TASK_ROOT',
  'VERCEL', 'NETLIFY', 'RENDER', 'CF_PAGES', 'JEST_WORKER_ID', 'VITEST',
]); // prettier-ignore
const RUNTIME_PREFIXES = [
  'VERCEL_', 'NETLIFY_', 'RENDER_', 'RAILWAY_', 'FLY_', 'HEROKU_', 'CF_PAGES_', 'GITHUB_',
  'GITLAB_', 'CI_', 'CIRCLE', 'BITBUCKET_', 'BUILDKITE', 'AWS_LAMBDA_', 'LC_', 'npm_', '__NEXT',
]; // prettier-ignore
const VITE_BUILTINS = new Set(['MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'SITE', 'ASSETS_PREFIX']);

/** Set by the runtime or hosting platform, or a framework built-in: needs no `.env.example` line. */
export function isRuntimeVariable(name: string): boolean {
  return RUNTIME_EXACT.has(name) || RUNTIME_PREFIXES.some((p) => name.startsWith(p));
}

const FILE_CAP = 1024 * 1024;
const MAX_FILES = 20_000;
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_LOCATIONS = 3;
const CONCURRENCY = 8;

function langOf(path: string, name: string): Lang | null {
  if (/\.min\.[cm]?js$|\.bundle\.js$|\.d\.ts$/.test(name)) return null;
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (ext === name.toLowerCase() && name !== 'Rakefile' && name !== 'Gemfile') return null;
  // Rails reads ENV from ERB inside config/*.yml.
  if ((ext === 'yml' || ext === 'yaml') && /(?:^|\/)config\//.test(path)) return 'rb';
  if (name === 'Rakefile' || name === 'Gemfile') return 'rb';
  return LANG_BY_EXT[ext] ?? null;
}

interface Hit {
  name: string;
  line: number;
  vite: boolean;
}

function scanText(text: string, lang: Lang): { hits: Hit[]; dynamic: number[] } {
  const hits: Hit[] = [];
  const lines = new LineCounter(text);
  const found: { index: number; name: string; vite: boolean }[] = [];
  for (const p of PATTERNS[lang]) {
    for (const m of text.matchAll(p.re)) {
      found.push({ index: m.index, name: m[p.group]!, vite: p.viteBuiltins === true });
    }
  }
  const dynamic: number[] = [];
  if (lang === 'js') {
    for (const re of [DESTRUCTURE, SVELTE_IMPORT]) {
      for (const m of text.matchAll(re)) {
        for (const part of m[1]!.split(',')) {
          const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(part)?.[1];
          if (name && !part.trim().startsWith('...'))
            found.push({
              index: m.index,
              name,
              vite: re !== SVELTE_IMPORT && m[0].includes('import.meta'),
            });
        }
      }
    }
    for (const m of text.matchAll(DYNAMIC)) dynamic.push(m.index);
  }
  found.sort((a, b) => a.index - b.index);
  for (const f of found) hits.push({ name: f.name, line: lines.at(f.index), vite: f.vite });
  return { hits, dynamic: dynamic.map((i) => lines.at(i)).sort((a, b) => a - b) };
}

/** Scans the tree's source files (bounded by size, count and total bytes); never throws. */
export async function scanEnvUsage(
  root: string,
  tree: Tree,
  signal?: AbortSignal,
): Promise<EnvUsage> {
  const stats: EnvUsageStats = {
    filesScanned: 0,
    bytesScanned: 0,
    skippedLarge: 0,
    skippedBinary: 0,
    skippedUnreadable: 0,
    capped: false,
  };
  const sources = tree.files
    .filter((f) => !f.symlink)
    .map((f) => ({ path: f.path, lang: langOf(f.path, f.name) }))
    .filter((f): f is { path: string; lang: Lang } => f.lang !== null);
  if (sources.length > MAX_FILES) {
    stats.capped = true;
    sources.length = MAX_FILES;
  }
  const results: ({ hits: Hit[]; dynamic: number[] } | null)[] = new Array(sources.length).fill(
    null,
  );
  let next = 0;
  const worker = async () => {
    while (next < sources.length && !stats.capped) {
      signal?.throwIfAborted();
      const i = next++;
      const src = sources[i]!;
      const read = await readText(join(root, src.path), FILE_CAP);
      if (!read.ok) {
        if (read.reason === 'too-large') stats.skippedLarge++;
        else if (read.reason === 'binary') stats.skippedBinary++;
        else stats.skippedUnreadable++;
        continue;
      }
      stats.filesScanned++;
      stats.bytesScanned += read.text.length;
      if (stats.bytesScanned > MAX_BYTES) stats.capped = true;
      results[i] = scanText(read.text, src.lang);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  signal?.throwIfAborted();

  const byName = new Map<string, EnvVariableUse & { runtime: boolean }>();
  const dynamicReads: EnvUsage['dynamicReads'] = { count: 0, locations: [] };
  results.forEach((r, i) => {
    if (!r) return;
    const file = sources[i]!.path;
    for (const h of r.hits) {
      const runtime = isRuntimeVariable(h.name) || (h.vite && VITE_BUILTINS.has(h.name));
      let use = byName.get(h.name);
      if (!use) byName.set(h.name, (use = { name: h.name, count: 0, locations: [], runtime }));
      use.runtime &&= runtime;
      use.count++;
      if (use.locations.length < MAX_LOCATIONS) use.locations.push({ file, line: h.line });
    }
    for (const line of r.dynamic) {
      dynamicReads.count++;
      if (dynamicReads.locations.length < MAX_LOCATIONS)
        dynamicReads.locations.push({ file, line });
    }
  });
  const all = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const strip = ({ name, count, locations }: EnvVariableUse) => ({ name, count, locations });
  return {
    variables: all.filter((u) => !u.runtime).map(strip),
    runtime: all.filter((u) => u.runtime).map(strip),
    dynamicReads,
    stats,
  };
}
