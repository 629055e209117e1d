/**
 * Stage 4 — how pages and files travel: compression, cache headers on static files,
 * keep-alive connections, and responses too big to send in one piece.
 */
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { Route } from '../../../shared/workspace';
import type { Check, CheckContext } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { extractScripts, parseAttributes } from '../probes/html';
import type { Endpoint, TimedResponse } from '../probes/perf-http';
import { PerfConnection, endpointFor, requestOnce } from '../probes/perf-http';
import type { Item } from './perf-support';
import {
  bytesText,
  errorItem,
  foldItems,
  headerOf,
  isProductHost,
  perfRoutes,
  routeLabel,
  routeUrl,
  takeTurn,
  unresolvedItem,
} from './perf-support';
import { mapLimit } from '../probes/map-limit';

/** Below this, compressing saves less than the headers weigh: not judged. */
export const COMPRESS_MIN_BYTES = 1024;
/** Uncompressed text this big or bigger is a clear loss on every visit. */
export const COMPRESS_FAIL_BYTES = 20 * 1024;
/** A static file should be cached for at least a day (a fingerprinted one: for good). */
export const CACHE_MIN_SECONDS = 86_400;
/** Responses this big on a key route: warn, then fail (paginate). */
export const OVERSIZED_WARN_BYTES = 512 * 1024;
export const OVERSIZED_FAIL_BYTES = 1024 * 1024;

const PAGE_KEYS = ['home', 'dashboard'] as const;
const MAX_ASSETS = 20;
const ASSETS_IN_FLIGHT = 4;
const PAGE_KEEP = 512 * 1024;
const ASSET_READ_CAP = 2 * 1024 * 1024;
const MAX_HOPS = 5;
const ENCODED = /\b(br|gzip|x-gzip|deflate|zstd)\b/i;

type Kind = 'html' | 'js' | 'css' | 'other';

interface Fetched {
  url: string;
  kind: Kind;
  /** The page that referenced it (assets) or the route label (pages). */
  from: string;
  status: number;
  headers: Record<string, string | string[]>;
  /** Bytes on the wire (compressed when encoded). */
  bytes: number;
  truncated: boolean;
  /** The uncompressed body when we kept it (up to a cap), for the size it would have compressed. */
  body: Buffer;
}

interface Discovery {
  items: Item[]; // pages that could not be fetched (error / skipped)
  pages: Fetched[];
  assets: Fetched[];
  assetErrors: Item[];
}

function kindOf(url: string, contentType: string | null): Kind {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('html')) return 'html';
  if (/javascript|ecmascript/.test(ct)) return 'js';
  if (ct.includes('text/css')) return 'css';
  const path = new URL(url).pathname.toLowerCase();
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.endsWith('.html') || path.endsWith('/')) return 'html';
  return 'other';
}

function decode(body: Buffer, encoding: string | null): Buffer {
  try {
    switch ((encoding ?? '').trim().toLowerCase()) {
      case 'br':
        return brotliDecompressSync(body);
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body);
      case 'deflate':
        return inflateSync(body);
      default:
        return body;
    }
  } catch {
    return Buffer.alloc(0);
  }
}

function stylesheets(html: string): string[] {
  const out: string[] = [];
  for (const m of html.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<link\b([^>]*)>/gi)) {
    const a = parseAttributes(m[1] ?? '');
    if ((a.rel ?? '').toLowerCase().split(/\s+/).includes('stylesheet') && a.href)
      out.push(a.href.trim());
  }
  return out;
}

async function get(
  url: string,
  ctx: CheckContext,
  opts: { keepBytes: number; readCap: number; encoding?: string },
): Promise<TimedResponse> {
  const u = new URL(url);
  const ep: Endpoint = await endpointFor(u, ctx.net, {
    signal: ctx.signal,
    resolve: ctx.cache.resolve,
  });
  return requestOnce(
    ep,
    ctx.net,
    {
      path: `${u.pathname}${u.search}`,
      headers: { 'accept-encoding': opts.encoding ?? 'br, gzip', accept: '*/*' },
    },
    {
      signal: ctx.signal,
      timeoutMs: ctx.net.timeouts.requestMs,
      keepBytes: opts.keepBytes,
      readCap: opts.readCap,
    },
  );
}

