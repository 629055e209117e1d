/**
 * One probe to the founder's AI endpoint: the template filled with the probe's text, the
 * credential in the header they named, sent through the run's network context (their own host,
 * the lab's ports, the lab's CA) with a time limit, and the reply read through replyPath. Every
 * way this can go wrong becomes an EndpointError in plain words; the credential never appears
 * in one, nor in anything else this module returns.
 */
import type { AiEndpoint } from '../../../shared/workspace';
import { fillTemplate } from '../../../shared/ai-endpoint';
import type { ResolveFn } from '../probes/connect';
import { ProbeError } from '../probes/errors';
import { fetchUrl } from '../probes/fetch';
import type { NetworkContext } from '../probes/net-context';
import type { ReplyContent } from './reply';
import { MalformedReplyError, readReply } from './reply';

/** A model's answer to a short task is a few KB; anything far bigger is not a chat reply. */
export const MAX_REPLY_BYTES = 256 * 1024;

export type EndpointFailure =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rejected'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'unreachable'
  | 'malformed'
  | 'config';

export class EndpointError extends Error {
  constructor(
    readonly failure: EndpointFailure,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'EndpointError';
  }
}

export interface EndpointCall {
  endpoint: AiEndpoint;
  /** The "llm" credential, sent as endpoint.authHeader; null when none is needed. */
  credential: string | null;
  net: NetworkContext;
  signal: AbortSignal;
  /** The run's DNS cache. */
  resolve?: ResolveFn;
}

export interface EndpointReply {
  status: number;
  ms: number;
  content: ReplyContent;
}

/** Headers the request itself owns: a credential header by one of these names would break it. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'accept',
]);

/**
 * Replaces the credential wherever it shows up (an endpoint may echo it in an error or a reply),
 * with or without its scheme word ("Bearer sk-…" is often echoed as just "sk-…").
 */
export function withoutCredential(text: string, credential: string | null): string {
  if (!credential) return text;
  const whole = credential.trim();
  const bare = whole.replace(/^(?:bearer|basic|token|apikey|api-key)\s+/i, '');
  let out = text;
  for (const secret of [whole, bare]) {
    if (secret.length >= 4) out = out.split(secret).join('[credential]');
  }
  return out;
}

function excerpt(body: string, credential: string | null): string {
  const t = withoutCredential(body, credential).trim().replace(/\s+/g, ' ');
  return t.length > 120 ? `${t.slice(0, 119)}…` : t;
}

/** origin + path: a query string may hold a key, so it stays out of every message. */
export function endpointLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the AI endpoint';
  }
}

