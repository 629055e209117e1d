import type { ScenarioFragment } from '../compose';

/** The demo scenario's audit fixtures (stage checks and their planted faults). */
export const demoAudit: ScenarioFragment = {};
