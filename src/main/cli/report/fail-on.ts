/**
 * `--fail-on LEVEL`: the exit code for CI. A check that failed — or could not decide (error),
 * which is never a silent pass — at or above the level makes the build fail.
 */
import type { CheckResult, Impact } from '../../../shared/checks';
import { IMPACTS } from '../../../shared/checks';

export function parseFailOn(value: string): Impact {
  if ((IMPACTS as readonly string[]).includes(value)) return value as Impact;
  throw new Error(`--fail-on wants one of ${IMPACTS.join(', ')}, not "${value}".`);
}

/** The results that fail the build at this level, most severe first. */
export function failingAt(
  results: readonly Pick<CheckResult, 'id' | 'status' | 'impact'>[],
  level: Impact,
): Pick<CheckResult, 'id' | 'status' | 'impact'>[] {
  const limit = IMPACTS.indexOf(level);
  return results
    .filter(
      (r) => (r.status === 'fail' || r.status === 'error') && IMPACTS.indexOf(r.impact) <= limit,
    )
    .sort((a, b) => IMPACTS.indexOf(a.impact) - IMPACTS.indexOf(b.impact));
}
