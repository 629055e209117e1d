/**
 * What can go wrong with a handover file itself. Keychain trouble stays a VaultError; a
 * signature that does not check out is not an error but a verification result (valid: false).
 */
export type HandoverErrorCode =
  /** The bytes are not a PDF at all (wrong file, empty, truncated before the header). */
  | 'not-a-pdf'
  /** The PDF carries no Launch Ready data, or data this version cannot read. */
  | 'no-attachment'
  | 'bad-attachment'
  /** Import refused: the signature does not check out. */
  | 'invalid-signature'
  /** Nothing to export (no run yet), or an identity that may not sign this workspace. */
  | 'nothing-to-export'
  | 'identity'
  /** The fonts the document is set in are missing from this installation. */
  | 'fonts-missing';

export class HandoverError extends Error {
  constructor(
    readonly code: HandoverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HandoverError';
  }
}
