/**
 * Stage 3 — what the code depends on: packages with known vulnerabilities (through npm's own
 * audit or OSV), frameworks left behind, and the external services a handover must list.
 * An advisory database that cannot be reached skips the check: offline is never a pass.
 */
import type { Check } from '../engine/check';
import type { Advisory, DependencyAudit } from '../repo/dependency-types';
import { SEVERITIES } from '../repo/dependency-types';
import {
  auditOf,
  count,
  firstFew,
  listWords,
  outcome,
  servicesOf,
  withRepo,
} from './deploy-support';

/** Advisories listed in evidence (the counts cover all of them). */
const EVIDENCE_ADVISORIES = 50;

function auditEvidence(a: DependencyAudit) {
  return {
    status: a.status,
    message: a.message,
    counts: a.counts,
    advisories: a.advisories.slice(0, EVIDENCE_ADVISORIES),
    sources: a.sources,
    notes: a.notes,
  };
}

function fixOf(a: Advisory): string {
  if (a.fix.available === false) return 'no fixed version yet';
  const to = a.fix.version ? `${a.fix.package} ${a.fix.version}` : `a newer ${a.fix.package}`;
  return `fixed in ${to}${a.fix.breaking ? ', a major update' : ''}`;
}

function skippedUnreachable(a: DependencyAudit) {
  const why = a.sources.find((s) => s.status === 'unreachable')?.detail;
  return outcome(
    'skipped',
    `Skipped: could not reach the advisory database${why ? ` (${why})` : ''}. Run the check again when online; this is not a pass.`,
    auditEvidence(a),
  );
}

export const vulnerableDependencies: Check = {
  id: 'deploy.dependencies.vulnerable',
  stage: 3,
  title: 'No dependencies with known vulnerabilities',
  why: 'Published vulnerabilities come with working exploits, and bots try them against every site. A buyer’s security questionnaire asks for this list, and "npm audit" is the first thing a contractor runs.',
  fix: [
    'Update each package listed to its fixed version (npm install <package>@<version>), run your tests, commit the lockfile.',
    'For a vulnerable package pulled in by another one, update the package that depends on it, or add an "overrides" entry in package.json.',
    'Run "npm audit" (or pnpm audit / yarn npm audit) in CI so new advisories fail the build.',
  ],
  impact: 'high',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await auditOf(ctx, root);
      const ev = auditEvidence(a);
      if (a.status === 'none') {
        return outcome(
          'skipped',
          `Skipped: ${a.message} Commit a lockfile (see the lockfile check) so the versions you run can be checked.`,
          ev,
        );
      }
      if (a.status === 'unreachable') return skippedUnreachable(a);
      if (a.status === 'error') {
        return outcome('error', `Could not decide: ${a.message}.`, ev);
      }
      const c = a.counts;
      const worst = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
      const say = (x: Advisory) =>
        `${x.package} ${x.installed.join(', ')}: ${x.title} (${x.severity}; ${fixOf(x)})`;
      const serious = a.advisories.filter(
        (x) => x.severity === 'critical' || x.severity === 'high',
      );
      if (serious.length > 0) {
        return outcome(
          'fail',
          `${count(c.total, 'known vulnerability', 'known vulnerabilities')} (${worst.join(', ')}) in the versions your lockfile pins: ${firstFew(serious.map(say), 3)}. Update and redeploy.`,
          ev,
        );
      }
      if (c.total > 0) {
        return outcome(
          'warn',
          `${count(c.total, 'known vulnerability', 'known vulnerabilities')} (${worst.join(', ')}), none high or critical: ${firstFew(a.advisories.map(say), 3)}. Update when you next touch dependencies.`,
          ev,
        );
      }
      return outcome('pass', a.message, ev);
    }),
};

export const frameworksCurrent: Check = {
  id: 'deploy.dependencies.frameworks',
  stage: 3,
  title: 'Main frameworks are at most one major version behind',
  why: 'Frameworks fix security bugs only in their recent major versions. Two majors behind, the next vulnerability has no patch for you, and upgrading then means a rushed rewrite.',
  fix: [
    'Read the framework’s upgrade guide for each major in turn (Next.js and React publish codemods) and upgrade one major at a time, testing in staging.',
    'Plan the upgrade now, while it is a day of work rather than a week.',
  ],
  impact: 'medium',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const a = await auditOf(ctx, root);
      const fw = a.frameworks;
      const ev = { frameworks: fw, status: a.status };
      if (fw.length === 0) {
        return outcome('pass', 'No major web framework was found in the dependencies.', ev);
      }
      const behind = fw.filter((f) => f.status === 'behind');
      const one = fw.filter((f) => f.status === 'one-behind');
      const known = fw.filter((f) => f.status !== 'unknown');
      const say = (f: (typeof fw)[number]) =>
        `${f.name} ${f.installed ?? '?'} (latest ${f.latest ?? '?'}, ${count(f.majorsBehind ?? 0, 'major')} behind)`;
      if (behind.length > 0) {
        return outcome(
          'warn',
          `${firstFew(behind.map(say))} ${behind.length === 1 ? 'is' : 'are'} more than one major version behind: security fixes stop reaching ${behind.length === 1 ? 'it' : 'them'}. Plan the upgrade.`,
          ev,
        );
      }
      if (known.length === 0) {
        if (a.status === 'unreachable') return skippedUnreachable(a);
        return outcome(
          'skipped',
          `Skipped: the latest versions of ${listWords(fw.map((f) => f.name))} could not be found.`,
          ev,
        );
      }
      const current = known.map((f) => `${f.name} ${f.installed ?? '?'}`);
      return outcome(
        'pass',
        `${listWords(current)}: within one major of the latest${one.length > 0 ? ` (${listWords(one.map((f) => f.name))} one behind: upgrade before the next major ships)` : ''}.`,
        ev,
      );
    }),
};

export const servicesInventory: Check = {
  id: 'deploy.services.inventory',
  stage: 3,
  title: 'The external services your backend depends on are listed',
  why: 'A contractor taking over, or you at 2 a.m. during a key leak, needs the list of vendors the product depends on, where each key lives and how to rotate it. The handover document carries this list.',
  fix: [
    'Check the list: add any vendor called without an SDK (plain HTTP calls) to your handover notes.',
    'Make sure each key named here is set in your hosting platform, not in the code.',
  ],
  impact: 'low',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const inv = await servicesOf(ctx, root);
      const ev = { services: inv.services, manifests: inv.manifests, notes: inv.notes };
      if (inv.services.length === 0) {
        return outcome(
          'pass',
          `No external service SDKs or keys were recognised in ${inv.manifests.length > 0 ? listWords(inv.manifests) : 'the repository'}.`,
          ev,
        );
      }
      const say = (s: (typeof inv.services)[number]) =>
        `${s.name}${s.envNames.length > 0 ? ` (${firstFew(s.envNames, 2)})` : ''}`;
      return outcome(
        'pass',
        `Your backend depends on ${count(inv.services.length, 'service')}: ${firstFew(inv.services.map(say), 8)}. Each one’s key location and how to rotate it go into the handover.`,
        ev,
      );
    }),
};
