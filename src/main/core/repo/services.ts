/**
 * Stage 3 — which outside services the backend depends on, so the founder knows whose keys to
 * rotate and where: read from dependency manifests (package.json, requirements, pyproject,
 * Pipfile, Gemfile), from the environment variable names the caller found, and from the secret
 * scanner's providers. Names only: no value is read or kept.
 */
import { ProbeError } from '../probes/errors';
import { declaredDependencies } from './lockfile-packages';
import { findManifests, readText } from './manifest-finder';
import { normalizePyName } from './other-lockfiles';
import type { ServiceCategory, ServiceEntry } from './service-catalogue';
import { CATEGORY_ORDER, matchesName, SERVICE_CATALOGUE } from './service-catalogue';

export interface ServiceEvidence {
  kind: 'dependency' | 'env' | 'secret';
  /** The package, variable or provider name. */
  name: string;
  /** The manifest it was declared in (dependencies only). */
  file: string | null;
}

export interface ServiceUse {
  id: string;
  name: string;
  category: ServiceCategory;
  evidence: ServiceEvidence[];
  /** The variables seen for it (from `envNames`): where its keys live in this project. */
  envNames: string[];
  /** Where its key usually lives. */
  usualEnv: string[];
  rotate: string;
}

export interface ServiceInventory {
  services: ServiceUse[];
  /** Manifests read, relative to the root. */
  manifests: string[];
  notes: string[];
}

export interface InventoryOptions {
  /** Variable names found in env files, CI config or the hosting settings (never values). */
  envNames?: readonly string[];
  /** Provider names of secret findings (`Stripe`, `OpenAI`, `Database`…). */
  secretProviders?: readonly string[];
  signal?: AbortSignal;
}

type Ecosystem = 'npm' | 'pypi' | 'gems';
const MANIFESTS: Record<string, Ecosystem> = {
  'package.json': 'npm',
  'pyproject.toml': 'pypi',
  Pipfile: 'pypi',
  Gemfile: 'gems',
};
const REQUIREMENTS = /^requirements[\w.-]*\.txt$/i;
const MAX_NAMES = 5000;
/** Secret-scanner providers that name a kind of secret, not a vendor with a dashboard. */
const NOT_VENDORS = new Set(['private key', 'app secret', 'unknown provider', 'django']);
/** Prefixes that only say where a variable is exposed (browser bundles), not whose it is. */
const PUBLIC_PREFIX =
  /^(NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|NUXT_|PUBLIC_|GATSBY_)/;

function pyName(spec: string): string | null {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return m?.[1] ? normalizePyName(m[1]) : null;
}

function requirementNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('-'))
    .map(pyName)
    .filter((n): n is string => n !== null);
}

/** PEP 621 `dependencies = [...]` arrays and Poetry's `[tool.poetry.*dependencies]` tables. */
function pyprojectNames(text: string): string[] {
  const out: string[] = [];
  let table = '';
  let inArray = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!inArray && /^\[.*\]$/.test(line)) {
      table = line;
      continue;
    }
    if (
      !inArray &&
      /^(dependencies|[\w-]+)\s*=\s*\[/.test(line) &&
      /dependencies/.test(table + line)
    ) {
      inArray = true;
    }
    if (inArray) {
      for (const m of line.matchAll(/"([^"]+)"|'([^']+)'/g)) {
        const n = pyName(m[1] ?? m[2] ?? '');
        if (n) out.push(n);
      }
      if (line.includes(']')) inArray = false;
      continue;
    }
    if (/^\[tool\.poetry\.(.*\.)?dependencies\]$/.test(table)) {
      const key = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/.exec(line)?.[1];
      if (key && key !== 'python') out.push(normalizePyName(key));
    }
  }
  return out;
}

function pipfileNames(text: string): string[] {
  const out: string[] = [];
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    else if (section === '[packages]' || section === '[dev-packages]') {
      const key = /^"?([A-Za-z0-9][A-Za-z0-9._-]*)"?\s*=/.exec(line)?.[1];
      if (key) out.push(normalizePyName(key));
    }
  }
  return out;
}

function gemNames(text: string): string[] {
  return [...text.matchAll(/^\s*gem\s+["']([^"']+)["']/gm)].map((m) => m[1] as string);
}

function namesOf(file: string, text: string): [Ecosystem, string[]] {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (REQUIREMENTS.test(base)) return ['pypi', requirementNames(text)];
  if (base === 'package.json') return ['npm', [...declaredDependencies(text).keys()]];
  if (base === 'pyproject.toml') return ['pypi', pyprojectNames(text)];
  if (base === 'Pipfile') return ['pypi', pipfileNames(text)];
  return ['gems', gemNames(text)];
}

export async function inventoryServices(
  root: string,
  opts: InventoryOptions = {},
): Promise<ServiceInventory> {
  const found = new Map<string, ServiceUse>();
  const useOf = (entry: ServiceEntry): ServiceUse => {
    let use = found.get(entry.id);
    if (!use) {
      use = {
        id: entry.id,
        name: entry.name,
        category: entry.category,
        evidence: [],
        envNames: [],
        usualEnv: [...entry.keyEnv],
        rotate: entry.rotate,
      };
      found.set(entry.id, use);
    }
    return use;
  };
  const notes: string[] = [];

  const manifests = await findManifests(root, (n) => n in MANIFESTS || REQUIREMENTS.test(n));
  for (const file of manifests) {
    if (opts.signal?.aborted) throw new ProbeError('aborted', 'The service inventory was stopped.');
    const text = await readText(root, file);
    if (text === null) {
      notes.push(`${file} could not be read.`);
      continue;
    }
    const [eco, names] = namesOf(file, text);
    for (const name of new Set(names.slice(0, MAX_NAMES))) {
      const entry = SERVICE_CATALOGUE.find((e) => matchesName(name, e[eco]));
      const use = entry && useOf(entry);
      if (use && !use.evidence.some((e) => e.kind === 'dependency' && e.name === name)) {
        use.evidence.push({ kind: 'dependency', name, file });
      }
    }
  }

  for (const raw of new Set((opts.envNames ?? []).slice(0, MAX_NAMES))) {
    const name = raw.trim().toUpperCase();
    const bare = name.replace(PUBLIC_PREFIX, '');
    const entry = SERVICE_CATALOGUE.find((e) => e.env?.test(bare));
    if (!entry) continue;
    const use = useOf(entry);
    if (!use.envNames.includes(raw)) {
      use.envNames.push(raw);
      use.evidence.push({ kind: 'env', name: raw, file: null });
    }
  }

  for (const provider of new Set(opts.secretProviders ?? [])) {
    const p = provider.trim().toLowerCase();
    const entry = SERVICE_CATALOGUE.find(
      (e) => e.name.toLowerCase() === p || e.secretProviders.some((s) => s.toLowerCase() === p),
    );
    if (entry) useOf(entry).evidence.push({ kind: 'secret', name: provider, file: null });
    else if (!NOT_VENDORS.has(p)) notes.push(`No rotation guide for secrets of "${provider}".`);
  }

  const services = [...found.values()].sort(
    (a, b) =>
      CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
      a.name.localeCompare(b.name),
  );
  return { services, manifests, notes };
}
