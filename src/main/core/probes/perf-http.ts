/**
 * HTTP for the performance probes. Unlike http.ts (one request, one connection, text body),
 * these need: timing that can leave the connection set-up out, connections that are reused
 * (a pool for a load burst, one keep-alive connection), a count of the connections opened,
 * and binary-safe bodies (the browser probe serves images and fonts). The connection still
 * goes where the NetworkContext says (connect rules, DNS, the lab's port map, extra trust
 * roots), with SNI and the certificate check on the URL's own name.
 */
import type { Socket } from 'node:net';
import { connect as connectTcp, isIP } from 'node:net';
import tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { Client, Pool } from 'undici';
import type { ConnectTarget, ResolveFn } from './connect';
import { resolveTarget } from './connect';
import { ProbeError, toProbeError } from './errors';
import type { NetworkContext } from './net-context';

/**
 * One trust store per network context. Building it parses every root certificate (~7 ms of
 * blocked CPU); per connection, that stalls the event loop and inflates every timing.
 */
const trust = new WeakMap<NetworkContext, { extraCa: string[]; context: tls.SecureContext }>();

function trustFor(net: NetworkContext): tls.SecureContext {
  let t = trust.get(net);
  if (!t || t.extraCa !== net.extraCa) {
    t = {
      extraCa: net.extraCa,
      context: tls.createSecureContext({ ca: [...tls.rootCertificates, ...net.extraCa] }),
    };
    trust.set(net, t);
  }
  return t.context;
}

/** Where one origin's connections go. */
export interface Endpoint {
  /** https://name[:port] — the logical origin: Host header, SNI and certificate name. */
  origin: string;
  hostname: string;
  secure: boolean;
  address: string;
  port: number;
}

export interface ConnectionStats {
  /** Connections opened (TCP connected and, for HTTPS, the handshake done). */
  opened: number;
  /** Connect (+ TLS) time of each, ms. */
  connectMs: number[];
  /** performance.now() when the latest connection became usable. */
  lastReadyAt: number | null;
  /** Connection attempts that failed (timeout, refused, TLS…). */
  failed: number;
}

