/**
 * What the stage 2 checks share: one request per URL and one DNS question per run however many
 * checks ask, redirect walks that stay on the product's own hosts, the canonical host, and
 * folding many findings into one result.
 */
import { createHash } from 'node:crypto';
import type { Status } from '../../../shared/checks';
import type { Route, RouteKey, Workspace } from '../../../shared/workspace';
import type { CheckContext, CheckOutcome, RunCache } from '../engine/check';
import type { DnsResponse } from '../probes/dns';
import { queryDns } from '../probes/dns';
import { ProbeError } from '../probes/errors';
import { fetchUrl } from '../probes/fetch';
import type { HttpProbeResult } from '../probes/http';
import { looksLikeHtml, pageTitle } from '../probes/html';
import { DEFAULT_MAX_HOPS } from '../probes/redirects';

/** Enough of a page to compare it with another and to find the links we need. */
const PAGE_BYTES = 256 * 1024;

// ---------------------------------------------------------------------------------------------
// One probe per run

interface Entry {
  promise: Promise<unknown>;
  /** Stops the probe once nobody waits for it any more. */
  controller: AbortController;
  waiting: number;
  settled: boolean;
}
/** Keyed by the run's cache object, so a memo lives exactly as long as its run. */
const RUNS = new WeakMap<RunCache, Map<string, Entry>>();

