import type { ScenarioFragment } from '../compose';
import { DEMO_SENTRY_DSN } from '../vendors/sentry-slack';

const D = 'promptly-ai.test';
const APP = `app.${D}`;

/**
 * Joins the pieces of a planted key at run time, so no provider-shaped key appears whole in
 * this file and repository secret scanners (gitleaks, push protection) never flag it. Every
 * planted value also carries LAUNCHREADYDEMO: obviously fake to any human reader.
 */
const fake = (...parts: string[]): string => parts.join('');

/** The fake keys the demo leaks; exported so tests can prove evidence never repeats them. */
export const DEMO_PLANTED_SECRETS = {
  envOpenAi: fake('sk-', 'proj-', 'LAUNCHREADYDEMO', '-q7Zk2Vw9RfT3xLp8NcB5mHy4JdG6sKa1UeQ0oWi'),
  envStripe: fake('sk_', 'live_', 'LAUNCHREADYDEMO', '4fK9pQ2wX7zR1mT8vB3nY6cH'),
  envDatabasePassword: fake('LAUNCHREADYDEMO', 'pw', '81xTz4Qm'),
  envSessionSecret: fake('LAUNCHREADYDEMO', 'c29ab7e1f04d4b8e9a61'),
  bundleOpenAi: fake('sk-', 'proj-', 'LAUNCHREADYDEMO', '-Bx8Wq3Lz6Tn1Rv5Kp9Mf2Hs7Dc4Gy0JaE'),
  sessionCookie: fake('LAUNCHREADYDEMO', 's3ss10n', '9b2f7c'),
} as const;

/** Publishable: meant for browsers, so the scan mentions it and does not fail on it. */
const STRIPE_PUBLISHABLE = fake('pk_', 'live_', 'LAUNCHREADYDEMO', 'Zr5Tq8Wm2Xn6Vb1Kc9');
const S = DEMO_PLANTED_SECRETS;

const BUNDLE = 'index-7c1e9a.js';

/** A React app built with Vite, whose developer put the OpenAI key in a VITE_ variable. */
const bundle = [
  `const e={openaiKey:"${S.bundleOpenAi}",stripeKey:"${STRIPE_PUBLISHABLE}",model:"gpt-4o-mini"};`,
  // Sentry is set up, but no release is ever named: errors cannot be tied to a deploy.
  `Sentry.init({dsn:"${DEMO_SENTRY_DSN}",tracesSampleRate:0.1});`,
  'async function t(n){const r=await fetch("https://api.openai.com/v1/chat/completions",{method:"POST",',
  'headers:{"Content-Type":"application/json",Authorization:`Bearer ${e.openaiKey}`},',
  'body:JSON.stringify({model:e.model,messages:[{role:"user",content:n}]})});return(await r.json()).choices[0].message.content}',
  'document.getElementById("root").textContent="Promptly";export{t as improvePrompt};',
  `//# sourceMappingURL=${BUNDLE}.map`,
  '',
].join('\n');

const sourceMap = JSON.stringify({
  version: 3,
  file: BUNDLE,
  sources: ['../../src/main.tsx', '../../src/lib/openai.ts', '../../src/pricing/plans.ts'],
  sourcesContent: [
    "import { improvePrompt } from './lib/openai';\n// TODO: move the key to the server before the enterprise demo\n",
    'const openaiKey = import.meta.env.VITE_OPENAI_KEY;\nexport async function improvePrompt(text: string) {\n  /* … */\n}\n',
    '// Internal: enterprise discount floor is 35%\nexport const plans = [];\n',
  ],
  names: [],
  mappings: 'AAAA,SAAS,aAAa',
});

const dotenv = [
  '# Promptly — production settings (do not commit)',
  'NODE_ENV=production',
  `APP_URL=https://${APP}`,
  `DATABASE_URL=postgres://promptly:${S.envDatabasePassword}@db.internal.${D}:5432/promptly`,
  `OPENAI_API_KEY=${S.envOpenAi}`,
  `STRIPE_SECRET_KEY=${S.envStripe}`,
  `SESSION_SECRET=${S.envSessionSecret}`,
  '',
].join('\n');

const home = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8">',
  '<title>Promptly — better prompts, faster</title>',
  `<script type="module" crossorigin src="/assets/${BUNDLE}"></script>`,
  // A third-party script: listed in evidence, never fetched.
  '<script async src="https://plausible.io/js/script.js"></script>',
  '</head><body><div id="root"><h1>Promptly</h1></div></body></html>',
].join('\n');

const adminPage = [
  '<!doctype html><html><head><title>Promptly admin</title></head><body>',
  '<h1>Admin — users</h1><table><tr><th>Email</th><th>Plan</th></tr>',
  '<tr><td>maria@northwind.test</td><td>Enterprise trial</td></tr></table>',
  '</body></html>',
].join('\n');

/**
 * The demo scenario's audit fixtures: an exposed .env on the apex, an admin page open to
 * anyone, an OpenAI key in the home page's bundle with its source map (sources included), and
 * weak headers — no CSP anywhere, and a session cookie scripts can read on the app.
 */
export const demoAudit: ScenarioFragment = {
  routes: [{ key: 'admin', host: APP, path: '/admin' }],
  sites: {
    [D]: {
      // Some headers, but no CSP and no framing rule: a middling grade (warn).
      headers: {
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'strict-origin-when-cross-origin',
      },
      routes: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: home,
        },
        {
          path: `/assets/${BUNDLE}`,
          status: 200,
          headers: { 'content-type': 'text/javascript; charset=utf-8' },
          body: bundle,
        },
        {
          path: `/assets/${BUNDLE}.map`,
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: sourceMap,
        },
        { path: '/.env', status: 200, headers: { 'content-type': 'text/plain' }, body: dotenv },
      ],
    },
    [APP]: {
      // No security headers at all, and the session cookie lacks HttpOnly (a failing grade).
      // Site-level, so it stays when another fragment redefines /login.
      headers: {
        'set-cookie': `promptly_session=${S.sessionCookie}; Path=/; Secure; SameSite=Lax`,
      },
      routes: [
        {
          path: '/admin',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: adminPage,
        },
      ],
    },
  },
};
