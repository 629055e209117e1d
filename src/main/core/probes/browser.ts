/**
 * Loads one page in headless Chromium and records every request it makes. Chromium never
 * touches the network itself: every request is intercepted (context.route) and answered by
 * our own HTTP client through the NetworkContext, so DNS, connect rules, the lab's port map
 * and its trust roots apply exactly as for every other probe, and in the lab nothing leaves
 * loopback. As a second fence, Chromium's own resolver answers NOTFOUND for every name and
 * its proxy is a closed loopback port, so anything not intercepted (a preconnect, a
 * WebSocket) fails instead of escaping.
 */
import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { BrowserContext, Route } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ResolveFn } from './connect';
import { ProbeError } from './errors';
import type { NetworkContext } from './net-context';
import type { Endpoint, PerfRequest, TimedResponse } from './perf-http';
import { PerfConnection, endpointFor, firstHeader } from './perf-http';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The Chromium to use: $LAUNCH_READY_CHROMIUM, else Debian's. */
export function chromiumPath(): string {
  return process.env.LAUNCH_READY_CHROMIUM || DEFAULT_CHROMIUM;
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The fence: nothing Chromium would fetch by itself can resolve or connect anywhere.
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=http://127.0.0.1:9',
];

export const PAGE_LIMITS = {
  /** Navigation plus waiting for the page to go quiet, ms: default and cap. */
  defaultBudgetMs: 6_000,
  maxBudgetMs: 10_000,
  /** Starting the browser, ms. */
  launchTimeoutMs: 8_000,
  /** No request in flight for this long: the page is done. */
  quietMs: 500,
  /** Body bytes passed back to the page per response. */
  bodyCap: 8 * 1024 * 1024,
  /** Requests recorded at most (a page in a fetch loop stays bounded). */
  maxRequests: 300,
  /** Connections per origin, as a browser opens. */
  connectionsPerOrigin: 6,
} as const;

export interface ObservedRequest {
  method: string;
  url: string;
  host: string;
  resourceType: string;
  /** A navigation of the page itself (not of an iframe): the document and its redirects. */
  mainDocument: boolean;
  /** Short hash of a request body, so two POSTs with different bodies are not "identical". */
  bodyHash: string | null;
  /** ms after navigation started. */
  startedMs: number;
  status: number | null;
  /** No answer: why (timeout, refused, dns…). */
  error: string | null;
  /** Time to the full answer, ms; null while still pending. */
  ms: number | null;
  bytes: number;
}

export interface PageLoad {
  url: string;
  browserVersion: string;
  /** The load event fired within the budget. */
  loaded: boolean;
  elapsedMs: number;
  requests: ObservedRequest[];
  /** The page itself: the last navigation of the main frame (after any redirects). */
  document: ObservedRequest | null;
  /** More requests than maxRequests were made; the rest were refused and not recorded. */
  requestsCapped: boolean;
}

export interface PageLoadOptions {
  executablePath?: string;
  signal?: AbortSignal;
  resolve?: ResolveFn;
  budgetMs?: number;
}

// Hop-by-hop and encoding headers: ours to set, never copied between the page and the server.
const DROP_REQUEST = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'accept-encoding',
]);
const DROP_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
]);

function decode(body: Buffer, encoding: string | null): Buffer {
  // We ask for identity; a server that compresses anyway is decoded here for the page.
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
    return body;
  }
}

