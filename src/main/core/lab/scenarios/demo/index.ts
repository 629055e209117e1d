import { composeScenario } from '../compose';
import { demoAudit } from './audit';
import { demoBase } from './base';
import { demoEdge } from './edge';
import { demoPerformance } from './performance';

export const demoScenario = composeScenario(demoBase, demoAudit, demoEdge, demoPerformance);
