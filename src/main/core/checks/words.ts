/** Lists in plain words, shared by every stage's summaries. */

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "3 files" / "1 file". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The first few items in words, and how many more. */
export function firstFew(items: readonly string[], max = 3): string {
  if (items.length <= max) return listWords(items);
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
