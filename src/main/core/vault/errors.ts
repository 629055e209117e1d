/**
 * The one error the vault throws. `code` says what kind of trouble it is, the message says what
 * to do about it in plain words. Neither ever carries a secret value.
 */
export type VaultErrorCode = 'locked' | 'unavailable' | 'invalid';

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VaultError';
  }
}
