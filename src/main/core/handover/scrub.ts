/**
 * The last guard before anything leaves for the PDF: every string of the handover data (keys
 * too) loses the values of the run's own credentials and anything shaped like a provider key.
 * Evidence never holds a secret by design; this catches what slipped in anyway (a token pasted
 * into a founder's note, an AI endpoint's body template…).
 */
import { findKeys } from '../probes/secrets/key-patterns';

export const REDACTED = '[redacted]';
/** Shorter known values are not worth hunting: "ok" would blank half the document. */
const MIN_KNOWN_LENGTH = 8;
const MAX_FOUND = 500;

export interface Scrubbed<T> {
  value: T;
  /** How many strings had something replaced. */
  redactions: number;
}

export function scrubSecrets<T>(value: T, knownSecrets: readonly string[] = []): Scrubbed<T> {
  const secrets = new Set(knownSecrets.filter((s) => s.length >= MIN_KNOWN_LENGTH));
  // One pass of the key patterns over the whole document is far cheaper than one per string.
  for (const m of findKeys(JSON.stringify(value), MAX_FOUND)) {
    if (m.value.length >= MIN_KNOWN_LENGTH) secrets.add(m.value);
  }
  // Longest first, so a secret that contains another is removed whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  let redactions = 0;
  const clean = (s: string): string => {
    let out = s;
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (out !== s) redactions += 1;
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[clean(k)] = walk(x);
      return out;
    }
    return v;
  };
  return { value: (ordered.length === 0 ? structuredClone(value) : walk(value)) as T, redactions };
}
