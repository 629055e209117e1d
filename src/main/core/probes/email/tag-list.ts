/**
 * The tag=value list of RFC 6376 §3.2 (with erratum 5070), the syntax DKIM key records use and
 * DMARC, MTA-STS and TLS-RPT records borrow. One scanner for all of them, so a founder's record
 * is judged by the same rules wherever it appears.
 *
 *   tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  = [FWS] tag-name [FWS] "=" [FWS] [tag-value [FWS]]
 *   tag-name  = ALPHA *ALNUMPUNC            ; ALNUMPUNC = ALPHA / DIGIT / "_"
 *   tag-value = tval *( 1*(WSP / FWS) tval ) ; tval = 1*VALCHAR, VALCHAR = %x21-3A / %x3C-7E
 *
 * Never throws: every input gets either the tags or one precise error.
 */

export interface TagSpec {
  /** As written; compare with `sameTagName` when the record's syntax is case-insensitive. */
  name: string;
  /** Surrounding whitespace removed; whitespace inside kept, as §3.2 requires. */
  value: string;
  /** Offset of the name in the input, for messages. */
  at: number;
}

export type TagListResult =
  | {
      ok: true;
      tags: TagSpec[];
      /** With allowEmptyTags: the offset of each empty tag-spec (";;", "; ;") skipped. */
      emptyTags?: number[];
    }
  | { ok: false; error: string; at: number };

export interface TagListOptions {
  /**
   * Tag names compare case-insensitively (DMARC: RFC 7489's ABNF quotes them, and ABNF string
   * literals are case-insensitive), so "p" and "P" are duplicates.
   */
  caseInsensitiveNames?: boolean;
  /**
   * Names as MTA-STS and TLS-RPT extensions allow them (RFC 8461 §3.1, RFC 8460 §3):
   * (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").
   */
  extendedNames?: boolean;
  /**
   * Skip empty tag-specs between separators (";;", a trailing "; ;") instead of rejecting the
   * list, and report where they were. The grammar has no empty tag-spec, but DMARC receivers
   * split on ";" and drop blanks, so there it is a tidiness note. DKIM keys, MTA-STS and
   * TLS-RPT keep the strict grammar: nothing shows their verifiers are as forgiving, and telling
   * the founder to fix a record a strict verifier might drop costs less than the reverse.
   */
  allowEmptyTags?: boolean;
}

/** Longer than any DNS answer can be (64 KiB); keeps a hostile input from costing more. */
const MAX_INPUT = 256 * 1024;

const isWsp = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isAlpha = (c: string): boolean => /^[A-Za-z]$/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
/** VALCHAR: visible ASCII except ";". */
const isValChar = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return code >= 0x21 && code <= 0x7e && code !== 0x3b;
};

export function parseTagList(text: string, opts: TagListOptions = {}): TagListResult {
  if (typeof text !== 'string') return { ok: false, error: 'not text', at: 0 };
  if (text.length > MAX_INPUT) {
    return { ok: false, error: `longer than ${MAX_INPUT} characters`, at: MAX_INPUT };
  }
  const tags: TagSpec[] = [];
  const emptyTags: number[] = [];
  const seen = new Set<string>();
  let pos = 0;
  const done = (): TagListResult =>
    opts.allowEmptyTags ? { ok: true, tags, emptyTags } : { ok: true, tags };

  /** Skips FWS: WSP, or a line break (CRLF, or a bare LF) that continues with WSP. */
  const skipFws = (): string | null => {
    for (;;) {
      const c = text[pos];
      if (isWsp(c)) {
        pos++;
        continue;
      }
      const brk = lineBreakAt(text, pos);
      if (brk > 0) {
        if (!isWsp(text[pos + brk])) return lineBreakError(pos);
        pos += brk;
        continue;
      }
      return null;
    }
  };
  const fail = (error: string, at: number): TagListResult => ({ ok: false, error, at });

  for (;;) {
    const fwsError = skipFws();
    if (fwsError) return fail(fwsError, pos);
    if (pos >= text.length) {
      // Only reachable at the start or right after a ";": the optional trailing separator.
      if (tags.length === 0) return fail('empty: no tag=value pair', pos);
      return done();
    }

    const nameStart = pos;
    if (text[pos] === ';') {
      if (!opts.allowEmptyTags) {
        return fail(`empty tag at position ${pos} (";" with nothing before it)`, pos);
      }
      emptyTags.push(pos);
      pos++;
      continue;
    }
    while (pos < text.length && isNameChar(text[pos] ?? '', opts.extendedNames === true)) pos++;
    const name = text.slice(nameStart, pos);
    if (!validName(name, opts.extendedNames === true)) {
      const raw = rawNameAt(text, nameStart);
      return fail(
        `"${shorten(raw)}" at position ${nameStart} is not a valid tag name (${
          opts.extendedNames
            ? 'a letter or digit, then letters, digits, "_", "-" or "."'
            : 'a letter, then letters, digits or "_"'
        })`,
        nameStart,
      );
    }
    const key = opts.caseInsensitiveNames ? name.toLowerCase() : name;
    if (seen.has(key)) {
      return fail(
        `duplicate tag "${name}" (RFC 6376 §3.2: the whole list is then invalid)`,
        nameStart,
      );
    }
    seen.add(key);

    const beforeEq = skipFws();
    if (beforeEq) return fail(beforeEq, pos);
    if (text[pos] !== '=') {
      const what = pos >= text.length ? 'the end' : `"${shorten(text.slice(pos, pos + 10))}"`;
      return fail(`tag "${name}" is not followed by "=" (found ${what} at position ${pos})`, pos);
    }
    pos++;
    const afterEq = skipFws();
    if (afterEq) return fail(afterEq, pos);

    // The value runs to the next ";": visible characters, with whitespace only between them.
    const valueStart = pos;
    let valueEnd = pos;
    while (pos < text.length && text[pos] !== ';') {
      const c = text[pos] ?? '';
      if (isValChar(c)) {
        pos++;
        valueEnd = pos;
        continue;
      }
      if (isWsp(c)) {
        pos++;
        continue;
      }
      const brk = lineBreakAt(text, pos);
      if (brk > 0) {
        if (!isWsp(text[pos + brk])) return fail(lineBreakError(pos), pos);
        pos += brk;
        continue;
      }
      return fail(
        `${describeChar(text, pos)} at position ${pos} is not allowed in the value of "${name}"`,
        pos,
      );
    }
    tags.push({ name, value: text.slice(valueStart, valueEnd), at: nameStart });
    if (pos >= text.length) return done();
    pos++; // the ";"
  }
}

