/** The vocabulary every layer shares: stages, checks, results. No Node, DOM or Electron here. */

export const STAGES = [
  {
    n: 1,
    key: 'audit',
    title: 'Quick audit & risk map',
    goal: 'Find what would embarrass you in front of a buyer today.',
  },
  {
    n: 2,
    key: 'edge',
    title: 'Domain & edge hardening',
    goal: 'One canonical, encrypted, trusted address for everything you run.',
  },
  {
    n: 3,
    key: 'deploy',
    title: 'Production deployment safety',
    goal: 'Ship without leaking keys or breaking production.',
  },
  {
    n: 4,
    key: 'performance',
    title: 'Performance for real usage',
    goal: 'Fast enough that a live demo never stalls.',
  },
  {
    n: 5,
    key: 'email',
    title: 'Email deliverability',
    goal: 'Invites and password resets land in the inbox, not spam.',
  },
  {
    n: 6,
    key: 'monitoring',
    title: 'Monitoring & alerting',
    goal: 'You hear about an outage before a customer does.',
  },
  {
    n: 7,
    key: 'handover',
    title: 'Handover',
    goal: 'A contractor can maintain it next week without you.',
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
