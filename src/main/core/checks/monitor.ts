/** Stage 6 — monitoring: the checks in the order a founder reads them. */
import type { Check } from '../engine/check';
import { errorAlerts, errorReleases, errorTracking } from './monitor-errors';
import { healthEndpoint } from './monitor-health';
import { whereAlertsGo, whoIsPaged } from './monitor-ask';
import { slackTestAlert } from './monitor-slack';
import { certificateExpiry } from './monitor-tls';
import { uptimeAlerting, uptimeCoverage } from './monitor-uptime';

export const monitorChecks: Check[] = [
  healthEndpoint,
  uptimeCoverage,
  uptimeAlerting,
  certificateExpiry,
  errorTracking,
  errorReleases,
  errorAlerts,
  slackTestAlert,
  whoIsPaged,
  whereAlertsGo,
];
