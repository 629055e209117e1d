/**
 * Just enough HTML reading for probes: the scripts a page loads, its meta http-equiv values and
 * whether it shows a login form. Tolerant of real-world markup, never executes anything.
 */

export interface PageScripts {
  /** src of <script> and href of <link rel=modulepreload|preload as=script>, as written. */
  external: string[];
  /** Bodies of inline <script> elements (JSON config blobs included). */
  inline: string[];
}

const ATTR = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Attributes of a start tag's inside (`src="a.js" defer`), names lower-cased, entities decoded. */
export function parseAttributes(inside: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of inside.matchAll(ATTR)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!name || name in out) continue;
    out[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/gi, '&')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>');
}

/** Comments hide tags from the browser, so they hide them from us too. */
function stripComments(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, '');
}

const NON_JS_TYPES = /json|template|text\/(?!javascript)|x-shader|importmap/i;

export function extractScripts(html: string): PageScripts {
  const doc = stripComments(html);
  const external: string[] = [];
  const inline: string[] = [];
  for (const m of doc.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = parseAttributes(m[1] ?? '');
    if (attrs.src) {
      if (!NON_JS_TYPES.test(attrs.type ?? '')) external.push(attrs.src.trim());
    } else if ((m[2] ?? '').trim() !== '') {
      // Config blobs (type=application/json) are exactly where keys get pasted: keep them.
      inline.push(m[2] ?? '');
    }
  }
  for (const m of doc.matchAll(/<link\b([^>]*)>/gi)) {
    const attrs = parseAttributes(m[1] ?? '');
    const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
    const isScript =
      rel.includes('modulepreload') ||
      (rel.includes('preload') && (attrs.as ?? '').toLowerCase() === 'script');
    if (isScript && attrs.href) external.push(attrs.href.trim());
  }
  return { external: [...new Set(external)], inline };
}

/** The content of `<meta http-equiv="name" content="…">`, the last one winning; null if none. */
export function metaHttpEquiv(html: string, name: string): string | null {
  let found: string | null = null;
  for (const m of stripComments(html).matchAll(/<meta\b([^>]*)>/gi)) {
    const attrs = parseAttributes(m[1] ?? '');
    if ((attrs['http-equiv'] ?? '').toLowerCase() === name.toLowerCase() && 'content' in attrs)
      found = attrs.content ?? '';
  }
  return found;
}

/** A page asking for a password: a login form, whatever the framework. */
export function hasPasswordField(html: string): boolean {
  for (const m of stripComments(html).matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = parseAttributes(m[1] ?? '');
    if ((attrs.type ?? '').toLowerCase() === 'password') return true;
    if ((attrs.autocomplete ?? '').toLowerCase().includes('current-password')) return true;
  }
  return false;
}

/** The page's <title>, trimmed and capped (evidence, not content). */
export function pageTitle(html: string): string | null {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  if (!m) return null;
  const t = decodeEntities(m[1] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return t === '' ? null : t.slice(0, 120);
}

/** Whether a response is HTML, from its content type or, lacking one, its first bytes. */
export function looksLikeHtml(contentType: string | null, body: string): boolean {
  if (contentType && /html/i.test(contentType)) return true;
  if (contentType && !/text\/plain|octet-stream/i.test(contentType)) return false;
  return /^\s*(?:<!doctype html|<html|<head|<body|<script|<div|<h1|<meta|<title|<!--)/i.test(body);
}
