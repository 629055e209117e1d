/**
 * Seeded random strings (xorshift32) for key-shaped test values: built at run time, so the test
 * files hold no provider-shaped literal for repository secret scanners to flag, and the same
 * seed gives the same string on every run.
 */
export function random(n: number, alphabet: string, seed: number): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[(x >>> 0) % alphabet.length];
  }
  return out;
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
export const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const B64 = `${ALNUM}+/`;
