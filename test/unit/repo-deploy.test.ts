import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseDeployPath } from '../../src/main/core/repo/deploy';
import type { CiFile, DeployAnalysis, MigrationReport } from '../../src/main/core/repo/deploy';

// Real fixture folders in the OS temp dir; nothing of the analyser is mocked.
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'launch-ready-deploy-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const analyse = async (files: Record<string, string | Buffer>) =>
  analyseDeployPath(await folder(files));
const json = (v: unknown) => JSON.stringify(v, null, 2);
const pkg = (v: Record<string, unknown>) => json({ name: 'app', version: '1.0.0', ...v });
const deps = { next: '^14.2.3', stripe: '15.8.0' };
const devDeps = { vitest: '^2.0.0' };

function npmLock(root: Record<string, unknown>, version = 3): string {
  return json({
    name: 'app',
    lockfileVersion: version,
    packages: { '': { name: 'app', ...root } },
  });
}

describe('analyseDeployPath: Node lockfiles', () => {
  it('npm lockfile v3 that matches package.json is consistent', async () => {
    const a = await analyse({
      'package.json': pkg({ dependencies: deps, devDependencies: devDeps }),
      'package-lock.json': npmLock({ dependencies: deps, devDependencies: devDeps }),
    });
    expect(a.node).toHaveLength(1);
    expect(a.node[0]).toMatchObject({
      dir: '',
      dependencyCount: 3,
      lockStatus: 'consistent',
      multipleManagers: false,
      problems: [],
    });
    expect(a.node[0]?.lockfiles[0]).toMatchObject({
      manager: 'npm',
      format: '3',
      consistency: 'consistent',
    });
  });

  it('npm lockfile out of sync: changed spec, missing dependency, dependency only in the lock', async () => {
    const a = await analyse({
      'package.json': pkg({
        dependencies: { ...deps, openai: '^4.0.0' },
        devDependencies: devDeps,
      }),
      'package-lock.json': npmLock({
        dependencies: { next: '^14.0.0', stripe: '15.8.0', axios: '0.21.1' },
        devDependencies: devDeps,
      }),
    });
    expect(a.node[0]?.lockStatus).toBe('inconsistent');
    expect(a.node[0]?.lockfiles[0]?.mismatches).toEqual([
      { name: 'next', section: 'dependencies', declared: '^14.2.3', locked: '^14.0.0' },
      { name: 'openai', section: 'dependencies', declared: '^4.0.0', locked: null },
      { name: 'axios', section: 'dependencies', declared: null, locked: '0.21.1' },
    ]);
  });

  it('npm lockfile v1 is checked for presence only', async () => {
    const lock = json({ lockfileVersion: 1, dependencies: { next: { version: '14.2.3' } } });
    const a = await analyse({
      'package.json': pkg({ dependencies: deps }),
      'package-lock.json': lock,
    });
    expect(a.node[0]?.lockfiles[0]).toMatchObject({
      format: '1',
      consistency: 'inconsistent',
      mismatches: [{ name: 'stripe', declared: '15.8.0', locked: null }],
    });
    expect(a.node[0]?.lockfiles[0]?.detail).toMatch(/presen/);
  });

  it('pnpm v9 importers, and the pnpm 5 specifiers layout', async () => {
    const v9 = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      next:',
      '        specifier: ^14.2.3',
      '        version: 14.2.3',
      '      stripe:',
      '        specifier: 15.7.0',
      '        version: 15.7.0',
      'packages:',
      '  this section is not valid yaml at all: [',
    ].join('\n');
    const a = await analyse({ 'package.json': pkg({ dependencies: deps }), 'pnpm-lock.yaml': v9 });
    expect(a.node[0]?.lockfiles[0]).toMatchObject({
      manager: 'pnpm',
      format: '9.0',
      consistency: 'inconsistent',
      mismatches: [{ name: 'stripe', declared: '15.8.0', locked: '15.7.0' }],
    });
    const v5 =
      'lockfileVersion: 5.4\nspecifiers:\n  next: ^14.2.3\n  stripe: 15.8.0\ndependencies:\n  next: 14.2.3\n  stripe: 15.8.0\n';
    const b = await analyse({ 'package.json': pkg({ dependencies: deps }), 'pnpm-lock.yaml': v5 });
    expect(b.node[0]?.lockfiles[0]).toMatchObject({ format: '5.4', consistency: 'consistent' });
  });

  it('yarn classic and berry entries', async () => {
    const classic =
      '# yarn lockfile v1\n\n"next@^14.2.3", next@^14.0.0:\n  version "14.2.3"\n\nstripe@15.8.0:\n  version "15.8.0"\n';
    const a = await analyse({ 'package.json': pkg({ dependencies: deps }), 'yarn.lock': classic });
    expect(a.node[0]?.lockfiles[0]).toMatchObject({
      manager: 'yarn',
      format: 'v1',
      consistency: 'consistent',
    });
    const berry = '__metadata:\n  version: 8\n\n"next@npm:^14.2.3":\n  version: 14.2.3\n';
    const b = await analyse({ 'package.json': pkg({ dependencies: deps }), 'yarn.lock': berry });
    expect(b.node[0]?.lockfiles[0]).toMatchObject({
      format: 'berry',
      consistency: 'inconsistent',
      mismatches: [{ name: 'stripe', locked: null }],
    });
  });

  it('bun.lock (JSON with trailing commas) is compared; bun.lockb is presence only', async () => {
    const text =
      '{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {\n      "dependencies": {\n        "next": "^14.2.3",\n        "stripe": "15.8.0",\n      },\n    },\n  },\n}\n';
    const a = await analyse({ 'package.json': pkg({ dependencies: deps }), 'bun.lock': text });
    expect(a.node[0]?.lockfiles[0]).toMatchObject({ manager: 'bun', consistency: 'consistent' });
    const b = await analyse({
      'package.json': pkg({ dependencies: deps }),
      'bun.lockb': Buffer.from([0, 1, 2]),
    });
    expect(b.node[0]).toMatchObject({ lockStatus: 'unknown' });
    expect(b.node[0]?.lockfiles[0]?.detail).toMatch(/binary/);
  });

  it('lockfiles of several managers, and a packageManager that disagrees, are problems', async () => {
    const a = await analyse({
      'package.json': pkg({ dependencies: deps, packageManager: 'pnpm@9.1.0+sha512.abc' }),
      'package-lock.json': npmLock({ dependencies: deps }),
      'yarn.lock': 'next@^14.2.3:\n  version "14.2.3"\nstripe@15.8.0:\n  version "15.8.0"\n',
    });
    expect(a.node[0]).toMatchObject({ multipleManagers: true, declaredManager: 'pnpm@9.1.0' });
    expect(a.node[0]?.problems.join(' ')).toMatch(/several package managers \(npm, yarn\)/);
    expect(a.node[0]?.problems.join(' ')).toMatch(/packageManager says pnpm/);
  });

  it('no lockfile; and a project without dependencies needs none', async () => {
    const a = await analyse({ 'package.json': pkg({ dependencies: deps }) });
    expect(a.node[0]?.lockStatus).toBe('no-lockfile');
    const b = await analyse({ 'package.json': pkg({}) });
    expect(b.node[0]?.lockStatus).toBe('consistent');
  });

  it('reads first-level projects; workspace members are covered by the root lockfile', async () => {
    const a = await analyse({
      'frontend/package.json': pkg({ dependencies: deps }),
      'frontend/package-lock.json': npmLock({ dependencies: deps }),
      'backend/requirements.txt': 'fastapi==0.110.0\n',
    });
    expect(a.node.map((n) => [n.dir, n.lockStatus])).toEqual([['frontend', 'consistent']]);
    expect(a.otherEcosystems).toMatchObject([
      { ecosystem: 'python', dir: 'backend', status: 'locked' },
    ]);
    const b = await analyse({
      'package.json': pkg({ workspaces: ['web'], dependencies: {} }),
      'package-lock.json': npmLock({}),
      'web/package.json': pkg({ dependencies: deps }),
    });
    expect(b.node.map((n) => n.dir)).toEqual(['']);
  });

  it('invalid package.json or lockfile is reported, never thrown', async () => {
    const a = await analyse({ 'package.json': '{ "name": ', 'package-lock.json': npmLock({}) });
    expect(a.node[0]?.problems).toContain('package.json is not valid JSON');
    expect(a.node[0]?.lockStatus).toBe('unknown');
    const b = await analyse({
      'package.json': pkg({ dependencies: 'not an object' }),
      'package-lock.json': '\u0000\u0001garbage',
    });
    expect(b.node[0]?.problems).toContain('package.json "dependencies" is not an object');
    expect(b.node[0]?.lockfiles[0]?.consistency).toBe('unknown');
    const c = await analyse({ 'package.json': '[1, 2]' });
    expect(c.node[0]?.problems).toContain('package.json is not a JSON object');
  });
});

