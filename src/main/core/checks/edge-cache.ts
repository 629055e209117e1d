/** Stage 2 — what the edge may cache: never private pages, always static files. */
import type { Route } from '../../../shared/workspace';
import type { Check, CheckContext } from '../engine/check';
import type { HttpProbeResult } from '../probes/http';
import { extractScripts, looksLikeHtml, parseAttributes } from '../probes/html';
import type { Finding } from './edge-support';
import {
  ELSEWHERE_NOTES,
  appHost,
  errorMessage,
  fetchShared,
  foldFindings,
  header,
  isOwnHost,
  lastResponse,
  perFinding,
  reportedElsewhere,
  routeLabel,
  routeUrl,
  routesWithKeys,
  walk,
} from './edge-support';

export interface CacheControl {
  raw: string | null;
  public: boolean;
  /** Unqualified private only: `private="set-cookie"` lets shared caches keep the rest. */
  private: boolean;
  noStore: boolean;
  noCache: boolean;
  maxAge: number | null;
  sMaxage: number | null;
}

/** Cache-Control as RFC 9111 §5.2 reads it (directive names case-insensitive, values optional). */
export function parseCacheControl(raw: string | null): CacheControl {
  const d = new Map<string, string | null>();
  for (const part of (raw ?? '').split(',')) {
    const t = part.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    const name = (eq === -1 ? t : t.slice(0, eq)).trim().toLowerCase();
    const value =
      eq === -1
        ? null
        : t
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (!d.has(name)) d.set(name, value);
  }
  const seconds = (name: string): number | null => {
    const v = d.get(name);
    return v !== undefined && v !== null && /^\d+$/.test(v) ? Number(v) : null;
  };
  return {
    raw,
    public: d.has('public'),
    private: d.has('private') && !d.get('private'),
    noStore: d.has('no-store'),
    noCache: d.has('no-cache'),
    maxAge: seconds('max-age'),
    sMaxage: seconds('s-maxage'),
  };
}

/** A policy that lets a shared cache (the edge) store the response for other visitors. */
export function sharedCacheable(cc: CacheControl): boolean {
  if (cc.noStore || cc.private) return false;
  return cc.public || (cc.sMaxage ?? 0) > 0 || (cc.maxAge ?? 0) > 0;
}

/** cf-cache-status values that mean the answer came out of Cloudflare's cache. */
const FROM_CACHE = new Set(['HIT', 'STALE', 'UPDATING', 'REVALIDATED']);

/** What says this very response came from an edge cache, if anything. */
export function edgeHit(headers: Record<string, string | string[]>): string | null {
  const cf = header(headers, 'cf-cache-status');
  if (cf && FROM_CACHE.has(cf.trim().toUpperCase())) return `cf-cache-status: ${cf}`;
  const x = header(headers, 'x-cache');
  if (x && /\bhit\b/i.test(x)) return `x-cache: ${x}`;
  const age = Number(header(headers, 'age') ?? '');
  if (Number.isFinite(age) && age > 0) return `age: ${age}`;
  return null;
}

function cacheEvidence(r: HttpProbeResult): Record<string, unknown> {
  return {
    httpStatus: r.status,
    cacheControl: header(r.headers, 'cache-control'),
    cfCacheStatus: header(r.headers, 'cf-cache-status'),
    xCache: header(r.headers, 'x-cache'),
    age: header(r.headers, 'age'),
  };
}

// ---------------------------------------------------------------------------------------------

const PRIVATE_KEYS = ['login', 'dashboard', 'admin'] as const;

/** The founder's private routes, else the usual addresses (their absence is then no finding). */
function privateTargets(ctx: CheckContext): { route: Route; guessed: boolean }[] {
  const set = routesWithKeys(ctx.workspace, PRIVATE_KEYS);
  if (set.length > 0) return set.map((route) => ({ route, guessed: false }));
  const host = appHost(ctx.workspace);
  return (['login', 'admin'] as const).map((key) => ({
    route: { key, host, path: `/${key}` },
    guessed: true,
  }));
}

