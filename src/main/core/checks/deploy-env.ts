/**
 * Stage 3 — environment variables: .env files kept out of git, every variable the code reads
 * documented in an example file, staging and production configured apart. Names only.
 */
import type { Check } from '../engine/check';
import type { EnvAnalysis } from '../repo/env';
import { count, envOf, firstFew, listWords, outcome, withRepo } from './deploy-support';

function envFiles(a: EnvAnalysis) {
  return a.files.filter((f) => f.kind === 'env');
}

export const envIgnored: Check = {
  id: 'deploy.env.gitignored',
  stage: 3,
  title: '.env files are kept out of git',
  why: '.env files hold the real keys and database passwords. Once one is committed, every clone of the repository carries them, and a single "git add ." is enough to commit one that git does not ignore.',
  fix: [
    'Add these lines to .gitignore: ".env" and ".env*.local" (and ".env.*" if you keep per-environment files), keeping "!.env.example".',
    'For a .env file already committed: rotate every key in it, then run "git rm --cached <file>" and commit. The old commits still hold the keys, which is why rotation comes first.',
  ],
  impact: 'critical',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await envOf(ctx, root);
      const files = envFiles(a);
      const ev = {
        repo: a.root,
        git: a.git,
        files: files.map(({ path, environment, git, ignoreRule, valuesSet }) => ({
          path,
          environment,
          git,
          ignoreRule,
          valuesSet,
        })),
        newDotenvIgnored: a.newDotenvIgnored,
        notes: a.notes,
      };
      if (a.git !== 'repo') {
        return outcome(
          'skipped',
          `Skipped: ${a.git === 'not-a-repo' ? 'the folder is not a git repository' : 'git could not be used'}, so nothing can say which files would be committed.`,
          ev,
        );
      }
      const tracked = files.filter((f) => f.git === 'tracked');
      if (tracked.length > 0) {
        const later = tracked.filter((f) => f.ignoreRule !== null);
        return outcome(
          'fail',
          `${listWords(tracked.map((f) => f.path))} ${tracked.length === 1 ? 'is' : 'are'} committed to git, so every clone holds ${tracked.length === 1 ? 'its' : 'their'} values${later.length > 0 ? ' (listed in .gitignore, but committed before that line was added, so git keeps tracking it)' : ''}. Rotate the keys in ${tracked.length === 1 ? 'it' : 'them'}, then "git rm --cached" the file and commit.`,
          ev,
        );
      }
      const exposed = files.filter((f) => f.git === 'not-ignored');
      if (exposed.length > 0) {
        return outcome(
          'fail',
          `${listWords(exposed.map((f) => f.path))} ${exposed.length === 1 ? 'is' : 'are'} not ignored by git: the next "git add ." commits ${exposed.length === 1 ? 'it' : 'them'}. Add ${exposed.length === 1 ? 'it' : 'them'} to .gitignore.`,
          ev,
        );
      }
      if (a.newDotenvIgnored === false) {
        return outcome(
          'warn',
          'No .env file is committed, but .gitignore does not cover ".env": the day someone creates one, "git add ." commits it. Add ".env" and ".env*.local" to .gitignore.',
          ev,
        );
      }
      return outcome(
        'pass',
        files.length > 0
          ? `${listWords(files.map((f) => f.path))} ${files.length === 1 ? 'is' : 'are'} ignored by git, and so is any new .env file.`
          : 'No .env file is in the repository, and .gitignore covers one if it is ever created.',
        ev,
      );
    }),
};

export const envDocumented: Check = {
  id: 'deploy.env.documented',
  stage: 3,
  title: 'Every variable the code reads is listed in .env.example',
  why: 'A contractor or a new host that does not know a variable exists deploys without it, and the feature behind it breaks in production: webhooks that never verify, emails that never send. .env.example is the list they read.',
  fix: [
    'Add each missing name to .env.example with an empty or placeholder value, e.g. "STRIPE_WEBHOOK_SECRET=" — never the real value.',
    'Set the same variables in your hosting platform for production and for staging.',
  ],
  impact: 'medium',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await envOf(ctx, root);
      const doc = a.documentation;
      const missing = doc.undocumented;
      const ev = {
        repo: a.root,
        exampleFiles: doc.exampleFiles,
        documented: doc.documented,
        undocumented: missing,
        documentedUnused: doc.documentedUnused,
        variablesRead: a.usage.variables.length,
        notes: a.notes,
      };
      const named = (v: (typeof missing)[number]) => {
        const at = v.locations[0];
        return at ? `${v.name} (read in ${at.file}:${at.line})` : v.name;
      };
      if (a.usage.variables.length === 0) {
        return outcome('pass', 'The code reads no environment variables.', ev);
      }
      if (doc.exampleFiles.length === 0) {
        return outcome(
          'fail',
          `The code reads ${count(a.usage.variables.length, 'environment variable')} and no .env.example lists them: ${firstFew(
            missing.map((v) => v.name),
            6,
          )}. Create .env.example with each name and no real values.`,
          ev,
        );
      }
      if (missing.length > 0) {
        return outcome(
          'warn',
          `${firstFew(missing.map(named), 4)} ${missing.length === 1 ? 'is' : 'are'} read by the code but not listed in ${listWords(doc.exampleFiles)}. Whoever deploys next will not know to set ${missing.length === 1 ? 'it' : 'them'}.`,
          ev,
        );
      }
      return outcome(
        'pass',
        `All ${count(a.usage.variables.length, 'variable')} the code reads ${a.usage.variables.length === 1 ? 'is' : 'are'} listed in ${listWords(doc.exampleFiles)}.`,
        ev,
      );
    }),
};

export const envEnvironments: Check = {
  id: 'deploy.env.environments',
  stage: 3,
  title: 'Staging and production are configured separately',
  why: 'With one environment, every change is tested on real customers, and a test run can charge real cards or email real users. A staging copy with its own keys and database is where a deploy fails first.',
  fix: [
    'Create a staging project on your host (Vercel: Preview or a second project; Render/Fly: a second service) with its own database.',
    'Give staging test keys (Stripe test mode, a separate OpenAI project) in the host’s environment variables, and keep production keys only in production.',
    'Keep per-environment settings apart in the repository, e.g. .env.staging.example and .env.production.example, or config/staging.json and config/production.json.',
  ],
  impact: 'medium',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await envOf(ctx, root);
      const e = a.environments;
      const ev = { repo: a.root, ...e };
      if (e.verdict === 'separate') {
        return outcome(
          'pass',
          `Separate environments are configured: ${listWords(e.names)} (${firstFew(e.evidence.map((x) => x.file))}).`,
          ev,
        );
      }
      const previews =
        e.platformPreviews.length > 0
          ? ` ${listWords(e.platformPreviews)} preview deployments exist, but they share production's keys unless you set others.`
          : '';
      return outcome(
        'warn',
        `Only one environment is configured${e.names.length > 0 ? ` (${listWords(e.names)})` : ''}: every change goes straight to your customers.${previews} Set up staging with its own keys and database.`,
        ev,
      );
    }),
};
