/** Stage 4 — performance for real usage. */
import type { Check } from '../engine/check';

export const performanceChecks: Check[] = [];
