/**
 * Stage 3 — the deploy path: versions pinned by a lockfile that matches package.json, a way to
 * build, a CI workflow that runs tests before anything deploys, migrations that can be undone.
 */
import type { Check } from '../engine/check';
import type { DeployAnalysis } from '../repo/deploy';
import { count, deployOf, firstFew, listWords, outcome, withRepo } from './deploy-support';

function noProject(a: DeployAnalysis): boolean {
  return a.node.length === 0 && a.otherEcosystems.length === 0;
}

export const lockfile: Check = {
  id: 'deploy.path.lockfile',
  stage: 3,
  title: 'A lockfile pins the exact versions you tested',
  why: 'Without a lockfile, or with one that disagrees with package.json, the server installs whatever versions are newest on deploy day: the build that worked on your laptop breaks, or quietly behaves differently, in production.',
  fix: [
    'Run your package manager’s install once (npm install, pnpm install or yarn) and commit the lockfile it writes.',
    'Use one package manager: delete the other lockfiles and set "packageManager" in package.json.',
    'In CI and on your host, install with the lockfile as the rule: npm ci, pnpm install --frozen-lockfile, yarn install --immutable.',
  ],
  impact: 'high',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await deployOf(ctx, root);
      const ev = {
        repo: a.root,
        node: a.node.map((n) => ({
          packageJson: n.packageJson,
          lockStatus: n.lockStatus,
          multipleManagers: n.multipleManagers,
          lockfiles: n.lockfiles,
          problems: n.problems,
        })),
        other: a.otherEcosystems,
      };
      if (noProject(a)) {
        return outcome(
          'skipped',
          'Skipped: no package.json, requirements, Gemfile, go.mod or Cargo.toml was found, so there are no dependencies to pin.',
          ev,
        );
      }
      const missing = [
        ...a.node.filter((n) => n.lockStatus === 'no-lockfile' && n.dependencyCount > 0),
      ].map((n) => n.packageJson);
      const unlocked = a.otherEcosystems.filter((o) => o.status === 'unlocked');
      if (missing.length > 0 || unlocked.length > 0) {
        const names = [
          ...missing,
          ...unlocked.map((o) => o.manifests[0] ?? (o.dir || o.ecosystem)),
        ];
        return outcome(
          'fail',
          `No lockfile pins the versions of ${listWords(names)}: every deploy installs whatever is newest that day. Run the install once and commit the lockfile.`,
          ev,
        );
      }
      const drifted = a.node.filter((n) => n.lockStatus === 'inconsistent');
      if (drifted.length > 0) {
        const d = drifted[0];
        const lock = d?.lockfiles.find((l) => l.consistency === 'inconsistent');
        const names = (lock?.mismatches ?? []).map((m) => m.name);
        return outcome(
          'fail',
          `${lock?.file ?? 'The lockfile'} does not match ${d?.packageJson ?? 'package.json'}${names.length > 0 ? ` (${firstFew(names)})` : ''}: a clean install (npm ci) fails or installs something else. Run the install again and commit both files together.`,
          ev,
        );
      }
      const mixed = a.node.filter((n) => n.multipleManagers);
      const partial = a.otherEcosystems.filter((o) => o.status === 'partial');
      if (mixed.length > 0 || partial.length > 0) {
        const parts = [
          ...mixed.map(
            (n) =>
              `${n.packageJson} has lockfiles of several package managers (${listWords(n.lockfiles.map((l) => l.file))}), so installs differ by who runs them`,
          ),
          ...partial.map(
            (o) => `${o.manifests[0] ?? o.ecosystem} pins only some versions (${o.detail})`,
          ),
        ];
        return outcome('warn', `${parts.join('; ')}. Keep one lockfile and pin everything.`, ev);
      }
      const unknown = a.node.filter((n) => n.lockStatus === 'unknown');
      if (unknown.length > 0) {
        return outcome(
          'warn',
          `The lockfile of ${listWords(unknown.map((n) => n.packageJson))} could not be compared with it (${unknown[0]?.lockfiles[0]?.detail ?? unknown[0]?.problems[0] ?? 'unreadable'}). Run the install again and commit the lockfile.`,
          ev,
        );
      }
      const locks = [
        ...a.node.flatMap((n) => n.lockfiles.map((l) => l.file)),
        ...a.otherEcosystems.flatMap((o) => o.lockfiles),
      ];
      return outcome(
        'pass',
        locks.length > 0
          ? `${listWords(locks)} ${locks.length === 1 ? 'pins' : 'pin'} every version and ${locks.length === 1 ? 'matches' : 'match'} the manifests.`
          : 'Every dependency is pinned to an exact version.',
        ev,
      );
    }),
};

export const buildScript: Check = {
  id: 'deploy.path.build',
  stage: 3,
  title: 'The app has one command that builds it',
  why: 'A host or a contractor needs to know how to turn the code into what runs in production. Without a build script or a Dockerfile, each deploy depends on someone remembering the steps.',
  fix: [
    'Add a "build" script to package.json that runs your framework’s build (next build, vite build, tsc…), and a "start" script if the app runs as a server.',
    'Or describe the build in a Dockerfile, or in your host’s config (vercel.json, netlify.toml), and commit it.',
  ],
  impact: 'medium',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await deployOf(ctx, root);
      const b = a.build;
      const ev = { repo: a.root, ...b };
      if (b.hasBuild) {
        const how = [
          ...b.buildScripts.map(
            (s) => `the build script in ${s.packageJson}${s.tool ? ` (${s.tool})` : ''}`,
          ),
          ...b.dockerfiles,
          ...b.platformBuildCommand,
        ];
        return outcome('pass', `The app builds with ${firstFew(how)}.`, ev);
      }
      if (noProject(a) && b.dockerfiles.length === 0) {
        return outcome(
          'warn',
          'No package.json, Dockerfile or host config says how to build or start this app. Add one, so deploys do not depend on memory.',
          ev,
        );
      }
      return outcome(
        'fail',
        `Nothing says how to build this app: no "build" script${a.node.length > 0 ? ` in ${listWords(a.node.map((n) => n.packageJson))}` : ''}, no Dockerfile, no build command in a host config. Add a build script.`,
        ev,
      );
    }),
};

