/** Domain names in SPF: the domain-spec grammar (§7.1), query names (§4.8) and §4.3's checks. */
import { parseMacroString } from './macro';
import type { MacroParse } from './macro';

const MAX_NAME = 253;
const MAX_LABEL = 63;

/** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
export function isToplabel(label: string): boolean {
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(label) && !/^\d+$/.test(label);
}

/**
 * A domain-spec: a macro-string ending in a macro or in "." toplabel with an optional dot.
 * Checked before expansion, as §7.1 asks (what macros expand to is not syntax).
 */
export function parseDomainSpec(text: string): MacroParse {
  if (text === '') return { ok: false, error: 'the domain is empty' };
  const parsed = parseMacroString(text, 'domain');
  if (!parsed.ok) return parsed;
  const last = parsed.tokens[parsed.tokens.length - 1];
  if (last && last.kind !== 'literal') return parsed;
  const tail = (last?.text ?? '').replace(/\.$/, '');
  const dot = tail.lastIndexOf('.');
  const top = tail.slice(dot + 1);
  if (dot < 0 || !isToplabel(top)) {
    const why = /^\d+$/.test(top)
      ? `its last label "${top}" is all digits (an IP address belongs in ip4:)`
      : dot < 0
        ? 'it is not a dotted domain name'
        : `"${top}" is not a valid top-level label`;
    return { ok: false, error: `"${text}" is not a valid domain: ${why}` };
  }
  return parsed;
}

/**
 * The name to query after expansion: without its trailing dot and, when over 253 characters,
 * with labels dropped from the left until it fits (§7.3). Undefined when no DNS query can be
 * made of it (an empty label or one over 63 bytes): such a target is treated as non-existent.
 */
export function queryName(expanded: string): string | undefined {
  let name = expanded.endsWith('.') ? expanded.slice(0, -1) : expanded;
  while (name.length > MAX_NAME && name.includes('.')) name = name.slice(name.indexOf('.') + 1);
  return isQueryable(name) ? name : undefined;
}

export function isQueryable(name: string): boolean {
  if (name === '' || Buffer.byteLength(name) > MAX_NAME) return false;
  return name.split('.').every((l) => l.length > 0 && Buffer.byteLength(l) <= MAX_LABEL);
}

/**
 * Why check_host() cannot use domain (§4.3: malformed, a single label, a domain literal), or
 * undefined when it can. Such a domain has no policy: the result is "none".
 */
export function malformedDomain(domain: string): string | undefined {
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (name === '') return 'the domain is empty';
  if (name.startsWith('[')) return `"${domain}" is an address literal, not a domain`;
  if ([...name].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) {
    return `"${domain}" contains spaces or control characters`;
  }
  const labels = name.split('.');
  if (labels.length < 2) return `"${domain}" is not a multi-label domain name`;
  if (labels.some((l) => l === '')) return `"${domain}" has an empty label`;
  if (labels.some((l) => Buffer.byteLength(l) > MAX_LABEL)) {
    return `"${domain}" has a label longer than ${MAX_LABEL} bytes`;
  }
  if (Buffer.byteLength(name) > MAX_NAME) {
    return `"${domain}" is longer than ${MAX_NAME} characters`;
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return `"${domain}" is an IP address`;
  return undefined;
}
