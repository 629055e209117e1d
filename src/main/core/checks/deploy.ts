/**
 * Stage 3 — production deployment safety, read from the founder's repository folder: keys in
 * the code and its history, environment variables, the deploy path, dependencies, and the
 * questions only the founder can answer. Every check is skipped until a folder is chosen.
 */
import type { Check } from '../engine/check';
import { deployOwner, rollbackSteps, secretStore } from './deploy-ask';
import {
  frameworksCurrent,
  servicesInventory,
  vulnerableDependencies,
} from './deploy-dependencies';
import { envDocumented, envEnvironments, envIgnored } from './deploy-env';
import { buildScript, ciRunsTests, lockfile, migrationsReversible } from './deploy-path';
import { secretsInCode, secretsInHistory } from './deploy-secrets';

export const deployChecks: readonly Check[] = [
  secretsInCode,
  secretsInHistory,
  envIgnored,
  envDocumented,
  envEnvironments,
  lockfile,
  buildScript,
  ciRunsTests,
  migrationsReversible,
  vulnerableDependencies,
  frameworksCurrent,
  servicesInventory,
  rollbackSteps,
  deployOwner,
  secretStore,
];