function fetched(url: string, from: string, r: TimedResponse, body: Buffer): Fetched {
  return {
    url,
    kind: kindOf(url, headerOf(r.headers, 'content-type')),
    from,
    status: r.status,
    headers: r.headers,
    bytes: r.bytes,
    truncated: r.truncated,
    body,
  };
}

/** Fetches a page as a browser would, following redirects within the product's hosts. */
async function fetchPage(route: Route, ctx: CheckContext): Promise<Fetched> {
  let url = routeUrl(route);
  for (let hop = 0; ; hop++) {
    const r = await get(url, ctx, { keepBytes: PAGE_KEEP, readCap: PAGE_KEEP });
    const location = headerOf(r.headers, 'location');
    if (r.status >= 300 && r.status < 400 && location && hop < MAX_HOPS) {
      const next = new URL(location, url);
      if (isProductHost(ctx.workspace, next.hostname) && next.protocol === 'https:') {
        url = next.href;
        continue;
      }
    }
    return fetched(
      url,
      routeLabel(route),
      r,
      decode(r.body, headerOf(r.headers, 'content-encoding')),
    );
  }
}

/** The home and dashboard pages and the scripts and stylesheets they load from the product's hosts. */
async function discover(ctx: CheckContext): Promise<Discovery> {
  const routes = perfRoutes(ctx.workspace, PAGE_KEYS).filter(
    (r) => r.method !== 'POST' && isProductHost(ctx.workspace, r.host),
  );
  const items: Item[] = [];
  const pages: Fetched[] = [];
  await Promise.all(
    routes.map(async (route) => {
      try {
        pages.push(await fetchPage(route, ctx));
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        items.push(
          unresolvedItem(routeLabel(route), routeUrl(route), err) ??
            errorItem(routeLabel(route), err, { url: routeUrl(route) }),
        );
      }
    }),
  );
  const wanted = new Map<string, string>();
  for (const page of pages) {
    if (page.kind !== 'html' || page.status >= 400) continue;
    const html = page.body.toString('utf8');
    for (const src of [...extractScripts(html).external, ...stylesheets(html)]) {
      let abs: URL;
      try {
        abs = new URL(src, page.url);
      } catch {
        continue;
      }
      // Third-party files are not ours to judge (or to fetch): only the product's hosts.
      if (abs.protocol !== 'https:' || !isProductHost(ctx.workspace, abs.hostname)) continue;
      if (!wanted.has(abs.href) && wanted.size < MAX_ASSETS) wanted.set(abs.href, page.from);
    }
  }
  const assetErrors: Item[] = [];
  const assets = (
    await mapLimit([...wanted], ASSETS_IN_FLIGHT, async ([url, from]) => {
      try {
        const r = await get(url, ctx, { keepBytes: ASSET_READ_CAP, readCap: ASSET_READ_CAP });
        return fetched(url, from, r, decode(r.body, headerOf(r.headers, 'content-encoding')));
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        assetErrors.push(errorItem(new URL(url).pathname, err, { url }));
        return null;
      }
    })
  ).filter((a): a is Fetched => a !== null);
  return { items, pages, assets, assetErrors };
}

/** One discovery per run, shared by the compression and cache checks. */
const discoveries = new WeakMap<object, Promise<Discovery>>();

async function discovered(ctx: CheckContext): Promise<Discovery> {
  let p = discoveries.get(ctx.cache);
  if (!p) {
    p = discover(ctx);
    p.catch(() => discoveries.delete(ctx.cache));
    discoveries.set(ctx.cache, p);
  }
  try {
    return await p;
  } catch (err) {
    // The check that started it was stopped; this one was not: fetch again on its own signal.
    if (err instanceof ProbeError && err.kind === 'aborted' && !ctx.signal.aborted)
      return discover(ctx);
    throw err;
  }
}

function assetLabel(f: Fetched): string {
  const u = new URL(f.url);
  return `${u.hostname}${u.pathname}`;
}

