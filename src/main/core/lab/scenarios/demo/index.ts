import { composeScenario } from '../compose';
import { demoAi } from './ai';
import { demoAudit } from './audit';
import { demoBase } from './base';
import { demoEmail } from './email';
import { demoMonitoring } from './monitoring';
import { demoRepo } from './repo';
import { emailProviderZones } from '../email-providers';
import { demoEdge } from './edge';
import { demoPerformance } from './performance';

export const demoScenario = composeScenario(
  demoBase,
  demoAudit,
  demoEdge,
  demoPerformance,
  emailProviderZones,
  demoEmail,
  demoRepo,
  demoMonitoring,
  // After the monitoring fragment: it sets the vendor accounts this adds a token to.
  demoAi,
);
