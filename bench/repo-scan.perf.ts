/**
 * Stage 3 secret-scan figures (npm run bench; printed, never asserted), as `name: value` lines:
 *
 * - scan_5k_commits_ms: scanRepo over a generated repository of 5,000 commits on three branches
 *   (TypeScript, JSON, Markdown, CSS, a churning package-lock.json; a few planted keys), median
 *   of 3 runs after a warm-up. Goal: under 10 s on 2 cores.
 * - scan_mb_per_s: MB (10^6 bytes) of text scanned per second in that run: working tree plus
 *   the added lines of the history.
 * Also printed for context: the history's size, and how long `git log -p` alone takes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { scanRepo } from '../src/main/core/repo/secrets';
import type { RepoScan } from '../src/main/core/repo/types';

const COMMITS = 5000;
const FILES = 400;

let seed = 0x2545f491;
function rand(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const word = () =>
  pick([
    'user',
    'order',
    'invoice',
    'prompt',
    'model',
    'session',
    'team',
    'plan',
    'token',
    'event',
    'message',
    'config',
  ]);
const ident = () =>
  `${word()}${pick(['Id', 'Name', 'Count', 'List', 'State', 'Url', ''])}${rand(100)}`;
const str = (n: number) => Array.from({ length: n }, () => ALNUM[rand(62)]).join('');

/** Lines that look like a small SaaS codebase, including the names the generic rule keys on. */
const LINES: Record<string, (() => string)[]> = {
  ts: [
    () =>
      `  const ${ident()} = await ${word()}Service.find${pick(['One', 'Many', 'ById'])}(${ident()});`,
    () =>
      `export async function handle${pick(['Create', 'Update', 'Delete'])}${word()}(req: Request, res: Response) {`,
    () =>
      `  if (!${ident()}) throw new HttpError(${pick([400, 401, 404, 409])}, '${word()} not found');`,
    () => `  return res.json({ ${ident()}, ${ident()}: ${rand(1000)} });`,
    () => `import { ${ident()} } from '../${word()}/${word()}';`,
    () => `  token: string; // the ${word()} token`,
    () =>
      `  const password = hashedPassword${rand(10)}; const secret = process.env.${word().toUpperCase()}_SECRET;`,
    () => `  // TODO(${word()}): handle ${word()} retries with backoff (${rand(30)}s)`,
    () => `}`,
  ],
  json: [
    () => `    "${ident()}": "${word()}-${word()}-${rand(100)}",`,
    () => `    "${ident()}": ${rand(10_000)},`,
    () => `    "id": "${str(8)}-${str(4)}-${str(4)}-${str(4)}-${str(12)}",`,
  ],
  md: [
    () =>
      `The ${word()} flow sends a ${word()} to the ${word()} service, which stores it for ${rand(90)} days.`,
    () => `- [ ] ${word()}: check the ${word()} limits before the demo`,
    () => `Set \`${word().toUpperCase()}_API_KEY=your-key-here\` in \`.env.local\`.`,
  ],
  css: [
    () => `.${word()}-${word()}{display:flex;gap:${rand(24)}px;color:#${str(6).toLowerCase()}}`,
    () => `@media (max-width:${rand(1200)}px){.${word()}{padding:${rand(40)}px}}`,
  ],
};
const EXT = ['ts', 'ts', 'ts', 'json', 'md', 'css'] as const;

function content(ext: (typeof EXT)[number], lines: number): string[] {
  return Array.from({ length: lines }, () => pick(LINES[ext]!)());
}

interface GenFile {
  path: string;
  ext: (typeof EXT)[number];
  lines: string[];
}
function files(dir: string, n: number): GenFile[] {
  return Array.from({ length: n }, (_, i) => {
    const ext = EXT[i % EXT.length]!;
    return { path: `${dir}/${word()}/${i}.${ext}`, ext, lines: content(ext, 120 + rand(200)) };
  });
}

/**
 * A fast-import stream: main, plus two feature branches off it that each work on their own
 * folder (so their diffs stay small), and a key planted every ~1,000 commits.
 */
