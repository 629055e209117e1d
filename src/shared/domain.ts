/**
 * Domain names as founders type them. Pure string logic so the renderer can validate as the
 * founder types and the main process can validate again at the boundary with the same rules.
 */

export type DomainCheck =
  { ok: true; domain: string; display: string } | { ok: false; message: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function normalizeDomain(raw: string): DomainCheck {
  const input = raw.trim();
  if (input === '') return { ok: false, message: "Enter your product's domain, like example.com." };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    return {
      ok: false,
      message: `Enter just the domain, without "${input.split('://')[0]}://" — for example ${guessHost(input)}.`,
    };
  }
  if (/\s/.test(input))
    return { ok: false, message: `A domain cannot contain spaces: "${input}".` };
  if (input.includes('/')) {
    return {
      ok: false,
      message: `Enter just the domain, without a path — for example ${guessHost(input)}.`,
    };
  }
  if (input.includes('@'))
    return {
      ok: false,
      message: 'That looks like an email address; enter only the part after the @.',
    };
  if (IPV4.test(input) || input.includes(':') || input.startsWith('[')) {
    return {
      ok: false,
      message: `${input} is an IP address or has a port; enter the domain name your customers type.`,
    };
  }
  const bare = input.replace(/\.$/, '').toLowerCase();
  if (bare.length > 253) {
    return {
      ok: false,
      message: `That name is ${bare.length} characters long; a domain name is at most 253.`,
    };
  }
  if (!bare.includes('.'))
    return { ok: false, message: `"${bare}" needs a dot and an ending, like ${bare}.com.` };
  const ascii = toAscii(bare);
  if (ascii === null)
    return { ok: false, message: `"${bare}" contains characters a domain name cannot have.` };
  if (ascii.length > 253) {
    return {
      ok: false,
      message: `That name is ${ascii.length} characters long once encoded; a domain name is at most 253.`,
    };
  }
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label === '')
      return { ok: false, message: `"${bare}" has an empty part between two dots.` };
    if (label.length > 63) {
      return {
        ok: false,
        message: `The part "${label.slice(0, 20)}…" is ${label.length} characters; each part of a domain is at most 63.`,
      };
    }
    if (!LABEL.test(label)) {
      return {
        ok: false,
        message: `The part "${label}" can only use letters, digits and inner hyphens.`,
      };
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) {
    return { ok: false, message: `"${bare}" ends in a number; a domain ends in a name like .com.` };
  }
  return { ok: true, domain: ascii, display: bare };
}

/** IDNA via the WHATWG URL parser (present in browsers and Node alike); null when it refuses. */
function toAscii(name: string): string | null {
  if (/^[\x21-\x7e]+$/.test(name)) return name;
  try {
    const host = new URL(`http://${name}/`).hostname;
    return host === '' ? null : host;
  } catch {
    return null;
  }
}

function guessHost(input: string): string {
  const host = input.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  return host.toLowerCase() || 'example.com';
}

/** True when `host` is `domain` or a name under it. */
export function isWithin(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
