/**
 * Line breaking for the handover: greedy, on spaces; a word wider than the line (a URL, a
 * fingerprint) is cut where it fits, after a "/", "-", "." or similar when one is near.
 */

export type Measure = (text: string) => number;

const SOFT_BREAK_AFTER = new Set(['/', '-', '.', '?', '&', '=', ',', ':', '_', '…', ')']);

export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    const words = paragraph.split(/ +/).filter((w, i, all) => w !== '' || all.length === 1);
    let line = '';
    for (const word of words) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (measure(candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line !== '') out.push(line);
      if (measure(word) <= maxWidth) {
        line = word;
        continue;
      }
      const pieces = breakWord(word, maxWidth, measure);
      out.push(...pieces.slice(0, -1));
      line = pieces.at(-1) ?? '';
    }
    out.push(line);
  }
  return out;
}

function breakWord(word: string, maxWidth: number, measure: Measure): string[] {
  const chars = Array.from(word);
  const pieces: string[] = [];
  let start = 0;
  while (start < chars.length) {
    // Widths add up character by character (no kerning is drawn), so sum as we go.
    let end = start + 1;
    let width = measure(chars[start] ?? '');
    while (end < chars.length && width + measure(chars[end] ?? '') <= maxWidth) {
      width += measure(chars[end] ?? '');
      end++;
    }
    if (end < chars.length) {
      // Prefer a natural break in the last third of the piece.
      for (let i = end - 1; i > start + Math.floor((end - start) * 0.66); i--) {
        if (SOFT_BREAK_AFTER.has(chars[i] ?? '')) {
          end = i + 1;
          break;
        }
      }
    }
    pieces.push(chars.slice(start, end).join(''));
    start = end;
  }
  return pieces;
}

/** At most `max` lines; a cut ends in "…" (made to fit). */
export function clampLines(
  lines: string[],
  max: number,
  maxWidth: number,
  measure: Measure,
): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  let last = `${kept[max - 1] ?? ''}…`;
  while (last.length > 1 && measure(last) > maxWidth)
    last = `${Array.from(last).slice(0, -2).join('')}…`;
  kept[max - 1] = last;
  return kept;
}

/** A string cut to `max` characters (code points), with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
