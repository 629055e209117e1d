/** Which checks a run will execute, in catalogue order. */
import type { Workspace } from '../../../shared/workspace';
import type { Check } from './check';

export interface RunPlan {
  /** Automated checks: probes and integrations, run with bounded concurrency. */
  checks: Check[];
  /** 'ask' checks: answered by the founder; the run records their answers as they stand. */
  asks?: Check[];
}

export function planRun(
  catalogue: readonly Check[],
  _workspace: Workspace,
  only?: readonly string[],
): RunPlan {
  const wanted = only ? new Set(only) : null;
  const chosen = catalogue.filter((c) => wanted === null || wanted.has(c.id));
  return {
    checks: chosen.filter((c) => c.kind !== 'ask'),
    asks: chosen.filter((c) => c.kind === 'ask'),
  };
}
