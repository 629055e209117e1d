/** Every check the app knows, in the order stages and founders read them. */
import type { CheckMeta } from '../../../shared/checks';
import type { Check } from '../engine/check';
import { auditChecks } from './audit';
import { deployChecks } from './deploy';
import { edgeChecks } from './edge';
import { emailChecks } from './email';
import { monitorChecks } from './monitor';
import { performanceChecks } from './performance';

export const CATALOGUE: readonly Check[] = [
  ...auditChecks,
  ...edgeChecks,
  ...deployChecks,
  ...performanceChecks,
  ...emailChecks,
  ...monitorChecks,
];

/** The metadata only (what crosses the contract), without run(). */
export function catalogueMeta(catalogue: readonly Check[] = CATALOGUE): CheckMeta[] {
  return catalogue.map(({ id, stage, title, why, fix, impact, kind, question }) => ({
    id,
    stage,
    title,
    why,
    fix,
    impact,
    kind,
    ...(question === undefined ? {} : { question }),
  }));
}
