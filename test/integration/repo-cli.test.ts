/**
 * `launch-ready scan-repo` and stage 3 through the CLI and the app's core, and the canary test:
 * planted key values must never appear in any output — tables, JSON, stored runs, run events.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import type { LabRepoHandle } from '../../src/main/core/lab/lab-repo';
import { createLabRepo } from '../../src/main/core/lab/lab-repo';
import type { LabRepo } from '../../src/main/core/lab/scenario';
import { DEMO_REPO_SECRETS } from '../../src/main/core/lab/scenarios/demo/repo';
import { assertCliBuilt, cli } from '../support/run-cli';

/** Joined at run time so no key-shaped string sits whole in this file. */
const fake = (...parts: string[]) => parts.join('');

/** One canary per rule family, each committed and later deleted or left in HEAD. */
const CANARY = {
  stripe: fake('sk_', 'live_', 'CANARYstripe', '4Hq8Wm2Zr6Tn1Vb9'),
  aws: fake('AKIA', 'CANARYAWS7Q2Z4XK'),
  awsSecret: fake('CANARYawsSecret', '/9fK3mQ7tV2xZ8pL4wN6rB1yD5hJ0c'),
  anthropic: fake(
    'sk-ant-',
    'api03-',
    'CANARYanthropic',
    '8h2K4m6P8r0T2v4X6z8B0d2F4h6J8l0N2p4R6t8V0x2Z4b6D8f0H2j4L6n8P0r2T4vQ-AAAAAA',
  ),
  dbPassword: fake('CANARYdbPw', 'x7Kq2Lm9Rt'),
  github: fake('ghp_', 'CANARYgh', '7Tq2Wm9Zr4Xn8Vb1Kc6Jd3Lf5Hs0'),
};

const repoSpec: LabRepo = {
  commits: [
    {
      message: 'Start',
      date: '2026-07-01T10:00:00Z',
      files: {
        'package.json': '{"name":"canary","version":"1.0.0","dependencies":{"stripe":"15.8.0"}}\n',
        '.gitignore': 'node_modules\n',
        'src/pay.js': `const stripe = require('stripe')('${CANARY.stripe}');\n`,
        'deploy/aws.sh': `export AWS_ACCESS_KEY_ID=${CANARY.aws}\nexport AWS_SECRET_ACCESS_KEY=${CANARY.awsSecret}\n`,
        '.env': `DATABASE_URL=postgres://app:${CANARY.dbPassword}@db.internal:5432/app\n`,
      },
    },
    {
      message: 'Move keys out',
      date: '2026-07-02T10:00:00Z',
      files: {
        'src/pay.js': "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\n",
        'deploy/aws.sh': null,
        'src/ai.js': `export const key = '${CANARY.anthropic}';\n`,
      },
    },
  ],
  uncommitted: { 'scripts/release.sh': `GITHUB_TOKEN=${CANARY.github} gh release create\n` },
};

let repo: LabRepoHandle;
let plain: string;
beforeAll(async () => {
  assertCliBuilt();
  repo = await createLabRepo(repoSpec, 'canary');
  plain = await mkdtemp(join(tmpdir(), 'lr-plain-'));
  await writeFile(join(plain, 'config.js'), `module.exports = '${CANARY.github}';\n`);
});
afterAll(async () => {
  await repo?.remove();
  await rm(plain, { recursive: true, force: true });
});

function expectNoCanary(text: string, where: string): void {
  for (const [name, value] of Object.entries(CANARY)) {
    expect(text, `${name} in ${where}`).not.toContain(value);
    // Nor a long piece of it (a preview keeps at most the last 4 characters).
    expect(text, `${name} (part) in ${where}`).not.toContain(value.slice(-10));
  }
}

interface ScanDoc {
  isGitRepo: boolean;
  findings: {
    rule: string;
    file: string;
    line: number;
    commit: string | null;
    inHead: boolean;
    preview: string;
  }[];
  stats: { commits: number; bytes: number; ms: number };
  notes: string[];
}