export const privateNotCached: Check = {
  id: 'edge.cache.private',
  stage: 2,
  title: 'Private pages are never cached by the edge',
  why: 'If your CDN caches a signed-in page or an admin API answer, it hands that copy to the next visitor: one customer sees another’s data, or anyone sees your admin list. It usually comes from one "cache everything" rule or a public Cache-Control header on the wrong route.',
  fix: [
    'Send Cache-Control: private, no-store on every signed-in page and API answer (login, dashboard, admin, account).',
    'In Cloudflare, make sure no Cache Rule or Page Rule ("Cache Everything") matches /api, /admin, /dashboard or /login; add a "Bypass cache" rule for them.',
    'Purge the CDN cache once the rule is fixed, so the copies already stored disappear.',
    'Re-check here: the private pages should show no cache HIT and no public Cache-Control.',
  ],
  impact: 'critical',
  kind: 'probe',
  async run(ctx) {
    const targets = privateTargets(ctx);
    const label = (t: { route: Route; guessed: boolean }): string =>
      t.guessed ? `the usual address ${t.route.host}${t.route.path}` : routeLabel(t.route);
    const findings = await perFinding(targets, label, async (t): Promise<Finding> => {
      const url = routeUrl(t.route);
      const base = { key: t.route.key, url, guessed: t.guessed };
      const f = (status: Finding['status'], note: string, evidence: Record<string, unknown>) => ({
        label: label(t),
        status,
        note,
        evidence: { ...base, ...evidence },
      });
      if (t.route.method === 'POST')
        return f('skipped', 'is a POST endpoint: shared caches do not store POST answers', {});
      let r: HttpProbeResult;
      try {
        r = await fetchShared(ctx, url);
      } catch (err) {
        const elsewhere = reportedElsewhere(err);
        if (!elsewhere) throw err;
        return f('skipped', ELSEWHERE_NOTES[elsewhere], {});
      }
      const evidence = cacheEvidence(r);
      if (t.guessed && (r.status === 404 || r.status === 410))
        return f('skipped', 'does not exist', evidence);
      const cc = parseCacheControl(header(r.headers, 'cache-control'));
      const hit = edgeHit(r.headers);
      if (hit && sharedCacheable(cc))
        return f(
          'fail',
          `is served from the edge cache (${hit}) and marked cacheable for everyone (Cache-Control: ${cc.raw})`,
          evidence,
        );
      if (hit) return f('fail', `is served from the edge cache (${hit})`, evidence);
      if (sharedCacheable(cc))
        return f(
          'fail',
          `tells the edge to store it for everyone (Cache-Control: ${cc.raw})`,
          evidence,
        );
      if (cc.raw === null)
        return f(
          'pass',
          'is not cached (no Cache-Control; edges do not store it by default — "private, no-store" makes it explicit)',
          evidence,
        );
      return f('pass', `is not cacheable by the edge (Cache-Control: ${cc.raw})`, evidence);
    });
    return foldFindings(findings, {
      evidenceKey: 'routes',
      pass: (n) =>
        n === 1
          ? 'The private page (login, dashboard or admin) is not cached by the edge.'
          : `None of the ${n} private pages (login, dashboard, admin) is cached by the edge.`,
      none: 'No login, dashboard or admin page could be checked: add them to your routes.',
    });
  },
};

// ---------------------------------------------------------------------------------------------

/** At most this many files of the home page are fetched: a sample, not a crawl. */
const MAX_ASSETS = 8;
const DAY = 86_400;

/** External stylesheets of a page, as written. */
function stylesheets(html: string): string[] {
  const out: string[] = [];
  for (const m of html.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<link\b([^>]*)>/gi)) {
    const attrs = parseAttributes(m[1] ?? '');
    const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('stylesheet') && attrs.href) out.push(attrs.href.trim());
  }
  return out;
}

function homeTargets(ctx: CheckContext): Route[] {
  const home = routesWithKeys(ctx.workspace, ['home']);
  return home.length > 0 ? home : [{ key: 'home', host: ctx.workspace.domain, path: '/' }];
}

