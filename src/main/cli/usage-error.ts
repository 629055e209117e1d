/** Bad input on the command line or in a workspace file: exit code 2 with the message. */
export class UsageError extends Error {}

/** Wraps a parser so its error becomes a UsageError. */
export function usage<A, R>(fn: (a: A) => R): (a: A) => R {
  return (a) => {
    try {
      return fn(a);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
}
