import type { ScenarioFragment } from '../compose';

/** The demo scenario's edge fixtures (stage checks and their planted faults). */
export const demoEdge: ScenarioFragment = {};
