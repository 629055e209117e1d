/**
 * How errors cross the boundary: as data (an Envelope), turned back into ApiError by clients.
 * Free of schemas so the renderer and preload carry no validation library.
 */
/**
 * keychain: the OS keychain is locked or missing; the message says what to do.
 * unsupported: this window cannot do that (a native folder picker in a browser tab).
 */
export type ApiErrorCode =
  'invalid-input' | 'not-found' | 'store' | 'forbidden' | 'keychain' | 'unsupported' | 'internal';

/** What every call returns on the wire, on both transports. */
export type Envelope<T> =
  { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** Thrown by clients when the main process answers with an error envelope. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns an Envelope back into a value or a thrown ApiError. */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error.code, envelope.error.message);
}