/** Loads `url`, records its requests, and always closes the browser and removes its profile. */
export async function loadPage(
  url: string,
  net: NetworkContext,
  opts: PageLoadOptions = {},
): Promise<PageLoad> {
  const { signal } = opts;
  if (signal?.aborted) throw new ProbeError('aborted', 'stopped');
  const budgetMs = Math.min(opts.budgetMs ?? PAGE_LIMITS.defaultBudgetMs, PAGE_LIMITS.maxBudgetMs);
  const executablePath = opts.executablePath ?? chromiumPath();
  const dir = await mkdtemp(join(tmpdir(), 'launch-ready-browser-'));
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const pools = new Map<string, PerfConnection>();
  const endpoints = new Map<string, Promise<Endpoint>>();
  let context: BrowserContext | null = null;
  let closing = false;
  try {
    const launching = chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(dir, 'config'),
        XDG_CACHE_HOME: join(dir, 'cache'),
      },
      timeout: PAGE_LIMITS.launchTimeoutMs,
      serviceWorkers: 'block', // requests from service workers would bypass the interception
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    context = await raceAbort(launching, stop.signal, () =>
      launching.then((c) => c.close()).catch(() => undefined),
    );
    const ctxRef = context;
    const browserVersion = ctxRef.browser()?.version() ?? 'unknown';

    const requests: ObservedRequest[] = [];
    let pending = 0;
    let lastActivity = performance.now();
    let capped = false;
    const t0 = performance.now();
    const perRequestMs = Math.min(net.timeouts.requestMs, budgetMs);

    const pool = async (u: URL): Promise<PerfConnection> => {
      let ep = endpoints.get(u.origin);
      if (!ep) {
        ep = endpointFor(u, net, { signal: stop.signal, resolve: opts.resolve });
        endpoints.set(u.origin, ep);
      }
      const endpoint = await ep;
      let conn = pools.get(u.origin);
      if (!conn) {
        conn = new PerfConnection(endpoint, net, {
          connections: PAGE_LIMITS.connectionsPerOrigin,
          timeoutMs: perRequestMs,
        });
        pools.set(u.origin, conn);
      }
      return conn;
    };

    const fetchVia = (
      conn: PerfConnection,
      u: URL,
      req: Omit<PerfRequest, 'path'>,
    ): Promise<TimedResponse> =>
      conn.request(
        { ...req, path: `${u.pathname}${u.search}` },
        {
          signal: stop.signal,
          timeoutMs: perRequestMs,
          keepBytes: PAGE_LIMITS.bodyCap,
          readCap: PAGE_LIMITS.bodyCap,
        },
      );

    const handle = async (route: Route): Promise<void> => {
      const req = route.request();
      const u = new URL(req.url());
      if (closing || requests.length >= PAGE_LIMITS.maxRequests) {
        if (!closing) capped = true;
        await route.abort('failed').catch(() => undefined);
        return;
      }
      const post = req.postDataBuffer();
      const rec: ObservedRequest = {
        method: req.method(),
        url: u.href,
        host: u.hostname.toLowerCase(),
        resourceType: req.resourceType(),
        mainDocument: isMainNavigation(route),
        bodyHash: post ? createHash('sha256').update(post).digest('hex').slice(0, 12) : null,
        startedMs: Math.round(performance.now() - t0),
        status: null,
        error: null,
        ms: null,
        bytes: 0,
      };
      requests.push(rec);
      pending += 1;
      lastActivity = performance.now();
      const started = performance.now();
      try {
        if (u.protocol !== 'http:' && u.protocol !== 'https:')
          throw new ProbeError('malformed', `${u.protocol} is not fetched`);
        const headers: Record<string, string> = { 'accept-encoding': 'identity' };
        for (const [name, value] of Object.entries(await req.allHeaders())) {
          if (!DROP_REQUEST.has(name.toLowerCase()) && !name.startsWith(':')) headers[name] = value;
        }
        const method = req.method();
        let target = u;
        let r = await fetchVia(await pool(target), target, {
          method: method === 'POST' ? 'POST' : method === 'HEAD' ? 'HEAD' : 'GET',
          headers,
          ...(post ? { body: post } : {}),
        });
        let location = redirectTarget(r, target);
        // Chromium follows a fulfilled redirect with its own network stack, outside the
        // interception (Playwright #23301; the fence above stops it). A page navigation gets
        // a meta refresh instead — a new navigation, intercepted like any other. Anything
        // else (scripts, API calls) is followed here, and the page gets the final answer.
        if (location && isMainNavigation(route)) {
          rec.status = r.status;
          rec.ms = Math.round(performance.now() - started);
          if (closing) return;
          await route.fulfill({
            status: 200,
            contentType: 'text/html; charset=utf-8',
            body: `<!doctype html><meta http-equiv="refresh" content="0;url=${escapeAttr(location.href)}">`,
          });
          return;
        }
        for (let hop = 0; location && hop < MAX_REDIRECTS; hop++) {
          target = location;
          r = await fetchVia(await pool(target), target, { method: 'GET', headers });
          location = redirectTarget(r, target);
        }
        rec.status = r.status;
        rec.ms = Math.round(performance.now() - started);
        rec.bytes = r.bytes;
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(r.headers)) {
          if (DROP_RESPONSE.has(name)) continue;
          out[name] = Array.isArray(value) ? value.join('\n') : value;
        }
        if (closing) return;
        await route.fulfill({
          status: r.status,
          headers: out,
          body: decode(r.body, firstHeader(r.headers, 'content-encoding')),
        });
      } catch (err) {
        if (rec.status === null && !closing) {
          rec.error = err instanceof ProbeError ? err.kind : 'failed';
          rec.ms = Math.round(performance.now() - started);
        }
        await route.abort('failed').catch(() => undefined);
      } finally {
        pending -= 1;
        lastActivity = performance.now();
      }
    };
    await ctxRef.route('**/*', handle);

    const page = ctxRef.pages()[0] ?? (await ctxRef.newPage());
    let loaded = false;
    const remaining = (): number => budgetMs - (performance.now() - t0);
    try {
      await raceAbort(
        page.goto(url, { waitUntil: 'load', timeout: Math.max(1, remaining()) }),
        stop.signal,
      );
      loaded = true;
    } catch (err) {
      if (stop.signal.aborted) throw new ProbeError('aborted', 'stopped');
      // A navigation timeout or failure is evidence (the requests say why), not a crash.
      void err;
    }
    // Scripts fetch after load: wait until nothing has been in flight for quietMs.
    while (remaining() > 0 && !stop.signal.aborted) {
      if (pending === 0 && performance.now() - lastActivity >= PAGE_LIMITS.quietMs) break;
      await sleep(Math.min(50, Math.max(1, remaining())));
    }
    if (stop.signal.aborted) throw new ProbeError('aborted', 'stopped');
    closing = true;
    const snapshot = requests.map((r) => ({ ...r }));
    return {
      url,
      browserVersion,
      loaded,
      elapsedMs: Math.round(performance.now() - t0),
      requests: snapshot,
      document: snapshot.filter((r) => r.mainDocument).at(-1) ?? null,
      requestsCapped: capped,
    };
  } catch (err) {
    if (stop.signal.aborted || signal?.aborted) throw new ProbeError('aborted', 'stopped');
    if (err instanceof ProbeError) throw err;
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ProbeError('network', `Chromium could not load the page (${message})`, {
      cause: err,
    });
  } finally {
    closing = true;
    signal?.removeEventListener('abort', onAbort);
    stop.abort(); // stops every request still in flight
    if (context)
      await bounded(
        context.close().catch(() => undefined),
        5_000,
      );
    await Promise.all([...pools.values()].map((p) => p.close()));
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** Where a redirect points (http/https only), or null when the answer is not a redirect. */
function redirectTarget(r: TimedResponse, from: URL): URL | null {
  const location = firstHeader(r.headers, 'location');
  if (!REDIRECT.has(r.status) || !location) return null;
  try {
    const next = new URL(location, from);
    return next.protocol === 'http:' || next.protocol === 'https:' ? next : null;
  } catch {
    return null;
  }
}

function escapeAttr(v: string): string {
  return v
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function isMainNavigation(route: Route): boolean {
  const req = route.request();
  try {
    return req.isNavigationRequest() && req.frame().parentFrame() === null;
  } catch {
    return false; // no frame (a worker's request): not the page
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `p` at most `ms`; the timer goes with it, so it never holds the process open. */
async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Rejects as soon as `signal` aborts; `cleanup` disposes of what `p` yields later. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal, cleanup?: () => void): Promise<T> {
  if (signal.aborted) {
    // Nobody will wait for p now; its later rejection must not become an unhandled one.
    p.catch(() => undefined);
    cleanup?.();
    return Promise.reject(new ProbeError('aborted', 'stopped'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cleanup?.();
      reject(new ProbeError('aborted', 'stopped'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