describe('analyseDeployPath: other ecosystems', () => {
  it('Python: pinned, partly pinned, unpinned requirements and lockfiles', async () => {
    const eco = async (files: Record<string, string>) => (await analyse(files)).otherEcosystems[0];
    expect(
      await eco({
        'requirements.txt':
          '# deps\nDjango==5.0.1\nrequests[socks]==2.31.0 ; python_version>"3"\n-r base.txt\n',
      }),
    ).toMatchObject({
      status: 'locked',
      unpinned: [],
    });
    expect(
      await eco({ 'requirements.txt': 'Django==5.0.1\nrequests>=2\nflask\nnumpy==1.*\n' }),
    ).toMatchObject({
      status: 'partial',
      unpinned: ['requests', 'flask', 'numpy'],
    });
    expect(await eco({ 'requirements/prod.txt': 'flask\n' })).toMatchObject({
      status: 'unlocked',
      manifests: ['requirements/prod.txt'],
    });
    expect(await eco({ 'pyproject.toml': '[tool.poetry]\n', 'poetry.lock': '' })).toMatchObject({
      status: 'locked',
      lockfiles: ['poetry.lock'],
    });
    expect(await eco({ 'pyproject.toml': '[project]\n' })).toMatchObject({ status: 'unlocked' });
    // A URL may carry a token: only a label is reported.
    const url = await eco({ 'requirements.txt': 'git+https://ghp_TOKEN123@github.com/x/y.git\n' });
    expect(json(url)).not.toContain('TOKEN123');
  });

  it('Ruby, Go, Rust and PHP lockfiles', async () => {
    const a = await analyse({
      Gemfile: "gem 'rails'\n",
      'go.mod': 'module x\n\nrequire github.com/a/b v1.0.0\n',
      'Cargo.toml': '[package]\n',
      'Cargo.lock': '',
      'svc/go.mod': 'module y\n\ngo 1.22\n',
    });
    const by = Object.fromEntries(
      a.otherEcosystems.map((e) => [`${e.dir}:${e.ecosystem}`, e.status]),
    );
    expect(by).toEqual({
      ':ruby': 'unlocked',
      ':go': 'unlocked',
      ':rust': 'locked',
      'svc:go': 'locked',
    });
  });
});