/** The value of the first tag with this name (case-insensitively when asked), or undefined. */
export function tagValue(
  tags: readonly TagSpec[],
  name: string,
  opts: { caseInsensitive?: boolean } = {},
): string | undefined {
  return tags.find((t) => sameTagName(t.name, name, opts.caseInsensitive === true))?.value;
}

export function sameTagName(a: string, b: string, caseInsensitive: boolean): boolean {
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Whether a TXT record starts with the version tag a record type is recognised by ("v=DMARC1",
 * "v=STSv1", "v=TLSRPTv1"): receivers discard the others before parsing anything (RFC 7489
 * §6.6.3, RFC 8461 §3.1, RFC 8460 §3). The value is compared exactly; the tag name "v" too
 * unless caseInsensitiveName.
 */
export function startsWithVersion(
  text: string,
  version: string,
  opts: { caseInsensitiveName?: boolean; allowLeadingSpace?: boolean } = {},
): boolean {
  if (typeof text !== 'string') return false;
  let i = 0;
  if (opts.allowLeadingSpace) while (isWsp(text[i])) i++;
  const v = text[i];
  if (v !== 'v' && !(opts.caseInsensitiveName && v === 'V')) return false;
  i++;
  while (isWsp(text[i])) i++;
  if (text[i] !== '=') return false;
  i++;
  while (isWsp(text[i])) i++;
  if (text.slice(i, i + version.length) !== version) return false;
  i += version.length;
  while (isWsp(text[i])) i++;
  return i >= text.length || text[i] === ';';
}

/** Length of the line break at pos: 2 for CRLF, 1 for a bare LF, 0 for none. */
function lineBreakAt(text: string, pos: number): number {
  if (text[pos] === '\r' && text[pos + 1] === '\n') return 2;
  if (text[pos] === '\n') return 1;
  return 0;
}

function lineBreakError(pos: number): string {
  return `line break at position ${pos} is not followed by a space or tab (not valid folding)`;
}

function isNameChar(c: string, extended: boolean): boolean {
  return isAlpha(c) || isDigit(c) || c === '_' || (extended && (c === '-' || c === '.'));
}

function validName(name: string, extended: boolean): boolean {
  if (name.length === 0) return false;
  const first = name[0] ?? '';
  if (extended) return (isAlpha(first) || isDigit(first)) && name.length <= 32;
  return isAlpha(first);
}

/** What the writer meant as a name: up to "=", ";" or the end, for the error message. */
function rawNameAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && text[end] !== '=' && text[end] !== ';') end++;
  return text.slice(start, end).trim() || (text[start] ?? '');
}

function describeChar(text: string, pos: number): string {
  const code = text.codePointAt(pos) ?? 0;
  const c = String.fromCodePoint(code);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code >= 0x20 && code !== 0x7f ? `character "${c}" (${hex})` : `control character ${hex}`;
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}
