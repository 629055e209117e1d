/** Which checks a run will execute, in catalogue order. */
import type { Workspace } from '../../../shared/workspace';
import type { Check } from './check';

export interface RunPlan {
  checks: Check[];
}

/** Automated checks only: 'ask' checks are answered by the founder, not run. */
export function planRun(
  catalogue: readonly Check[],
  _workspace: Workspace,
  only?: readonly string[],
): RunPlan {
  const wanted = only ? new Set(only) : null;
  return {
    checks: catalogue.filter((c) => c.kind !== 'ask' && (wanted === null || wanted.has(c.id))),
  };
}
