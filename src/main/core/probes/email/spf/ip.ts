/** IP addresses as SPF uses them: CIDR matching, reverse names and the %{i}/%{c} forms. */
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

const IPV4_STRICT = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Dotted quad without leading zeros (RFC 7208's ip4-network), or undefined. */
export function parseIpv4(text: string): IpAddress | undefined {
  if (!IPV4_STRICT.test(text)) return undefined;
  return { family: 4, bytes: Uint8Array.from(text.split('.').map(Number)) };
}

/** An RFC 4291 text address (no zone index), or undefined. */
export function parseIpv6(text: string): IpAddress | undefined {
  if (text.includes('%') || !isIPv6(text)) return undefined;
  let hex = text;
  // An embedded dotted quad stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (!v4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4.bytes;
    hex = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [left = '', right] = hex.split('::');
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const words =
    right === undefined ? l : [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
  if (words.length !== 8 || words.some((w) => !(w >= 0 && w <= 0xffff))) return undefined;
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return { family: 6, bytes };
}

/** The client address as SPF sees it: IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4 (RFC 7208 §5). */
export function parseClientIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (isIPv4(t)) return { family: 4, bytes: Uint8Array.from(t.split('.').map(Number)) };
  const v6 = parseIpv6(t);
  if (!v6) return undefined;
  const b = v6.bytes;
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? { family: 4, bytes: b.slice(12) } : v6;
}

/** Whether ip lies in network/prefix (same family only). */
export function inNetwork(ip: IpAddress, network: IpAddress, prefix: number): boolean {
  if (ip.family !== network.family) return false;
  let bits = prefix;
  for (let i = 0; i < ip.bytes.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== ((network.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * The %{i} form: dotted quad, or 32 dot-separated nibbles for IPv6 (RFC 7208 §7.3), upper
 * case as in §7.4's example (DNS ignores case; explanations show it).
 */
export function dottedIp(ip: IpAddress): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  const hex = (n: number) => n.toString(16).toUpperCase();
  return [...ip.bytes].flatMap((b) => [hex(b >> 4), hex(b & 0xf)]).join('.');
}

/** The %{c} form: dotted quad, or RFC 5952 text for IPv6. */
export function prettyIp(ip: IpAddress): string {
  if (ip.family === 4) return dottedIp(ip);
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  // The longest run of two or more zero groups becomes "::" (the first, on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The PTR owner name: d.c.b.a.in-addr.arpa or the reversed nibbles under ip6.arpa. */
export function reverseName(ip: IpAddress): string {
  const parts = dottedIp(ip).split('.').reverse().join('.');
  return `${parts}.${ip.family === 4 ? 'in-addr' : 'ip6'}.arpa`;
}

/** Parses an A or AAAA answer; undefined for anything that is not an address of that family. */
export function parseAnswerIp(text: string, family: 4 | 6): IpAddress | undefined {
  return family === 4 ? parseIpv4(text.trim()) : parseIpv6(text.trim());
}
