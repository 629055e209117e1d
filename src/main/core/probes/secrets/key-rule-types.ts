/**
 * The shape of a key rule, shared by the rule lists (key-rules-*.ts) and the matcher
 * (key-patterns.ts). Rules follow gitleaks' (cmd/generate/config/rules/*.go): a regex, an
 * entropy floor, and allow-lists for what merely looks like a key.
 */

/**
 * secret: anyone holding it can spend money or read data (fail).
 * test-secret: a secret of a sandbox, test mode or local database (warn: rotate it, but no live damage).
 * restricted: safe only when restricted to your site in the provider's console (warn).
 * publishable: designed to be public (mentioned, never failed).
 */
export type KeyClass = 'secret' | 'test-secret' | 'restricted' | 'publishable';

/**
 * Where the text comes from. `bundle`: what a browser downloads (minified code, exposed files);
 * `repo`: the founder's own source, where keyword rules also apply and a Google key is presumed
 * to sit on a server.
 */
export type KeySource = 'bundle' | 'repo';

export interface KeyMatch {
  /** The pattern's stable id, e.g. `openai-project-key`. */
  rule: string;
  provider: string;
  label: string;
  keyClass: KeyClass;
  /** The full matched value. Internal only: evidence carries redact()'s output, never this. */
  value: string;
  /** The provider prefix the value starts with (`sk_live_`), shown in previews; '' when none. */
  prefix: string;
  /** Offset of the value in the scanned text. */
  index: number;
}

export type Refined = Pick<KeyMatch, 'keyClass' | 'label'> & { provider?: string };

export interface KeyPattern {
  rule: string;
  provider: string;
  label: string;
  keyClass: KeyClass;
  /** Global regex; capture group 1, when present, is the key itself. */
  regex: RegExp;
  /** Which capture group is the secret material (default 1): a URL's password, not its host. */
  group?: number;
  /**
   * Shannon entropy (bits per character) the value must reach: rejects placeholders such as
   * `sk-proj-xxxxxxxx…` (gitleaks uses the same filter). 0 disables it.
   */
  minEntropy: number;
  /**
   * `format`: the value's own shape says what it is, so it counts even in a `.env.example`
   * (people paste real keys there). `keyword`: only the words around it do, so a documentation
   * file's value is a placeholder by definition.
   */
  kind: 'format' | 'keyword';
  /** The provider prefix at the start of the value, for previews (`/^sk_live_/`). */
  prefix?: RegExp;
  /** Source code only: a keyword rule that would be noise in minified bundles. */
  repoOnly?: boolean;
  /** How much text on each side `refine` sees (default 200 characters). */
  contextChars?: number;
  /**
   * Reclassifies a match from the text around it (and the whole match, e.g. a URL's host);
   * 'drop' discards it; undefined keeps it.
   */
  refine?: (
    value: string,
    around: string,
    source: KeySource,
    match: string,
  ) => Refined | 'drop' | undefined;
  /** Further checks on the value and its match (identifier names, paths…); false drops it. */
  accept?: (value: string, match: RegExpExecArray, text: string) => boolean;
  /**
   * In a documentation file (`.env.example`…), whether this value is real rather than
   * illustrative; when absent, `kind === 'format'` decides.
   */
  realInDocs?: (value: string, match: string) => boolean;
}

// A key never starts or ends in the middle of a longer token (`task-…`, `desk-…` in CSS).
export const L = '(?<![A-Za-z0-9_-])';
export const R = '(?![A-Za-z0-9_-])';

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Random material mixes letters and digits; identifiers and words rarely carry a digit. */
export function hasLetterAndDigit(s: string): boolean {
  return /[0-9]/.test(s) && /[A-Za-z]/.test(s);
}

/** A host that only the developer's machine or a compose network reaches. */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h.startsWith('127.') ||
    h === '0.0.0.0' ||
    h === '[::1]' ||
    h === 'host.docker.internal' ||
    !h.includes('.')
  );
}
