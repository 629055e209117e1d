import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { scanRepo } from '../../src/main/core/repo/secrets';
import type { RepoScan, SecretFinding } from '../../src/main/core/repo/types';

/**
 * The repository secret scan against real git repositories built in temp dirs. Keys are
 * assembled at run time from split prefixes and a seeded generator, so this file holds no
 * provider-shaped literal.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `lr-secrets-${prefix}-`));
  dirs.push(d);
  return d;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
let state = 0x9e3779b9;
function rnd(n: number, alphabet = ALNUM): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out += alphabet[(state >>> 0) % alphabet.length];
    }
    const mixed = /\d/.test(alphabet) && /[a-z]/i.test(alphabet);
    if (mixed && !(/\d/.test(out) && /[a-z]/i.test(out))) continue;
    if (!/test|fake|dummy|sample|example/i.test(out)) return out;
  }
}
const j = (...parts: string[]) => parts.join('');
const stripeKey = () => j('sk_', 'live_', rnd(24));
/** `n` (at most 8) fresh keys, typed for destructuring. */
const stripeKeys = (n: number) =>
  Array.from({ length: n }, stripeKey) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
const preview = (prefix: string, key: string) => `${prefix}…${key.slice(-4)}`;

/** Runs git the way a founder's machine would, minus their config; fixed identity and dates. */
class TestRepo {
  readonly dir: string;
  constructor(dir?: string) {
    this.dir = dir ?? tempDir('repo');
    this.git(['init', '-q', '-b', 'main']);
  }

  git(args: string[], date = '2024-01-01T00:00:00Z', input?: string): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      input,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        HOME: this.dir,
        LC_ALL: 'C',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: devNull,
        GIT_AUTHOR_NAME: 'Founder',
        GIT_AUTHOR_EMAIL: 'founder@example.test',
        GIT_COMMITTER_NAME: 'Founder',
        GIT_COMMITTER_EMAIL: 'founder@example.test',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
  }

  write(files: Record<string, string | Buffer | null>): void {
    for (const [path, content] of Object.entries(files)) {
      const abs = join(this.dir, path);
      if (content === null) rmSync(abs, { force: true });
      else {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
    }
  }

  /** Writes (null deletes) the files, commits everything, returns the commit hash. */
  commit(files: Record<string, string | Buffer | null>, date: string, message = 'change'): string {
    this.write(files);
    this.git(['add', '-A'], date);
    this.git(['commit', '-q', '--allow-empty', '-m', message], date);
    return this.git(['rev-parse', 'HEAD']).trim();
  }
}

const iso = (date: string) => date.replace(/Z$/, '+00:00');
const byPreview = (scan: RepoScan, p: string) => scan.findings.filter((f) => f.preview === p);
function one(scan: RepoScan, p: string): SecretFinding {
  const found = byPreview(scan, p);
  expect(found, `${p} in ${JSON.stringify(scan.findings.map((f) => f.preview))}`).toHaveLength(1);
  return found[0]!;
}