function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProbeError('aborted', 'stopped'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ProbeError('aborted', 'stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs `make` once per run for `key` and hands every asker the same answer (the apex page feeds
 * five checks); a failure is shared too, as the run's DNS cache shares it. The probe runs on its
 * own signal, stopped only when every check waiting for it has stopped waiting, so one check
 * ending early never cuts off another's answer.
 */
export async function shared<T>(
  ctx: CheckContext,
  key: string,
  make: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let memo = RUNS.get(ctx.cache);
  if (!memo) {
    memo = new Map();
    RUNS.set(ctx.cache, memo);
  }
  for (let attempt = 0; ; attempt++) {
    let e = memo.get(key);
    if (!e || e.controller.signal.aborted) {
      const controller = new AbortController();
      const entry: Entry = {
        promise: make(controller.signal),
        controller,
        waiting: 0,
        settled: false,
      };
      entry.promise.then(
        () => (entry.settled = true),
        () => (entry.settled = true),
      );
      memo.set(key, entry);
      e = entry;
    }
    const entry = e;
    entry.waiting += 1;
    try {
      return (await untilAborted(entry.promise, ctx.signal)) as T;
    } catch (err) {
      // Stopped because everyone else gave up just before we asked: ask afresh, once.
      const stoppedElsewhere =
        err instanceof ProbeError && err.kind === 'aborted' && !ctx.signal.aborted;
      if (!stoppedElsewhere || attempt > 0) throw err;
      if (memo.get(key) === entry) memo.delete(key);
    } finally {
      entry.waiting -= 1;
      if (entry.waiting === 0 && !entry.settled) entry.controller.abort();
    }
  }
}

/** One GET per URL per run, on the run's network, signal and DNS cache. */
export function fetchShared(ctx: CheckContext, url: string): Promise<HttpProbeResult> {
  return shared(ctx, `GET ${url}`, (signal) =>
    fetchUrl(url, ctx.net, { signal, resolve: ctx.cache.resolve, maxBodyBytes: PAGE_BYTES }),
  );
}

/** One DNS question per name and type per run. */
export function queryShared(ctx: CheckContext, name: string, type: string): Promise<DnsResponse> {
  return shared(ctx, `DNS ${name.toLowerCase()} ${type}`, (signal) =>
    queryDns(name, type, ctx.net, { signal }),
  );
}

// ---------------------------------------------------------------------------------------------
// Hosts, routes and headers

/** The founder's own names: workspace hosts, the domain and its subdomains. Nothing else is fetched. */
export function isOwnHost(ws: Workspace, hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  const domain = ws.domain.toLowerCase();
  return (
    h === domain || h.endsWith(`.${domain}`) || ws.hosts.some((x) => x.name.toLowerCase() === h)
  );
}

export function hostnameOf(url: string): string {
  return new URL(url).hostname.toLowerCase();
}

export function routeUrl(route: Pick<Route, 'host' | 'path'>): string {
  return `https://${route.host}${route.path}`;
}

export function routeLabel(route: Pick<Route, 'key' | 'host' | 'path'>): string {
  return `${route.key} (${route.host}${route.path})`;
}

export function routesWithKeys(ws: Workspace, keys: readonly RouteKey[]): Route[] {
  return ws.routes.filter((r) => keys.includes(r.key));
}

/** Where the product's app lives when no route says: the app host if there is one, else the domain. */
export function appHost(ws: Workspace): string {
  const app = `app.${ws.domain}`;
  return ws.hosts.some((h) => h.name === app) ? app : ws.domain;
}

/** First value of a header (undici gives arrays for repeated headers). */
export function header(headers: Record<string, string | string[]>, name: string): string | null {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A host whose name DNS does not know, or whose certificate a browser refuses, is another
 * check's finding ("Every host resolves", the certificate check): the kind of ProbeError that
 * means so, else null.
 */
export function reportedElsewhere(err: unknown): 'unresolved' | 'certificate' | null {
  if (!(err instanceof ProbeError)) return null;
  if (err.kind === 'dns') return 'unresolved';
  if (err.kind === 'tls') return 'certificate';
  return null;
}

export const ELSEWHERE_NOTES: Record<'unresolved' | 'certificate', string> = {
  unresolved: 'does not resolve (see "Every host resolves")',
  certificate: 'has an HTTPS certificate browsers refuse (see the certificate check)',
};

// ---------------------------------------------------------------------------------------------
// Redirect walks

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface WalkHop {
  url: string;
  status: number;
  location: string | null;
  response: HttpProbeResult;
}

export interface Walk {
  start: string;
  hops: WalkHop[];
  /**
   * ok: ended on a non-redirect at finalUrl; loop: finalUrl came back; too-many: the hop limit;
   * broken: a Location that is not a URL; left: the next hop (finalUrl) is not one of the
   * founder's hosts and was not fetched; failed: the hop to finalUrl could not be fetched.
   */
  outcome: 'ok' | 'loop' | 'too-many' | 'broken' | 'left' | 'failed';
  finalUrl: string;
  error?: ProbeError;
}

/**
 * Follows redirects hop by hop as followRedirects does (same hop limit, a repeated URL is a
 * loop), but keeps every hop's response (HSTS and edge headers live on redirects too) and never
 * fetches a host that is not the founder's: a sign-in redirect to an identity provider is
 * reported, not followed. Every hop goes through fetchShared, so walks share their requests.
 */
export async function walk(ctx: CheckContext, start: string): Promise<Walk> {
  const hops: WalkHop[] = [];
  const seen = new Set<string>();
  let url = new URL(start).href;
  for (;;) {
    seen.add(url);
    let r: HttpProbeResult;
    try {
      r = await fetchShared(ctx, url);
    } catch (err) {
      // The first hop's failure is the walk's; a later one is a fact about where it led.
      if (hops.length === 0 || !(err instanceof ProbeError) || err.kind === 'aborted') throw err;
      return { start, hops, outcome: 'failed', finalUrl: url, error: err };
    }
    const location = header(r.headers, 'location');
    hops.push({ url, status: r.status, location, response: r });
    if (!REDIRECT_STATUSES.has(r.status) || location === null)
      return { start, hops, outcome: 'ok', finalUrl: url };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return { start, hops, outcome: 'broken', finalUrl: url };
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:')
      return { start, hops, outcome: 'broken', finalUrl: url };
    if (seen.has(next.href)) return { start, hops, outcome: 'loop', finalUrl: next.href };
    if (hops.length >= DEFAULT_MAX_HOPS)
      return { start, hops, outcome: 'too-many', finalUrl: next.href };
    if (!isOwnHost(ctx.workspace, next.hostname))
      return { start, hops, outcome: 'left', finalUrl: next.href };
    url = next.href;
  }
}

/** The redirects a walk took (hops that pointed somewhere). */
export function redirectsIn(w: Walk): number {
  return w.outcome === 'ok' ? w.hops.length - 1 : w.hops.length;
}

/** The last response of a walk: the page itself when outcome is ok. */
export function lastResponse(w: Walk): HttpProbeResult {
  const last = w.hops[w.hops.length - 1];
  if (!last) throw new Error('a walk has at least one hop');
  return last.response;
}

/** Where a walk ends up, or null when it never settles (loop, too many, broken). */
export function endHost(w: Walk): string | null {
  return w.outcome === 'ok' || w.outcome === 'left' || w.outcome === 'failed'
    ? hostnameOf(w.finalUrl)
    : null;
}

export function hopsEvidence(w: Walk): { url: string; status: number }[] {
  return w.hops.map((h) => ({ url: h.url, status: h.status }));
}

/** A host's root page, or why another check owns its problem. Other failures are thrown. */
export type RootVisit =
  | { host: string; kind: 'walked'; walk: Walk }
  | { host: string; kind: 'unresolved' | 'certificate'; message: string };

export async function visitRoot(
  ctx: CheckContext,
  host: string,
  scheme: 'https' | 'http' = 'https',
): Promise<RootVisit> {
  try {
    return { host, kind: 'walked', walk: await walk(ctx, `${scheme}://${host}/`) };
  } catch (err) {
    const elsewhere = reportedElsewhere(err);
    if (elsewhere) return { host, kind: elsewhere, message: errorMessage(err) };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Pages

/**
 * A fingerprint of an HTML page for spotting the same page on two hosts: whitespace collapsed
 * and per-response nonces dropped. Null for anything that is not a non-empty 2xx HTML page (two
 * APIs answering `{"ok":true}` are not duplicate content).
 */
export function pageFingerprint(r: HttpProbeResult): string | null {
  if (r.status < 200 || r.status >= 300) return null;
  if (!looksLikeHtml(header(r.headers, 'content-type'), r.body)) return null;
  const text = r.body
    .replace(/\snonce=("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return null;
  return createHash('sha256').update(text).digest('hex');
}

export function pageFacts(r: HttpProbeResult): Record<string, unknown> {
  const fp = pageFingerprint(r);
  return {
    httpStatus: r.status,
    title: pageTitle(r.body),
    bodySha256: fp === null ? null : fp.slice(0, 16),
  };
}

// ---------------------------------------------------------------------------------------------
// The canonical host

export interface CanonicalDecision {
  /** Where the apex and www both end up; null when they disagree or never settle. */
  host: string | null;
  /** duplicate: both serve the same page; different: both serve, different pages; split: they end on two other hosts. */
  problem: 'duplicate' | 'different' | 'split' | null;
  apex: RootVisit;
  www: RootVisit | null;
}

/**
 * Where visitors of the apex and www end up. Throws the probe error when one of them could not
 * be visited for a reason no other check reports (a timeout): then nothing can be decided.
 */
export async function decideCanonical(ctx: CheckContext): Promise<CanonicalDecision> {
  const domain = ctx.workspace.domain.toLowerCase();
  const wwwName = `www.${domain}`;
  const hasWww = ctx.workspace.hosts.some((h) => h.name.toLowerCase() === wwwName);
  // Both settle before deciding, so no visit is left running unobserved.
  const [ra, rw] = await Promise.allSettled([
    visitRoot(ctx, domain),
    hasWww ? visitRoot(ctx, wwwName) : Promise.resolve(null),
  ]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rw.status === 'rejected') throw rw.reason;
  const apex = ra.value;
  const www = rw.value;
  const endOf = (v: RootVisit | null): string | null =>
    v?.kind === 'walked' ? endHost(v.walk) : null;
  const a = endOf(apex);
  const w = endOf(www);
  if (a === null || w === null || a === w) return { host: a ?? w, problem: null, apex, www };
  if (apex.kind === 'walked' && www?.kind === 'walked' && a === domain && w === wwwName) {
    const fa = pageFingerprint(lastResponse(apex.walk));
    const fw = pageFingerprint(lastResponse(www.walk));
    const problem = fa !== null && fa === fw ? 'duplicate' : 'different';
    return { host: null, problem, apex, www };
  }
  return { host: null, problem: 'split', apex, www };
}

// ---------------------------------------------------------------------------------------------
// Folding findings

export interface Finding {
  /** What was probed, as a founder reads it: a host name or "admin (api.example.com/…)". */
  label: string;
  status: Exclude<Status, 'unanswered'>;
  note: string;
  evidence: Record<string, unknown>;
}

const SEVERITY: Record<Finding['status'], number> = {
  fail: 4,
  error: 3,
  warn: 2,
  pass: 1,
  skipped: 0,
};

export function worstStatus(statuses: readonly Finding['status'][]): Finding['status'] {
  return statuses.reduce<Finding['status']>(
    (a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a),
    'skipped',
  );
}

/** Runs `probe` per item in parallel; a thrown error is that item's `error`, never a pass. */
export async function perFinding<T>(
  items: readonly T[],
  label: (item: T) => string,
  probe: (item: T) => Promise<Finding>,
): Promise<Finding[]> {
  return Promise.all(
    items.map(async (item) => {
      try {
        return await probe(item);
      } catch (err) {
        const kind = err instanceof ProbeError ? err.kind : 'internal';
        return {
          label: label(item),
          status: 'error' as const,
          note: `could not be checked (${errorMessage(err)})`,
          evidence: { target: label(item), error: kind, message: errorMessage(err) },
        };
      }
    }),
  );
}

/**
 * One outcome from many findings, as foldHosts does: the worst status wins and the summary
 * names up to three findings with it. `extra` goes first in the evidence (the map, the rules).
 */
export function foldFindings(
  findings: readonly Finding[],
  opts: {
    evidenceKey: string;
    pass: (n: number) => string;
    none: string;
    extra?: Record<string, unknown>;
  },
): CheckOutcome {
  const evidence = {
    ...opts.extra,
    [opts.evidenceKey]: findings.map((f) => ({
      ...f.evidence,
      status: f.status,
      note: f.note,
    })),
  };
  const decided = findings.filter((f) => f.status !== 'skipped');
  if (decided.length === 0) return { status: 'skipped', summary: opts.none, evidence };
  const worst = worstStatus(decided.map((f) => f.status));
  if (worst === 'pass') return { status: 'pass', summary: opts.pass(decided.length), evidence };
  const same = decided.filter((f) => f.status === worst);
  const shown = same.slice(0, 3).map((f) => `${f.label} ${f.note}`);
  const more = same.length > 3 ? `; and ${same.length - 3} more` : '';
  const prefix = worst === 'error' ? 'Could not decide: ' : '';
  return { status: worst, summary: `${prefix}${shown.join('; ')}${more}.`, evidence };
}

/** "1 host" / "3 hosts". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
