import type { LabScenario } from '../scenario';
import { blackholeScenario } from './blackhole';
import { demoScenario } from './demo/index';
import { healthyScenario } from './healthy/index';

export const SCENARIOS: Readonly<Record<string, LabScenario>> = {
  demo: demoScenario,
  healthy: healthyScenario,
  blackhole: blackholeScenario,
};

export function getScenario(name: string): LabScenario {
  const s = SCENARIOS[name];
  if (!s)
    throw new Error(
      `There is no lab scenario "${name}". Known: ${Object.keys(SCENARIOS).join(', ')}.`,
    );
  return s;
}