/** One planted key per family: the file it lives in, its line, the rule and its preview. */
interface Plant {
  rule: string;
  file: string;
  text: string;
  preview: string;
}
function plants(dir: string): Plant[] {
  const p: Plant[] = [];
  const env = (rule: string, name: string, value: string, prefix = '') =>
    p.push({
      rule,
      file: `${dir}/.env.production`,
      text: `${name}=${value}`,
      preview: preview(prefix, value),
    });
  const key = (v: string) => v;
  env('aws-access-key-id', 'AWS_ACCESS_KEY_ID', j('AK', 'IA', rnd(16, B32)), 'AKIA');
  env('aws-secret-access-key', 'AWS_SECRET_ACCESS_KEY', rnd(40, `${ALNUM}/+`));
  env('azure-storage-key', 'AZURE_STORAGE', '');
  p.pop(); // replaced by a connection string below, whose value is not the whole line
  const azure = `${rnd(86, `${ALNUM}+/`)}==`;
  p.push({
    rule: 'azure-storage-key',
    file: `${dir}/.env.production`,
    text: `AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${azure};EndpointSuffix=core.windows.net`,
    preview: preview('', azure.replace(/=+$/, '')),
  });
  env('stripe-live-secret-key', 'STRIPE_SECRET_KEY', key(j('sk_', 'live_', rnd(24))), 'sk_live_');
  env('stripe-test-secret-key', 'STRIPE_TEST_KEY', j('sk_', 'test_', rnd(24)), 'sk_test_');
  env('openai-project-key', 'OPENAI_API_KEY', j('sk-', 'proj-', rnd(80, `${ALNUM}_-`)), 'sk-proj-');
  env(
    'anthropic-api-key',
    'ANTHROPIC_API_KEY',
    j('sk-', 'ant-', 'api03-', rnd(90, `${ALNUM}_-`)),
    'sk-ant-api03-',
  );
  env('google-api-key', 'GEMINI_API_KEY', j('AI', 'za', rnd(35, `${ALNUM}_-`)), 'AIza');
  env('groq-api-key', 'GROQ_API_KEY', j('gs', 'k_', rnd(52)), 'gsk_');
  env(
    'huggingface-token',
    'HF_TOKEN',
    j('hf', '_', rnd(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')),
    'hf_',
  );
  env('replicate-api-token', 'REPLICATE_API_TOKEN', j('r8', '_', rnd(37)), 'r8_');
  env('github-token', 'GH_TOKEN', j('gh', 'p_', rnd(36)), 'ghp_');
  env('gitlab-token', 'GITLAB_TOKEN', j('gl', 'pat-', rnd(20)), 'glpat-');
  env(
    'slack-token',
    'SLACK_BOT_TOKEN',
    j('xo', 'xb-', '2345678901234-', '3456789012345-', rnd(24)),
    'xoxb-',
  );
  env(
    'slack-webhook',
    'SLACK_WEBHOOK',
    j('https://hooks.slack.com/services/', 'T0', rnd(7), '/B0', rnd(7), '/', rnd(24)),
  );
  p[p.length - 1]!.preview = `hooks.slack.com/services/${p[p.length - 1]!.preview}`;
  env('twilio-api-key', 'TWILIO_API_KEY', j('S', 'K', rnd(32, HEX)), 'SK');
  env('twilio-auth-token', 'TWILIO_AUTH_TOKEN', rnd(32, HEX));
  env('sendgrid-api-key', 'SENDGRID_API_KEY', j('SG', '.', rnd(22), '.', rnd(43)), 'SG.');
  env('mailgun-api-key', 'MAILGUN_API_KEY', j('key', '-', rnd(32, HEX)), 'key-');
  env(
    'postmark-server-token',
    'POSTMARK_SERVER_TOKEN',
    [rnd(8, HEX), rnd(4, HEX), rnd(4, HEX), rnd(4, HEX), rnd(12, HEX)].join('-'),
  );
  env('resend-api-key', 'RESEND_API_KEY', j('re', '_', rnd(8), '_', rnd(24)), 're_');
  const claims = Buffer.from(
    JSON.stringify({ iss: 'supabase', role: 'service_role', n: rnd(6) }),
  ).toString('base64url');
  env('supabase-jwt', 'SUPABASE_SERVICE_ROLE_KEY', `eyJhbGciOiJIUzI1NiJ9.${claims}.${rnd(43)}`);
  const dbPassword = rnd(24);
  p.push({
    rule: 'database-url',
    file: `${dir}/.env.production`,
    text: `DATABASE_URL=postgres://app:${dbPassword}@db.acme-prod.io:5432/app`,
    preview: preview('', dbPassword),
  });
  env('vercel-token', 'VERCEL_TOKEN', rnd(24));
  env('netlify-access-token', 'NETLIFY_AUTH_TOKEN', j('nf', 'p_', rnd(36)), 'nfp_');
  env('cloudflare-api-token', 'CLOUDFLARE_API_TOKEN', rnd(40));
  env('jwt-signing-secret', 'JWT_SECRET', rnd(48));
  env('generic-secret', 'WEBHOOK_SIGNING_TOKEN', rnd(32));
  const django = j('django-insecure-', rnd(40));
  p.push({
    rule: 'django-secret-key',
    file: `${dir}/settings.py`,
    text: `SECRET_KEY = '${django}'`,
    preview: preview('', django),
  });
  const body = Array.from({ length: 6 }, () => rnd(64, `${ALNUM}+/`)).join('\n');
  const tail = body.slice(-4);
  const pemText = j(
    '-----BEGIN ',
    'OPENSSH PRIVATE KEY-----\n',
    body,
    '\n-----END ',
    'OPENSSH PRIVATE KEY-----',
  );
  p.push({ rule: 'private-key', file: `${dir}/deploy_key`, text: pemText, preview: `…${tail}` });
  const saBody = Array.from({ length: 6 }, () => rnd(64, `${ALNUM}+/`)).join('\\n');
  const saJson = JSON.stringify(
    {
      type: 'service_account',
      project_id: 'acme',
      private_key_id: rnd(40, HEX),
      private_key: 'K',
      client_email: 'ci@acme.iam.gserviceaccount.com',
    },
    null,
    2,
  ).replace(
    '"K"',
    `"${j('-----BEGIN ', 'PRIVATE KEY-----\\n', saBody, '\\n-----END ', 'PRIVATE KEY-----\\n')}"`,
  );
  p.push({
    rule: 'gcp-service-account-key',
    file: `${dir}/service-account.json`,
    text: saJson,
    preview: `…${saBody.slice(-4)}`,
  });
  return p;
}
function filesOf(ps: Plant[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const p of ps) files[p.file] = files[p.file] ? `${files[p.file]}\n${p.text}` : p.text;
  return files;
}

describe('scanRepo: the working tree and the history', () => {
  it('finds a planted key of each family, in the tree and only in the history', async () => {
    const repo = new TestRepo();
    const current = plants('config');
    const past = plants('old');
    const c1 = repo.commit(filesOf(current), '2024-03-01T10:00:00Z', 'add config');
    const c2 = repo.commit(filesOf(past), '2024-03-02T10:00:00Z', 'add old config');
    repo.commit(
      Object.fromEntries(Object.keys(filesOf(past)).map((f) => [f, null])),
      '2024-03-03T10:00:00Z',
    );
    const scan = await scanRepo(repo.dir);

    expect(scan.isGitRepo).toBe(true);
    expect(new Set(current.map((p) => p.rule)).size).toBeGreaterThanOrEqual(30);
    for (const p of current) {
      const f = one(scan, p.preview);
      expect(f, p.rule).toMatchObject({
        rule: p.rule,
        file: p.file,
        inHead: true,
        commit: c1,
        authorDate: iso('2024-03-01T10:00:00Z'),
      });
    }
    for (const p of past) {
      const f = one(scan, p.preview);
      expect(f, p.rule).toMatchObject({
        rule: p.rule,
        file: p.file,
        inHead: false,
        commit: c2,
        authorDate: iso('2024-03-02T10:00:00Z'),
      });
    }
    expect(scan.findings).toHaveLength(current.length + past.length);
    // Secrets first, then what is still present, then by file.
    const order = scan.findings.map(
      (f) => `${f.keyClass === 'secret' ? 0 : 1}${f.inHead ? 0 : 1}${f.file}`,
    );
    expect(order).toEqual([...order].sort());
    expect(scan.stats).toMatchObject({ commits: 3, files: 4 });
    // Tree files, plus the added lines of both commits (the files end without a newline).
    const size = (ps: Plant[]) =>
      Object.values(filesOf(ps)).reduce((n, t) => n + Buffer.byteLength(t), 0);
    expect(scan.stats.bytes).toBe(2 * size(current) + size(past));
  });

  it('ignores decoys: placeholders, example files, lockfiles, ids, hashes, images, minified CSS', async () => {
    const repo = new TestRepo();
    const pasted = stripeKey();
    const sha = rnd(40, HEX);
    const image = randomBytes(12_000).toString('base64');
    repo.commit(
      {
        '.env.example': [
          'OPENAI_API_KEY=sk-your-key-here',
          j('STRIPE_SECRET_KEY=sk_', 'live_', 'x'.repeat(24)),
          'JWT_SECRET=changeme',
          `SESSION_SECRET=${rnd(40)}`,
          'DATABASE_URL=postgresql://johndoe:randompassword@localhost:5432/mydb',
          `STRIPE_LIVE_KEY_FOR_DEMO=${pasted}`,
        ].join('\n'),
        'config.sample.json': JSON.stringify({ apiToken: rnd(40), password: rnd(24) }),
        'package-lock.json': JSON.stringify({
          packages: {
            'node_modules/x': {
              integrity: `sha512-${randomBytes(64).toString('base64')}`,
              resolved: `https://registry.npmjs.org/x/-/x-1.0.0.tgz#${sha}`,
            },
          },
        }),
        'yarn.lock': `x@^1.0.0:\n  resolved "https://registry.yarnpkg.com/x#${sha}"\n  integrity sha512-${randomBytes(64).toString('base64')}\n  token "${rnd(40)}"\n`,
        'src/ids.ts': [
          `export const REQUEST_ID = "${[rnd(8, HEX), rnd(4, HEX), rnd(4, HEX), rnd(4, HEX), rnd(12, HEX)].join('-')}";`,
          `export const COMMIT = "${sha}"; // git rev-parse HEAD`,
          `export const apiKey = process.env.API_KEY; const token = \`\${TOKEN}\`;`,
          `const password = "<your-password>"; const secret = "your-secret-here-123456";`,
          `const auth_token = "dummy-token-0123456789abcdef"; const apiSecret = "fake_secret_9876543210zyx";`,
          `const sk = "${j('sk_', 'live_', '0123456789abcdefghijklmn')}";`,
        ].join('\n'),
        'public/site.min.css': `.token-list{color:#fff}.secret-banner{background:url(data:image/png;base64,${image})}:root{--secret-color:#ff00ff;--token-size:12px}`,
        'public/logo.html': `<img alt="logo" src="data:image/png;base64,${image}">`,
      },
      '2024-04-01T00:00:00Z',
    );
    const scan = await scanRepo(repo.dir);
    expect(scan.findings.map((f) => `${f.rule} ${f.file}`)).toEqual([
      'stripe-live-secret-key .env.example',
    ]);
    expect(scan.findings[0]!.preview).toBe(preview('sk_live_', pasted));
  });

  it('a key committed then deleted is one finding, not in HEAD, dated by the commit that added it', async () => {
    const repo = new TestRepo();
    const key = stripeKey();
    const added = repo.commit(
      { 'src/stripe.ts': `import Stripe from 'stripe';\n\nconst s = new Stripe('${key}');\n` },
      '2024-02-01T09:00:00Z',
    );
    repo.commit(
      {
        'src/stripe.ts': `import Stripe from 'stripe';\n\nconst s = new Stripe(process.env.KEY!);\n`,
      },
      '2024-02-05T09:00:00Z',
    );
    repo.commit(
      { 'src/stripe.ts': `// back for a demo\nconst s = '${key}';\n` },
      '2024-02-07T09:00:00Z',
    );
    repo.commit({ 'src/stripe.ts': null }, '2024-02-09T09:00:00Z');
    const scan = await scanRepo(repo.dir);
    expect(scan.findings).toEqual([
      {
        rule: 'stripe-live-secret-key',
        provider: 'Stripe',
        label: 'Stripe live secret or restricted key',
        keyClass: 'secret',
        file: 'src/stripe.ts',
        line: 3,
        commit: added,
        authorDate: iso('2024-02-01T09:00:00Z'),
        inHead: false,
        preview: preview('sk_live_', key),
      },
    ]);
  });

  it('a key still present is in HEAD, at its current place; the same key in two files is one finding', async () => {
    const repo = new TestRepo();
    const key = stripeKey();
    const first = repo.commit(
      { 'b/config.ts': `export const k = '${key}';\n` },
      '2024-01-01T00:00:00Z',
    );
    repo.commit({ 'lib/pay.ts': `// pay\nexport const k = '${key}';\n` }, '2024-01-02T00:00:00Z');
    repo.commit(
      { 'lib/pay.ts': `// pay\n// more\n\n\nexport const k = '${key}';\n` },
      '2024-01-03T00:00:00Z',
    );
    const scan = await scanRepo(repo.dir);
    expect(scan.findings).toHaveLength(1);
    expect(scan.findings[0]).toMatchObject({
      file: 'b/config.ts',
      line: 1,
      inHead: true,
      commit: first,
      authorDate: iso('2024-01-01T00:00:00Z'),
    });
    repo.commit({ 'b/config.ts': null }, '2024-01-04T00:00:00Z');
    const after = await scanRepo(repo.dir);
    expect(after.findings).toHaveLength(1);
    expect(after.findings[0]).toMatchObject({
      file: 'lib/pay.ts',
      line: 5,
      inHead: true,
      commit: first,
    });
  });

  it('scans other branches and tags, renamed files, odd paths, and skips binaries and files over the cap', async () => {
    const repo = new TestRepo();
    const [onBranch, onTag, renamed, odd, oddGone, afterPlus, inBinary, inHuge] = stripeKeys(8);
    repo.commit({ 'README.md': '# acme\n' }, '2024-05-01T00:00:00Z');
    repo.git(['checkout', '-q', '-b', 'feature/payments']);
    const branchCommit = repo.commit(
      { 'pay.ts': `const k = '${onBranch}';\n` },
      '2024-05-02T00:00:00Z',
    );
    repo.git(['checkout', '-q', '--detach', 'main']);
    const tagCommit = repo.commit({ 'tmp.ts': `const k = '${onTag}';\n` }, '2024-05-03T00:00:00Z');
    repo.git(['tag', 'v0.1']);
    repo.git(['checkout', '-q', 'main']);
    const renameFrom = repo.commit(
      { 'old name.ts': `const k = '${renamed}';\n` },
      '2024-05-04T00:00:00Z',
    );
    mkdirSync(join(repo.dir, 'src'));
    repo.git(['mv', 'old name.ts', 'src/new name.ts']);
    repo.commit({}, '2024-05-05T00:00:00Z');
    const oddPath = 'docs/ünïcödé dir/my "quoted"\tkey.env';
    const oddGonePath = 'docs/ünïcödé dir/old\\one "q".env';
    const oddCommit = repo.commit(
      { [oddPath]: `KEY=${odd}\n`, [oddGonePath]: `KEY=${oddGone}\n` },
      '2024-05-06T00:00:00Z',
    );
    repo.commit({ [oddGonePath]: null }, '2024-05-07T00:00:00Z');
    // An added line reading `++ b/other` shows as `+++ b/other` in the diff: still content.
    repo.commit(
      { 'notes.md': `# notes\n++ b/other.ts\n@@ -1 +1 @@\nkey: ${afterPlus}\n` },
      '2024-05-08T00:00:00Z',
    );
    repo.commit(
      {
        'assets/blob.bin': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`k=${inBinary}`)]),
      },
      '2024-05-09T00:00:00Z',
    );
    repo.commit(
      { 'data/huge.txt': `${'lorem ipsum dolor sit amet\n'.repeat(200_000)}k=${inHuge}\n` },
      '2024-05-10T00:00:00Z',
    );
    const scan = await scanRepo(repo.dir);

    expect(one(scan, preview('sk_live_', onBranch))).toMatchObject({
      file: 'pay.ts',
      inHead: false,
      commit: branchCommit,
    });
    expect(one(scan, preview('sk_live_', onTag))).toMatchObject({
      file: 'tmp.ts',
      inHead: false,
      commit: tagCommit,
    });
    expect(one(scan, preview('sk_live_', renamed))).toMatchObject({
      file: 'src/new name.ts',
      inHead: true,
      commit: renameFrom,
    });
    expect(one(scan, preview('sk_live_', odd))).toMatchObject({
      file: oddPath,
      line: 1,
      inHead: true,
      commit: oddCommit,
    });
    expect(one(scan, preview('sk_live_', oddGone))).toMatchObject({
      file: oddGonePath,
      line: 1,
      inHead: false,
      commit: oddCommit,
    });
    expect(one(scan, preview('sk_live_', afterPlus))).toMatchObject({ file: 'notes.md', line: 4 });
    expect(byPreview(scan, preview('sk_live_', inBinary))).toEqual([]);
    expect(byPreview(scan, preview('sk_live_', inHuge))).toEqual([]);
    expect(scan.findings).toHaveLength(6);
    expect(scan.notes.join('\n')).toMatch(/larger than 1 MiB.*data\/huge\.txt/);
    expect(scan.notes.join('\n')).toMatch(/history.*data\/huge\.txt/);
  });

  it('reads untracked files git would add, not ignored ones nor installed dependencies', async () => {
    const repo = new TestRepo();
    const [tracked, untracked, ignored, dep, built] = stripeKeys(5);
    repo.commit(
      { '.gitignore': '.env\n', 'dist/app.js': `var k="${tracked}";` },
      '2024-06-01T00:00:00Z',
    );
    repo.write({
      '.env': `STRIPE=${ignored}\n`,
      'scratch.txt': `STRIPE=${untracked}\n`,
      'node_modules/pkg/index.js': `var k="${dep}";`,
      'build/out.js': `var k="${built}";`,
    });
    const scan = await scanRepo(repo.dir);
    expect(scan.findings.map((f) => [f.file, f.preview, f.commit === null])).toEqual([
      ['dist/app.js', preview('sk_live_', tracked), false],
      ['scratch.txt', preview('sk_live_', untracked), true],
    ]);
  });
});

