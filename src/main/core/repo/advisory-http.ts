/**
 * JSON requests to advisory databases and registries, each bounded by a timeout and the caller's
 * AbortSignal. Failures are sorted the way the audit reports them: the database could not be
 * reached (skipped, never a pass), or it answered with something unusable.
 */
import { Agent, request } from 'undici';
import { ProbeError } from '../probes/errors';

export type AdvisoryFailure = 'unreachable' | 'bad-response';

export class AdvisoryHttpError extends Error {
  constructor(
    readonly failure: AdvisoryFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AdvisoryHttpError';
  }
}

export interface AdvisoryClient {
  /** POST a JSON body; resolves with the parsed JSON answer. */
  postJson(url: string, body: unknown): Promise<unknown>;
  getJson(url: string, headers?: Record<string, string>): Promise<unknown>;
  close(): Promise<void>;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function codeOf(err: unknown): string {
  // undici wraps the socket's error; the innermost code is the telling one.
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return ((err as { code?: unknown } | null)?.code as string | undefined) ?? '';
}

/**
 * One client per audit: its own connection pool, closed at the end, so no socket outlives it.
 * `maxBytes` caps every answer (a packument of a popular package runs to megabytes).
 */
export function advisoryClient(opts: {
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes?: number;
}): AdvisoryClient {
  const { timeoutMs, signal } = opts;
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  const agent = new Agent({
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: 4,
  });

  const send = async (
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<unknown> => {
    if (signal?.aborted) throw new ProbeError('aborted', `${method} ${url}: stopped`);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method,
        headers: { accept: 'application/json', ...headers },
        ...(body !== undefined ? { body } : {}),
        signal: combined,
        dispatcher: agent,
      });
      status = res.statusCode;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          throw new AdvisoryHttpError(
            'bad-response',
            `${url} answered more than ${maxBytes} bytes`,
          );
        }
        chunks.push(chunk);
      }
      text = Buffer.concat(chunks).toString('utf8');
    } catch (err) {
      if (err instanceof AdvisoryHttpError) throw err;
      if (signal?.aborted) throw new ProbeError('aborted', `${method} ${url}: stopped`);
      if (timeout.aborted) {
        throw new AdvisoryHttpError('unreachable', `no answer within ${timeoutMs} ms`, {
          cause: err,
        });
      }
      const code = codeOf(err);
      if (NETWORK_CODES.has(code)) {
        throw new AdvisoryHttpError('unreachable', `${code} for ${url}`, { cause: err });
      }
      throw new AdvisoryHttpError('unreachable', `${url}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    // A busy or broken service is unreachable for our purpose; a 4xx is a refusal of this query.
    if (status >= 500 || status === 429) {
      throw new AdvisoryHttpError('unreachable', `${url} answered HTTP ${status}`);
    }
    if (status < 200 || status >= 300) {
      throw new AdvisoryHttpError('bad-response', `${url} answered HTTP ${status}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new AdvisoryHttpError('bad-response', `${url} did not answer JSON`, { cause: err });
    }
  };

  return {
    postJson: (url, body) =>
      send('POST', url, JSON.stringify(body), { 'content-type': 'application/json' }),
    getJson: (url, headers = {}) => send('GET', url, undefined, headers),
    close: () => agent.close().catch(() => undefined),
  };
}

/** `https://registry.npmjs.org/` + path, whatever trailing slash the base has. */
export function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The registry path of a package document: scoped names keep `@` and escape the slash. */
export function packumentPath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}
