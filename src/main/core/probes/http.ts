/**
 * HTTP probe: exactly one request/response for a logical URL, sent to an explicit address. The
 * caller follows redirects hop by hop, so each hop can be explained on its own.
 */
import { connect as connectTcp, isIP } from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { Client } from 'undici';
import { ProbeError, toProbeError } from './errors';
import type { NetworkContext } from './net-context';

export interface HttpProbeResult {
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  /** Decoded as UTF-8, at most maxBodyBytes of it. */
  body: string;
  /** Bytes kept in `body` (never more than maxBodyBytes). */
  bodyBytes: number;
  /** The server had more to send than maxBodyBytes; the rest was not read. */
  bodyTruncated: boolean;
  elapsedMs: number;
  address: string;
  port: number;
}

export interface HttpRequest {
  url: string;
  address: string;
  port: number;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  /** A small request body (POST), e.g. a form; the caller sets its content-type. */
  body?: string;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

// OpenSSL verification codes as Node reports them: an untrusted certificate, not a broken wire.
const CERT_CODE =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

function codeOf(err: unknown): string {
  return (err as { code?: unknown } | null)?.code?.toString() ?? '';
}

function classify(err: unknown, what: string, connectMs: number): ProbeError {
  const code = codeOf(err);
  if (CERT_CODE.test(code)) {
    return new ProbeError('tls', `${what}: certificate not trusted (${code})`, { cause: err });
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new ProbeError('timeout', `${what}: no connection within ${connectMs} ms`, {
        cause: err,
      });
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new ProbeError('timeout', `${what}: the server stopped answering`, { cause: err });
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_ABORT':
      return new ProbeError('aborted', `${what}: stopped`, { cause: err });
    case 'UND_ERR_SOCKET': {
      // undici wraps the socket's own failure; the inner code says more when there is one.
      const inner = (err as { cause?: unknown }).cause;
      if (codeOf(inner) !== '') return classify(inner, what, connectMs);
      return new ProbeError('reset', `${what}: the server closed the connection`, { cause: err });
    }
    default:
      if (code.startsWith('HPE_')) {
        return new ProbeError('malformed', `${what}: not a valid HTTP response`, { cause: err });
      }
      return toProbeError(err, what);
  }
}

function plainHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export async function httpRequest(
  req: HttpRequest,
  net: NetworkContext,
  opts: { signal?: AbortSignal; maxBodyBytes?: number } = {},
): Promise<HttpProbeResult> {
  const method = req.method ?? 'GET';
  let url: URL;
  try {
    url = new URL(req.url);
  } catch (err) {
    throw new ProbeError('malformed', `"${req.url}" is not a URL`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProbeError('malformed', `${req.url}: only http and https URLs can be probed`);
  }
  const what = `${method} ${url.href} (at ${req.address}:${req.port})`;
  const { signal } = opts;
  if (signal?.aborted) throw new ProbeError('aborted', `${what}: stopped`);

  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const { connectMs, requestMs } = net.timeouts;
  // The URL's name, for SNI and certificate checks; the socket goes to req.address instead.
  const hostname = url.hostname.replace(/^\[|\]$/g, '');

  const controller = new AbortController();
  let stoppedBy: 'aborted' | 'timeout' | null = null;
  const stop = (why: 'aborted' | 'timeout'): void => {
    if (stoppedBy) return;
    stoppedBy = why;
    controller.abort();
  };
  const onAbort = (): void => stop('aborted');
  signal?.addEventListener('abort', onAbort, { once: true });
  let deadline: NodeJS.Timeout | undefined;

  const secure = url.protocol === 'https:';
  const client = new Client(url.origin, {
    allowH2: false,
    headersTimeout: requestMs,
    bodyTimeout: requestMs,
    // Our own connector: the socket goes to req.address while SNI, the certificate check and the
    // Host header stay on the URL's host; and connectMs is kept to the millisecond (undici's
    // connect timer has a coarse ~0.5 s resolution).
    connect: (_options, callback) => {
      const socket = secure
        ? tls.connect({
            host: req.address,
            port: req.port,
            // SNI must be a name: an IP-literal URL goes without, as in a browser.
            servername: isIP(hostname) ? undefined : hostname,
            ca: [...tls.rootCertificates, ...net.extraCa],
            checkServerIdentity: (_name, cert) => tls.checkServerIdentity(hostname, cert),
            ALPNProtocols: ['http/1.1'],
          })
        : connectTcp({ host: req.address, port: req.port });
      let pending = true;
      const timer = setTimeout(() => {
        socket.destroy(new ProbeError('timeout', `${what}: no connection within ${connectMs} ms`));
      }, connectMs);
      // A stop while still connecting must free the socket and the timer at once.
      const onStop = (): void => {
        clearTimeout(timer);
        socket.destroy();
      };
      controller.signal.addEventListener('abort', onStop, { once: true });
      socket.setNoDelay(true);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        if (!pending) return;
        pending = false;
        clearTimeout(timer);
        controller.signal.removeEventListener('abort', onStop);
        // requestMs covers the exchange itself; connectMs already bounded the connection.
        deadline ??= setTimeout(() => stop('timeout'), requestMs);
        callback(null, socket);
      });
      // `on`: until undici takes the socket over, no error may go unhandled.
      socket.on('error', (err) => {
        clearTimeout(timer);
        controller.signal.removeEventListener('abort', onStop);
        if (!pending) return;
        pending = false;
        callback(err, null);
      });
    },
  });

  const started = performance.now();
  try {
    const res = await client.request({
      path: `${url.pathname}${url.search}`,
      method,
      headers: req.headers ?? {},
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: controller.signal,
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const room = maxBody - kept;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        kept += room;
        truncated = true;
        break; // Leaving the loop destroys the body stream: the rest is never read.
      }
      chunks.push(chunk);
      kept += chunk.length;
    }
    return {
      url: url.href,
      status: res.statusCode,
      headers: plainHeaders(res.headers),
      body: Buffer.concat(chunks).toString('utf8'),
      bodyBytes: kept,
      bodyTruncated: truncated,
      elapsedMs: Math.round(performance.now() - started),
      address: req.address,
      port: req.port,
    };
  } catch (err) {
    if (stoppedBy === 'aborted')
      throw new ProbeError('aborted', `${what}: stopped`, { cause: err });
    if (stoppedBy === 'timeout') {
      throw new ProbeError('timeout', `${what}: no complete response within ${requestMs} ms`, {
        cause: err,
      });
    }
    throw classify(err, what, connectMs);
  } finally {
    clearTimeout(deadline);
    signal?.removeEventListener('abort', onAbort);
    // One client per request: destroying it closes the socket, so no handle outlives the call.
    await client.destroy().catch(() => undefined);
  }
}
