/** Helpers the stage 4 checks share: which routes, whose hosts, folding, and the traffic gate. */
import type { Route, RouteKey, Workspace } from '../../../shared/workspace';
import type { CheckContext } from '../engine/check';
import type { LabeledVerdict } from './hosts';
import { foldLabeled } from './hosts';
import { ProbeError } from '../probes/errors';

/** The routes stage 4 times, in the order a founder reads them. */
export const PERF_KEYS: readonly RouteKey[] = ['home', 'login', 'dashboard', 'report', 'health'];

/** Targets from DESIGN.md: normal reads and heavy report pages (p95, ms). */
export const TARGET_MS = { normal: 500, report: 1500 } as const;

export function targetFor(route: Pick<Route, 'key'>): number {
  return route.key === 'report' ? TARGET_MS.report : TARGET_MS.normal;
}

export type Item = LabeledVerdict;

/** The shared fold (hosts.ts), under this stage's name. */
export const foldItems = foldLabeled;

export function errorItem(
  label: string,
  err: unknown,
  evidence: Record<string, unknown> = {},
): Item {
  const message = err instanceof Error ? err.message : String(err);
  const kind = err instanceof ProbeError ? err.kind : 'internal';
  return {
    label,
    status: 'error',
    note: `could not be checked (${message})`,
    evidence: { ...evidence, error: kind, message },
  };
}

/** A route whose host DNS does not know is the DNS check's finding, not stage 4's. */
export function unresolvedItem(label: string, url: string, err: unknown): Item | null {
  if (!(err instanceof ProbeError) || err.kind !== 'dns') return null;
  return {
    label,
    status: 'skipped',
    note: 'has a host that does not resolve (see "Every host resolves")',
    evidence: { url, error: 'dns', message: err.message },
  };
}

export function routeUrl(route: Pick<Route, 'host' | 'path'>): string {
  return `https://${route.host}${route.path}`;
}

export function routeLabel(route: Pick<Route, 'key' | 'host' | 'path'>): string {
  return `${route.key} (${route.host}${route.path})`;
}

/** The workspace's routes with these keys, one per URL. */
export function perfRoutes(ws: Workspace, keys: readonly RouteKey[] = PERF_KEYS): Route[] {
  const seen = new Set<string>();
  const out: Route[] = [];
  for (const key of keys) {
    for (const r of ws.routes) {
      if (r.key !== key) continue;
      const url = routeUrl(r);
      if (seen.has(url)) continue;
      seen.add(url);
      out.push(r);
    }
  }
  return out;
}

const norm = (h: string): string => h.toLowerCase().replace(/\.$/, '');

/**
 * The product's own host names: the workspace's hosts and its primary domain. Load and
 * repeated requests go only here — never to a third party, even one the pages link to.
 */
export function ownHosts(ws: Workspace): Set<string> {
  return new Set([norm(ws.domain), ...ws.hosts.map((h) => norm(h.name))]);
}

/** Whether a host belongs to the product: one of its hosts, the domain or a subdomain of it. */
export function isProductHost(ws: Workspace, hostname: string): boolean {
  const h = norm(hostname);
  const domain = norm(ws.domain);
  return h === domain || h.endsWith(`.${domain}`) || ownHosts(ws).has(h);
}

export function headerOf(headers: Record<string, string | string[]>, name: string): string | null {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

/** 450 → "450 ms", 1500 → "1.5 s", 2134 → "2.13 s". */
export function ms(v: number): string {
  return v >= 1000 ? `${Number((v / 1000).toFixed(2))} s` : `${Math.round(v)} ms`;
}

export function bytesText(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/**
 * The traffic gate, a readers-writer lock per run. The load burst runs alone ('exclusive');
 * latency sampling and the size check ('shared') may overlap each other, never the burst. So
 * the product never sees our burst on top of our other timing traffic (the burst's caps stay
 * the most we send at once), and latency is never measured while we load the server
 * ourselves. Keyed by the run's cache, unique per run; a check run on its own never waits.
 * Waiters are served in arrival order, so the catalogue order decides who goes first.
 */
interface Gate {
  readers: number;
  writer: boolean;
  queue: { mode: 'shared' | 'exclusive'; grant: () => void }[];
}
const gates = new WeakMap<object, Gate>();

function pump(g: Gate): void {
  for (;;) {
    const head = g.queue[0];
    if (!head || g.writer) return;
    if (head.mode === 'exclusive' && g.readers > 0) return;
    g.queue.shift();
    if (head.mode === 'exclusive') g.writer = true;
    else g.readers += 1;
    head.grant();
  }
}

export async function takeTurn<T>(
  ctx: CheckContext,
  mode: 'shared' | 'exclusive',
  fn: (waitedMs: number) => Promise<T>,
): Promise<T> {
  let g = gates.get(ctx.cache);
  if (!g) {
    g = { readers: 0, writer: false, queue: [] };
    gates.set(ctx.cache, g);
  }
  const gate = g;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    if (ctx.signal.aborted) return reject(new ProbeError('aborted', 'stopped'));
    const entry = {
      mode,
      grant: () => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      },
    };
    const onAbort = (): void => {
      gate.queue = gate.queue.filter((e) => e !== entry);
      pump(gate);
      reject(new ProbeError('aborted', 'stopped'));
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    gate.queue.push(entry);
    pump(gate);
  });
  try {
    return await fn(Math.round(performance.now() - t0));
  } finally {
    if (mode === 'exclusive') gate.writer = false;
    else gate.readers -= 1;
    pump(gate);
  }
}
