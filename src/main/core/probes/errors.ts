/** Why a probe could not finish. Checks turn these into `error` results, never into a pass. */
export type ProbeErrorKind =
  | 'timeout'
  | 'aborted'
  | 'refused'
  | 'reset'
  | 'unreachable'
  | 'tls'
  | 'dns'
  | 'malformed'
  | 'too-large'
  | 'network';

export class ProbeError extends Error {
  constructor(
    readonly kind: ProbeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProbeError';
  }
}

/** Maps Node socket error codes to a ProbeError with a plain message. */
export function toProbeError(err: unknown, what: string): ProbeError {
  if (err instanceof ProbeError) return err;
  const code = (err as { code?: string } | null)?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return new ProbeError('refused', `${what}: connection refused`, { cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
      return new ProbeError('reset', `${what}: connection reset by the server`, { cause: err });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new ProbeError('unreachable', `${what}: network unreachable`, { cause: err });
    case 'ABORT_ERR':
      return new ProbeError('aborted', `${what}: stopped`, { cause: err });
    default:
      if (
        code.startsWith('ERR_SSL') ||
        code.startsWith('ERR_TLS') ||
        /SSL|TLS|alert/i.test(message)
      ) {
        return new ProbeError('tls', `${what}: TLS failed (${message})`, { cause: err });
      }
      return new ProbeError('network', `${what}: ${message}`, { cause: err });
  }
}
