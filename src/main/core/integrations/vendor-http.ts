/**
 * One JSON request to a vendor API: bounded in time (connect, headers, body) and size, cut off by
 * the caller's signal, and every failure sorted into a VendorError a founder can act on. The
 * token goes in a header and never into an error message.
 */
import { Agent, request } from 'undici';
import type { VendorCallOptions } from './types';
import { VendorError } from './types';

/** Vendor answers are small JSON documents; anything bigger is not what the docs describe. */
const MAX_BYTES = 4 * 1024 * 1024;

export interface VendorRequest {
  /** Joined to the base URL; may carry a query string. */
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** JSON-encoded when an object; sent as is when a string (form bodies). */
  body?: unknown;
  /** The vendor's name, for messages ("Cloudflare refused the token"). */
  vendor: string;
  /**
   * The permission this call needs, in the vendor's own words ("Zone Settings:Read"): a 403
   * becomes "this token lacks permission <permission>".
   */
  permission?: string;
}

export interface VendorResponse<T = unknown> {
  status: number;
  json: T;
  headers: Record<string, string | string[] | undefined>;
}

function codeOf(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

interface RawAnswer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  /** "Vendor (host)", for messages: never the path, which may be a secret (Slack webhooks). */
  where: string;
}

/**
 * The bounded exchange both vendorJson and vendorText use: transport failures become
 * 'timeout' / 'unreachable', an oversized answer 'malformed'; any HTTP status is returned.
 */
async function exchange(
  opts: VendorCallOptions,
  req: VendorRequest,
  accept: string,
): Promise<RawAnswer> {
  const { timeoutMs, signal } = opts;
  const url = joinUrl(opts.baseUrl, req.path);
  const where = `${req.vendor} (${new URL(url).host})`;
  signal?.throwIfAborted();
  const agent = new Agent({
    connect: {
      timeout: timeoutMs,
      ...(opts.extraCa?.length ? { ca: opts.extraCa } : {}),
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: 1,
  });
  const deadline = AbortSignal.timeout(timeoutMs * 2);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const body =
    req.body === undefined
      ? undefined
      : typeof req.body === 'string'
        ? req.body
        : JSON.stringify(req.body);
  try {
    const res = await request(url, {
      method: req.method ?? 'GET',
      headers: {
        accept,
        ...(body !== undefined && typeof req.body !== 'string'
          ? { 'content-type': 'application/json' }
          : {}),
        'user-agent': 'launch-ready',
        ...req.headers,
      },
      ...(body !== undefined ? { body } : {}),
      signal: combined,
      dispatcher: agent,
    });
    const status = res.statusCode;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BYTES) {
        throw new VendorError('malformed', `${where} answered more than ${MAX_BYTES} bytes.`, {
          status,
          vendor: req.vendor,
        });
      }
      chunks.push(chunk);
    }
    return { status, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers, where };
  } catch (err) {
    if (err instanceof VendorError) throw err;
    if (signal?.aborted) throw signal.reason;
    const code = codeOf(err);
    if (deadline.aborted || /TIMEOUT/.test(code)) {
      throw new VendorError(
        'timeout',
        `${where} did not answer within ${timeoutMs / 1000} s.`,
        {
          vendor: req.vendor,
        },
        { cause: err },
      );
    }
    throw new VendorError(
      'unreachable',
      `Could not reach ${where}${code ? ` (${code})` : ''}.`,
      { vendor: req.vendor },
      { cause: err },
    );
  } finally {
    void agent.close().catch(() => undefined);
  }
}

function detailsOf(req: VendorRequest, status: number): VendorError['details'] {
  return {
    status,
    vendor: req.vendor,
    ...(req.permission ? { permission: req.permission } : {}),
  };
}

/** The shared reading of a non-2xx status; throws, or returns for a 2xx. */
function throwForStatus(req: VendorRequest, status: number, where: string): void {
  const details = detailsOf(req, status);
  if (status === 401) {
    throw new VendorError(
      'unauthorized',
      `${req.vendor} refused the token (HTTP 401): it is wrong, expired or revoked. Create a new one and save it again.`,
      details,
    );
  }
  if (status === 403) {
    throw new VendorError(
      'forbidden',
      req.permission
        ? `${req.vendor} accepted the token but it lacks permission "${req.permission}" (HTTP 403). Edit the token to add it.`
        : `${req.vendor} accepted the token but it lacks permission for this (HTTP 403).`,
      details,
    );
  }
  if (status === 404)
    throw new VendorError(
      'not-found',
      `${where} answered HTTP 404 for ${req.path.split('?')[0]}.`,
      details,
    );
  if (status === 429) {
    throw new VendorError(
      'rate-limited',
      `${where} is rate-limiting requests (HTTP 429); try again in a minute.`,
      details,
    );
  }
  if (status >= 500)
    throw new VendorError(
      'server',
      `${where} answered HTTP ${status}: a problem on their side.`,
      details,
    );
  if (status < 200 || status >= 300) {
    throw new VendorError('malformed', `${where} answered HTTP ${status}.`, details);
  }
}

/** Sends the request; resolves with 2xx JSON, rejects with a VendorError otherwise. */
export async function vendorJson<T = unknown>(
  opts: VendorCallOptions,
  req: VendorRequest,
): Promise<VendorResponse<T>> {
  const { status, text, headers, where } = await exchange(opts, req, 'application/json');
  throwForStatus(req, status, where);
  if (text.trim() === '') return { status, json: null as T, headers };
  try {
    return { status, json: JSON.parse(text) as T, headers };
  } catch (err) {
    throw new VendorError('malformed', `${where} did not answer JSON.`, detailsOf(req, status), {
      cause: err,
    });
  }
}

/**
 * vendorJson for vendors that answer plain text (Slack's webhooks: `ok`, or an error word).
 * `explain` sees every non-2xx answer first, so a vendor whose errors are words in the body can
 * name them (and keep a secret path out of the message); what it leaves undefined gets the
 * shared status reading. Resolves with the 2xx body as text.
 */
export async function vendorText(
  opts: VendorCallOptions,
  req: VendorRequest & {
    explain?: (status: number, body: string) => VendorError | undefined;
  },
): Promise<{
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}> {
  const { status, text, headers, where } = await exchange(opts, req, 'text/plain, */*;q=0.5');
  if (status < 200 || status >= 300) {
    const explained = req.explain?.(status, text);
    if (explained) throw explained;
  }
  throwForStatus(req, status, where);
  return { status, text, headers };
}

/** A field check for answers: throws 'malformed' naming what the vendor's document lacked. */
export function expectShape(ok: boolean, vendor: string, what: string): void {
  if (!ok)
    throw new VendorError(
      'malformed',
      `${vendor} answered without ${what}: not the documented shape.`,
      { vendor },
    );
}
