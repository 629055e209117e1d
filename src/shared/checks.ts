/** The vocabulary every layer shares: stages, checks, results. No Node, DOM or Electron here. */

export const STAGES = [
  {
    n: 1,
    key: 'audit',
    title: 'Quick audit & risk map',
    goal: 'Find what would embarrass you in front of a buyer today.',
    deliverable: 'A risk list ranked by business impact, and the “fix first” list on the overview.',
    signals: [
      'A buyer’s engineer finds an open admin page or a key in your site’s code before you do.',
      'Nobody can say which hosts the product runs on, or who can roll back a bad release.',
    ],
  },
  {
    n: 2,
    key: 'edge',
    title: 'Domain & edge hardening',
    goal: 'One canonical, encrypted, trusted address for everything you run.',
    deliverable: 'A domain map with its redirect rules (the DNS map check’s evidence).',
    signals: [
      'A browser warns about the certificate, or a customer ends up on two versions of the site.',
      'Login links bounce through several redirects or land on the wrong host.',
    ],
  },
  {
    n: 3,
    key: 'deploy',
    title: 'Production deployment safety',
    goal: 'Ship without leaking keys or breaking production.',
    deliverable:
      'A repeatable deploy checklist: secrets out of git, variables documented, CI and rollback in place.',
    signals: [
      'A deploy takes the product down and nobody knows how to undo it.',
      'A key pasted into the code months ago is still valid.',
    ],
  },
  {
    n: 4,
    key: 'performance',
    title: 'Performance for real usage',
    goal: 'Fast enough that a live demo never stalls.',
    deliverable: 'One performance pass with figures: p95 per key page, errors under light load.',
    signals: [
      'The dashboard spins during a demo, or a report times out with a prospect watching.',
      'Ten people signing in at once turn into errors.',
    ],
  },
  {
    n: 5,
    key: 'email',
    title: 'Email deliverability',
    goal: 'Invites and password resets land in the inbox, not spam.',
    deliverable: 'A working email set-up report: SPF, DKIM, DMARC and transport security.',
    signals: [
      'A new customer never receives the invite, or finds it in spam.',
      'Someone sends mail that looks like it came from your domain.',
    ],
  },
  {
    n: 6,
    key: 'monitoring',
    title: 'Monitoring & alerting',
    goal: 'You hear about an outage before a customer does.',
    deliverable: 'An operations dashboard: availability, p95, errors and recent releases.',
    signals: [
      'The first sign of trouble is a customer’s screenshot.',
      'A certificate expires on a weekend and nobody was warned.',
    ],
  },
  {
    n: 7,
    key: 'handover',
    title: 'Handover',
    goal: 'A contractor can maintain it next week without you.',
    deliverable: 'A signed handover PDF, with the same data as JSON inside it.',
    signals: [
      'The product works today, but nobody knows how to maintain it next week.',
      'Keys, accounts and rollback steps live only in one person’s head.',
    ],
  },
] as const;

export type StageNumber = (typeof STAGES)[number]['n'];

export const STATUSES = ['pass', 'warn', 'fail', 'error', 'skipped', 'unanswered'] as const;
export type Status = (typeof STATUSES)[number];

export const IMPACTS = ['critical', 'high', 'medium', 'low'] as const;
export type Impact = (typeof IMPACTS)[number];

/** probe: network from the app; integration: a vendor API with a token; ask: a question for the founder. */
export type CheckKind = 'probe' | 'integration' | 'ask';

/** What a check is, independent of any run: shown in the UI and printed in the handover. */
export interface CheckMeta {
  /** Stable dotted id, e.g. `edge.tls.certificate`. Never reused for a different meaning. */
  id: string;
  stage: StageNumber;
  title: string;
  /** Why it matters, in words a founder uses. */
  why: string;
  /** How to fix, as steps. */
  fix: string[];
  impact: Impact;
  kind: CheckKind;
  /** Ask checks only: the yes / no question put to the founder ("yes" is the good answer). */
  question?: string;
}

/** Raw facts a contractor needs to trust (or redo) the result. JSON-safe, never secret values. */
export type Evidence = Record<string, unknown>;

export interface CheckResult {
  id: string;
  stage: StageNumber;
  impact: Impact;
  status: Status;
  /** One plain line: what we found. */
  summary: string;
  evidence: Evidence;
  durationMs: number;
}

/** Orders results by what hurts the business most: impact first, then how bad the status is. */
export const IMPACT_RANK: Record<Impact, number> = { critical: 0, high: 1, medium: 2, low: 3 };
export const STATUS_RANK: Record<Status, number> = {
  fail: 0,
  error: 1,
  warn: 2,
  unanswered: 3,
  skipped: 4,
  pass: 5,
};