export const compression: Check = {
  id: 'perf.http.compression',
  stage: 4,
  title: 'Pages, scripts and styles are sent compressed',
  why: 'Text files (HTML, JavaScript, CSS) shrink by 70–90 % with gzip or Brotli. Sent uncompressed, your app loads several times slower on hotel Wi-Fi or a phone — exactly where buyers open your link.',
  fix: [
    'On Vercel, Netlify, Cloudflare and most platforms compression is on by default: check that nothing in front of them (a custom proxy, a CDN rule) turns it off.',
    'On your own server, enable it: Express `compression()` middleware, nginx `gzip on;` (plus `brotli on;` with the module), Caddy `encode zstd gzip`.',
    'Make sure JavaScript and CSS types are in the list of compressed types (nginx `gzip_types text/css application/javascript;`).',
    'Re-check: each file should come back with `Content-Encoding: br` or `gzip`.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const d = await discovered(ctx);
    const items: Item[] = [...d.items, ...d.assetErrors];
    for (const f of [...d.pages, ...d.assets]) {
      const label = assetLabel(f);
      const encoding = headerOf(f.headers, 'content-encoding');
      const declared = Number(headerOf(f.headers, 'content-length') ?? NaN);
      const wire = Number.isFinite(declared) && f.truncated ? declared : f.bytes;
      const evidence = {
        url: f.url,
        kind: f.kind,
        from: f.from,
        httpStatus: f.status,
        contentEncoding: encoding,
        bytes: wire,
      };
      const v = (status: Item['status'], note: string, extra = {}): Item => ({
        label,
        status,
        note,
        evidence: { ...evidence, ...extra },
      });
      if (f.kind === 'other') continue;
      if (f.status < 200 || f.status >= 300) {
        items.push(v('skipped', `answered HTTP ${f.status}, so it was not judged`));
      } else if (encoding && ENCODED.test(encoding)) {
        items.push(v('pass', `is compressed (${encoding}, ${bytesText(wire)})`));
      } else if (wire < COMPRESS_MIN_BYTES) {
        items.push(v('pass', `is small (${bytesText(wire)}), compression would not matter`));
      } else {
        const gz = f.body.length > 0 ? gzipSync(f.body).length : null;
        const saving =
          gz !== null && f.body.length > 0 ? Math.round((1 - gz / f.body.length) * 100) : null;
        const note = `is sent uncompressed (${bytesText(wire)}${gz !== null ? `; ${bytesText(gz)} with gzip, ${saving}% less` : ''})`;
        items.push(v(wire >= COMPRESS_FAIL_BYTES ? 'fail' : 'warn', note, { gzipBytes: gz }));
      }
    }
    return foldItems(
      items,
      'files',
      (n) =>
        `All ${n} page${n === 1 ? '' : 's'} and file${n === 1 ? '' : 's'} of your home and dashboard are compressed or too small to matter.`,
      'No page could be checked: set a home or dashboard route on your own hosts.',
    );
  },
};

/** max-age / s-maxage in seconds (the larger), or null. */
function maxAge(cc: string): number | null {
  let best: number | null = null;
  for (const m of cc.matchAll(/\b(?:s-)?max-age\s*=\s*"?(\d+)"?/gi)) {
    const n = Number(m[1]);
    best = best === null ? n : Math.max(best, n);
  }
  return best;
}

/** A hash in the file name (app-41d8cd.js, main.3f9a1c2b.css): a new release gets a new name. */
function fingerprinted(url: string): boolean {
  const file = new URL(url).pathname.split('/').pop() ?? '';
  const m = /[.\-_]([A-Za-z0-9]{6,})\.[a-z0-9]+$/i.exec(file);
  return m !== null && /\d/.test(m[1] ?? '');
}

function duration(seconds: number): string {
  if (seconds >= 86_400)
    return `${Math.round(seconds / 86_400)} day${seconds >= 172_800 ? 's' : ''}`;
  if (seconds >= 3600) return `${Math.round(seconds / 3600)} h`;
  return `${seconds} s`;
}

