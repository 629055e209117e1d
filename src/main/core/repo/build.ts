/**
 * How the app is built and where it is hosted: package.json build scripts (reported by the tool
 * they call, never the full command), Dockerfiles, Procfiles and hosting platform configs.
 */
import { join } from 'node:path';
import { readText } from './bounded-fs';
import type { Tree } from './bounded-fs';

export interface BuildScript {
  /** The package.json it comes from (repository-relative). */
  packageJson: string;
  /** The framework or tool it runs (`next build`, `vite build`, `tsc`…); null when not recognised. */
  tool: string | null;
}

export interface PlatformConfig {
  /** vercel, netlify, fly, render, railway, heroku, cloudflare, firebase, aws, google-cloud, docker… */
  platform: string;
  file: string;
}

export interface BuildInfo {
  /** `scripts.build` of each package.json read. */
  buildScripts: BuildScript[];
  /** Some package.json has `scripts.start`. */
  hasStartScript: boolean;
  dockerfiles: string[];
  /** Process types declared in a Procfile (`web`, `worker`, `release`…). */
  procfile: { file: string; processes: string[] } | null;
  /** A build command set in a platform config (vercel.json `buildCommand`, netlify.toml `[build] command`). */
  platformBuildCommand: string[];
  platforms: PlatformConfig[];
  /** Some way to build was found: a build script, a Dockerfile or a platform build command. */
  hasBuild: boolean;
}

const BUILD_TOOLS: RegExp[] = [
  /\bnext\s+build\b/,
  /\belectron-(?:vite\s+build|builder)\b/,
  /\bvite\s+build\b/,
  /\bnuxi?\s+(?:build|generate)\b/,
  /\bastro\s+build\b/,
  /\bsvelte-kit\s+build\b/,
  /\bremix\s+(?:vite:)?build\b/,
  /\breact-scripts\s+build\b/,
  /\bng\s+build\b/,
  /\bgatsby\s+build\b/,
  /\bexpo\s+export\b/,
  /\bnest\s+build\b/,
  /\bparcel\s+build\b/,
  /\bturbo\s+(?:run\s+)?build\b/,
  /\b(?:webpack|rollup|esbuild|tsup|tsc)\b/,
];

/** The tool a build script runs, as a short keyword. */
export function buildTool(script: string): string | null {
  for (const re of BUILD_TOOLS) {
    const m = re.exec(script);
    if (m) return m[0].replace(/\s+/g, ' ');
  }
  return null;
}

const PLATFORM_FILES: [RegExp, string][] = [
  [/^vercel\.json$/, 'vercel'],
  [/^netlify\.toml$/, 'netlify'],
  [/^fly(?:\.[\w-]+)?\.toml$/, 'fly'],
  [/^render\.ya?ml$/, 'render'],
  [/^railway\.(?:json|toml)$/, 'railway'],
  [/^heroku\.yml$/, 'heroku'],
  [/^Procfile$/, 'procfile'],
  [/^wrangler\.(?:toml|json|jsonc)$/, 'cloudflare'],
  [/^firebase\.json$/, 'firebase'],
  [/^(?:serverless\.ya?ml|samconfig\.toml|cdk\.json|amplify\.ya?ml|apprunner\.yaml)$/, 'aws'],
  [/^(?:app\.ya?ml|cloudbuild\.ya?ml)$/, 'google-cloud'],
  [/^nixpacks\.toml$/, 'nixpacks'],
  [/^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/, 'docker-compose'],
];

const CONFIG_CAP = 256 * 1024;

/** Reads build and hosting signals at the root and in first-level folders; never throws. */
export async function analyseBuild(
  root: string,
  tree: Tree,
  packageScripts: { packageJson: string; scripts: Record<string, string> }[],
): Promise<BuildInfo> {
  const buildScripts = packageScripts
    .filter((p) => typeof p.scripts.build === 'string')
    .map((p) => ({ packageJson: p.packageJson, tool: buildTool(p.scripts.build!) }));
  const shallow = tree.files.filter((f) => f.path.split('/').length <= 2);
  const dockerfiles = shallow
    .filter((f) => /^Dockerfile(?:\.[\w-]+)?$|\.Dockerfile$/i.test(f.name))
    .map((f) => f.path);
  const platforms: PlatformConfig[] = [];
  for (const f of shallow) {
    for (const [re, platform] of PLATFORM_FILES) {
      if (re.test(f.name)) platforms.push({ platform, file: f.path });
    }
  }
  if (dockerfiles.length > 0) platforms.push({ platform: 'docker', file: dockerfiles[0]! });

  let procfile: BuildInfo['procfile'] = null;
  if (tree.files.some((f) => f.path === 'Procfile')) {
    const read = await readText(join(root, 'Procfile'), CONFIG_CAP);
    const processes = read.ok
      ? [...read.text.matchAll(/^([A-Za-z0-9_-]+):/gm)].map((m) => m[1]!)
      : [];
    procfile = { file: 'Procfile', processes };
  }

  const platformBuildCommand: string[] = [];
  const has = (p: string) => tree.files.some((f) => f.path === p);
  if (has('vercel.json')) {
    const read = await readText(join(root, 'vercel.json'), CONFIG_CAP);
    if (read.ok && /"buildCommand"\s*:\s*"[^"]+"/.test(read.text))
      platformBuildCommand.push('vercel.json');
  }
  if (has('netlify.toml')) {
    const read = await readText(join(root, 'netlify.toml'), CONFIG_CAP);
    if (read.ok && /^\s*\[build\][^[]*^\s*command\s*=/m.test(read.text))
      platformBuildCommand.push('netlify.toml');
  }

  return {
    buildScripts,
    hasStartScript: packageScripts.some((p) => typeof p.scripts.start === 'string'),
    dockerfiles,
    procfile,
    platformBuildCommand,
    platforms,
    hasBuild: buildScripts.length > 0 || dockerfiles.length > 0 || platformBuildCommand.length > 0,
  };
}