describe('analyseDeployPath: build', () => {
  it('build script by tool, Dockerfile, Procfile and platform configs', async () => {
    const a = await analyse({
      'package.json': pkg({
        scripts: { build: 'next build && echo TOKEN=abc', start: 'next start' },
      }),
      Dockerfile: 'FROM node:22\n',
      Procfile: 'web: npm start\nrelease: npx prisma migrate deploy\n',
      'vercel.json': '{ "buildCommand": "npm run build" }',
      'fly.toml': '',
    });
    expect(a.build).toMatchObject({
      buildScripts: [{ packageJson: 'package.json', tool: 'next build' }],
      hasStartScript: true,
      dockerfiles: ['Dockerfile'],
      procfile: { file: 'Procfile', processes: ['web', 'release'] },
      platformBuildCommand: ['vercel.json'],
      hasBuild: true,
    });
    expect(a.build.platforms.map((p) => p.platform).sort()).toEqual([
      'docker',
      'fly',
      'procfile',
      'vercel',
    ]);
    expect(json(a)).not.toContain('TOKEN=abc');
  });

  it('no build at all', async () => {
    const a = await analyse({ 'package.json': pkg({ scripts: { dev: 'vite' } }) });
    expect(a.build).toMatchObject({ buildScripts: [], hasBuild: false, hasStartScript: false });
  });
});

const wf = (a: DeployAnalysis, file: string): CiFile | undefined =>
  a.ci.files.find((f) => f.file === file);