export const cacheHeaders: Check = {
  id: 'perf.http.cache-headers',
  stage: 4,
  title: 'Static files can be cached by browsers',
  why: 'Without cache headers, every visit downloads your scripts and styles again: each page opens slower than it needs to, and your hosting bill pays for it.',
  fix: [
    'Build tools (Vite, Next.js, webpack) put a hash in each file name (app-41d8cd.js). Serve those with `Cache-Control: public, max-age=31536000, immutable`.',
    'Files without a hash in their name: `Cache-Control: no-cache` plus an ETag or Last-Modified, so browsers revalidate instead of downloading again.',
    'Never send `no-store` on static files. On Vercel/Netlify/Cloudflare set this in the headers config (vercel.json, _headers, Cache Rules); on nginx with `expires max;` for /assets.',
  ],
  impact: 'low',
  kind: 'probe',
  async run(ctx) {
    const d = await discovered(ctx);
    const items: Item[] = [...d.items, ...d.assetErrors];
    for (const f of d.assets) {
      if (f.kind === 'html') continue; // pages are not static files
      const label = assetLabel(f);
      const cc = headerOf(f.headers, 'cache-control');
      const etag = headerOf(f.headers, 'etag');
      const lastModified = headerOf(f.headers, 'last-modified');
      const age = cc ? maxAge(cc) : null;
      const immutable = cc ? /\bimmutable\b/i.test(cc) : false;
      const hashed = fingerprinted(f.url);
      const evidence = {
        url: f.url,
        from: f.from,
        httpStatus: f.status,
        cacheControl: cc,
        etag: etag !== null,
        lastModified,
        maxAgeSeconds: age,
        fingerprinted: hashed,
      };
      const v = (status: Item['status'], note: string): Item => ({ label, status, note, evidence });
      if (f.status < 200 || f.status >= 300) {
        items.push(v('skipped', `answered HTTP ${f.status}, so it was not judged`));
      } else if (cc && /\bno-store\b/i.test(cc)) {
        items.push(v('fail', 'forbids caching (no-store): every visit downloads it again'));
      } else if (immutable || (age !== null && age >= CACHE_MIN_SECONDS)) {
        items.push(
          v('pass', `is cached for ${immutable ? 'good (immutable)' : duration(age as number)}`),
        );
      } else if (!cc && !etag && !lastModified) {
        items.push(v('fail', 'has no cache headers at all: every visit downloads it again'));
      } else if (hashed && (age === null || age < CACHE_MIN_SECONDS)) {
        items.push(
          v(
            'warn',
            `has a hash in its name but is cached for ${age ? duration(age) : 'no time'}; it could be cached for good`,
          ),
        );
      } else {
        items.push(v('pass', 'is revalidated by the browser (ETag/Last-Modified)'));
      }
    }
    return foldItems(
      items,
      'files',
      (n) =>
        `All ${n} static file${n === 1 ? '' : 's'} of your home and dashboard can be cached by browsers.`,
      'No script or stylesheet was found on your home or dashboard pages to check.',
    );
  },
};

/** Per host of the key routes, the lightest route to ask twice (health first, reports last). */
const LIGHT_FIRST = ['health', 'home', 'login', 'dashboard', 'report'] as const;

export const keepAlive: Check = {
  id: 'perf.http.keep-alive',
  stage: 4,
  title: 'Connections are reused (keep-alive)',
  why: 'A browser sends many requests to your server. If the server closes the connection after each one, every request pays a new connection and encryption handshake — often 100–300 ms each on a phone — and the app feels sluggish.',
  fix: [
    'Remove any `Connection: close` your app or proxy adds to responses.',
    'On nginx check `keepalive_timeout` is not 0; on Node make sure `server.keepAliveTimeout` is not tiny (the default 5 s is fine) and that a proxy in front allows keep-alive.',
    'Managed platforms (Vercel, Netlify, Cloudflare, Render) keep connections open by default; if they don’t here, something in between (a custom proxy) is closing them.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const routes = perfRoutes(ctx.workspace, LIGHT_FIRST).filter(
      (r) => r.method !== 'POST' && isProductHost(ctx.workspace, r.host),
    );
    const perHost = new Map<string, Route>();
    for (const r of routes)
      if (!perHost.has(r.host.toLowerCase())) perHost.set(r.host.toLowerCase(), r);
    const items = await Promise.all(
      [...perHost.values()].map(async (route): Promise<Item> => {
        const label = route.host;
        const url = routeUrl(route);
        let conn: PerfConnection | null = null;
        try {
          const ep = await endpointFor(url, ctx.net, {
            signal: ctx.signal,
            resolve: ctx.cache.resolve,
          });
          // One connection, one request at a time: a second socket can only mean the first was closed.
          conn = new PerfConnection(ep, ctx.net, {
            connections: 1,
            timeoutMs: ctx.net.timeouts.requestMs,
          });
          const path = route.path;
          const first = await conn.request(
            { path },
            { signal: ctx.signal, timeoutMs: ctx.net.timeouts.requestMs },
          );
          const second = await conn.request(
            { path },
            { signal: ctx.signal, timeoutMs: ctx.net.timeouts.requestMs },
          );
          const evidence = {
            url,
            connectionsOpened: conn.stats.opened,
            connectionHeader: headerOf(first.headers, 'connection'),
            keepAliveHeader: headerOf(first.headers, 'keep-alive'),
            statuses: [first.status, second.status],
            secondRequestMs: second.totalMs,
          };
          if (conn.stats.opened <= 1)
            return { label, status: 'pass', note: 'reuses the connection', evidence };
          return {
            label,
            status: 'fail',
            note: `closes the connection after every request${evidence.connectionHeader ? ` (Connection: ${evidence.connectionHeader})` : ''}`,
            evidence,
          };
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          return unresolvedItem(label, url, err) ?? errorItem(label, err, { url });
        } finally {
          await conn?.close();
        }
      }),
    );
    return foldItems(
      items,
      'hosts',
      (n) => `All ${n} host${n === 1 ? '' : 's'} keep connections open between requests.`,
      'No key page is set on your own hosts, so nothing was checked.',
    );
  },
};

