/**
 * The loopback transport: serves the built renderer and the same contract as
 * `POST /api/<method>` on 127.0.0.1, so the UI runs in any local browser (and in Chromium for
 * tests). Guarded by a random per-launch token, a Host check (DNS rebinding) and an Origin
 * check (other sites in the same browser).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { ApiErrorCode, Envelope } from '../../shared/api';
import type { CoreApi } from '../core/api';

export interface WebServerOptions {
  api: Pick<CoreApi, 'invoke' | 'onRunEvent'>;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface RunningWebServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

// A handover PDF to check or import travels as base64 (MAX_HANDOVER_BASE64, 12 MB).
const MAX_BODY = 13 * 1024 * 1024;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export async function startWebServer(opts: WebServerOptions): Promise<RunningWebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const streams = new Set<ServerResponse>();

  const tokenMatches = (given: string | null | undefined): boolean => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: 'internal', message: String(err) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a foreign name that resolves to 127.0.0.1 still carries its own Host.
    if (!allowedHosts().has((req.headers.host ?? '').toLowerCase()))
      return refuse(res, 403, 'Unknown Host header.');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin))
      return refuse(res, 403, 'Requests from other sites are refused.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return refuse(res, 405, 'Use GET.');
      if (!tokenMatches(url.searchParams.get('token')))
        return refuse(res, 401, 'Missing or wrong token.');
      return openEventStream(res);
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST.');
      const auth = req.headers.authorization ?? '';
      if (!tokenMatches(auth.startsWith('Bearer ') ? auth.slice(7) : null))
        return refuse(res, 401, 'Missing or wrong token.');
      // Browsers always send Origin on POST; its absence means a non-browser or a stripped request.
      if (origin === undefined) return refuse(res, 403, 'Missing Origin header.');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return refuse(res, 415, 'Send JSON.', 'invalid-input');
      let input: unknown;
      try {
        const text = await readBody(req);
        input = text === '' ? {} : JSON.parse(text);
      } catch (err) {
        return send(res, 400, {
          ok: false,
          error: {
            code: 'invalid-input',
            message: `The request body is not valid JSON (${(err as Error).message}).`,
          },
        });
      }
      const envelope = await opts.api.invoke(
        decodeURIComponent(url.pathname.slice('/api/'.length)),
        input,
      );
      return send(res, envelope.ok ? 200 : statusFor(envelope.error.code), envelope);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Use GET.');
    return serveStatic(url.pathname, res);
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const off = opts.api.onRunEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    res.on('close', () => {
      off();
      streams.delete(res);
    });
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const rel = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(
      /^([/\\])+/,
      '',
    );
    const file = join(opts.rendererDir, rel);
    if (!file.startsWith(opts.rendererDir + sep) || rel.split(/[/\\]/).includes('..'))
      return refuse(res, 404, 'Not found.');
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) return refuse(res, 404, 'Not found.');
      body = await readFile(file);
    } catch {
      return refuse(res, 404, 'Not found.');
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      // The token travels in the first URL: never leak it in a Referer.
      'referrer-policy': 'no-referrer',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'private, max-age=3600',
    });
    res.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    async close() {
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function statusFor(code: ApiErrorCode): number {
  const status: Record<ApiErrorCode, number> = {
    'invalid-input': 400,
    'not-found': 404,
    store: 409,
    forbidden: 403,
    keychain: 503,
    unsupported: 501,
    internal: 500,
  };
  return status[code];
}

function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  code: ApiErrorCode = 'forbidden',
): void {
  send(res, status, { ok: false, error: { code: status === 404 ? 'not-found' : code, message } });
}

function send(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  const body = JSON.stringify(envelope);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