describe('scanRepo: folders, errors and caps', () => {
  it('scans a folder that is not a git repository, and says so', async () => {
    const dir = tempDir('plain');
    const outside = tempDir('outside');
    const [own, dep, built, linked] = stripeKeys(4);
    const repo = { dir } as TestRepo;
    TestRepo.prototype.write.call(repo, {
      'src/app.ts': `// app\nconst stripe = '${own}';\n`,
      'node_modules/x/index.js': `k="${dep}"`,
      'dist/bundle.js': `k="${built}"`,
    });
    writeFileSync(join(outside, 'secret.ts'), `k="${linked}"`);
    symlinkSync(join(outside, 'secret.ts'), join(dir, 'src/link.ts'));
    const scan = await scanRepo(dir);
    expect(scan.isGitRepo).toBe(false);
    expect(scan.notes.join(' ')).toMatch(/not a git repository/i);
    expect(scan.stats.commits).toBe(0);
    expect(scan.findings).toEqual([
      expect.objectContaining({
        file: 'src/app.ts',
        line: 2,
        inHead: true,
        commit: null,
        authorDate: null,
        preview: preview('sk_live_', own),
      }),
    ]);
  });

  it('scans a repository with no commits yet: its files, no history', async () => {
    const repo = new TestRepo();
    const key = stripeKey();
    repo.write({ 'app.ts': `const k = '${key}';\n` });
    const scan = await scanRepo(repo.dir);
    expect(scan).toMatchObject({ isGitRepo: true, notes: [], stats: { commits: 0, files: 1 } });
    expect(scan.findings).toEqual([
      expect.objectContaining({
        file: 'app.ts',
        inHead: true,
        commit: null,
        preview: preview('sk_live_', key),
      }),
    ]);
  });

  it('throws a plain Error for a missing path or a file', async () => {
    const dir = tempDir('errors');
    await expect(scanRepo(join(dir, 'nope'))).rejects.toThrow(/^Folder not found: /);
    writeFileSync(join(dir, 'file.txt'), 'x');
    await expect(scanRepo(join(dir, 'file.txt'))).rejects.toThrow(/^Not a folder: /);
  });

  it('stops at the commit, byte and finding caps, with a note for each', async () => {
    const repo = new TestRepo();
    for (let i = 0; i < 6; i++)
      repo.commit({ [`f${i}.ts`]: `k='${stripeKey()}'\n` }, `2024-07-0${i + 1}T00:00:00Z`);
    const commits = await scanRepo(repo.dir, { maxCommits: 3 });
    expect(commits.stats.commits).toBe(3);
    expect(commits.notes.join(' ')).toMatch(/more than 3 commits/);
    const findings = await scanRepo(repo.dir, { maxFindings: 2 });
    expect(findings.findings).toHaveLength(2);
    expect(findings.notes.join(' ')).toMatch(/4 more findings/);
    const bytes = await scanRepo(repo.dir, { maxTotalBytes: 100 });
    expect(bytes.stats.bytes).toBeLessThanOrEqual(100);
    expect(bytes.notes.join(' ')).toMatch(/stopped after/);
  });
});