describe('launch-ready scan-repo', () => {
  it('--json: findings in the tree and the history, each with rule, file, line, commit, inHead and preview', async () => {
    const r = await cli(['scan-repo', repo.path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ScanDoc;
    expect(doc.isGitRepo).toBe(true);
    expect(doc.stats.commits).toBe(2);
    expect(doc.stats.bytes).toBeGreaterThan(0);
    const at = (file: string) => doc.findings.filter((f) => f.file === file);
    // Deleted in the second commit: history only, with the commit that added it.
    const aws = at('deploy/aws.sh');
    expect(aws.length).toBeGreaterThanOrEqual(1);
    for (const f of aws) {
      expect(f.inHead).toBe(false);
      expect(f.commit).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(at('src/pay.js').map((f) => [f.rule, f.inHead])).toEqual([
      ['stripe-live-secret-key', false],
    ]);
    expect(at('src/ai.js').map((f) => f.inHead)).toEqual([true]);
    // Not committed: found in the working tree, no commit.
    expect(at('scripts/release.sh').map((f) => [f.inHead, f.commit])).toEqual([[true, null]]);
    expect(at('.env').map((f) => f.inHead)).toEqual([true]);
    for (const f of doc.findings) expect(f.preview).toMatch(/…/);
    expectNoCanary(r.stdout + r.stderr, 'scan-repo --json');
  });

  it('the table says which keys are only in the history and that deleting does not help', async () => {
    const r = await cli(['scan-repo', repo.path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /deploy\/aws\.sh:\d+ \(added in [0-9a-f]{10} on 2026-07-01\) — only in the git history: rotate it \(deleting the file does not help\)/,
    );
    expect(r.stdout).toMatch(/src\/ai\.js:1.* — still in the code: rotate it, then remove it/);
    expect(r.stdout).toMatch(/files and 2 commits scanned/);
    expectNoCanary(r.stdout + r.stderr, 'scan-repo table');
  });

  it('a folder that is not a git repository is scanned and says so', async () => {
    const r = await cli(['scan-repo', plain, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ScanDoc;
    expect(doc.isGitRepo).toBe(false);
    expect(doc.stats.commits).toBe(0);
    expect(doc.notes.join(' ')).toMatch(
      /^Not a git repository: the files in the folder were scanned/,
    );
    expect(doc.findings.map((f) => [f.file, f.commit])).toEqual([['config.js', null]]);
    expectNoCanary(r.stdout, 'scan-repo on a plain folder');
  });

  it.each([
    [['scan-repo'], /Give one PATH/],
    [['scan-repo', '/nonexistent/lr-folder'], /Folder not found: \/nonexistent\/lr-folder/],
  ])('refuses %j with exit code 2 and a clear message', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('the canary never leaves the scanner', () => {
  it('check --repo on a lab scenario: table and JSON hold previews only', async () => {
    const json = await cli(['check', '--scenario', 'healthy', '--repo', repo.path, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { results: { id: string; status: string }[] };
    const status = (id: string) => doc.results.find((x) => x.id === id)?.status;
    expect(status('deploy.secrets.code')).toBe('fail');
    expect(status('deploy.secrets.history')).toBe('fail');
    expect(status('deploy.env.gitignored')).toBe('fail');
    expectNoCanary(json.stdout + json.stderr, 'check --json');
    const table = await cli(['check', '--scenario', 'healthy', '--repo', repo.path]);
    expect(table.stdout).toMatch(/No API keys or passwords in your code/);
    expectNoCanary(table.stdout + table.stderr, 'check table');
  }, 90_000);

  it('the app: stored runs, run events and the workspace file hold no raw key of the demo', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lr-canary-app-'));
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    const events: string[] = [];
    api.onRunEvent((e) => events.push(JSON.stringify(e)));
    try {
      const demo = await api.handlers.openDemo({});
      const run = await api.handlers.runChecks({ workspaceId: demo.id });
      const stage3 = run.results.filter((x) => x.stage === 3);
      expect(stage3.find((x) => x.id === 'deploy.secrets.history')?.status).toBe('fail');
      const stored: string[] = [];
      const walk = async (d: string): Promise<void> => {
        for (const e of await readdir(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) await walk(p);
          else stored.push(await readFile(p, 'utf8'));
        }
      };
      await walk(dir);
      expect(stored.length).toBeGreaterThan(0);
      const all = [...stored, ...events, JSON.stringify(run)].join('\n');
      expect(all).toContain('sk_live_…');
      for (const secret of Object.values(DEMO_REPO_SECRETS)) {
        expect(all).not.toContain(secret);
        expect(all).not.toContain(secret.slice(-10));
      }
    } finally {
      await api.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
