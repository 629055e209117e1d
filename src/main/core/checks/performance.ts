/** Stage 4 — performance for real usage. The checks live in perf-*.ts. */
import type { Check } from '../engine/check';
import { cacheHeaders, compression, keepAlive, oversized } from './perf-delivery';
import { chattyFrontend } from './perf-frontend';
import { latencyKeyRoutes } from './perf-latency';
import { loadBurst } from './perf-load';
import { loginRateLimit } from './perf-login';

/**
 * The order is the order the engine starts them: the long ones first so they overlap the
 * quick ones, and the size check before the burst so it shares the latency check's turn at
 * the traffic gate instead of queueing behind the burst.
 */
export const performanceChecks: Check[] = [
  latencyKeyRoutes,
  oversized,
  chattyFrontend,
  loadBurst,
  compression,
  cacheHeaders,
  keepAlive,
  loginRateLimit,
];