function history(): { stream: string; planted: number } {
  const branches: Record<string, GenFile[]> = {
    main: files('src', FILES),
    'feature/billing': files('billing', 40),
    'feature/ai': files('ai', 40),
  };
  const started = new Set<string>();
  const out: string[] = [];
  const blob = (text: string) => `data ${Buffer.byteLength(text)}\n${text}`;
  let planted = 0;
  for (let c = 1; c <= COMMITS; c++) {
    const branch = c % 10 === 3 ? 'feature/billing' : c % 10 === 7 ? 'feature/ai' : 'main';
    const own = branches[branch]!;
    out.push(
      `commit refs/heads/${branch}`,
      `committer Founder <f@example.test> ${1_700_000_000 + c * 600} +0000`,
      blob(`change ${c}\n`),
    );
    const first = !started.has(branch);
    if (first && branch !== 'main') out.push('from refs/heads/main');
    started.add(branch);
    const changed = first ? own : Array.from({ length: 1 + rand(2) }, () => pick(own));
    for (const f of changed) {
      // Rewrite a block of 30–90 lines: a realistic diff, a few KB added.
      if (!first) {
        const at = rand(Math.max(1, f.lines.length - 90));
        f.lines.splice(at, 30 + rand(60), ...content(f.ext, 30 + rand(60)));
      }
      if (c % 997 === 0) {
        const key = ['sk', 'live', str(24)].join('_');
        f.lines.splice(rand(f.lines.length), 0, `const stripeKey = '${key}';`);
        planted++;
      }
      out.push(`M 644 inline ${f.path}`, blob(`${f.lines.join('\n')}\n`));
    }
    if (branch === 'main' && c % 25 === 0) {
      const lock = Array.from(
        { length: 2000 },
        (_, i) => `    "node_modules/p${i}": { "integrity": "sha512-${str(86)}==" },`,
      );
      out.push('M 644 inline package-lock.json', blob(`{\n${lock.join('\n')}\n}\n`));
    }
  }
  return { stream: `${out.join('\n')}\n`, planted };
}

const env = {
  PATH: process.env.PATH,
  HOME: devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: devNull,
};
let dir: string;
let planted = 0;
const lines: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lr-bench-repo-'));
  const t0 = performance.now();
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
  const h = history();
  planted = h.planted;
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: dir,
    env,
    input: h.stream,
    maxBuffer: 1 << 30,
  });
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir, env });
  lines.push(
    `repo_generated_ms: ${Math.round(performance.now() - t0)} (fast-import stream ${(h.stream.length / 1e6).toFixed(1)} MB)`,
  );
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\nRepository secret scan (5,000 commits):\n${lines.map((l) => `  ${l}`).join('\n')}\n`,
  );
});

describe('repository secret scan', () => {
  it('scans 5,000 commits on every branch', async () => {
    const t0 = performance.now();
    const log = spawnSync(
      'git',
      [
        'log',
        '--all',
        '-p',
        '--unified=0',
        '--no-renames',
        '--no-color',
        '--',
        '.',
        ':(exclude)package-lock.json',
      ],
      {
        cwd: dir,
        env,
        maxBuffer: 1 << 30,
      },
    );
    lines.push(
      `git_log_only_ms: ${Math.round(performance.now() - t0)} (${(log.stdout.length / 1e6).toFixed(1)} MB of diff output)`,
    );

    await scanRepo(dir); // warm-up
    const runs: { ms: number; scan: RepoScan }[] = [];
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      const scan = await scanRepo(dir);
      runs.push({ ms: performance.now() - s, scan });
    }
    runs.sort((a, b) => a.ms - b.ms);
    const { ms, scan } = runs[1]!;
    lines.push(
      `scan_5k_commits_ms: ${Math.round(ms)}`,
      `scan_mb_per_s: ${(scan.stats.bytes / 1e6 / (ms / 1000)).toFixed(1)}`,
      `scanned: ${scan.stats.commits} commits, ${scan.stats.files} files, ${(scan.stats.bytes / 1e6).toFixed(1)} MB of text`,
      `findings: ${scan.findings.length} (planted: ${planted} in history; secret class: ${scan.findings.filter((f) => f.keyClass === 'secret').length})`,
      `runs_ms: ${runs.map((r) => Math.round(r.ms)).join(', ')}`,
      ...scan.notes.map((n) => `note: ${n}`),
    );
  });
});
