/**
 * The contract's method names and IPC channels, free of schemas so the sandboxed preload can
 * carry them without bundling a validation library. api.ts is typed against this list: a
 * method cannot be added to one without the other.
 */
export const METHOD_NAMES = [
  'getAppInfo',
  'getCatalogue',
  'listWorkspaces',
  'getWorkspace',
  'createWorkspace',
  'updateWorkspace',
  'deleteWorkspace',
  'chooseFolder',
  'openDemo',
  'runChecks',
  'getLastRun',
  'listRuns',
  'getDashboard',
  'listCredentials',
  'setCredential',
  'deleteCredential',
  'answerQuestion',
  'exportHandover',
  'verifyHandover',
  'importHandover',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export const IPC_INVOKE_PREFIX = 'lr:';
export const IPC_EVENT_CHANNEL = 'lr:event';