describe('analyseDeployPath: CI', () => {
  const ci = `name: CI
on:
  pull_request:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: |
          npm run lint
          npm test
  deploy:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - run: npx vercel deploy --prod --token sk_DO_NOT_ECHO_ME
`;

  it('GitHub Actions: tests on push and pull_request, deploy gated through needs', async () => {
    const a = await analyse({
      '.github/workflows/ci.yml': ci,
      'package.json': pkg({ scripts: { test: 'vitest run' } }),
    });
    expect(wf(a, '.github/workflows/ci.yml')).toMatchObject({
      system: 'github-actions',
      name: 'CI',
      triggers: ['pull_request', 'push'],
      runsTests: true,
      deploys: true,
      deployGatedByTests: true,
      problem: null,
    });
    expect(wf(a, '.github/workflows/ci.yml')?.jobs).toMatchObject([
      { name: 'test', runsTests: true, testEvidence: ['npm test'], deploys: false },
      {
        name: 'deploy',
        deploys: true,
        deployEvidence: ['vercel deploy'],
        needs: ['test'],
        gatedByTests: true,
      },
    ]);
    expect(a.ci).toMatchObject({
      runsTests: true,
      deploys: true,
      testTriggers: ['pull_request', 'push'],
    });
    expect(json(a)).not.toContain('sk_DO_NOT_ECHO_ME');
  });

  it('a deploy with no test before it is not gated', async () => {
    const text =
      'on: push\njobs:\n  deploy:\n    steps:\n      - run: npm ci\n      - run: npx vercel deploy --prod\n      - run: npm test\n';
    const a = await analyse({ '.github/workflows/deploy.yml': text });
    expect(wf(a, '.github/workflows/deploy.yml')).toMatchObject({
      triggers: ['push'],
      deploys: true,
      runsTests: true,
      deployGatedByTests: false,
    });
  });

  it.each([
    [
      'npm test with the npm init placeholder script',
      'npm test',
      { test: 'echo "Error: no test specified" && exit 1' },
      false,
    ],
    ['installing a test runner', 'npm install -D vitest', null, false],
    [
      'a script that runs vitest',
      'npm run ci',
      { ci: 'npm run lint && vitest run', lint: 'eslint .' },
      true,
    ],
    ['pytest', 'poetry run pytest -q', null, true],
    ['go test', 'go test ./...', null, true],
    ['bundle exec rspec', 'bundle exec rspec', null, true],
    ['rails test', 'bin/rails test', null, true],
    ['cargo test', 'cargo test --all', null, true],
    ['pnpm test', 'pnpm test', null, true],
    ['yarn test:unit', 'yarn test:unit', null, true],
    ['npx jest', 'npx jest --ci', null, true],
    ['playwright', 'npx playwright test', null, true],
    ['a build only', 'npm run build', { build: 'next build' }, false],
    ['echo of a test word', 'echo "run pytest later"', null, false],
  ])('runs tests? %s', async (_label, run, scripts, expected) => {
    const text = `on: [push]\njobs:\n  j:\n    steps:\n      - run: ${JSON.stringify(run)}\n`;
    const files: Record<string, string> = { '.github/workflows/x.yaml': text };
    if (scripts) files['package.json'] = pkg({ scripts });
    const a = await analyse(files);
    expect(wf(a, '.github/workflows/x.yaml')?.runsTests).toBe(expected);
  });

  it('test actions, local reusable workflows and workflow_run chains', async () => {
    const a = await analyse({
      '.github/workflows/e2e.yml':
        'on: pull_request\njobs:\n  e2e:\n    steps:\n      - uses: cypress-io/github-action@v6\n',
      '.github/workflows/tests.yml':
        'name: Tests\non: workflow_call\njobs:\n  t:\n    steps:\n      - run: npx vitest run\n',
      '.github/workflows/release.yml':
        'on: push\njobs:\n  test:\n    uses: ./.github/workflows/tests.yml\n  ship:\n    needs: [test]\n    steps:\n      - uses: superfly/flyctl-actions@v1\n',
      '.github/workflows/deploy.yml':
        'on:\n  workflow_run:\n    workflows: [Tests]\n    types: [completed]\njobs:\n  d:\n    steps:\n      - run: flyctl deploy\n',
    });
    expect(wf(a, '.github/workflows/e2e.yml')?.jobs[0]?.testEvidence).toEqual([
      'uses: cypress-io/github-action',
    ]);
    expect(wf(a, '.github/workflows/release.yml')).toMatchObject({
      runsTests: true,
      deployGatedByTests: true,
    });
    expect(wf(a, '.github/workflows/deploy.yml')).toMatchObject({
      triggers: ['workflow_run'],
      deployGatedByTests: true,
    });
  });

  it('invalid YAML, an alias bomb and an oversized workflow are reported, not thrown', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    const a = await analyse({
      '.github/workflows/bad.yml': 'on: [push\njobs: {',
      '.github/workflows/bomb.yml': bomb,
      '.github/workflows/big.yml': `on: push\n# ${'x'.repeat(600 * 1024)}\n`,
      '.github/workflows/list.yml': '- just\n- a list\n',
    });
    expect(wf(a, '.github/workflows/bad.yml')?.problem).toBe('not valid YAML');
    expect(wf(a, '.github/workflows/bomb.yml')?.problem).toBe('not valid YAML');
    expect(wf(a, '.github/workflows/big.yml')?.problem).toBe('not read: too-large');
    expect(wf(a, '.github/workflows/list.yml')?.problem).toBe('not valid YAML');
    expect(a.ci.runsTests).toBe(false);
  });

  it('GitLab: stage order gates deploys; extends and merge request pipelines', async () => {
    const text = `stages: [build, test, deploy]
include:
  - template: Security/SAST.gitlab-ci.yml
.node:
  image: node:22
  script:
    - npm ci
    - npm test
unit:
  extends: .node
  stage: test
deploy:
  stage: deploy
  script:
    - npx netlify deploy --prod
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
`;
    const a = await analyse({ '.gitlab-ci.yml': text });
    expect(wf(a, '.gitlab-ci.yml')).toMatchObject({
      system: 'gitlab-ci',
      triggers: ['push', 'pull_request'],
      runsTests: true,
      deployGatedByTests: true,
    });
    expect(wf(a, '.gitlab-ci.yml')?.problem).toMatch(/includes other CI files/);
    const ungated = await analyse({
      '.gitlab-ci.yml': 'deploy:\n  stage: deploy\n  script: [fly deploy]\n',
    });
    expect(wf(ungated, '.gitlab-ci.yml')).toMatchObject({
      runsTests: false,
      deployGatedByTests: false,
    });
  });

  it('CircleCI jobs with workflow requires, and orb jobs', async () => {
    const text = `version: 2.1
orbs:
  node: circleci/node@5
jobs:
  ship:
    steps:
      - checkout
      - run:
          command: npx wrangler deploy
workflows:
  main:
    jobs:
      - node/test
      - ship:
          requires: [node/test]
`;
    const a = await analyse({ '.circleci/config.yml': text });
    expect(wf(a, '.circleci/config.yml')).toMatchObject({
      system: 'circleci',
      runsTests: true,
      deploys: true,
      deployGatedByTests: true,
    });
  });

  it('Bitbucket, Azure, Travis, Drone and Jenkins', async () => {
    const a = await analyse({
      'bitbucket-pipelines.yml':
        "pipelines:\n  default:\n    - step:\n        script: ['npm ci', 'npm test']\n  pull-requests:\n    '**':\n      - step:\n          script: ['npm test']\n",
      'azure-pipelines.yml': 'trigger: none\npr: [main]\nsteps:\n  - script: dotnet test\n',
      '.travis.yml': 'language: node_js\nscript: npm run build\ndeploy:\n  provider: heroku\n',
      '.drone.yml':
        'kind: pipeline\nsteps:\n  - name: t\n    commands: [go test ./...]\n---\nkind: pipeline\nsteps:\n  - name: d\n    commands: [helm upgrade app ./chart]\n',
      Jenkinsfile:
        "pipeline {\n  stages {\n    stage('Test') { steps { sh 'pytest' } }\n    stage('Deploy') { steps { sh 'kubectl apply -f k8s' } }\n  }\n}\n",
    });
    expect(wf(a, 'bitbucket-pipelines.yml')).toMatchObject({
      triggers: ['pull_request', 'push'],
      runsTests: true,
    });
    expect(wf(a, 'azure-pipelines.yml')).toMatchObject({
      triggers: ['pull_request'],
      runsTests: true,
    });
    expect(wf(a, '.travis.yml')).toMatchObject({
      runsTests: false,
      deploys: true,
      deployGatedByTests: false,
    });
    expect(wf(a, '.drone.yml')).toMatchObject({
      runsTests: true,
      deploys: true,
      deployGatedByTests: true,
    });
    expect(wf(a, 'Jenkinsfile')).toMatchObject({
      triggers: null,
      runsTests: true,
      deployGatedByTests: true,
    });
  });
});

