/**
 * What the tree and history scans share: the rules applied to one file's text, and the byte
 * budget both draw from.
 */
import type { KeyMatch } from '../../probes/secrets/key-patterns';
import { findKeys } from '../../probes/secrets/key-patterns';
import { isDocumentationFile } from './paths';

/** Enough for any real file; a generated file with more matches is noise past this point. */
const MAX_MATCHES_PER_FILE = 200;

/** Keys in one file's text, judged as source code (documentation files: real formats only). */
export function keysInFile(text: string, path: string): KeyMatch[] {
  return findKeys(text, MAX_MATCHES_PER_FILE, {
    source: 'repo',
    documentation: isDocumentationFile(path),
  });
}

/** Bytes of text scanned so far, against `maxTotalBytes`: shared by the tree and history scans. */
export class ByteBudget {
  used = 0;
  exhausted = false;
  constructor(readonly max: number) {}

  /** Counts `n` bytes; false (and exhausted from then on) when they do not fit. */
  take(n: number): boolean {
    if (this.exhausted) return false;
    if (this.used + n > this.max) {
      this.exhausted = true;
      return false;
    }
    this.used += n;
    return true;
  }
}

export function mib(bytes: number): string {
  const m = bytes / 1024 / 1024;
  return `${Number.isInteger(m) ? m : m.toFixed(1)} MiB`;
}

/** `a, b, c and 4 more`: a bounded list for a note. */
export function listSome(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
