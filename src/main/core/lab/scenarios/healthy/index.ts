import { composeScenario } from '../compose';
import { healthyAi } from './ai';
import { healthyAudit } from './audit';
import { healthyBase } from './base';
import { healthyEmail } from './email';
import { healthyMonitoring } from './monitoring';
import { healthyRepo } from './repo';
import { emailProviderZones } from '../email-providers';
import { healthyEdge } from './edge';
import { healthyPerformance } from './performance';

export const healthyScenario = composeScenario(
  healthyBase,
  healthyAudit,
  healthyEdge,
  healthyPerformance,
  emailProviderZones,
  healthyEmail,
  healthyRepo,
  healthyMonitoring,
  // After the monitoring fragment: it sets the vendor accounts this adds a token to.
  healthyAi,
);