describe('analyseDeployPath: CI (Travis deploy block)', () => {
  it('a deploy: block runs after script, so a tested script gates it', async () => {
    const a = await analyse({ '.travis.yml': 'script: npm test\ndeploy:\n  provider: pages\n' });
    expect(wf(a, '.travis.yml')).toMatchObject({
      runsTests: true,
      deploys: true,
      deployGatedByTests: true,
    });
  });
});

const mig = (a: DeployAnalysis, file: string): MigrationReport | undefined =>
  a.migrations.migrations.find((m) => m.file === file);

describe('analyseDeployPath: SQL migrations', () => {
  it('Prisma is forward-only; destructive statements are irreversible data loss; a down.sql is a way back', async () => {
    const a = await analyse({
      'prisma/schema.prisma': '',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101_init/migration.sql':
        '-- CreateTable\nCREATE TABLE "User" ("id" TEXT NOT NULL);\n',
      'prisma/migrations/20240201_drop/migration.sql':
        '/* Warnings: You are about to drop the column `bio` */\nALTER TABLE "User" DROP COLUMN "bio";\nALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE BIGINT;\n',
      'prisma/migrations/20240301_sqlite/migration.sql':
        'CREATE TABLE "new_Post" ("id" TEXT);\nINSERT INTO "new_Post" SELECT "id" FROM "Post";\nDROP TABLE "Post";\nALTER TABLE "new_Post" RENAME TO "Post";\n',
      'prisma/migrations/20240401_index/migration.sql': 'ALTER TABLE "User" ADD COLUMN "x" TEXT;\n',
      'prisma/migrations/20240401_index/down.sql': 'ALTER TABLE "User" DROP COLUMN "x";\n',
    });
    expect(mig(a, 'prisma/migrations/20240101_init/migration.sql')).toMatchObject({
      tool: 'prisma',
      reversible: 'forward-only',
      dataLoss: [],
    });
    expect(mig(a, 'prisma/migrations/20240101_init/migration.sql')?.reason).toMatch(
      /prisma migrate diff/,
    );
    expect(mig(a, 'prisma/migrations/20240201_drop/migration.sql')).toMatchObject({
      reversible: 'no',
      dataLoss: ['DROP COLUMN bio (User)', 'column type change: age (User)'],
    });
    expect(mig(a, 'prisma/migrations/20240301_sqlite/migration.sql')).toMatchObject({
      reversible: 'forward-only',
      dataLoss: [],
    });
    expect(mig(a, 'prisma/migrations/20240401_index/migration.sql')).toMatchObject({
      reversible: 'yes',
    });
    expect(a.migrations.tools).toEqual(['prisma']);
  });

  it('Drizzle and Supabase are forward-only', async () => {
    const a = await analyse({
      'drizzle/0000_init.sql':
        'CREATE TABLE users (id int);\n--> statement-breakpoint\nCREATE TABLE t (id int);\n',
      'drizzle/0001_wipe.sql': 'TRUNCATE sessions;\n',
      'drizzle/meta/_journal.json': '{"entries":[]}',
      'supabase/migrations/20240101000000_init.sql': 'create table profiles (id uuid);\n',
    });
    expect(mig(a, 'drizzle/0000_init.sql')).toMatchObject({
      tool: 'drizzle',
      reversible: 'forward-only',
    });
    expect(mig(a, 'drizzle/0001_wipe.sql')).toMatchObject({
      reversible: 'no',
      dataLoss: ['TRUNCATE sessions'],
    });
    expect(mig(a, 'supabase/migrations/20240101000000_init.sql')).toMatchObject({
      tool: 'supabase',
      reversible: 'forward-only',
    });
  });

  it('golang-migrate up/down pairs, dbmate, goose, Flyway and plain SQL', async () => {
    const a = await analyse({
      'migrations/0001_users.up.sql': 'CREATE TABLE users (id int);\n',
      'migrations/0001_users.down.sql': 'DROP TABLE users;\n',
      'migrations/0002_plan.up.sql': 'ALTER TABLE users ADD COLUMN plan text;\n',
      'migrations/0002_plan.down.sql': '-- nothing to do\n',
      'migrations/0003_drop.up.sql': 'ALTER TABLE users DROP COLUMN trial_ends_at;\n',
      'db/migrations/20240101_dbmate.sql':
        '-- migrate:up\ncreate table a (id int);\n\n-- migrate:down\ndrop table a;\n',
      'db/migrations/20240102_dbmate.sql':
        '-- migrate:up\ncreate table b (id int);\n\n-- migrate:down\n',
      'db/migrations/20240103_goose.sql':
        '-- +goose Up\nCREATE TABLE c (id int);\n-- +goose Down\nDROP TABLE c;\n',
      'sql/V1__init.sql': 'create table x (id int);\n',
      'sql/U1__init.sql': 'drop table x;\n',
      'sql/V2__more.sql': 'create table y (id int);\n',
      'db/migration/001_init.sql': 'create table z (id int);\n',
      'db/migration/001_init_rollback.sql': 'drop table z;\n',
      'db/migration/002_more.sql': 'create table w (id int);\n',
      'schema.sql': 'DROP TABLE everything;\n',
    });
    const verdicts = Object.fromEntries(
      a.migrations.migrations.map((m) => [m.file, [m.tool, m.reversible]]),
    );
    expect(verdicts).toEqual({
      'db/migration/001_init.sql': ['sql', 'yes'],
      'db/migration/002_more.sql': ['sql', 'no'],
      'db/migrations/20240101_dbmate.sql': ['dbmate', 'yes'],
      'db/migrations/20240102_dbmate.sql': ['dbmate', 'no'],
      'db/migrations/20240103_goose.sql': ['goose', 'yes'],
      'migrations/0001_users.up.sql': ['golang-migrate', 'yes'],
      'migrations/0002_plan.up.sql': ['golang-migrate', 'no'],
      'migrations/0003_drop.up.sql': ['golang-migrate', 'no'],
      'sql/V1__init.sql': ['flyway', 'yes'],
      'sql/V2__more.sql': ['flyway', 'no'],
    });
    expect(mig(a, 'migrations/0002_plan.up.sql')?.reason).toMatch(/empty/);
    expect(mig(a, 'migrations/0003_drop.up.sql')).toMatchObject({
      dataLoss: ['DROP COLUMN trial_ends_at (users)'],
    });
    expect(mig(a, 'sql/V2__more.sql')?.reason).toMatch(/undo/);
  });

  it.each([
    ['DELETE FROM users;', ['DELETE FROM users without WHERE']],
    ['DELETE FROM users WHERE id = 1;', []],
    ['TRUNCATE TABLE audit_log;', ['TRUNCATE audit_log']],
    ['DROP TABLE IF EXISTS "public"."old";', ['DROP TABLE public.old']],
    ['ALTER TABLE t ALTER COLUMN c TYPE bigint USING c::bigint;', ['column type change: c (t)']],
    ['ALTER TABLE t MODIFY COLUMN c varchar(10);', ['column type change: c (t)']],
    ['ALTER TABLE t DROP c, DROP COLUMN IF EXISTS d;', ['DROP COLUMN c (t)', 'DROP COLUMN d (t)']],
    [
      'ALTER TABLE t DROP CONSTRAINT k; ALTER TABLE t ALTER COLUMN c DROP NOT NULL; DROP INDEX i;',
      [],
    ],
    ["INSERT INTO notes (body) VALUES ('DROP TABLE users; DELETE FROM x');", []],
    ['-- DROP TABLE users;\nSELECT 1;', []],
    ['DROP SCHEMA legacy CASCADE;', ['DROP SCHEMA legacy']],
  ])('data loss in %s', async (sql, expected) => {
    const a = await analyse({
      'migrations/0001_x.up.sql': sql,
      'migrations/0001_x.down.sql': 'SELECT 1;',
    });
    expect(mig(a, 'migrations/0001_x.up.sql')?.dataLoss).toEqual(expected);
    expect(mig(a, 'migrations/0001_x.up.sql')?.reversible).toBe(expected.length > 0 ? 'no' : 'yes');
  });
});

