import type { ScenarioFragment } from '../compose';

/** Joined at run time so no provider-shaped key appears whole in this file (see audit.ts). */
const fake = (...parts: string[]): string => parts.join('');

/** The keys planted in the demo's repository; exported so tests can prove outputs never hold them. */
export const DEMO_REPO_SECRETS = {
  /** Committed in "Quick fix", deleted in the next commit: in the history only. */
  openAiInHistory: fake('sk-', 'proj-', 'LAUNCHREADYDEMO', '-hR4tY8uI2oP6aS0dF3gH7jK1lZ5xC9vB'),
  /** Still in HEAD, in a seed script nobody remembers. */
  stripeInHead: fake('sk_', 'live_', 'LAUNCHREADYDEMO', '7mN2bV5cX8zL1kJ4hG6fD9sA'),
} as const;
const S = DEMO_REPO_SECRETS;

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

const deps = {
  '@supabase/supabase-js': '2.43.4',
  axios: '0.21.1',
  next: '14.2.3',
  openai: '4.47.1',
  react: '18.3.1',
  'react-dom': '18.3.1',
  stripe: '15.8.0',
};

const packageJson = json({
  name: 'promptly',
  version: '0.3.0',
  private: true,
  scripts: { dev: 'next dev', build: 'next build', start: 'next start' },
  dependencies: deps,
});

const packageLock = json({
  name: 'promptly',
  version: '0.3.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'promptly', version: '0.3.0', dependencies: deps },
    ...Object.fromEntries(
      Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, license: 'MIT' }]),
    ),
  },
});

const openAiHardcoded = `import OpenAI from 'openai';

// TODO move to env before launch
export const openai = new OpenAI({ apiKey: '${S.openAiInHistory}' });
`;

const openAiFromEnv = `import OpenAI from 'openai';

export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
`;

const webhook = `import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const sig = req.headers.get('stripe-signature') ?? '';
  const event = stripe.webhooks.constructEvent(await req.text(), sig, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ received: event.type });
}
`;

const supabase = `import { createClient } from '@supabase/supabase-js';

export const supabase = createClient(
  process.env.NEXT_PUBLIC_SUPABASE_URL!,
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!,
);
`;

const seed = `// One-off: create the demo customer in Stripe.
const Stripe = require('stripe');
const stripe = Stripe('${S.stripeInHead}');
stripe.customers.create({ email: 'demo@promptly-ai.test' }).then((c) => console.log(c.id));
`;

const deploy = `name: Deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm run build
      - run: npx vercel deploy --prod --token "\${{ secrets.VERCEL_TOKEN }}"
`;

const at = (day: string) => `2026-${day}T10:00:00Z`;

/**
 * Stage 3 faults: an OpenAI key committed in a hurry and "removed" in the next commit (still in
 * the history), a live Stripe key in a seed script, STRIPE_WEBHOOK_SECRET read by the code but
 * missing from .env.example, a migration that drops a column with no way back, a CI workflow
 * that deploys without running any test (there are none), and one environment only.
 */
export const demoRepo: ScenarioFragment = {
  repo: {
    // What the lab's npm registry knows: real advisories for the pinned axios and next (their
    // published ranges and fixes), and newer majors of next and react.
    advisories: {
      npm: {
        axios: {
          versions: ['0.21.1', '0.21.2', '0.21.4', '1.7.9'],
          latest: '1.7.9',
          advisories: [
            {
              id: 1096353,
              title: 'axios Inefficient Regular Expression Complexity vulnerability',
              severity: 'high',
              vulnerable_versions: '<=0.21.1',
              url: 'https://github.com/advisories/GHSA-cph5-m8f7-6c5x',
              cwe: ['CWE-697', 'CWE-1333'],
            },
          ],
        },
        next: {
          versions: ['14.2.3', '14.2.25', '15.2.3', '16.1.0'],
          latest: '16.1.0',
          advisories: [
            {
              id: 1103872,
              title: 'Authorization Bypass in Next.js Middleware',
              severity: 'critical',
              vulnerable_versions: '>=14.0.0 <14.2.25',
              url: 'https://github.com/advisories/GHSA-f82v-jwr5-mffw',
              cwe: ['CWE-285'],
            },
          ],
        },
        react: { versions: ['18.3.1', '19.2.0'], latest: '19.2.0' },
        'react-dom': { versions: ['18.3.1', '19.2.0'], latest: '19.2.0' },
        openai: { versions: ['4.47.1'] },
        stripe: { versions: ['15.8.0'] },
        '@supabase/supabase-js': { versions: ['2.43.4'] },
      },
    },
    commits: [
      {
        message: 'Initial Next.js app',
        date: at('09-01'),
        files: {
          'package.json': packageJson,
          'package-lock.json': packageLock,
          '.gitignore': 'node_modules\n.next\n.env\n.env*.local\n',
          '.env.example':
            'OPENAI_API_KEY=your-key-here\nSTRIPE_SECRET_KEY=sk_live_xxx\nNEXT_PUBLIC_SUPABASE_URL=\nNEXT_PUBLIC_SUPABASE_ANON_KEY=\n',
          'src/lib/supabase.ts': supabase,
          'migrations/0001_create_users.up.sql':
            'CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL UNIQUE, trial_ends_at timestamptz);\n',
          'migrations/0001_create_users.down.sql': 'DROP TABLE users;\n',
        },
      },
      {
        message: 'Quick fix: summarizer for the demo',
        date: at('09-14'),
        files: { 'src/lib/openai.ts': openAiHardcoded },
      },
      {
        message: 'Move OpenAI key to env',
        date: at('09-15'),
        files: { 'src/lib/openai.ts': openAiFromEnv },
      },
      {
        message: 'Stripe billing and webhook',
        date: at('10-02'),
        files: {
          'src/app/api/billing/webhook/route.ts': webhook,
          'scripts/seed-stripe.js': seed,
          'migrations/0002_add_plan.up.sql':
            "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\n",
          'migrations/0002_add_plan.down.sql': 'ALTER TABLE users DROP COLUMN plan;\n',
        },
      },
      {
        message: 'Drop trials',
        date: at('10-20'),
        files: {
          'migrations/0003_drop_trial_ends_at.up.sql':
            'ALTER TABLE users DROP COLUMN trial_ends_at;\n',
          '.github/workflows/deploy.yml': deploy,
        },
      },
    ],
  },
};
