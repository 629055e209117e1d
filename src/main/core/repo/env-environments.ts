/**
 * Whether staging (or previews) are configured apart from production: file-name conventions
 * (`.env.staging`, `config/environments/production.rb`, `docker-compose.prod.yml`…) and the
 * environment sections of platform configs (wrangler, netlify, GitHub Actions `environment:`).
 */
import { join } from 'node:path';
import { readText } from './bounded-fs';
import type { Tree } from './bounded-fs';
import { readWorkflowEnvironments } from './ci';

/** Maps the many spellings teams use onto a few environment names; null for anything else. */
export function normaliseEnvironment(word: string): string | null {
  const w = word.toLowerCase();
  if (/^(prod|production|live|prd)$/.test(w)) return 'production';
  if (/^(staging|stage|stg|preprod|pre-prod|preproduction|uat|qa)$/.test(w)) return 'staging';
  if (/^(preview|previews|deploy-preview|branch-deploy|review)$/.test(w)) return 'preview';
  if (/^(dev|development|develop)$/.test(w)) return 'development';
  if (/^(test|testing|ci|e2e)$/.test(w)) return 'test';
  if (w === 'local') return 'local';
  return null;
}

export interface EnvironmentEvidence {
  /** Normalised environment name: production, staging, preview, development, test or local. */
  environment: string;
  /** Repository-relative file (or folder) that shows it. */
  file: string;
  /** What convention it follows, in plain words. */
  how: string;
}

/**
 * `separate`: a staging or preview environment is configured apart from production.
 * `single`: only one deployable environment was found (or none at all).
 */
export interface EnvironmentsFound {
  verdict: 'separate' | 'single';
  /** Distinct environments seen, sorted. */
  names: string[];
  evidence: EnvironmentEvidence[];
  /** Hosting whose branch previews exist by default (vercel, netlify); not counted as staging by itself. */
  platformPreviews: string[];
}

const CONFIG_EXT = '(?:json|jsonc|js|cjs|mjs|ts|yml|yaml|toml|rb|py|ini|env|properties|exs|php)';
const NAME_RULES: { re: RegExp; how: string }[] = [
  { re: /(?:^|\/)\.env\.([a-z-]+)/i, how: 'environment file' },
  {
    re: new RegExp(`(?:^|/)config/environments/([a-z-]+)\\.${CONFIG_EXT}$`, 'i'),
    how: 'framework environment config (Rails, Phoenix…)',
  },
  {
    re: new RegExp(`(?:^|/)config/(?:settings/|deploy/)?([a-z-]+)\\.${CONFIG_EXT}$`, 'i'),
    how: 'per-environment config file',
  },
  { re: /(?:^|\/)environments?\/([a-z-]+)(?:\/|\.|$)/i, how: 'environments folder' },
  { re: /(?:^|\/)environment\.([a-z-]+)\.ts$/i, how: 'Angular environment file' },
  { re: /(?:^|\/)settings\/([a-z-]+)\.py$/i, how: 'Django split settings' },
  { re: /(?:^|\/)(?:docker-)?compose[.-]([a-z-]+)\.ya?ml$/i, how: 'docker-compose override' },
  { re: /(?:^|\/)fly[.-]([a-z-]+)\.toml$/i, how: 'Fly.io app config' },
  { re: /(?:^|\/)values[.-]([a-z-]+)\.ya?ml$/i, how: 'Helm values file' },
  { re: /(?:^|\/)overlays\/([a-z-]+)\//i, how: 'Kustomize overlay' },
  {
    re: /(?:^|\/)(?:envs|stages|deploy|infra)\/([a-z-]+)\//i,
    how: 'per-environment deploy folder',
  },
];

const CONFIG_CAP = 256 * 1024;
const MAX_EVIDENCE = 50;

/** Reads the tree's names and a handful of platform configs; never throws. */
export async function findEnvironments(root: string, tree: Tree): Promise<EnvironmentsFound> {
  const evidence: EnvironmentEvidence[] = [];
  /** True when the word names an environment (recorded once per environment and convention). */
  const add = (word: string, file: string, how: string): boolean => {
    const environment = normaliseEnvironment(word);
    if (!environment) return false;
    const dup = evidence.some((e) => e.environment === environment && e.how === how);
    if (!dup && evidence.length < MAX_EVIDENCE) evidence.push({ environment, file, how });
    return true;
  };

  // Folders first: `overlays/staging` is better evidence than each file inside it.
  const paths = [...tree.dirs.map((d) => `${d}/`), ...tree.files.map((f) => f.path)];
  for (const path of paths) {
    for (const rule of NAME_RULES) {
      const m = rule.re.exec(path);
      if (!m) continue;
      // `.env.production.local` is production; `.env.local` alone is a developer's machine.
      const whole = m[1]!;
      const word = normaliseEnvironment(whole)
        ? whole
        : (whole.split(/[.-]/).find((w) => normaliseEnvironment(w)) ?? whole);
      if (add(word, path.replace(/\/$/, ''), rule.how)) break;
    }
  }

  const platformPreviews: string[] = [];
  const rootFiles = new Set(tree.files.filter((f) => !f.path.includes('/')).map((f) => f.name));
  for (const name of ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc']) {
    if (!rootFiles.has(name)) continue;
    const read = await readText(join(root, name), CONFIG_CAP);
    if (!read.ok) continue;
    const sections = name.endsWith('.toml')
      ? [...read.text.matchAll(/^\s*\[+env\.([A-Za-z0-9_-]+)[\].]/gm)].map((m) => m[1]!)
      : [...read.text.matchAll(/"env"\s*:\s*\{([\s\S]*)/g)].flatMap((m) =>
          [...m[1]!.matchAll(/"([A-Za-z0-9_-]+)"\s*:\s*\{/g)].map((k) => k[1]!),
        );
    for (const s of sections) add(s, name, 'Cloudflare wrangler [env.*] section');
  }
  if (rootFiles.has('netlify.toml')) {
    platformPreviews.push('netlify');
    const read = await readText(join(root, 'netlify.toml'), CONFIG_CAP);
    if (read.ok) {
      for (const m of read.text.matchAll(/^\s*\[+context\.["']?([A-Za-z0-9_-]+)/gm)) {
        add(m[1]!, 'netlify.toml', 'Netlify deploy context');
      }
    }
  }
  if (rootFiles.has('vercel.json')) platformPreviews.push('vercel');

  for (const { file, environments } of await readWorkflowEnvironments(root, tree)) {
    for (const env of environments) add(env, file, 'GitHub Actions deployment environment');
  }

  const names = [...new Set(evidence.map((e) => e.environment))].sort();
  const separate = names.includes('staging') || names.includes('preview');
  return { verdict: separate ? 'separate' : 'single', names, evidence, platformPreviews };
}
