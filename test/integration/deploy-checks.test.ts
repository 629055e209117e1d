/**
 * Stage 3 (deployment safety) checks through the engine, against real git repositories the lab
 * generates and the lab's npm registry and OSV stand-in on loopback. Each fault is a small
 * change to the healthy repository.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { Workspace } from '../../src/shared/workspace';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { NO_REPO_SUMMARY } from '../../src/main/core/checks/deploy-support';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRepoHandle } from '../../src/main/core/lab/lab-repo';
import { createLabRepo } from '../../src/main/core/lab/lab-repo';
import type { LabRepo, LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { DEMO_REPO_SECRETS } from '../../src/main/core/lab/scenarios/demo/repo';
import { healthyRepo } from '../../src/main/core/lab/scenarios/healthy/repo';

const STAGE3 = CATALOGUE.filter((c) => c.stage === 3);
const AUTOMATED = STAGE3.filter((c) => c.kind === 'probe').map((c) => c.id);
const ASKS = STAGE3.filter((c) => c.kind === 'ask').map((c) => c.id);
const SHORT = { dnsMs: 300, connectMs: 600, requestMs: 800 };
const HEALTHY = getScenario('healthy');
const HEALTHY_REPO = healthyRepo.repo as LabRepo;
/** Joined at run time so no key-shaped string sits whole in this file. */
const fake = (...parts: string[]) => parts.join('');

type Results = Record<string, CheckResult>;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

async function lab(scenario: LabScenario, short = false): Promise<RunningLab> {
  const l = await startLab(scenario, { timeouts: short ? SHORT : undefined });
  cleanups.push(() => l.stop());
  return l;
}

async function runOn(
  l: RunningLab,
  repoPath: string | undefined,
  ids: readonly string[] = AUTOMATED,
  tweak?: (ws: Workspace) => void,
): Promise<Results> {
  const ws: Workspace = {
    ...workspaceFromScenario(l.scenario, 'deploy-checks'),
    ...(repoPath === undefined ? {} : { repoPath }),
  };
  tweak?.(ws);
  const record = await executeRun(planRun(CATALOGUE, ws, ids), ws, l.net, {
    checkTimeoutMs: 20_000,
  });
  return Object.fromEntries(record.results.map((r) => [r.id, r]));
}

/** The healthy repository with one more commit (null deletes a file) and uncommitted files. */
async function variant(
  files: Record<string, string | null>,
  uncommitted: Record<string, string> = {},
): Promise<string> {
  const repo: LabRepo = {
    ...HEALTHY_REPO,
    commits: [...HEALTHY_REPO.commits, { message: 'Change', date: '2026-10-01T09:00:00Z', files }],
    uncommitted,
  };
  const handle: LabRepoHandle = await createLabRepo(repo, 'variant');
  cleanups.push(handle.remove);
  return handle.path;
}

