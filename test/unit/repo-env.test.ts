import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseEnv } from '../../src/main/core/repo/env';
import type { EnvAnalysis } from '../../src/main/core/repo/env';

// Real folders and real git repositories in the OS temp dir; nothing of the analyser is mocked.
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) {
    await chmod(dir, 0o755).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});

async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'launch-ready-env-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/**
 * git with no system or user configuration, so the machine's settings cannot leak in, and no
 * inherited GIT_* variables (a hook running these tests must not point git at this repository).
 */
function git(cwd: string, ...args: string[]): void {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')),
  );
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: {
      ...inherited,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: devNull,
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.test',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.test',
    },
  });
}

async function repo(files: Record<string, string>): Promise<string> {
  const root = await folder(files);
  git(root, 'init', '-q', '-b', 'main');
  return root;
}

const file = (a: EnvAnalysis, path: string) => a.files.find((f) => f.path === path);
const names = (vars: { name: string }[]) => vars.map((v) => v.name);

describe('analyseEnv: env files and git', () => {
  it('tells a tracked .env (even if .gitignore lists it now) from an ignored and an unignored one', async () => {
    const root = await repo({
      '.env': 'STRIPE_SECRET_KEY=sk_live_committed_by_mistake\n',
      '.env.staging': 'DATABASE_URL=postgres://staging\n',
      '.env.example': 'STRIPE_SECRET_KEY=\n',
    });
    git(root, 'add', '.env', '.env.staging', '.env.example');
    git(root, 'commit', '-q', '-m', 'oops');
    await writeFile(join(root, '.gitignore'), '.env\n.env*.local\n');
    await writeFile(join(root, '.env.local'), 'OPENAI_API_KEY=sk-local\n');
    await writeFile(join(root, '.env.production'), 'OPENAI_API_KEY=sk-prod\n');
    await rm(join(root, '.env.staging')); // deleted locally, still in HEAD

    const a = await analyseEnv(root);
    expect(a.git).toBe('repo');
    expect(file(a, '.env')).toMatchObject({
      kind: 'env',
      git: 'tracked',
      tracked: true,
      ignored: false,
      ignoreRule: { source: '.gitignore', line: 1, pattern: '.env' },
      inWorkingTree: true,
    });
    expect(file(a, '.env.local')).toMatchObject({
      git: 'ignored',
      tracked: false,
      ignored: true,
      environment: 'local',
      ignoreRule: { source: '.gitignore', line: 2, pattern: '.env*.local' },
    });
    expect(file(a, '.env.production')).toMatchObject({
      git: 'not-ignored',
      tracked: false,
      ignored: false,
      ignoreRule: null,
      environment: 'production',
    });
    expect(file(a, '.env.staging')).toMatchObject({
      git: 'tracked',
      inWorkingTree: false,
      names: [],
    });
    expect(file(a, '.env.example')).toMatchObject({ kind: 'example', git: 'tracked' });
    expect(a.newDotenvIgnored).toBe(true);
    expect(a.notes).toEqual([]);
  });

  it('honours negated rules, and ignores rules that exist only in the user global excludes file', async () => {
    const root = await repo({
      '.gitignore': '.env*\n!.env.example\n',
      '.env.example': 'A=\n',
      '.env.test': 'A=1\n',
    });
    const plain = await repo({ '.env.production': 'A=1\n' });
    const home = await folder({ excludes: '.env.production\n.env.example\n' });
    await writeFile(
      join(home, 'gitconfig'),
      `[core]\n\texcludesFile = ${join(home, 'excludes')}\n`,
    );
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = join(home, 'gitconfig');
    try {
      const a = await analyseEnv(root);
      expect(file(a, '.env.example')).toMatchObject({ git: 'not-ignored', ignored: false });
      expect(file(a, '.env.test')).toMatchObject({ git: 'ignored', environment: 'test' });
      // Only the founder's laptop ignores it: a teammate's `git add .` would commit it.
      const b = await analyseEnv(plain);
      expect(file(b, '.env.production')).toMatchObject({ git: 'not-ignored', ignoreRule: null });
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
    }
    // With no rule at all, a new .env would be committed.
    const bare = await repo({ 'index.js': '' });
    expect((await analyseEnv(bare)).newDotenvIgnored).toBe(false);
  });

  it('analyses a subfolder of a repository with paths relative to that subfolder', async () => {
    const root = await repo({
      '.gitignore': '*.local\n',
      'app/.env.local': 'A=1\n',
      'app/.env': 'A=1\n',
    });
    git(root, 'add', 'app/.env');
    git(root, 'commit', '-q', '-m', 'x');
    const a = await analyseEnv(join(root, 'app'));
    expect(a.files.map((f) => [f.path, f.git])).toEqual([
      ['.env', 'tracked'],
      ['.env.local', 'ignored'],
    ]);
    expect(file(a, '.env.local')?.ignoreRule).toEqual({
      source: '.gitignore',
      line: 1,
      pattern: '*.local',
    });
  });

  it('without git says so and leaves ignore status unknown', async () => {
    const root = await folder({ '.env': 'A=1\n', '.gitignore': '.env\n' });
    const a = await analyseEnv(root);
    expect(a.git).toBe('not-a-repo');
    expect(file(a, '.env')).toMatchObject({ git: 'unknown', tracked: null, ignored: null });
    expect(a.newDotenvIgnored).toBeNull();
    expect(a.notes.join(' ')).toMatch(/not a git repository/);
  });

  it('ignores GIT_DIR and GIT_INDEX_FILE inherited from a git hook', async () => {
    const other = await repo({ '.env': 'A=1\n' });
    git(other, 'add', '.env');
    const plain = await folder({ '.env': 'A=1\n' });
    const saved = { dir: process.env.GIT_DIR, index: process.env.GIT_INDEX_FILE };
    process.env.GIT_DIR = join(other, '.git');
    process.env.GIT_INDEX_FILE = join(other, '.git', 'index');
    try {
      const a = await analyseEnv(plain);
      expect(a.git).toBe('not-a-repo');
      expect(file(a, '.env')?.tracked).toBeNull();
    } finally {
      for (const [key, value] of [
        ['GIT_DIR', saved.dir],
        ['GIT_INDEX_FILE', saved.index],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('recognises env file names, examples and encrypted files, and skips code named like them', async () => {
    const root = await folder({
      'example.env': 'A=\n',
      'prod.env': 'A=1\n',
      '.env.sample': 'A=\n',
      '.env.template': 'A=\n',
      '.env.dist': 'A=\n',
      '.env.vault': 'DOTENV_VAULT_PRODUCTION="abc"\n',
      '.env.production.local': 'A=1\n',
      '.envrc': 'export A=1\n',
      'dotenvx/.env': 'DOTENV_PUBLIC_KEY="encrypted:abc"\nA="encrypted:BDx"\n',
      'src/.env.ts': 'export const x = 1;\n',
      'src/env.d.ts': '',
      'node_modules/pkg/.env': 'A=1\n',
    });
    const a = await analyseEnv(root);
    const kinds = Object.fromEntries(a.files.map((f) => [f.path, f.kind]));
    expect(kinds).toEqual({
      '.env.dist': 'example',
      '.env.production.local': 'env',
      '.env.sample': 'example',
      '.env.template': 'example',
      '.env.vault': 'encrypted',
      '.envrc': 'env',
      'dotenvx/.env': 'encrypted',
      'example.env': 'example',
      'prod.env': 'env',
    });
    expect(file(a, '.env.production.local')?.environment).toBe('production');
    expect(file(a, 'prod.env')?.environment).toBe('production');
  });
});

describe('analyseEnv: names, never values', () => {
  it('reads names (export, quotes, multi-line values) and no value reaches the result', async () => {
    const pem = [
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7=',
      'SECRETLINE=shouldnotbeaname',
      '-----END PRIVATE KEY-----',
    ].join('\n');
    const root = await folder({
      '.env': [
        '# comment',
        'export STRIPE_SECRET_KEY=sk_live_VALUE_MUST_NOT_LEAK',
        `PRIVATE_KEY="${pem}"`,
        "SINGLE='quoted # not a comment'",
        'EMPTY=',
        'COMMENTED_VALUE= # only a comment',
        'not a line',
        '=novalue',
      ].join('\n'),
      '.env.example': '# Payments\n# OPTIONAL_FLAG=\n# Note: fill these in\nSTRIPE_SECRET_KEY=\n',
    });
    const a = await analyseEnv(root);
    expect(file(a, '.env')?.names).toEqual([
      'STRIPE_SECRET_KEY',
      'PRIVATE_KEY',
      'SINGLE',
      'EMPTY',
      'COMMENTED_VALUE',
    ]);
    expect(file(a, '.env')?.valuesSet).toBe(3);
    expect(file(a, '.env.example')?.names).toEqual(['OPTIONAL_FLAG', 'STRIPE_SECRET_KEY']);
    const json = JSON.stringify(a);
    for (const leak of ['sk_live_VALUE', 'MIIEvQ', 'SECRETLINE', 'shouldnotbeaname', 'quoted']) {
      expect(json).not.toContain(leak);
    }
  });
});

describe('analyseEnv: variables the code reads', () => {
  it('finds reads in JS/TS, Python, Ruby, Go, Rust, PHP and Prisma with file:line', async () => {
    const root = await folder({
      'src/app.ts': [
        'const a = process.env.API_URL;', // 1
        "const b = process.env['BRACKET_KEY'];", // 2
        'const c = process.env?.OPTIONAL_CHAIN;', // 3
        'const { DESTRUCT_A, DESTRUCT_B: renamed, DESTRUCT_C = "x", ...rest } = process.env;', // 4
        'const d = import.meta.env.VITE_PUBLIC_KEY;', // 5
        "const e = Deno.env.get('DENO_VAR');", // 6
        'const f = Bun.env.BUN_VAR;', // 7
        "process.env.ASSIGNED_ONLY = 'x';", // 8: a write, not a read
        "if (process.env.COMPARED === 'x') {}", // 9
        'const g = process.env.NODE_ENV + process.env.PORT + process.env.VERCEL_URL;', // 10
        'const h = import.meta.env.MODE;', // 11
        'const i = process.env[name];', // 12
      ].join('\n'),
      'src/routes/+page.server.ts': "import { SVELTE_SECRET } from '$env/static/private';\n",
      // A template literal and a later read must not look like destructuring (`{file}: … = process.env`).
      'src/cli.ts':
        'throw new Error(`${file}: not a PEM file`);\n}\nconst base = process.env.CONFIG_HOME;\n',
      'app/settings.py': [
        'import os',
        "A = os.environ['PY_BRACKET']",
        'B = os.environ.get("PY_GET", "x")',
        "C = os.getenv('PY_GETENV')",
        "os.environ['PY_ASSIGNED'] = '1'",
      ].join('\n'),
      'config/initializers/stripe.rb':
        "Stripe.api_key = ENV['RB_BRACKET']\nx = ENV.fetch('RB_FETCH') { nil }\n",
      'config/database.yml': "production:\n  url: <%= ENV['RB_YAML'] %>\n",
      'main.go': 'package main\nimport "os"\nvar x = os.Getenv("GO_VAR")\n',
      'src/main.rs': 'let k = std::env::var("RUST_VAR");\n',
      'index.php': "<?php $k = getenv('PHP_VAR'); $l = $_ENV['PHP_ENV_VAR'];\n",
      'prisma/schema.prisma': 'datasource db {\n  url = env("DATABASE_URL")\n}\n',
      'node_modules/lib/index.js': 'process.env.FROM_DEPENDENCY;\n',
      'dist/bundle.js': 'process.env.FROM_BUILD_OUTPUT;\n',
      'public/app.min.js': 'process.env.FROM_MINIFIED;\n',
    });
    const a = await analyseEnv(root);
    expect(names(a.usage.variables).sort()).toEqual(
      [
        'API_URL', 'BRACKET_KEY', 'OPTIONAL_CHAIN', 'DESTRUCT_A', 'DESTRUCT_B', 'DESTRUCT_C',
        'VITE_PUBLIC_KEY', 'DENO_VAR', 'BUN_VAR', 'COMPARED', 'SVELTE_SECRET', 'PY_BRACKET', 'PY_GET',
        'PY_GETENV', 'RB_BRACKET', 'RB_FETCH', 'RB_YAML', 'GO_VAR', 'RUST_VAR', 'PHP_VAR',
        'PHP_ENV_VAR', 'DATABASE_URL', 'CONFIG_HOME',
      ].sort(),
    ); // prettier-ignore
    expect(names(a.usage.runtime)).toEqual(['MODE', 'NODE_ENV', 'PORT', 'VERCEL_URL']);
    const byName = new Map(a.usage.variables.map((v) => [v.name, v]));
    expect(byName.get('API_URL')?.locations).toEqual([{ file: 'src/app.ts', line: 1 }]);
    expect(byName.get('DENO_VAR')?.locations).toEqual([{ file: 'src/app.ts', line: 6 }]);
    expect(byName.get('COMPARED')?.locations).toEqual([{ file: 'src/app.ts', line: 9 }]);
    expect(byName.get('PY_GETENV')?.locations).toEqual([{ file: 'app/settings.py', line: 4 }]);
    expect(a.usage.dynamicReads).toEqual({
      count: 1,
      locations: [{ file: 'src/app.ts', line: 12 }],
    });
    expect(a.notes.join(' ')).toMatch(/computed name/);
  });

  it('counts every read but keeps 3 locations, in path order', async () => {
    const root = await folder({
      'a.js': 'process.env.SHARED;\nprocess.env.SHARED;\n',
      'b.js': 'process.env.SHARED;\n',
      'c.js': '\n\nprocess.env.SHARED;\n',
    });
    const [shared] = (await analyseEnv(root)).usage.variables;
    expect(shared).toEqual({
      name: 'SHARED',
      count: 4,
      locations: [
        { file: 'a.js', line: 1 },
        { file: 'a.js', line: 2 },
        { file: 'b.js', line: 1 },
      ],
    });
  });
});

describe('analyseEnv: documentation', () => {
  it('lists undocumented and documented-but-unused names', async () => {
    const root = await folder({
      '.env.example': 'OPENAI_API_KEY=\nSTRIPE_SECRET_KEY=\nLEGACY_TOKEN=\nPORT=3000\n',
      'server.js':
        'process.env.OPENAI_API_KEY; process.env.STRIPE_SECRET_KEY;\nprocess.env.STRIPE_WEBHOOK_SECRET; process.env.PORT;\n',
    });
    const { documentation } = await analyseEnv(root);
    expect(documentation.exampleFiles).toEqual(['.env.example']);
    expect(names(documentation.undocumented)).toEqual(['STRIPE_WEBHOOK_SECRET']);
    expect(documentation.undocumented[0]?.locations).toEqual([{ file: 'server.js', line: 2 }]);
    expect(documentation.documentedUnused).toEqual(['LEGACY_TOKEN']);
  });

  it('without any example file, every variable read is undocumented', async () => {
    const root = await folder({ '.env': 'A=1\n', 'x.py': "import os\nos.getenv('A')\n" });
    const { documentation } = await analyseEnv(root);
    expect(documentation.exampleFiles).toEqual([]);
    expect(names(documentation.undocumented)).toEqual(['A']);
  });
});

describe('analyseEnv: environments', () => {
  const verdict = async (files: Record<string, string>) =>
    (await analyseEnv(await folder(files))).environments;

  it('one environment: plain .env, local files and the Rails defaults', async () => {
    const e = await verdict({
      '.env': '',
      '.env.local': '',
      '.env.development': '',
      'config/environments/development.rb': '',
      'config/environments/test.rb': '',
      'config/environments/production.rb': '',
    });
    expect(e.verdict).toBe('single');
    expect(e.names).toEqual(['development', 'local', 'production', 'test']);
  });

  it.each([
    ['.env.staging', { '.env.staging': '', '.env.production': '' }],
    ['config/staging.json', { 'config/staging.json': '{}', 'config/production.json': '{}' }],
    ['config/environments/staging.rb', { 'config/environments/staging.rb': '' }],
    ['src/environments/environment.staging.ts', { 'src/environments/environment.staging.ts': '' }],
    ['app/settings/staging.py', { 'app/settings/staging.py': '' }],
    ['docker-compose.staging.yml', { 'docker-compose.staging.yml': '' }],
    ['k8s/overlays/staging', { 'k8s/overlays/staging/kustomization.yaml': '' }],
    ['wrangler.toml', { 'wrangler.toml': 'name = "x"\n[env.staging]\nname = "x-staging"\n' }],
    [
      'netlify.toml',
      { 'netlify.toml': '[build]\ncommand = "npm run build"\n[context.deploy-preview]\n' },
    ],
    [
      '.github/workflows/deploy.yml',
      {
        '.github/workflows/deploy.yml':
          'on: push\njobs:\n  s:\n    environment:\n      name: staging\n    runs-on: x\n',
      },
    ],
  ])('separate: %s', async (evidenceFile, files) => {
    const e = await verdict(files);
    expect(e.verdict).toBe('separate');
    expect(e.evidence.map((x) => x.file)).toContain(evidenceFile);
  });

  it('vercel.json alone is noted as platform previews, not as a staging environment', async () => {
    const e = await verdict({ 'vercel.json': '{}', '.env.production': '' });
    expect(e).toMatchObject({
      verdict: 'single',
      names: ['production'],
      platformPreviews: ['vercel'],
    });
  });

  it('folder names that merely contain a word are not environments', async () => {
    const e = await verdict({ 'src/components/StagingBanner.tsx': '', 'config/database.yml': '' });
    expect(e).toMatchObject({ verdict: 'single', names: [], evidence: [] });
  });
});

describe('analyseEnv: odd input never throws', () => {
  it('skips binary, huge and unreadable files, symlink loops, FIFOs and virtualenvs, and reports', async () => {
    const root = await folder({
      'binary.js': Buffer.from([0x70, 0x00, 0x01, 0x02]),
      'huge.js': `process.env.IN_HUGE_FILE;\n${'x'.repeat(5 * 1024 * 1024)}`,
      'locked.js': 'process.env.LOCKED;\n',
      'ok.js': 'process.env.OK;\n',
      '.env/pyvenv.cfg': 'home = /usr/bin\n',
      '.env/lib/site.py': "import os\nos.getenv('FROM_VENV')\n",
      'garbage.json': '{not json',
    });
    await symlink('.', join(root, 'loop'));
    await symlink('self-link', join(root, 'self-link'));
    await symlink('missing-target', join(root, '.env.dangling'));
    execFileSync('mkfifo', [join(root, 'pipe.js')]);
    await chmod(join(root, 'locked.js'), 0o000);

    const a = await analyseEnv(root);
    expect(names(a.usage.variables)).toContain('OK');
    expect(names(a.usage.variables)).not.toContain('IN_HUGE_FILE');
    expect(names(a.usage.variables)).not.toContain('FROM_VENV');
    expect(a.usage.stats).toMatchObject({ skippedLarge: 1, skippedBinary: 1 });
    expect(a.notes.join(' ')).toMatch(/symlinked folder/);
    // Root reads a chmod 000 file anyway, so only an unprivileged run can see it skipped.
    if (process.getuid?.() !== 0) {
      expect(a.usage.stats.skippedUnreadable).toBe(1);
      expect(names(a.usage.variables)).not.toContain('LOCKED');
    }
  });

  it('an unreadable .env is reported with a problem, not thrown', async (ctx) => {
    // Root can read a chmod 000 file, so the case cannot arise when the tests run as root.
    if (process.getuid?.() === 0) ctx.skip();
    const root = await folder({ '.env': 'A=1\n' });
    await chmod(join(root, '.env'), 0o000);
    const a = await analyseEnv(root);
    expect(file(a, '.env')).toMatchObject({ names: [], problem: 'names not read: unreadable' });
  });

  it('a missing folder or a file is a clear error; an aborted signal stops it', async () => {
    await expect(analyseEnv(join(tmpdir(), 'launch-ready-no-such-folder-42'))).rejects.toThrow(
      /Folder not found: .*launch-ready-no-such-folder-42/,
    );
    const root = await folder({ 'a.txt': '' });
    await expect(analyseEnv(join(root, 'a.txt'))).rejects.toThrow(/Not a folder/);
    await expect(analyseEnv(root, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });
});
