/**
 * `--only STAGE,…` and `--skip ID,…`: which checks a CI run includes. Stages by number or key
 * (2 or edge); checks by id or a prefix ending in "." or ".*" (perf.* skips stage 4's probes).
 * Anything that names nothing is a usage error, so a typo never silently disables a check.
 */
import { STAGES } from '../../../shared/checks';

interface HasIdStage {
  id: string;
  stage: number;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseStages(value: string): Set<number> {
  const out = new Set<number>();
  for (const item of list(value)) {
    const stage = STAGES.find((s) => String(s.n) === item || s.key === item.toLowerCase());
    if (!stage)
      throw new Error(
        `--only: "${item}" is not a stage. Use 1–7 or ${STAGES.map((s) => s.key).join(', ')}.`,
      );
    out.add(stage.n);
  }
  if (out.size === 0) throw new Error('--only wants at least one stage.');
  return out;
}

export function selectChecks<T extends HasIdStage>(
  catalogue: readonly T[],
  only: string | undefined,
  skip: string | undefined,
): T[] {
  const stages = only === undefined ? null : parseStages(only);
  const patterns = list(skip);
  const matches = (id: string, p: string) =>
    p.endsWith('.*')
      ? id.startsWith(p.slice(0, -1))
      : p.endsWith('.')
        ? id.startsWith(p)
        : id === p;
  for (const p of patterns) {
    if (!catalogue.some((c) => matches(c.id, p)))
      throw new Error(`--skip: no check is called "${p}" (see "launch-ready checks" for the ids).`);
  }
  return catalogue.filter(
    (c) => (stages === null || stages.has(c.stage)) && !patterns.some((p) => matches(c.id, p)),
  );
}
