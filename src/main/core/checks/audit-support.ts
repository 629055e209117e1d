/** Helpers the stage 1 probes share: which routes and pages to probe, bounded fan-out, folding. */
import type { Route, RouteKey, Workspace } from '../../../shared/workspace';
import type { CheckContext } from '../engine/check';
import type { LabeledVerdict } from './hosts';
import { foldLabeled } from './hosts';
import { ProbeError } from '../probes/errors';
import { fetchUrl } from '../probes/fetch';
import type { RedirectTrail } from '../probes/redirects';
import { followRedirects } from '../probes/redirects';

export type Verdict = LabeledVerdict;

/** The shared fold (hosts.ts), under this stage's name. */
export const foldVerdicts = foldLabeled;

/** Runs `probe` per item in parallel; a thrown error is that item's `error`, never a pass. */
export async function perItem<T>(
  items: readonly T[],
  label: (item: T) => string,
  probe: (item: T) => Promise<Verdict>,
): Promise<Verdict[]> {
  return Promise.all(
    items.map(async (item) => {
      try {
        return await probe(item);
      } catch (err) {
        return errorVerdict(label(item), err);
      }
    }),
  );
}

export function errorVerdict(
  label: string,
  err: unknown,
  evidence: Record<string, unknown> = {},
): Verdict {
  const message = err instanceof Error ? err.message : String(err);
  const kind = err instanceof ProbeError ? err.kind : 'internal';
  return {
    label,
    status: 'error',
    note: `could not be checked (${message})`,
    evidence: { ...evidence, target: label, error: kind, message },
  };
}

export function routeUrl(route: Pick<Route, 'host' | 'path'>): string {
  return `https://${route.host}${route.path}`;
}

export function routeLabel(route: Pick<Route, 'key' | 'host' | 'path'>): string {
  return `${route.key} (${route.host}${route.path})`;
}

/** Routes probed by one check, at most: a workspace may list many, a check stays bounded. */
export const MAX_ROUTES = 20;

export function routesWithKeys(ws: Workspace, keys: readonly RouteKey[]): Route[] {
  return ws.routes.filter((r) => keys.includes(r.key)).slice(0, MAX_ROUTES);
}

/** The pages a visitor lands on: the home route(s), else the primary domain's root. */
export function homeRoutes(ws: Workspace): Route[] {
  const home = routesWithKeys(ws, ['home']);
  return home.length > 0 ? home : [{ key: 'home', host: ws.domain, path: '/' }];
}

/**
 * Whether a host belongs to the product (a workspace host, the domain or one of its
 * subdomains): probes fetch only from the founder's own hosts, never from third parties.
 */
export function isProductHost(ws: Workspace, hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  const domain = ws.domain.toLowerCase();
  return (
    h === domain || h.endsWith(`.${domain}`) || ws.hosts.some((x) => x.name.toLowerCase() === h)
  );
}

/** First value of a header (undici gives arrays for repeated headers). */
export function header(headers: Record<string, string | string[]>, name: string): string | null {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

/** Every value of a header, e.g. all Set-Cookie lines. */
export function headerAll(headers: Record<string, string | string[]>, name: string): string[] {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Fewer hops than a browser allows: key pages that need more are broken anyway. */
export const MAX_HOPS = 5;

/** GETs a URL as a browser would, following redirects, with the check's network and limits. */
export function visit(
  url: string,
  ctx: CheckContext,
  maxBodyBytes: number,
): Promise<RedirectTrail> {
  return followRedirects(url, ctx.net, {
    signal: ctx.signal,
    resolve: ctx.cache.resolve,
    maxBodyBytes,
    maxHops: MAX_HOPS,
  });
}

/** Hops as evidence: URL and status only (bodies and headers stay out). */
export function hopsEvidence(trail: RedirectTrail): { url: string; status: number }[] {
  return trail.hops.map((h) => ({ url: h.url, status: h.status }));
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * As visit(), hop by hop with fetchUrl, but keeping the Set-Cookie lines of every hop: a login
 * redirect often sets the session cookie, and followRedirects returns the last response only.
 * Same bounds (MAX_HOPS, a repeated URL ends the walk).
 */
export async function visitCollectingCookies(
  start: string,
  ctx: CheckContext,
  maxBodyBytes: number,
): Promise<{ trail: RedirectTrail; setCookies: string[] }> {
  const setCookies: string[] = [];
  const hops: RedirectTrail['hops'] = [];
  const seen = new Set<string>();
  let url = new URL(start).href;
  for (;;) {
    seen.add(url);
    const r = await fetchUrl(url, ctx.net, {
      signal: ctx.signal,
      resolve: ctx.cache.resolve,
      maxBodyBytes,
    });
    if (isProductHost(ctx.workspace, new URL(url).hostname))
      setCookies.push(...headerAll(r.headers, 'set-cookie'));
    const location = header(r.headers, 'location');
    hops.push({ url, status: r.status, location, elapsedMs: r.elapsedMs });
    const done = (outcome: RedirectTrail['outcome'], finalUrl = url) => ({
      trail: { start, hops, outcome, final: r, finalUrl },
      setCookies,
    });
    if (!REDIRECT.has(r.status) || location === null) return done('ok');
    let next: string;
    try {
      next = new URL(location, url).href;
    } catch {
      return done('broken');
    }
    if (seen.has(next)) return done('loop', next);
    if (hops.length >= MAX_HOPS) return done('too-many', next);
    url = next;
  }
}
