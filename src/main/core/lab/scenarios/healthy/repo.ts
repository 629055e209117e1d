import type { ScenarioFragment } from '../compose';

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

const deps = { next: '16.1.0', postmark: '4.0.5', react: '19.2.0', 'react-dom': '19.2.0' };
const devDeps = { vitest: '4.0.8' };

const packageJson = json({
  name: 'steady',
  version: '1.4.0',
  private: true,
  scripts: { dev: 'next dev', build: 'next build', start: 'next start', test: 'vitest run' },
  dependencies: deps,
  devDependencies: devDeps,
});

const packageLock = json({
  name: 'steady',
  version: '1.4.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'steady', version: '1.4.0', dependencies: deps, devDependencies: devDeps },
    ...Object.fromEntries(
      Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, license: 'MIT' }]),
    ),
    ...Object.fromEntries(
      Object.entries(devDeps).map(([n, v]) => [
        `node_modules/${n}`,
        { version: v, dev: true, license: 'MIT' },
      ]),
    ),
  },
});

const mail = `import { ServerClient } from 'postmark';

const client = new ServerClient(process.env.POSTMARK_SERVER_TOKEN ?? '');

export function sendInvite(to: string, link: string) {
  return client.sendEmailWithTemplate({
    From: process.env.MAIL_FROM ?? 'hello@steady-ai.test',
    To: to,
    TemplateAlias: 'invite',
    TemplateModel: { link },
  });
}
`;

const db = `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
`;

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
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: npm ci
      - run: npm test
      - run: npm run build
`;

const at = (day: string) => `2026-${day}T09:00:00Z`;

/** Stage 3 done right: no key ever committed, every variable documented, tests in CI, reversible migrations, staging apart from production. */
export const healthyRepo: ScenarioFragment = {
  repo: {
    // The lab's npm registry: every pinned version is the latest, and none has an advisory.
    advisories: {
      npm: Object.fromEntries(
        Object.entries({ ...deps, ...devDeps }).map(([name, v]) => [name, { versions: [v] }]),
      ),
    },
    commits: [
      {
        message: 'Steady: first version',
        date: at('08-03'),
        files: {
          'package.json': packageJson,
          'package-lock.json': packageLock,
          '.gitignore': 'node_modules\n.next\n.env\n.env*.local\n',
          '.env.example':
            '# Copy to .env.local and fill in.\nDATABASE_URL=postgres://user:password@localhost:5432/steady\nPOSTMARK_SERVER_TOKEN=\nMAIL_FROM=hello@example.com\n',
          'src/lib/mail.ts': mail,
          'src/lib/db.ts': db,
          'src/lib/mail.test.ts':
            "import { test } from 'vitest';\n\ntest('placeholder', () => {});\n",
          'config/staging.json': json({ appUrl: 'https://staging.steady-ai.test' }),
          'config/production.json': json({ appUrl: 'https://steady-ai.test' }),
          'migrations/0001_create_accounts.up.sql':
            'CREATE TABLE accounts (id uuid PRIMARY KEY, email text NOT NULL UNIQUE);\n',
          'migrations/0001_create_accounts.down.sql': 'DROP TABLE accounts;\n',
          '.github/workflows/ci.yml': ci,
        },
      },
      {
        message: 'Teams',
        date: at('09-10'),
        files: {
          'migrations/0002_create_teams.up.sql':
            'CREATE TABLE teams (id uuid PRIMARY KEY, name text NOT NULL);\n',
          'migrations/0002_create_teams.down.sql': 'DROP TABLE teams;\n',
        },
      },
    ],
  },
};
