/**
 * Follows redirects hop by hop, as a browser would, but keeps every hop as evidence and stops
 * at a hop limit or the first repeated URL (a loop).
 */
import { ProbeError } from './errors';
import type { FetchOptions } from './fetch';
import { fetchUrl } from './fetch';
import type { HttpProbeResult } from './http';
import type { NetworkContext } from './net-context';

export interface RedirectHop {
  url: string;
  status: number;
  location: string | null;
  elapsedMs: number;
}

export interface RedirectTrail {
  start: string;
  hops: RedirectHop[];
  /** ok: ended on a non-redirect; loop: a URL came back; too-many: hit the hop limit; broken: a Location that is not a URL. */
  outcome: 'ok' | 'loop' | 'too-many' | 'broken';
  /** The last response (the page itself when outcome is ok). */
  final: HttpProbeResult;
  finalUrl: string;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);
export const DEFAULT_MAX_HOPS = 10;

export async function followRedirects(
  start: string,
  net: NetworkContext,
  opts: FetchOptions & { maxHops?: number } = {},
): Promise<RedirectTrail> {
  const maxHops = opts.maxHops ?? DEFAULT_MAX_HOPS;
  const seen = new Set<string>();
  const hops: RedirectHop[] = [];
  let url = new URL(start).href;
  for (;;) {
    seen.add(url);
    const r = await fetchUrl(url, net, { ...opts, maxBodyBytes: opts.maxBodyBytes ?? 256 * 1024 });
    const raw = r.headers['location'];
    const location = (Array.isArray(raw) ? raw[0] : raw) ?? null;
    hops.push({ url, status: r.status, location, elapsedMs: r.elapsedMs });
    if (!REDIRECT.has(r.status) || location === null)
      return { start, hops, outcome: 'ok', final: r, finalUrl: url };
    let next: string;
    try {
      next = new URL(location, url).href;
    } catch {
      return { start, hops, outcome: 'broken', final: r, finalUrl: url };
    }
    if (seen.has(next)) return { start, hops, outcome: 'loop', final: r, finalUrl: next };
    if (hops.length >= maxHops)
      return { start, hops, outcome: 'too-many', final: r, finalUrl: next };
    if (opts.signal?.aborted) throw new ProbeError('aborted', 'stopped');
    url = next;
  }
}

/** Number of redirects in a trail (hops that were redirects). */
export function redirectCount(trail: RedirectTrail): number {
  return trail.hops.filter((h) => REDIRECT.has(h.status) && h.location !== null).length;
}
