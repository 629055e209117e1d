import type { ScenarioFragment } from '../compose';

/** The demo scenario's performance fixtures (stage checks and their planted faults). */
export const demoPerformance: ScenarioFragment = {};
