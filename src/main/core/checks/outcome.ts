/** The one way a check reports: status, a one-line summary, and evidence for a contractor. */
import type { CheckOutcome } from '../engine/check';

export function outcome(
  status: CheckOutcome['status'],
  summary: string,
  evidence: CheckOutcome['evidence'],
): CheckOutcome {
  return { status, summary, evidence };
}
