/**
 * A check's evidence as a few compact lines for the printed page: small objects on one line,
 * empty values left out, long strings and lists cut. The attached JSON keeps it all.
 */
import type { Status } from '../../../shared/checks';
import { STATUS_RANK } from '../../../shared/checks';
import { truncate } from './wrap';

export interface EvidenceLimits {
  /** Lines at most; the rest is counted in a closing "…" line. */
  maxLines: number;
  /** Characters a one-line object or list may take before it is spread over lines. */
  inlineWidth: number;
  maxString: number;
  maxItems: number;
}

export const EVIDENCE_LIMITS: EvidenceLimits = {
  maxLines: 22,
  inlineWidth: 104,
  maxString: 180,
  maxItems: 8,
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function evidenceLines(
  evidence: Record<string, unknown>,
  limits: EvidenceLimits = EVIDENCE_LIMITS,
): string[] {
  const lines: string[] = [];
  const compact = prune(evidence as Json);
  if (compact === undefined || !isObject(compact)) return [];
  writeObject(compact, 0, lines, limits);
  if (lines.length <= limits.maxLines) return lines;
  const kept = lines.slice(0, limits.maxLines - 1);
  kept.push(
    `… ${lines.length - kept.length} more lines in the attached launch-ready-handover.json`,
  );
  return kept;
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Drops null, empty strings, empty lists and empty objects: they say nothing on paper. */
function prune(v: Json): Json | undefined {
  if (v === null || v === '') return undefined;
  if (Array.isArray(v)) {
    const items = v.map(prune).filter((x): x is Json => x !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

function scalar(v: Json, limits: EvidenceLimits): string {
  if (typeof v === 'string') return truncate(v.replace(/\s+/g, ' '), limits.maxString);
  return String(v);
}

/** The value on one line, or null when it would not fit `width`. */
function inline(v: Json, width: number, limits: EvidenceLimits): string | null {
  if (!Array.isArray(v) && !isObject(v)) return scalar(v, limits);
  let out: string;
  if (Array.isArray(v)) {
    const shown = v.slice(0, limits.maxItems).map((x) => inline(x, width, limits));
    if (shown.some((s) => s === null)) return null;
    const more = v.length > limits.maxItems ? [`… +${v.length - limits.maxItems}`] : [];
    out = `[${[...shown, ...more].join(', ')}]`;
    // A list of plain values reads best on one (wrapped) line, however long.
    if (v.every((x) => !Array.isArray(x) && !isObject(x))) return out;
  } else {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const s = inline(x, width, limits);
      if (s === null) return null;
      parts.push(`${k}: ${s}`);
    }
    out = `{${parts.join(', ')}}`;
  }
  return out.length <= width ? out : null;
}

function writeObject(
  obj: { [k: string]: Json },
  depth: number,
  lines: string[],
  limits: EvidenceLimits,
): void {
  const pad = '  '.repeat(depth);
  for (const [key, value] of Object.entries(obj)) {
    // Stop early: past the limit nothing more is shown, only counted.
    if (lines.length > limits.maxLines * 4) return;
    const head = `${pad}${key}: `;
    if (!Array.isArray(value) && !isObject(value)) {
      lines.push(head + scalar(value, limits));
      continue;
    }
    const one = inline(value, limits.inlineWidth - head.length, limits);
    if (one !== null) {
      lines.push(head + one);
      continue;
    }
    lines.push(`${pad}${key}:`);
    if (Array.isArray(value)) writeArray(value, depth + 1, lines, limits);
    else writeObject(value, depth + 1, lines, limits);
  }
}

/** Items that carry a status show the problems first: those are what the lines are for. */
function problemsFirst(items: Json[]): Json[] {
  const rank = (x: Json) => {
    const status = isObject(x) ? x.status : undefined;
    return typeof status === 'string' && status in STATUS_RANK
      ? STATUS_RANK[status as Status]
      : STATUS_RANK.pass;
  };
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.item);
}

function writeArray(items: Json[], depth: number, lines: string[], limits: EvidenceLimits): void {
  const pad = '  '.repeat(depth);
  for (const item of problemsFirst(items).slice(0, limits.maxItems)) {
    const one = inline(item, limits.inlineWidth - pad.length - 2, limits);
    if (one !== null) lines.push(`${pad}- ${one}`);
    else if (isObject(item)) {
      // "- " then the object's fields, the first on the dash's line.
      const sub: string[] = [];
      writeObject(item, depth + 1, sub, limits);
      sub.forEach((l, i) => lines.push(i === 0 ? `${pad}- ${l.trimStart()}` : l));
    } else if (Array.isArray(item)) {
      lines.push(`${pad}-`);
      writeArray(item, depth + 1, lines, limits);
    }
  }
  if (items.length > limits.maxItems) lines.push(`${pad}… ${items.length - limits.maxItems} more`);
}