/** Resolves a URL's origin to an endpoint: connect rules, the per-run DNS cache, the port map. */
export async function endpointFor(
  url: string | URL,
  net: NetworkContext,
  opts: { signal?: AbortSignal; resolve?: ResolveFn } = {},
): Promise<Endpoint> {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new ProbeError('malformed', `"${String(url)}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ProbeError('malformed', `${u.href}: only http and https URLs can be probed`);
  const secure = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : secure ? 443 : 80;
  const target: ConnectTarget = await resolveTarget(u.hostname, port, net, opts);
  return {
    origin: u.origin,
    hostname: u.hostname.replace(/^\[|\]$/g, ''),
    secure,
    address: target.address,
    port: target.port,
  };
}

export interface PerfRequest {
  /** Path and query. */
  path: string;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface TimedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The first keepBytes of the body (raw: compressed bytes stay compressed). */
  body: Buffer;
  /** Body bytes received (up to readCap). */
  bytes: number;
  /** The server had more than readCap bytes to send; the rest was not read. */
  truncated: boolean;
  /** From the call to the last byte read, ms. */
  totalMs: number;
  /** From the call to the response headers, ms. */
  headersMs: number;
  /** From the moment the connection became usable (or the call, if later) to the last byte, ms. */
  serverMs: number;
}

export interface PerfRequestOptions {
  signal?: AbortSignal;
  /** The whole exchange, connection included. */
  timeoutMs: number;
  /** Body bytes kept in `body`; default 0 (only counted). */
  keepBytes?: number;
  /** Body bytes read at most; default 4 MiB. */
  readCap?: number;
}

export const DEFAULT_READ_CAP = 4 * 1024 * 1024;

// OpenSSL verification codes as Node reports them: an untrusted certificate, not a broken wire.
const CERT_CODE =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

function codeOf(err: unknown): string {
  return (err as { code?: unknown } | null)?.code?.toString() ?? '';
}

function classify(err: unknown, what: string): ProbeError {
  if (err instanceof ProbeError) return err;
  const code = codeOf(err);
  if (CERT_CODE.test(code))
    return new ProbeError('tls', `${what}: certificate not trusted (${code})`, { cause: err });
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new ProbeError('timeout', `${what}: the server stopped answering`, { cause: err });
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_ABORT':
      return new ProbeError('aborted', `${what}: stopped`, { cause: err });
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED': {
      const inner = (err as { cause?: unknown }).cause;
      if (inner instanceof ProbeError || codeOf(inner) !== '') return classify(inner, what);
      return new ProbeError('reset', `${what}: the server closed the connection`, { cause: err });
    }
    default:
      if (code.startsWith('HPE_'))
        return new ProbeError('malformed', `${what}: not a valid HTTP response`, { cause: err });
      return toProbeError(err, what);
  }
}

/**
 * A small set of keep-alive connections to one origin: a Pool of `connections`, or a single
 * Client (connections 1) so that two requests in a row can be seen to share one socket.
 */
export class PerfConnection {
  readonly stats: ConnectionStats = { opened: 0, connectMs: [], lastReadyAt: null, failed: 0 };
  private readonly sockets = new Set<Socket>();
  private readonly dispatcher: Dispatcher;
  private closed = false;

  constructor(
    readonly endpoint: Endpoint,
    private readonly net: NetworkContext,
    opts: { connections?: number; timeoutMs: number },
  ) {
    const connections = Math.max(1, opts.connections ?? 1);
    const common = {
      // One request per connection at a time, as browsers do over HTTP/1.1.
      pipelining: 1,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: this.connector(),
    };
    this.dispatcher =
      connections === 1
        ? new Client(endpoint.origin, common)
        : new Pool(endpoint.origin, { ...common, connections });
  }

  /** As http.ts: the socket goes to the endpoint's address, SNI and trust stay on the name. */
  private connector() {
    const { endpoint, net } = this;
    return (
      _options: unknown,
      callback: (...args: [null, Socket] | [Error, null]) => void,
    ): void => {
      const what = `${endpoint.origin} (at ${endpoint.address}:${endpoint.port})`;
      if (this.closed) {
        callback(new ProbeError('aborted', `${what}: stopped`), null);
        return;
      }
      const started = performance.now();
      const socket: Socket = endpoint.secure
        ? tls.connect({
            host: endpoint.address,
            port: endpoint.port,
            servername: isIP(endpoint.hostname) ? undefined : endpoint.hostname,
            secureContext: trustFor(net),
            checkServerIdentity: (_name, cert) => tls.checkServerIdentity(endpoint.hostname, cert),
            ALPNProtocols: ['http/1.1'],
          })
        : connectTcp({ host: endpoint.address, port: endpoint.port });
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      let pending = true;
      const timer = setTimeout(() => {
        socket.destroy(
          new ProbeError('timeout', `${what}: no connection within ${net.timeouts.connectMs} ms`),
        );
      }, net.timeouts.connectMs);
      // Closed while still connecting (the probe was stopped): the timer must not outlive it.
      socket.once('close', () => clearTimeout(timer));
      socket.setNoDelay(true);
      socket.once(endpoint.secure ? 'secureConnect' : 'connect', () => {
        if (!pending) return;
        pending = false;
        clearTimeout(timer);
        const now = performance.now();
        this.stats.opened += 1;
        this.stats.connectMs.push(Math.round((now - started) * 10) / 10);
        this.stats.lastReadyAt = now;
        callback(null, socket);
      });
      // `on`: until undici takes the socket over, no error may go unhandled.
      socket.on('error', (err) => {
        clearTimeout(timer);
        if (!pending) return;
        pending = false;
        this.stats.failed += 1;
        callback(classify(err, what), null);
      });
    };
  }

  async request(req: PerfRequest, opts: PerfRequestOptions): Promise<TimedResponse> {
    const method = req.method ?? 'GET';
    const what = `${method} ${this.endpoint.origin}${req.path}`;
    if (opts.signal?.aborted) throw new ProbeError('aborted', `${what}: stopped`);
    const controller = new AbortController();
    let stoppedBy: 'aborted' | 'timeout' | null = null;
    const onAbort = (): void => {
      stoppedBy ??= 'aborted';
      controller.abort();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      stoppedBy ??= 'timeout';
      controller.abort();
    }, opts.timeoutMs);
    const started = performance.now();
    const keepBytes = opts.keepBytes ?? 0;
    const readCap = opts.readCap ?? DEFAULT_READ_CAP;
    try {
      const res = await this.dispatcher.request({
        path: req.path,
        method,
        headers: req.headers ?? {},
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: controller.signal,
      });
      const headersAt = performance.now();
      const kept: Buffer[] = [];
      let keptBytes = 0;
      let bytes = 0;
      let truncated = false;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (keptBytes < keepBytes) {
          const part = chunk.subarray(0, keepBytes - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        bytes += chunk.length;
        if (bytes > readCap) {
          bytes = readCap;
          truncated = true;
          break; // Leaving the loop destroys the body: the rest is never read.
        }
      }
      const ended = performance.now();
      const ready = Math.max(started, this.stats.lastReadyAt ?? started);
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name] = value;
      }
      return {
        status: res.statusCode,
        headers,
        body: Buffer.concat(kept),
        bytes,
        truncated,
        totalMs: round1(ended - started),
        headersMs: round1(headersAt - started),
        serverMs: round1(ended - ready),
      };
    } catch (err) {
      if (stoppedBy === 'aborted') throw new ProbeError('aborted', `${what}: stopped`);
      if (stoppedBy === 'timeout')
        throw new ProbeError('timeout', `${what}: no complete answer within ${opts.timeoutMs} ms`, {
          cause: err,
        });
      throw classify(err, what);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Closes every connection at once, in-flight requests included: no handle outlives a probe. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    await this.dispatcher.destroy().catch(() => undefined);
  }
}

/** One request on a connection of its own, closed afterwards. */
export async function requestOnce(
  endpoint: Endpoint,
  net: NetworkContext,
  req: PerfRequest,
  opts: PerfRequestOptions,
): Promise<TimedResponse & { connectMs: number | null }> {
  const conn = new PerfConnection(endpoint, net, { timeoutMs: opts.timeoutMs });
  try {
    const r = await conn.request(req, opts);
    return { ...r, connectMs: conn.stats.connectMs[0] ?? null };
  } finally {
    await conn.close();
  }
}

/** First value of a header (undici gives arrays for repeated headers). */
export function firstHeader(
  headers: Record<string, string | string[]>,
  name: string,
): string | null {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