describe('analyseDeployPath: code migrations', () => {
  it('Knex, Sequelize and TypeORM: down present, empty, throwing or missing', async () => {
    const a = await analyse({
      'migrations/20240101_a.js':
        "exports.up = function (knex) {\n  return knex.schema.createTable('a', (t) => { t.increments(); });\n};\nexports.down = function (knex) {\n  return knex.schema.dropTable('a');\n};\n",
      'migrations/20240102_b.js':
        "exports.up = (knex) => knex.schema.createTable('b', () => {});\nexports.down = () => {};\n",
      'migrations/20240103_c.ts':
        "import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.alterTable('a', (t) => t.string('x'));\n}\nexport async function down(): Promise<void> {\n  throw new Error('irreversible');\n}\n",
      'migrations/20240104_d.js':
        "exports.up = async (knex) => { await knex.schema.createTable('d', () => {}); };\n",
      'migrations/20240105_e.js':
        "exports.up = async (knex) => {\n  await knex.schema.alterTable('users', (t) => { t.dropColumn('plan'); });\n};\nexports.down = async (knex) => {\n  await knex.schema.alterTable('users', (t) => { t.string('plan'); });\n};\n",
      'migrations/20240106-seq.js':
        "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn('users', 'plan', Sequelize.STRING);\n  },\n  async down(queryInterface) {\n    await queryInterface.removeColumn('users', 'plan');\n  },\n};\n",
      'src/migration/1700000000000-Init.ts':
        'import { MigrationInterface, QueryRunner } from \'typeorm\';\nexport class Init1700000000000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "bio"`);\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "user" ADD "bio" text`);\n  }\n}\n',
      'migrations/helpers.js': 'module.exports = { table: (n) => n };\n',
    });
    const verdicts = Object.fromEntries(
      a.migrations.migrations.map((m) => [m.file, [m.tool, m.reversible]]),
    );
    expect(verdicts).toEqual({
      'migrations/20240101_a.js': ['knex', 'yes'],
      'migrations/20240102_b.js': ['knex', 'no'],
      'migrations/20240103_c.ts': ['knex', 'no'],
      'migrations/20240104_d.js': ['knex', 'no'],
      'migrations/20240105_e.js': ['knex', 'no'],
      'migrations/20240106-seq.js': ['sequelize', 'yes'],
      'src/migration/1700000000000-Init.ts': ['typeorm', 'no'],
    });
    expect(mig(a, 'migrations/20240102_b.js')?.reason).toMatch(/empty/);
    expect(mig(a, 'migrations/20240103_c.ts')?.reason).toMatch(/throws/);
    expect(mig(a, 'migrations/20240104_d.js')?.reason).toMatch(/no down/);
    expect(mig(a, 'migrations/20240105_e.js')?.dataLoss).toEqual(['drops column plan']);
    expect(mig(a, 'src/migration/1700000000000-Init.ts')?.dataLoss).toEqual([
      'DROP COLUMN bio (user)',
    ]);
  });

  it('Rails: change, up/down, irreversible operations', async () => {
    const rb = (body: string) => `class M < ActiveRecord::Migration[7.1]\n${body}\nend\n`;
    const a = await analyse({
      'db/migrate/1_create.rb': rb(
        '  def change\n    create_table :users do |t|\n      t.string :email\n    end\n  end',
      ),
      'db/migrate/2_remove_untyped.rb': rb('  def change\n    remove_column :users, :bio\n  end'),
      'db/migrate/3_remove_typed.rb': rb(
        '  def change\n    remove_column :users, :bio, :string\n  end',
      ),
      'db/migrate/4_up_only.rb': rb('  def up\n    add_column :users, :x, :string\n  end'),
      'db/migrate/5_raise.rb': rb(
        '  def up\n    add_column :a, :b, :string\n  end\n\n  def down\n    raise ActiveRecord::IrreversibleMigration\n  end',
      ),
      'db/migrate/6_execute.rb': rb(
        '  def change\n    execute "UPDATE users SET plan = \'free\'"\n  end',
      ),
      'db/migrate/7_reversible.rb': rb(
        '  def change\n    reversible do |dir|\n      dir.up { execute "CREATE VIEW v AS SELECT 1" }\n      dir.down { execute "DROP VIEW v" }\n    end\n  end',
      ),
      'db/migrate/8_up_down.rb': rb(
        '  def up\n    add_index :users, :email\n  end\n\n  def down\n    remove_index :users, :email\n  end',
      ),
      'db/migrate/9_change_column.rb': rb(
        '  def change\n    change_column :users, :age, :bigint\n  end',
      ),
    });
    const verdicts = Object.fromEntries(
      a.migrations.migrations.map((m) => [m.file.slice('db/migrate/'.length), m.reversible]),
    );
    expect(verdicts).toEqual({
      '1_create.rb': 'yes',
      '2_remove_untyped.rb': 'no',
      '3_remove_typed.rb': 'no',
      '4_up_only.rb': 'no',
      '5_raise.rb': 'no',
      '6_execute.rb': 'no',
      '7_reversible.rb': 'yes',
      '8_up_down.rb': 'yes',
      '9_change_column.rb': 'no',
    });
    expect(mig(a, 'db/migrate/2_remove_untyped.rb')?.reason).toMatch(/without a column type/);
    expect(mig(a, 'db/migrate/3_remove_typed.rb')).toMatchObject({
      dataLoss: ['remove_column bio (users)'],
    });
    expect(mig(a, 'db/migrate/3_remove_typed.rb')?.reason).toMatch(/destroys data/);
    expect(mig(a, 'db/migrate/5_raise.rb')?.reason).toMatch(/IrreversibleMigration/);
  });

  it('Django: RunPython and RunSQL need a reverse; removed fields lose data', async () => {
    const head =
      'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n';
    const a = await analyse({
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': `${head}        migrations.CreateModel(name='Order', fields=[]),\n    ]\n`,
      'shop/migrations/0002_data.py': `${head}        migrations.RunPython(forwards),\n    ]\n`,
      'shop/migrations/0003_data_noop.py': `${head}        migrations.RunPython(forwards, migrations.RunPython.noop),\n    ]\n`,
      'shop/migrations/0004_sql.py': `${head}        migrations.RunSQL("CREATE INDEX i ON t (c)", reverse_sql="DROP INDEX i"),\n    ]\n`,
      'shop/migrations/0005_sql_no_reverse.py': `${head}        migrations.RunSQL("UPDATE t SET c = 1"),\n    ]\n`,
      'shop/migrations/0006_remove.py': `${head}        migrations.RemoveField(model_name='order', name='note'),\n    ]\n`,
      'shop/migrations/README.py': 'not a migration',
    });
    const verdicts = Object.fromEntries(
      a.migrations.migrations.map((m) => [m.file.slice('shop/migrations/'.length), m.reversible]),
    );
    expect(verdicts).toEqual({
      '0001_initial.py': 'yes',
      '0002_data.py': 'no',
      '0003_data_noop.py': 'yes',
      '0004_sql.py': 'yes',
      '0005_sql_no_reverse.py': 'no',
      '0006_remove.py': 'no',
    });
    expect(mig(a, 'shop/migrations/0002_data.py')?.reason).toMatch(/reverse_code/);
    expect(mig(a, 'shop/migrations/0006_remove.py')?.dataLoss).toEqual([
      'RemoveField note (order)',
    ]);
  });

  it('Alembic: downgrade must do something', async () => {
    const rev = (up: string, down: string | null) =>
      `"""msg"""\nfrom alembic import op\nrevision = 'a1'\n\ndef upgrade() -> None:\n${up}\n${down === null ? '' : `\ndef downgrade() -> None:\n${down}\n`}`;
    const a = await analyse({
      'alembic/env.py': '',
      'alembic/versions/a1_add.py': rev(
        "    op.add_column('t', sa.Column('c'))",
        "    op.drop_column('t', 'c')",
      ),
      'alembic/versions/a2_pass.py': rev(
        "    op.create_table('x')",
        '    # ### commands auto generated ###\n    pass\n    # ### end ###',
      ),
      'alembic/versions/a3_none.py': rev("    op.create_table('y')", null),
      'alembic/versions/a4_drop.py': rev(
        "    op.drop_column('users', 'bio')",
        "    op.add_column('users', sa.Column('bio'))",
      ),
      'migrations/versions/b1_flask.py': rev("    op.create_table('z')", "    op.drop_table('z')"),
      'migrations/env.py': '',
    });
    const verdicts = Object.fromEntries(a.migrations.migrations.map((m) => [m.file, m.reversible]));
    expect(verdicts).toEqual({
      'alembic/versions/a1_add.py': 'yes',
      'alembic/versions/a2_pass.py': 'no',
      'alembic/versions/a3_none.py': 'no',
      'alembic/versions/a4_drop.py': 'no',
      'migrations/versions/b1_flask.py': 'yes',
    });
    expect(mig(a, 'alembic/versions/a2_pass.py')?.reason).toMatch(/pass/);
    expect(mig(a, 'alembic/versions/a4_drop.py')?.dataLoss).toEqual(['drop_column bio (users)']);
  });
});