describe('scanRepo: safety', () => {
  it('never returns or logs a secret value (canary)', async () => {
    const repo = new TestRepo();
    const canary = j('sk_', 'live_', 'CANARY', rnd(30));
    const other = j('gh', 'p_', rnd(36));
    repo.commit({ 'old.env': `STRIPE_KEY=${canary}\nGITHUB=${other}\n` }, '2024-08-01T00:00:00Z');
    repo.commit(
      { 'old.env': null, 'app/config.ts': `export default { stripe: "${canary}" };\n` },
      '2024-08-02T00:00:00Z',
    );
    const written: string[] = [];
    const capture = (stream: NodeJS.WriteStream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        written.push(String(chunk));
        return true;
      });
    const spies = [capture(process.stdout), capture(process.stderr)];
    const consoles = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
    );
    let result: RepoScan;
    try {
      result = await scanRepo(repo.dir);
    } finally {
      for (const s of [...spies, ...consoles]) s.mockRestore();
    }
    const json = JSON.stringify(result);
    for (const secret of [canary, other]) {
      expect(json).not.toContain(secret);
      expect(json).not.toContain(secret.slice(-8));
      expect(json).not.toContain(secret.slice(8, 20));
      for (const w of written) expect(w).not.toContain(secret);
    }
    expect(json).toContain(preview('sk_live_', canary));
    expect(result.findings.map((f) => f.inHead)).toEqual([true, false]);
  });

  // Finds the git child through /proc.
  it.skipIf(process.platform !== 'linux')(
    'stops promptly when aborted, and kills git',
    async () => {
      const repo = new TestRepo();
      // A history large enough that git is still writing when the abort comes.
      const stream: string[] = [];
      const filler = 'export const line = "some ordinary source code, nothing secret";\n'.repeat(
        400,
      );
      for (let i = 1; i <= 1500; i++) {
        const data = `${filler}// ${i}\n`;
        stream.push(
          `commit refs/heads/main`,
          `committer F <f@example.test> ${1_700_000_000 + i} +0000`,
          'data 2',
          'c',
          `M 644 inline src/f${i}.ts`,
          `data ${Buffer.byteLength(data)}`,
          data,
        );
      }
      repo.git(['fast-import', '--quiet'], undefined, `${stream.join('\n')}\n`);
      repo.git(['checkout', '-q', '-f', 'main']);
      /** Processes running in the repository; with `log`, only `git log`. */
      const gitHere = (log = false) =>
        readdirSync('/proc')
          .filter((p) => /^\d+$/.test(p))
          .filter((p) => {
            try {
              if (readlinkSync(`/proc/${p}/cwd`) !== repo.dir) return false;
              return !log || readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes('log');
            } catch {
              return false;
            }
          });
      const controller = new AbortController();
      const scanning = scanRepo(repo.dir, { signal: controller.signal });
      const outcome = scanning.then(
        () => 'finished',
        (e: unknown) => e,
      );
      // Wait until git log runs, then abort.
      let running: string[] = [];
      for (let i = 0; i < 1000 && running.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 2));
        running = gitHere(true);
      }
      expect(running).not.toEqual([]);
      const t0 = performance.now();
      controller.abort(new Error('cancelled by the test'));
      const result = await outcome;
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toBe('cancelled by the test');
      await new Promise((r) => setTimeout(r, 50));
      expect(gitHere()).toEqual([]);
    },
    60_000,
  );

  // The traps are shell scripts.
  it.skipIf(process.platform === 'win32')(
    'never runs commands a hostile repository config names',
    async () => {
      const repo = new TestRepo();
      const marker = (name: string) => join(repo.dir, `${name}.ran`);
      const script = (name: string) => {
        const path = join(repo.dir, '.git', `${name}.sh`);
        writeFileSync(path, `#!/bin/sh\ntouch '${marker(name)}'\ncat\n`);
        chmodSync(path, 0o755);
        return path;
      };
      const key = stripeKey();
      repo.commit(
        { 'app.ts': `k='${key}'\n`, '.gitattributes': '* diff=evil\n' },
        '2024-09-01T00:00:00Z',
      );
      repo.commit({ 'app.ts': `k='${key}'\n// more\n` }, '2024-09-02T00:00:00Z');
      for (const [k, v] of [
        ['core.fsmonitor', script('fsmonitor')],
        ['core.pager', script('pager')],
        ['diff.external', script('external')],
        ['diff.evil.textconv', script('textconv')],
        ['diff.evil.command', script('command')],
        ['log.showSignature', 'true'],
        ['gpg.program', script('gpg')],
        ['diff.noprefix', 'true'],
        ['core.quotePath', 'true'],
      ] as const)
        repo.git(['config', k, v]);
      // The traps are real: plain git runs them.
      repo.git(['status']);
      repo.git(['log', '-p', '-1']);
      expect(existsSync(marker('fsmonitor'))).toBe(true);
      expect(existsSync(marker('textconv'))).toBe(true);
      for (const name of ['fsmonitor', 'textconv']) unlinkSync(marker(name));

      const scan = await scanRepo(repo.dir);
      for (const name of ['fsmonitor', 'pager', 'external', 'textconv', 'command', 'gpg'])
        expect(existsSync(marker(name)), name).toBe(false);
      expect(scan.findings).toEqual([
        expect.objectContaining({
          file: 'app.ts',
          inHead: true,
          preview: preview('sk_live_', key),
        }),
      ]);
    },
  );
});