function lifetime(seconds: number): string {
  if (seconds >= DAY) return `${Math.floor(seconds / DAY)} day${seconds >= 2 * DAY ? 's' : ''}`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${seconds} s`;
}

function judgeAsset(url: string, r: HttpProbeResult): Finding {
  const cc = parseCacheControl(header(r.headers, 'cache-control'));
  const evidence = { url, ...cacheEvidence(r) };
  const f = (status: Finding['status'], note: string): Finding => ({
    label: url,
    status,
    note,
    evidence,
  });
  if (r.status >= 400)
    return f('warn', `answers HTTP ${r.status} (a broken link on your home page)`);
  if (cc.raw === null)
    return f('warn', 'sends no Cache-Control header, so browsers and the edge must guess');
  if (cc.noStore || cc.private || cc.noCache)
    return f('warn', `is not cacheable (Cache-Control: ${cc.raw})`);
  const life = cc.sMaxage ?? cc.maxAge ?? 0;
  if (life <= 0) return f('warn', `expires at once (Cache-Control: ${cc.raw})`);
  const hit = edgeHit(r.headers);
  return f('pass', `is cacheable for ${lifetime(life)}${hit ? ` (${hit})` : ''}`);
}

export const staticAssetsCached: Check = {
  id: 'edge.cache.static-assets',
  stage: 2,
  title: 'Static files (JavaScript, CSS) are cacheable',
  why: 'Your scripts and stylesheets are the same for every visitor. When browsers and the CDN may keep them, pages open faster for returning visitors and your server does less work during a launch spike.',
  fix: [
    'Serve built files under fingerprinted names (app.3f9c1.js — Vite, Next.js and most bundlers do this) with Cache-Control: public, max-age=31536000, immutable.',
    'Keep the HTML page itself short-lived (no-cache or a small max-age) so a new release shows at once.',
    'On your host this is usually a headers setting (vercel.json, netlify.toml, _headers) or Cloudflare’s "Browser Cache TTL".',
  ],
  impact: 'low',
  kind: 'probe',
  async run(ctx) {
    interface HomePage {
      route: Route;
      status: Finding['status'];
      note: string;
      finalUrl?: string;
      page?: HttpProbeResult;
    }
    const pages = await Promise.all(
      homeTargets(ctx).map(async (route): Promise<HomePage> => {
        try {
          const w = await walk(ctx, routeUrl(route));
          const page = lastResponse(w);
          const html =
            w.outcome === 'ok' &&
            page.status < 300 &&
            looksLikeHtml(header(page.headers, 'content-type'), page.body);
          return html
            ? { route, status: 'pass', note: 'loaded', finalUrl: w.finalUrl, page }
            : { route, status: 'skipped', note: `is not an HTML page (HTTP ${page.status})` };
        } catch (err) {
          const elsewhere = reportedElsewhere(err);
          if (elsewhere) return { route, status: 'skipped', note: ELSEWHERE_NOTES[elsewhere] };
          return { route, status: 'error', note: `could not be loaded (${errorMessage(err)})` };
        }
      }),
    );
    const pageEvidence = pages.map((p) => ({
      key: p.route.key,
      url: routeUrl(p.route),
      status: p.status,
      note: p.note,
    }));
    const failed = pages.find((p) => p.status === 'error');
    if (failed)
      return {
        status: 'error',
        summary: `Could not decide: ${routeLabel(failed.route)} ${failed.note}.`,
        evidence: { pages: pageEvidence },
      };
    const urls: string[] = [];
    for (const p of pages) {
      if (!p.page || !p.finalUrl) continue;
      for (const ref of [...extractScripts(p.page.body).external, ...stylesheets(p.page.body)]) {
        let u: URL;
        try {
          u = new URL(ref, p.finalUrl);
        } catch {
          continue;
        }
        // Only the founder's own files: a third party's caching is not theirs to fix.
        const web = u.protocol === 'https:' || u.protocol === 'http:';
        if (web && isOwnHost(ctx.workspace, u.hostname)) urls.push(u.href);
      }
    }
    const assets = [...new Set(urls)].slice(0, MAX_ASSETS);
    if (assets.length === 0)
      return {
        status: 'skipped',
        summary:
          'Your home page links no script or stylesheet of its own, so there is nothing to check.',
        evidence: { pages: pageEvidence },
      };
    const findings = await perFinding(
      assets,
      (u) => u,
      async (url) => {
        try {
          return judgeAsset(url, await fetchShared(ctx, url));
        } catch (err) {
          const elsewhere = reportedElsewhere(err);
          if (!elsewhere) throw err;
          return {
            label: url,
            status: 'skipped' as const,
            note: ELSEWHERE_NOTES[elsewhere],
            evidence: { url, message: errorMessage(err) },
          };
        }
      },
    );
    return foldFindings(findings, {
      evidenceKey: 'assets',
      extra: { pages: pageEvidence },
      pass: (n) =>
        n === 1
          ? 'The static file your home page loads is cacheable.'
          : `All ${n} static files your home page loads are cacheable.`,
      none: 'The static files of your home page could not be loaded (see the DNS and certificate checks).',
    });
  },
};
