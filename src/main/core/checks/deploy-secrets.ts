/**
 * Stage 3 — keys in the repository: in the files as they are now, and in the git history,
 * where deleting the file does not help. Evidence carries redacted previews only.
 */
import type { Check } from '../engine/check';
import type { RepoScan, SecretFinding } from '../repo/types';
import { count, firstFew, outcome, rotationFor, scanOf, withRepo } from './deploy-support';

/** Findings listed in evidence; the summary names the first few. */
const EVIDENCE_FINDINGS = 50;

/** Real damage: a secret of a live account. Sandbox and restricted keys warn. */
const isLive = (f: SecretFinding) => f.keyClass === 'secret';
const counts = (f: SecretFinding) => f.keyClass !== 'publishable';

function where(f: SecretFinding): string {
  return `${f.label} in ${f.file}:${f.line} (${f.preview})`;
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'an unknown date';
}

function scanEvidence(scan: RepoScan, findings: SecretFinding[]) {
  return {
    repo: scan.root,
    isGitRepo: scan.isGitRepo,
    stats: scan.stats,
    findings: findings.slice(0, EVIDENCE_FINDINGS),
    more: Math.max(0, findings.length - EVIDENCE_FINDINGS),
    notes: scan.notes,
  };
}

/** Each provider once, with how to rotate its key. */
function rotations(findings: SecretFinding[]): string {
  const providers = [...new Set(findings.map((f) => f.provider))].slice(0, 3);
  return providers.map((p) => `${p}: ${rotationFor(p)}`).join(' ');
}

export const secretsInCode: Check = {
  id: 'deploy.secrets.code',
  stage: 3,
  title: 'No API keys or passwords in your code',
  why: 'A key in the code is readable by everyone who can see the repository: contractors, a leaked laptop, a repository made public by mistake. Bots scan public code for keys within minutes and run up bills on AI and payment accounts.',
  fix: [
    'Rotate each key listed: create a new one in the provider’s dashboard and revoke the old one. The old one has been exposed, so moving it is not enough.',
    'Put the new key in your hosting platform’s environment variables (Vercel, Netlify, Render, Fly…) and read it with process.env.NAME.',
    'Add the variable’s name, without a value, to .env.example so the next developer knows it exists.',
  ],
  impact: 'critical',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const scan = await scanOf(ctx, root);
      const inHead = scan.findings.filter((f) => f.inHead && counts(f));
      const ev = scanEvidence(scan, inHead);
      const live = inHead.filter(isLive);
      const scope = scan.isGitRepo
        ? `the ${count(scan.stats.files, 'file')} of your repository as it is now`
        : `the ${count(scan.stats.files, 'file')} of the folder (it is not a git repository)`;
      if (live.length > 0) {
        return outcome(
          'fail',
          `${count(live.length, 'secret key')} ${live.length === 1 ? 'is' : 'are'} in ${scope}: ${firstFew(live.map(where))}. Anyone who can read the code can use ${live.length === 1 ? 'it' : 'them'}. Rotate first, then move the new key to an environment variable. ${rotations(live)}`,
          ev,
        );
      }
      if (inHead.length > 0) {
        return outcome(
          'warn',
          `${count(inHead.length, 'test or restricted key')} ${inHead.length === 1 ? 'is' : 'are'} in ${scope}: ${firstFew(inHead.map(where))}. No live account is exposed, but move ${inHead.length === 1 ? 'it' : 'them'} to environment variables and rotate.`,
          ev,
        );
      }
      return outcome('pass', `No keys found in ${scope}.`, ev);
    }),
};

export const secretsInHistory: Check = {
  id: 'deploy.secrets.history',
  stage: 3,
  title: 'No keys left in the git history',
  why: 'Deleting a key from the code does not remove it: every earlier commit still holds it, and anyone who clones the repository gets the whole history. Only rotating the key makes the copy in the history useless.',
  fix: [
    'Rotate each key listed in the provider’s dashboard and revoke the old one. Deleting the file or the line does not help; the old commit keeps the key.',
    'Rewriting history (git filter-repo) only matters after rotation, and every clone keeps the old copy anyway.',
    'Turn on your host’s secret scanning (GitHub: Settings → Code security → Secret scanning and push protection) so the next key is stopped before it lands.',
  ],
  impact: 'high',
  kind: 'probe',
  run: (ctx) =>
    withRepo(ctx, async (root) => {
      const scan = await scanOf(ctx, root);
      const old = scan.findings.filter((f) => !f.inHead && counts(f));
      const ev = scanEvidence(scan, old);
      if (!scan.isGitRepo) {
        return outcome(
          'skipped',
          `Skipped: ${root} is not a git repository (or git could not read it), so there is no history to scan. The files in the folder were scanned for the check above.`,
          ev,
        );
      }
      const commits = count(scan.stats.commits, 'commit');
      const live = old.filter(isLive);
      const say = (f: SecretFinding) =>
        `${f.label} committed on ${day(f.authorDate)} in ${f.commit?.slice(0, 7) ?? 'an old commit'} (${f.file}:${f.line}, ${f.preview})`;
      if (live.length > 0) {
        return outcome(
          'fail',
          `${count(live.length, 'secret key')} ${live.length === 1 ? 'was' : 'were'} deleted from the code but ${live.length === 1 ? 'is' : 'are'} still in the git history: ${firstFew(live.map(say))}. Anyone who clones the repository can read ${live.length === 1 ? 'it' : 'them'}; deleting the file does not help, rotating the key does. ${rotations(live)}`,
          ev,
        );
      }
      if (old.length > 0) {
        return outcome(
          'warn',
          `${count(old.length, 'test or restricted key')} ${old.length === 1 ? 'is' : 'are'} still in the git history: ${firstFew(old.map(say))}. Rotate ${old.length === 1 ? 'it' : 'them'}; deleting the file does not remove ${old.length === 1 ? 'it' : 'them'} from the history.`,
          ev,
        );
      }
      return outcome('pass', `No keys found in the ${commits} of the history.`, ev);
    }),
};
