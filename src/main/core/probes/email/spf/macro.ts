/**
 * RFC 7208 §7 macros: parsing a macro-string into tokens (so syntax errors surface when the
 * record is parsed, not when a term happens to be evaluated) and expanding them.
 */

export type MacroLetter = 's' | 'l' | 'o' | 'd' | 'i' | 'p' | 'v' | 'h' | 'c' | 'r' | 't';

export type MacroToken =
  | { kind: 'literal'; text: string }
  /** %% → "%", %_ → " ", %- → "%20": a macro-expand in the grammar, so a valid domain-end. */
  | { kind: 'escape'; text: string }
  | {
      kind: 'macro';
      letter: MacroLetter;
      /** An upper-case letter: the value is URL-escaped after transformation. */
      upper: boolean;
      /** Keep this many right-hand parts. */
      digits?: number;
      reverse: boolean;
      /** Split on these (default "."). */
      delimiters: string;
      raw: string;
    };

/**
 * domain: a domain-spec (no c/r/t, §7.2); explain: an explanation TXT (every letter, spaces);
 * modifier: an unknown modifier's value, never expanded (every letter, no spaces).
 */
export type MacroMode = 'domain' | 'explain' | 'modifier';

export type MacroParse = { ok: true; tokens: MacroToken[] } | { ok: false; error: string };

const DOMAIN_LETTERS = 'slodipvh';
const EXPLAIN_LETTERS = 'slodipvhcrt';
const DELIMITERS = '.-+,/_=';
/** Large enough for any name; bounds the arithmetic on absurd digit strings. */
const MAX_DIGITS = 999;

export function parseMacroString(text: string, mode: MacroMode): MacroParse {
  const tokens: MacroToken[] = [];
  let literal = '';
  const flush = () => {
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const code = ch.charCodeAt(0);
    if (ch !== '%') {
      // macro-literal = %x21-24 / %x26-7E; explain-string also allows SP.
      const visible = code >= 0x21 && code <= 0x7e;
      if (!visible && !(mode === 'explain' && ch === ' ')) {
        return { ok: false, error: `character ${describeChar(ch)} is not allowed` };
      }
      literal += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      flush();
      tokens.push({ kind: 'escape', text: next === '%' ? '%' : next === '_' ? ' ' : '%20' });
      i++;
      continue;
    }
    if (next !== '{') {
      const seen = next === undefined ? 'the end' : `"${next}"`;
      return { ok: false, error: `"%" must be followed by "{", "%", "_" or "-", not ${seen}` };
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) return { ok: false, error: `macro "${text.slice(i)}" is not closed by "}"` };
    const raw = text.slice(i, close + 1);
    const macro = parseMacro(raw, mode);
    if (typeof macro === 'string') return { ok: false, error: macro };
    flush();
    tokens.push(macro);
    i = close;
  }
  flush();
  return { ok: true, tokens };
}

function parseMacro(raw: string, mode: MacroMode): MacroToken | string {
  const m = /^%\{([a-zA-Z])(\d*)([rR]?)(.*)\}$/s.exec(raw);
  if (!m) return `macro "${raw}" has no letter`;
  const [, letterText = '', digitText = '', reverseText = '', delimiters = ''] = m;
  const letter = letterText.toLowerCase();
  const allowed = mode === 'domain' ? DOMAIN_LETTERS : EXPLAIN_LETTERS;
  if (!allowed.includes(letter)) {
    return EXPLAIN_LETTERS.includes(letter)
      ? `macro "${raw}": %{${letter}} is allowed only in explanation text`
      : `macro "${raw}": "${letterText}" is not a macro letter`;
  }
  const bad = [...delimiters].find((d) => !DELIMITERS.includes(d));
  if (bad !== undefined) return `macro "${raw}": ${describeChar(bad)} is not a delimiter`;
  let digits: number | undefined;
  if (digitText) {
    digits = Math.min(Number(digitText.replace(/^0+(?=\d)/, '')), MAX_DIGITS);
    if (digits === 0) return `macro "${raw}": the number of parts must not be zero`;
  }
  return {
    kind: 'macro',
    letter: letter as MacroLetter,
    upper: letterText !== letter,
    digits,
    reverse: reverseText !== '',
    delimiters,
    raw,
  };
}

/** The values macros expand to; p is looked up (PTR and address queries) only when used. */
export interface MacroValues {
  s: string;
  l: string;
  o: string;
  d: string;
  i: string;
  v: string;
  h: string;
  c: string;
  r: string;
  t: string;
  p: () => Promise<string>;
}

export async function expandMacros(tokens: MacroToken[], values: MacroValues): Promise<string> {
  let out = '';
  for (const token of tokens) {
    if (token.kind !== 'macro') {
      out += token.text;
      continue;
    }
    const value = token.letter === 'p' ? await values.p() : values[token.letter];
    const transformed = transform(value, token);
    out += token.upper ? urlEscape(transformed) : transformed;
  }
  return out;
}

/** Whether the tokens use any letter in letters (say, what only a connection can tell). */
export function usesMacro(tokens: MacroToken[], letters: string): boolean {
  return tokens.some((t) => t.kind === 'macro' && letters.includes(t.letter));
}

/** Split on the delimiters, optionally reverse, keep the rightmost parts, join with dots. */
function transform(
  value: string,
  macro: { digits?: number; reverse: boolean; delimiters: string },
): string {
  if (macro.digits === undefined && !macro.reverse && macro.delimiters === '') return value;
  const delimiters = macro.delimiters || '.';
  let parts = value.split(new RegExp(`[${escapeClass(delimiters)}]`));
  if (macro.reverse) parts = parts.reverse();
  if (macro.digits !== undefined && macro.digits < parts.length) {
    parts = parts.slice(parts.length - macro.digits);
  }
  return parts.join('.');
}

/** RFC 3986 escaping of everything outside the unreserved set (§7.3: upper-case macros). */
export function urlEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch)
      ? ch
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, (c) => `\\${c}`);
}

export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code >= 0x21 && code <= 0x7e ? `"${ch}"` : hex;
}
