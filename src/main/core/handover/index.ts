/**
 * The signed handover PDF: compose (no browser), sign (CMS, SHA-256), verify, and read back the
 * JSON it carries. What the contract's handlers and the CLI call.
 */
export { HandoverError } from './errors';
export type { HandoverErrorCode } from './errors';
export {
  HANDOVER_ATTACHMENT_NAME,
  HANDOVER_FORMAT,
  HANDOVER_FORMAT_VERSION,
  buildHandoverData,
  parseHandoverData,
} from './handover-data';
export type { HandoverData, HandoverSigner } from './handover-data';
export {
  credentialValues,
  exportHandover,
  handoverFileName,
  handoverSigningIdentity,
  runToExport,
  unsignedHandover,
} from './export';
export type { ExportedHandover, HandoverInput } from './export';
export { composeHandover, saveUnsigned } from './compose';
export { signHandover } from './sign';
export { assertPdf, verifyAndRead, verifyHandover } from './verify';
export type { HandoverVerification } from './verify';
export { readHandoverAttachment, readHandoverData } from './attachment';
export { importHandover } from './import';
export { findFontsDir, loadFontFiles } from './fonts';
