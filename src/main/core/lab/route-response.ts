/** How a lab route answers one request: latency, load faults, rate limits, body shapes. */
import type http from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { latencySampler } from './latency';
import type { LabRoute } from './scenario';

interface RouteState {
  inFlight: number;
  recent: number[];
  nextDelay: (() => number) | null;
  body: Buffer | null;
}

export class RouteResponder {
  private readonly states = new Map<LabRoute, RouteState>();

  constructor(private readonly timers: Set<NodeJS.Timeout>) {}

  private state(route: LabRoute): RouteState {
    let s = this.states.get(route);
    if (!s) {
      s = {
        inFlight: 0,
        recent: [],
        nextDelay: route.latency ? latencySampler(route.latency) : null,
        body: null,
      };
      this.states.set(route, s);
    }
    return s;
  }

  private wait(ms: number, res: http.ServerResponse): Promise<boolean> {
    return waitWhileOpen(ms, res, this.timers);
  }

  /** siteHeaders: the site's headers, under the route's own. */
  async respond(
    route: LabRoute,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    siteHeaders: Record<string, string> = {},
  ): Promise<void> {
    const s = this.state(route);
    const now = Date.now();
    if (route.rateLimit) {
      s.recent = s.recent.filter((t) => now - t < route.rateLimit!.windowMs);
      s.recent.push(now);
      if (s.recent.length > route.rateLimit.limit) {
        res.writeHead(429, {
          'content-type': 'text/plain; charset=utf-8',
          'retry-after': String(Math.ceil(route.rateLimit.windowMs / 1000)),
        });
        res.end('Too many attempts\n');
        return;
      }
    }
    s.inFlight += 1;
    res.once('close', () => (s.inFlight -= 1));
    const overloaded = route.overload !== undefined && s.inFlight > route.overload.inFlightAbove;
    const delay = (route.delayMs ?? 0) + (s.nextDelay ? s.nextDelay() : 0);
    if (!(await this.wait(delay, res))) return;
    if (overloaded) {
      res.writeHead(route.overload!.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Service unavailable under load\n');
      return;
    }
    let body = (s.body ??=
      route.bodyBytes !== undefined ? filler(route.bodyBytes) : Buffer.from(route.body ?? ''));
    const headers: Record<string, string> = { ...siteHeaders, ...route.headers };
    if (route.compress) {
      const accepted = String(req.headers['accept-encoding'] ?? '');
      headers.vary = 'Accept-Encoding';
      if (/\bbr\b/.test(accepted)) {
        body = brotliCompressSync(body);
        headers['content-encoding'] = 'br';
      } else if (/\bgzip\b/.test(accepted)) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
    }
    headers['content-length'] = String(body.length);
    res.writeHead(route.status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (!route.slowBody || body.length === 0) {
      res.end(body);
      return;
    }
    const { chunks, intervalMs } = route.slowBody;
    const size = Math.ceil(body.length / chunks);
    for (let i = 0; i < body.length; i += size) {
      if (i > 0 && !(await this.wait(intervalMs, res))) return;
      res.write(body.subarray(i, i + size));
    }
    res.end();
  }
}

/** A JSON-looking body of exactly `bytes` bytes: compressible, like a real API list. */
function filler(bytes: number): Buffer {
  const parts: string[] = ['['];
  let size = 1;
  for (let i = 0; size < bytes - 1; i++) {
    const item = `${i ? ',' : ''}{"id":${i},"name":"item ${i}"}`;
    parts.push(item);
    size += item.length;
  }
  return Buffer.from(`${parts.join('')}]`.padEnd(bytes, ' ').slice(0, bytes));
}

/**
 * Waits `ms` without keeping a closed lab alive (the timer is tracked in `timers`, which the lab
 * clears on stop); resolves false when the client went away meanwhile.
 */
export function waitWhileOpen(
  ms: number,
  res: http.ServerResponse,
  timers: Set<NodeJS.Timeout>,
): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      timers.delete(timer);
      resolve(false);
    };
    timers.add(timer);
    res.once('close', onClose);
  });
}