/** A plain folder (no git) with these files. */
async function folder(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lr-deploy-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const ev = (r: CheckResult | undefined) => (r?.evidence ?? {}) as Record<string, unknown>;

describe('demo: the planted stage 3 faults, each with its fix', () => {
  let r: Results;
  let l: RunningLab;
  beforeAll(async () => {
    l = await lab(getScenario('demo'));
    r = await runOn(l, (await l.repo()) ?? undefined, [...AUTOMATED, ...ASKS]);
  });

  it('the live Stripe key in the seed script fails, with a redacted preview and how to rotate', () => {
    const c = r['deploy.secrets.code'];
    expect(c?.status).toBe('fail');
    expect(c?.summary).toMatch(
      /^1 secret key is in the \d+ files of your repository as it is now: Stripe .* in scripts\/seed-stripe\.js:3 \(sk_live_…[A-Za-z0-9]{4}\)/,
    );
    expect(c?.summary).toContain('Roll key');
    const findings = ev(c).findings as { inHead: boolean; commit: string | null }[];
    expect(findings).toHaveLength(1);
    expect(findings[0]?.inHead).toBe(true);
  });

  it('the OpenAI key deleted a day after it was committed is still in the history: rotate, deleting does not help', () => {
    const c = r['deploy.secrets.history'];
    expect(c?.status).toBe('fail');
    expect(c?.summary).toMatch(
      /OpenAI API key committed on 2026-09-14 in [0-9a-f]{7} \(src\/lib\/openai\.ts:4, sk-proj-…[A-Za-z0-9]{4}\)/,
    );
    expect(c?.summary).toContain('deleting the file does not help, rotating the key does');
    const findings = ev(c).findings as { inHead: boolean; commit: string; file: string }[];
    expect(findings.map((f) => [f.file, f.inHead])).toEqual([['src/lib/openai.ts', false]]);
    expect(findings[0]?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(ev(c).stats).toMatchObject({ commits: 5 });
  });

  it('STRIPE_WEBHOOK_SECRET is read but not in .env.example; one environment only', () => {
    expect(r['deploy.env.documented']).toMatchObject({
      status: 'warn',
      summary:
        'STRIPE_WEBHOOK_SECRET (read in src/app/api/billing/webhook/route.ts:7) is read by the code but not listed in .env.example. Whoever deploys next will not know to set it.',
    });
    expect(r['deploy.env.environments']?.status).toBe('warn');
    expect(r['deploy.env.gitignored']?.status).toBe('pass');
  });

  it('the deploy workflow runs no tests, and the last migration drops a column for good', () => {
    expect(r['deploy.path.ci-tests']).toMatchObject({
      status: 'fail',
      summary:
        '.github/workflows/deploy.yml (deploy) deploys without running tests first, and no workflow runs tests at all. Add a test job and make the deploy wait for it.',
    });
    expect(r['deploy.migrations.reversible']?.status).toBe('fail');
    expect(r['deploy.migrations.reversible']?.summary).toContain(
      'migrations/0003_drop_trial_ends_at.up.sql (DROP COLUMN trial_ends_at (users))',
    );
    expect(r['deploy.path.lockfile']?.status).toBe('pass');
    expect(r['deploy.path.build']?.status).toBe('pass');
  });

  it('axios and next have known advisories, asked of the lab registry; next is two majors behind', () => {
    const v = r['deploy.dependencies.vulnerable'];
    expect(v?.status).toBe('fail');
    expect(ev(v).counts).toMatchObject({ critical: 1, high: 1, total: 2 });
    expect(v?.summary).toContain(
      'next 14.2.3: Authorization Bypass in Next.js Middleware (critical; fixed in next 14.2.25)',
    );
    expect(v?.summary).toMatch(/axios 0\.21\.1: .*\(high; fixed in axios 0\.21\.\d\)/);
    expect(l.advisories?.requests.some((q) => q.path.endsWith('/advisories/bulk'))).toBe(true);
    expect(r['deploy.dependencies.frameworks']).toMatchObject({
      status: 'warn',
      summary:
        'next 14.2.3 (latest 16.1.0, 2 majors behind) is more than one major version behind: security fixes stop reaching it. Plan the upgrade.',
    });
  });

  it('lists Stripe, OpenAI and Supabase with where their keys live and how to rotate them', () => {
    const s = r['deploy.services.inventory'];
    expect(s?.status).toBe('pass');
    const services = ev(s).services as { name: string; envNames: string[]; rotate: string }[];
    expect(services.map((x) => x.name).sort()).toEqual(['OpenAI', 'Stripe', 'Supabase']);
    expect(services.find((x) => x.name === 'Stripe')?.envNames).toEqual(
      expect.arrayContaining(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']),
    );
    for (const x of services) expect(x.rotate.length).toBeGreaterThan(20);
  });

  it('asks the three questions, unanswered until the founder answers', async () => {
    for (const id of ASKS) expect(r[id]?.status, id).toBe('unanswered');
    const answered = await runOn(l, undefined, ASKS, (ws) => {
      ws.answers = {
        'deploy.ask.rollback-steps': { answer: 'yes', answeredAt: '2026-11-01T00:00:00Z' },
        'deploy.ask.owner': { answer: 'no', answeredAt: '2026-11-01T00:00:00Z' },
        'deploy.ask.secret-store': { answer: 'not-sure', answeredAt: '2026-11-01T00:00:00Z' },
      };
    });
    expect(ASKS.map((id) => answered[id]?.status)).toEqual(['pass', 'fail', 'warn']);
  });

  it('no raw key appears anywhere in the results', () => {
    const all = JSON.stringify(r);
    for (const secret of Object.values(DEMO_REPO_SECRETS)) {
      expect(all).not.toContain(secret);
      // Nor any long piece of it.
      expect(all).not.toContain(secret.slice(8, 24));
    }
  });
});

describe('healthy: a clean repository passes every stage 3 check', () => {
  it('passes all automated checks', async () => {
    const l = await lab(HEALTHY);
    const r = await runOn(l, (await l.repo()) ?? undefined);
    for (const id of AUTOMATED) expect(r[id]?.status, `${id}: ${r[id]?.summary}`).toBe('pass');
    expect(r['deploy.secrets.history']?.summary).toBe(
      'No keys found in the 2 commits of the history.',
    );
  });
});

describe('no repository folder, or a bad one', () => {
  let l: RunningLab;
  beforeAll(async () => {
    l = await lab(HEALTHY);
  });

  it('every automated check is skipped with how to choose the folder; nothing is read', async () => {
    const before = l.advisories?.requests.length ?? 0;
    const r = await runOn(l, undefined);
    for (const id of AUTOMATED) {
      expect(r[id], id).toMatchObject({ status: 'skipped', summary: NO_REPO_SUMMARY });
    }
    expect(l.advisories?.requests.length).toBe(before);
  });

  it('a folder that does not exist is an error naming it, for every check', async () => {
    const gone = join(tmpdir(), 'lr-no-such-folder-8c1f');
    const r = await runOn(l, gone);
    for (const id of AUTOMATED) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.summary, id).toBe(
        `Could not read your repository: Folder not found: ${gone}. Choose the folder again in the workspace settings.`,
      );
    }
  });

  it('a file instead of a folder is an error too', async () => {
    const root = await folder({ 'notes.txt': 'hello\n' });
    const r = await runOn(l, join(root, 'notes.txt'), [
      'deploy.secrets.code',
      'deploy.env.documented',
    ]);
    for (const x of Object.values(r)) {
      expect(x.status).toBe('error');
      expect(x.summary).toMatch(/^Could not read your repository: Not a folder: /);
    }
  });

  it('a folder that is not a git repository: files scanned, history and ignore rules skipped', async () => {
    const root = await folder({
      'server.js': `const stripe = require('stripe')('${fake('sk_', 'live_', 'N0tAGitRepo', '5fG7hJ9kL2mN4pQ6')}');\n`,
      'package.json': '{"name":"x","dependencies":{}}\n',
    });
    const r = await runOn(l, root, [
      'deploy.secrets.code',
      'deploy.secrets.history',
      'deploy.env.gitignored',
    ]);
    expect(r['deploy.secrets.code']?.status).toBe('fail');
    expect(r['deploy.secrets.code']?.summary).toContain('(it is not a git repository)');
    expect(r['deploy.secrets.code']?.summary).toContain('server.js:1');
    expect(r['deploy.secrets.history']?.status).toBe('skipped');
    expect(r['deploy.secrets.history']?.summary).toMatch(/is not a git repository/);
    expect(r['deploy.env.gitignored']?.status).toBe('skipped');
  });
});

describe('repository faults', () => {
  let l: RunningLab;
  beforeAll(async () => {
    l = await lab(HEALTHY);
  });
  const check = async (path: string, ...ids: string[]) => runOn(l, path, ids);

  it('a committed .env fails even after .gitignore lists it', async () => {
    const path = await variant({ '.env': 'POSTMARK_SERVER_TOKEN=\nMAIL_FROM=a@b.test\n' });
    const r = await check(path, 'deploy.env.gitignored');
    expect(r['deploy.env.gitignored']?.status).toBe('fail');
    expect(r['deploy.env.gitignored']?.summary).toMatch(
      /^\.env is committed to git, so every clone holds its values \(listed in \.gitignore, but committed before/,
    );
  });

  it('a .env that git does not ignore fails: one "git add ." away', async () => {
    const path = await variant({ '.gitignore': 'node_modules\n' }, { '.env': 'MAIL_FROM=x\n' });
    const r = await check(path, 'deploy.env.gitignored');
    expect(r['deploy.env.gitignored']).toMatchObject({
      status: 'fail',
      summary: '.env is not ignored by git: the next "git add ." commits it. Add it to .gitignore.',
    });
  });

  it('no .env yet, but .gitignore would not ignore one: warn', async () => {
    const path = await variant({ '.gitignore': 'node_modules\n' });
    const r = await check(path, 'deploy.env.gitignored');
    expect(r['deploy.env.gitignored']?.status).toBe('warn');
  });

  it('no .env.example at all fails; an extra variable in code warns', async () => {
    const none = await variant({ '.env.example': null });
    expect((await check(none, 'deploy.env.documented'))['deploy.env.documented']?.status).toBe(
      'fail',
    );
    const extra = await variant({
      'src/lib/ai.ts': 'export const key = process.env.ANTHROPIC_API_KEY;\n',
    });
    const r = await check(extra, 'deploy.env.documented', 'deploy.services.inventory');
    expect(r['deploy.env.documented']?.summary).toMatch(
      /^ANTHROPIC_API_KEY \(read in src\/lib\/ai\.ts:1\) is read by the code but not listed/,
    );
    const services = ev(r['deploy.services.inventory']).services as { name: string }[];
    expect(services.map((s) => s.name)).toContain('Anthropic');
  });

  it('test-mode keys warn instead of failing', async () => {
    const key = fake('sk_', 'test_', 'T3stM0de', '9aB8cD7eF6gH5iJ4kL3m');
    const path = await variant({ 'scripts/dev.js': `const k = '${key}';\n` });
    const r = await check(path, 'deploy.secrets.code');
    expect(r['deploy.secrets.code']?.status).toBe('warn');
    expect(JSON.stringify(r)).not.toContain(key);
  });

  it('no lockfile fails, and the vulnerability check says why it cannot run', async () => {
    const path = await variant({ 'package-lock.json': null });
    const r = await check(path, 'deploy.path.lockfile', 'deploy.dependencies.vulnerable');
    expect(r['deploy.path.lockfile']?.status).toBe('fail');
    expect(r['deploy.path.lockfile']?.summary).toMatch(
      /^No lockfile pins the versions of package\.json/,
    );
    expect(r['deploy.dependencies.vulnerable']?.status).toBe('skipped');
  });

  it('a lockfile that disagrees with package.json fails and names the package', async () => {
    const pkg = JSON.parse((HEALTHY_REPO.commits[0]?.files['package.json'] as string) ?? '{}') as {
      dependencies: Record<string, string>;
    };
    pkg.dependencies.stripe = '^17.0.0';
    const path = await variant({ 'package.json': JSON.stringify(pkg, null, 2) });
    const r = await check(path, 'deploy.path.lockfile');
    expect(r['deploy.path.lockfile']?.status).toBe('fail');
    expect(r['deploy.path.lockfile']?.summary).toContain('(stripe)');
  });

  it('no build script fails', async () => {
    const pkg = { name: 'steady', version: '1.4.0', scripts: { test: 'vitest run' } };
    const path = await variant({ 'package.json': JSON.stringify(pkg), 'package-lock.json': null });
    const r = await check(path, 'deploy.path.build');
    expect(r['deploy.path.build']?.status).toBe('fail');
  });

  it('no CI fails; a deploy job that does not wait for tests fails', async () => {
    const none = await variant({ '.github/workflows/ci.yml': null });
    const r1 = await check(none, 'deploy.path.ci-tests');
    expect(r1['deploy.path.ci-tests']?.summary).toMatch(/^No CI workflow was found/);
    const ungated = await variant({
      '.github/workflows/deploy.yml':
        'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx vercel deploy --prod\n',
    });
    const r2 = await check(ungated, 'deploy.path.ci-tests');
    expect(r2['deploy.path.ci-tests']?.status).toBe('fail');
    expect(r2['deploy.path.ci-tests']?.summary).toMatch(
      /^\.github\/workflows\/deploy\.yml \(deploy\) deploys without running tests first\. /,
    );
  });

  it('Prisma migrations warn (no down by design); a DROP without down fails', async () => {
    const prisma = await variant({
      'prisma/schema.prisma':
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
      'prisma/migrations/20261001_init/migration.sql':
        'CREATE TABLE "User" (id text PRIMARY KEY);\n',
      'migrations/0001_create_accounts.up.sql': null,
      'migrations/0001_create_accounts.down.sql': null,
      'migrations/0002_create_teams.up.sql': null,
      'migrations/0002_create_teams.down.sql': null,
    });
    const r1 = await check(prisma, 'deploy.migrations.reversible');
    expect(r1['deploy.migrations.reversible']?.status).toBe('warn');
    expect(r1['deploy.migrations.reversible']?.summary).toMatch(/^prisma has no down migrations/);
    const drop = await variant({ 'migrations/0003_drop_teams.up.sql': 'DROP TABLE teams;\n' });
    const r2 = await check(drop, 'deploy.migrations.reversible');
    expect(r2['deploy.migrations.reversible']?.status).toBe('fail');
  });
});

describe('the advisory database out of reach: skipped, never a pass', () => {
  const withAdvisories = (mode: 'refuse' | 'hang' | 'garbage') =>
    composeScenario(HEALTHY, { repo: { ...HEALTHY_REPO, advisories: { mode } } });

  it.each(['refuse', 'hang'] as const)('%s: both dependency checks are skipped', async (mode) => {
    const l = await lab(withAdvisories(mode), true);
    const t0 = performance.now();
    const r = await runOn(l, (await l.repo()) ?? undefined, [
      'deploy.dependencies.vulnerable',
      'deploy.dependencies.frameworks',
    ]);
    expect(r['deploy.dependencies.vulnerable']?.status).toBe('skipped');
    expect(r['deploy.dependencies.vulnerable']?.summary).toMatch(
      /^Skipped: could not reach the advisory database/,
    );
    expect(r['deploy.dependencies.frameworks']?.status).toBe('skipped');
    // Bounded by the lab's short HTTP budget, not the check timeout.
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('an answer that is not an advisory list is an error, not a pass', async () => {
    const l = await lab(withAdvisories('garbage'));
    const r = await runOn(l, (await l.repo()) ?? undefined, ['deploy.dependencies.vulnerable']);
    expect(r['deploy.dependencies.vulnerable']?.status).toBe('error');
  });
});