export function headersFor(
  call: Pick<EndpointCall, 'endpoint' | 'credential'>,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/plain;q=0.8, */*;q=0.5',
    'user-agent': 'launch-ready (prompt-injection check)',
  };
  const name = call.endpoint.authHeader;
  if (!name) return headers;
  if (RESERVED_HEADERS.has(name.toLowerCase())) {
    throw new EndpointError(
      'config',
      `the credential header cannot be "${name}": the request needs that header for itself. Name the header your endpoint reads the key from (for example Authorization or X-Api-Key).`,
    );
  }
  const value = call.credential?.trim() ?? '';
  if (value === '') {
    throw new EndpointError(
      'config',
      `your AI endpoint's settings name the header "${name}", but no value is saved for it. Save it in Settings → Integrations → Your AI endpoint, or run "launch-ready secrets set llm".`,
    );
  }
  // A line break would let the value end the header early: refuse rather than send it.
  if (/[\r\n\0]/.test(value)) {
    throw new EndpointError(
      'config',
      'the saved AI endpoint credential contains a line break; save it again as a single line.',
    );
  }
  headers[name.toLowerCase()] = value;
  return headers;
}

function statusFailure(call: EndpointCall, status: number, body: string): EndpointError {
  const where = endpointLabel(call.endpoint.url);
  const header = call.endpoint.authHeader;
  if (status === 401) {
    return new EndpointError(
      'unauthorized',
      header
        ? `${where} refused the credential (HTTP 401): the value saved for the "${header}" header is wrong, expired or revoked. Save a current one (Settings → Integrations → Your AI endpoint, or "launch-ready secrets set llm").`
        : `${where} answered HTTP 401: it wants a credential. Name the header it reads the key from in the AI endpoint settings (authHeader, for example Authorization or X-Api-Key) and save its value with "launch-ready secrets set llm".`,
      status,
    );
  }
  if (status === 403) {
    return new EndpointError(
      'forbidden',
      `${where} accepted the request's credential but refused access (HTTP 403): use a key allowed to call this endpoint.`,
      status,
    );
  }
  if (status === 404 || status === 405) {
    return new EndpointError(
      'not-found',
      status === 404
        ? `${where} answered HTTP 404: check the endpoint's address.`
        : `${where} does not accept ${call.endpoint.method ?? 'POST'} (HTTP 405): check the method in the AI endpoint settings.`,
      status,
    );
  }
  if (status === 429) {
    return new EndpointError(
      'rate-limited',
      `${where} is rate-limiting requests (HTTP 429); try again in a minute.`,
      status,
    );
  }
  if (status >= 500) {
    return new EndpointError(
      'server',
      `${where} answered HTTP ${status}: a problem on its side.`,
      status,
    );
  }
  const said = excerpt(body, call.credential);
  return new EndpointError(
    'rejected',
    `${where} refused the request (HTTP ${status}): check the request body template${said ? `. It said: "${said}"` : ''}.`,
    status,
  );
}

function transportFailure(call: EndpointCall, err: ProbeError, timedOut: boolean): EndpointError {
  const where = endpointLabel(call.endpoint.url);
  const search = URL.canParse(call.endpoint.url) ? new URL(call.endpoint.url).search : '';
  const detail = search ? err.message.split(search).join('') : err.message;
  if (timedOut || err.kind === 'timeout') {
    return new EndpointError('timeout', `${where} did not answer in time (${detail}).`);
  }
  return new EndpointError('unreachable', `could not reach ${where} (${detail}).`);
}

/** Sends one probe text; resolves with the reply read through replyPath, or rejects with an EndpointError. */
export async function askEndpoint(call: EndpointCall, text: string): Promise<EndpointReply> {
  const headers = headersFor(call);
  const { dnsMs, connectMs, requestMs } = call.net.timeouts;
  // One request's whole life (lookup, connection, answer); the check's signal bounds them all.
  const deadline = AbortSignal.timeout(dnsMs + connectMs + requestMs);
  const signal = AbortSignal.any([call.signal, deadline]);
  const started = performance.now();
  let res;
  try {
    res = await fetchUrl(call.endpoint.url, call.net, {
      method: call.endpoint.method ?? 'POST',
      headers,
      body: fillTemplate(call.endpoint.bodyTemplate, text),
      signal,
      resolve: call.resolve,
      maxBodyBytes: MAX_REPLY_BYTES,
    });
  } catch (err) {
    // The check itself was stopped: not this endpoint's failure, let the engine say so.
    if (call.signal.aborted) throw err;
    if (err instanceof ProbeError) throw transportFailure(call, err, deadline.aborted);
    throw err;
  }
  const ms = Math.round(performance.now() - started);
  if (res.status < 200 || res.status >= 300) throw statusFailure(call, res.status, res.body);
  if (res.bodyTruncated) {
    throw new EndpointError(
      'malformed',
      `${endpointLabel(call.endpoint.url)} answered more than ${MAX_REPLY_BYTES / 1024} KB: not a chat reply.`,
      res.status,
    );
  }
  try {
    return { status: res.status, ms, content: readReply(res.body, call.endpoint.replyPath) };
  } catch (err) {
    if (!(err instanceof MalformedReplyError)) throw err;
    throw new EndpointError(
      'malformed',
      `${endpointLabel(call.endpoint.url)} ${withoutCredential(err.message, call.credential)}. Check the reply path in the AI endpoint settings.`,
      res.status,
    );
  }
}
