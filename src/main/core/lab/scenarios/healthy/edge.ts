import type { ScenarioFragment } from '../compose';

/** The healthy scenario's edge fixtures (stage checks and their planted faults). */
export const healthyEdge: ScenarioFragment = {};
