/** SPF (RFC 7208): check_host() for a connection, and a static inspection for linting. */
export { checkHost } from './evaluate';
export { inspectSpf } from './inspect';
export { evaluationOrder, isSpfRecord, parseSpfRecord, selectSpfRecords } from './record';
export type {
  EvaluationOrder,
  Mechanism,
  MechanismKind,
  Modifier,
  SpfRecord,
  Term,
} from './record';
export { expandMacros, parseMacroString } from './macro';
export type { MacroMode, MacroToken, MacroValues } from './macro';
export { SPF_RESULTS } from './types';
export type {
  CheckHostOptions,
  CheckHostParams,
  InspectSpfOptions,
  SpfInspection,
  SpfNode,
  SpfProblem,
  SpfProblemCode,
  SpfQualifier,
  SpfResult,
  SpfResultCode,
  SpfTermKind,
  SpfTermNode,
} from './types';
