import { composeScenario } from '../compose';
import { healthyAudit } from './audit';
import { healthyBase } from './base';
import { healthyEdge } from './edge';
import { healthyPerformance } from './performance';

export const healthyScenario = composeScenario(
  healthyBase,
  healthyAudit,
  healthyEdge,
  healthyPerformance,
);
