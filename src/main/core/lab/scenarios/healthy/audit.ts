import type { ScenarioFragment } from '../compose';

/** The healthy scenario's audit fixtures (stage checks and their planted faults). */
export const healthyAudit: ScenarioFragment = {};