export const oversized: Check = {
  id: 'perf.http.oversized',
  stage: 4,
  title: 'Key pages and APIs send a sensible amount of data',
  why: 'A page or API that sends megabytes at once — typically a list of every record — is slow on any network, freezes the browser while it parses, and gets slower every week as the data grows.',
  fix: [
    'Paginate lists: return 20–100 items with a cursor or page number, and load more on scroll or click.',
    'Return only the fields the screen shows, not whole database rows.',
    'Move exports (CSV of everything) to a separate download the user asks for, generated in the background.',
    `Aim for responses under ${bytesText(OVERSIZED_WARN_BYTES)}; over ${bytesText(OVERSIZED_FAIL_BYTES)} fails this check.`,
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const routes = perfRoutes(ctx.workspace).filter(
      (r) => r.method !== 'POST' && isProductHost(ctx.workspace, r.host),
    );
    // Reads the heavy routes once: alongside the latency samples, never during the burst.
    return takeTurn(ctx, 'shared', async (waitedMs) => {
      const items = await Promise.all(
        routes.map(async (route): Promise<Item> => {
          const label = routeLabel(route);
          const url = routeUrl(route);
          try {
            // identity: the size the browser has to parse, whatever the wire carries.
            const r = await get(url, ctx, {
              keepBytes: 64,
              readCap: OVERSIZED_FAIL_BYTES * 4,
              encoding: 'identity',
            });
            const declared = Number(headerOf(r.headers, 'content-length') ?? NaN);
            const size = r.truncated && Number.isFinite(declared) ? declared : r.bytes;
            const type = headerOf(r.headers, 'content-type');
            const list =
              r.body.toString('utf8').trimStart().startsWith('[') ||
              /"(items|data|results)"\s*:\s*\[/.test(r.body.toString('utf8'));
            const evidence = {
              key: route.key,
              url,
              httpStatus: r.status,
              bytes: size,
              atLeast: r.truncated && !Number.isFinite(declared),
              contentType: type,
              seconds: r.totalMs / 1000,
            };
            const what = /json/i.test(type ?? '')
              ? list
                ? 'an API list'
                : 'an API response'
              : 'a page';
            const advice = /json/i.test(type ?? '')
              ? 'paginate it'
              : 'split it or load parts on demand';
            const v = (status: Item['status'], note: string): Item => ({
              label,
              status,
              note,
              evidence,
            });
            if (r.status >= 500)
              return v(
                'error',
                `answered with a server error (HTTP ${r.status}), so its size could not be seen`,
              );
            if (size >= OVERSIZED_FAIL_BYTES)
              return v(
                'fail',
                `sends ${evidence.atLeast ? 'more than ' : ''}${bytesText(size)} in one response (${what}); ${advice}`,
              );
            if (size >= OVERSIZED_WARN_BYTES)
              return v(
                'warn',
                `sends ${bytesText(size)} in one response (${what}); ${advice} before it grows`,
              );
            return v('pass', `sends ${bytesText(size)}`);
          } catch (err) {
            if (ctx.signal.aborted) throw err;
            return unresolvedItem(label, url, err) ?? errorItem(label, err, { url });
          }
        }),
      );
      return foldItems(
        items,
        'routes',
        (n) =>
          `All ${n} key page${n === 1 ? '' : 's'} send less than ${bytesText(OVERSIZED_WARN_BYTES)}.`,
        'No key page is set on your own hosts, so nothing was checked.',
        { waitedForOtherLoadMs: waitedMs },
      );
    });
  },
};
