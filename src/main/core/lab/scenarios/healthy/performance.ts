import type { ScenarioFragment } from '../compose';

/** The healthy scenario's performance fixtures (stage checks and their planted faults). */
export const healthyPerformance: ScenarioFragment = {};