export const ciRunsTests: Check = {
  id: 'deploy.path.ci-tests',
  stage: 3,
  title: 'CI runs your tests before anything deploys',
  why: 'A workflow that deploys on every push without running tests ships whatever was pushed, including the change that breaks sign-up. Tests in CI are the cheapest gate between a mistake and your customers.',
  fix: [
    'Add a test job to your CI workflow (GitHub Actions: a job that runs "npm ci" then "npm test") that runs on push and on pull requests.',
    'Make the deploy job wait for it: "needs: test" in GitHub Actions.',
    'No tests yet? Start with one that builds the app and loads the sign-up page.',
  ],
  impact: 'high',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await deployOf(ctx, root);
      const ci = a.ci;
      const ev = { repo: a.root, ...ci };
      if (ci.files.length === 0) {
        return outcome(
          'fail',
          'No CI workflow was found (.github/workflows, .gitlab-ci.yml, CircleCI…): nothing runs your tests on each change. Add a workflow that installs and runs the tests on every push.',
          ev,
        );
      }
      const ungated = ci.files.filter((f) => f.deployGatedByTests === false);
      if (ungated.length > 0) {
        const jobs = ungated.flatMap((f) =>
          f.jobs.filter((j) => j.deploys && !j.gatedByTests).map((j) => `${f.file} (${j.name})`),
        );
        return outcome(
          'fail',
          `${firstFew(jobs.length > 0 ? jobs : ungated.map((f) => f.file))} ${jobs.length === 1 || ungated.length === 1 ? 'deploys' : 'deploy'} without running tests first${ci.runsTests ? '' : ', and no workflow runs tests at all'}. Add a test job and make the deploy wait for it.`,
          ev,
        );
      }
      if (!ci.runsTests) {
        return outcome(
          'fail',
          `${count(ci.files.length, 'CI workflow')} (${firstFew(ci.files.map((f) => f.file))}) ${ci.files.length === 1 ? 'runs' : 'run'}, but none runs tests. Add a test step.`,
          ev,
        );
      }
      const testing = ci.files.filter((f) => f.runsTests).map((f) => f.file);
      const when = ci.testTriggers.length > 0 ? ` on ${listWords(ci.testTriggers)}` : '';
      return outcome(
        'pass',
        `${listWords(testing)} ${testing.length === 1 ? 'runs' : 'run'} your tests${when}${ci.deploys ? ', and every deploy waits for them' : ''}.`,
        ev,
      );
    }),
};

export const migrationsReversible: Check = {
  id: 'deploy.migrations.reversible',
  stage: 3,
  title: 'Each database migration can be rolled back',
  why: 'When a deploy goes wrong, rolling back the code is easy; rolling back the database is not. A migration without a down step, or one that drops a column, turns a five-minute rollback into restoring a backup and losing the data written since.',
  fix: [
    'Give each migration a rollback: a .down.sql file, a down() function (Knex, Sequelize, TypeORM), or a reversible change (Rails, Django, Alembic downgrade()).',
    'Before dropping a column or table, deploy code that stops using it, take a backup, and keep the data for a release (rename instead of drop).',
    'Prisma, Drizzle and Supabase have no down migrations: write the rollback SQL for each risky migration in your runbook.',
  ],
  impact: 'high',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await deployOf(ctx, root);
      const m = a.migrations;
      const ev = { repo: a.root, ...m };
      if (m.migrations.length === 0) {
        return outcome('pass', 'No database migrations were found in the repository.', ev);
      }
      const no = m.migrations.filter((x) => x.reversible === 'no');
      if (no.length > 0) {
        const say = (x: (typeof no)[number]) =>
          `${x.file} (${x.dataLoss.length > 0 ? x.dataLoss[0] : x.reason})`;
        return outcome(
          'fail',
          `${count(no.length, 'migration')} cannot be rolled back: ${firstFew(no.map(say))}. ${no.some((x) => x.dataLoss.length > 0) ? 'A rollback after it loses data for good. ' : ''}Write the down step, and take a backup before it runs in production.`,
          ev,
        );
      }
      const forward = m.migrations.filter((x) => x.reversible === 'forward-only');
      const unknown = m.migrations.filter((x) => x.reversible === 'unknown');
      if (forward.length > 0) {
        const tools = [...new Set(forward.map((x) => x.tool))];
        return outcome(
          'warn',
          `${listWords(tools)} ${tools.length === 1 ? 'has' : 'have'} no down migrations by design (${count(forward.length, 'migration')}): write the rollback SQL for each risky one in your runbook before deploying it.`,
          ev,
        );
      }
      if (unknown.length > 0) {
        return outcome(
          'warn',
          `${count(unknown.length, 'migration')} could not be judged: ${firstFew(unknown.map((x) => `${x.file} (${x.reason})`))}. Check by hand that each has a rollback.`,
          ev,
        );
      }
      return outcome(
        'pass',
        `All ${count(m.migrations.length, 'migration')} (${listWords(m.tools)}) can be rolled back.`,
        ev,
      );
    }),
};
