/**
 * What a found key may become in evidence: its provider, where it was, its length and at most
 * its last 4 characters (DESIGN.md safety rule). The value itself never leaves this module.
 */
import type { KeyClass, KeyMatch } from './key-patterns';
import { findKeys } from './key-patterns';

export interface RedactedKey {
  rule: string;
  provider: string;
  label: string;
  keyClass: KeyClass;
  /** Where it was found, e.g. `https://example.com/assets/app.js line 1`. */
  where: string;
  /** `…abcd`: enough to recognise the key in the provider's console, never enough to use it. */
  last4: string;
  length: number;
}

/** Below this length even 4 characters are a large share of the value: show none. */
const MIN_LENGTH_FOR_TAIL = 16;

/** `…` plus the last 4 characters of the key's own material (a PEM footer is not material). */
export function lastFour(value: string): string {
  const material = value.replace(/-----END[A-Z ]*-----\s*$/, '').replace(/(?:\s|\\n|=)+$/, '');
  if (material.length < MIN_LENGTH_FOR_TAIL) return '…';
  return `…${material.slice(-4)}`;
}

export function redactKey(match: KeyMatch, where: string): RedactedKey {
  return {
    rule: match.rule,
    provider: match.provider,
    label: match.label,
    keyClass: match.keyClass,
    where,
    last4: lastFour(match.value),
    length: match.value.length,
  };
}

/** 1-based line of an offset, so a contractor can find the key in the file. */
export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Finds provider keys in `text` and returns only their redacted form. */
export function scanForKeys(text: string, where: string, max?: number): RedactedKey[] {
  return findKeys(text, max).map((m) => redactKey(m, `${where} line ${lineOf(text, m.index)}`));
}

/** Secrets first: what a summary should name. */
export const CLASS_RANK: Record<KeyClass, number> = {
  secret: 0,
  'test-secret': 1,
  restricted: 2,
  publishable: 3,
};