describe('analyseDeployPath: odd input never throws', () => {
  it('binary and huge migrations, symlink loops, FIFOs, unreadable files', async () => {
    const root = await folder({
      'migrations/0001_bin.up.sql': Buffer.from([0x44, 0x00, 0x52]),
      'migrations/0002_huge.up.sql': `CREATE TABLE a (id int);\n${'-- padding\n'.repeat(500_000)}`,
      'migrations/0003_locked.up.sql': 'CREATE TABLE b (id int);\n',
      'migrations/0003_locked.down.sql': 'DROP TABLE b;\n',
      'package.json': pkg({ dependencies: deps }),
    });
    await symlink('..', join(root, 'migrations', 'up'));
    await symlink('loop-b', join(root, 'loop-a'));
    await symlink('loop-a', join(root, 'loop-b'));
    execFileSync('mkfifo', [join(root, 'package-lock.json')]);
    await chmod(join(root, 'migrations/0003_locked.up.sql'), 0o000);

    const a = await analyseDeployPath(root);
    expect(mig(a, 'migrations/0001_bin.up.sql')).toMatchObject({
      reversible: 'unknown',
      reason: 'could not be read (binary)',
    });
    expect(mig(a, 'migrations/0002_huge.up.sql')).toMatchObject({
      reversible: 'unknown',
      reason: 'could not be read (too-large)',
    });
    // A FIFO named like a lockfile is not a regular file: never taken for one, never opened.
    expect(a.node[0]?.lockfiles).toEqual([]);
    expect(a.notes.join(' ')).toMatch(/symlinked folder/);
    // Root reads a chmod 000 file anyway, so only an unprivileged run can see it refused.
    if (process.getuid?.() !== 0) {
      expect(mig(a, 'migrations/0003_locked.up.sql')).toMatchObject({ reversible: 'unknown' });
    }
  });

  it('an unreadable package.json is a problem, not an exception', async (ctx) => {
    // Root can read a chmod 000 file, so the case cannot arise when the tests run as root.
    if (process.getuid?.() === 0) ctx.skip();
    const root = await folder({ 'package.json': pkg({}) });
    await chmod(join(root, 'package.json'), 0o000);
    const a = await analyseDeployPath(root);
    expect(a.node[0]?.problems).toContain('package.json could not be read (unreadable)');
  });

  it('a missing folder is a clear error; an empty folder is an empty analysis', async () => {
    await expect(
      analyseDeployPath(join(tmpdir(), 'launch-ready-no-such-folder-43')),
    ).rejects.toThrow(/Folder not found/);
    const a = await analyse({});
    expect(a).toMatchObject({
      node: [],
      otherEcosystems: [],
      build: { hasBuild: false },
      ci: { files: [], runsTests: false, deploys: false },
      migrations: { tools: [], migrations: [], capped: false },
      notes: [],
    });
  });
});
