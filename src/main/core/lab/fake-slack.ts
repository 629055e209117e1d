/**
 * A stand-in for Slack's incoming webhooks on loopback, so the test alert can be tested offline.
 * Webhook URLs are `url + path`; each known path answers as Slack does, in plain text:
 *   ok                   200 `ok`
 *   invalid_token        403 `invalid_token`        (the webhook was revoked)
 *   no_service           404 `no_service`           (the webhook was removed)
 *   channel_is_archived  410 `channel_is_archived`
 *   rate_limited         429 `rate_limited`, Retry-After
 * An unknown path answers 404 `no_service`; a body that is not JSON 400 `invalid_payload`; JSON
 * without text or blocks 400 `no_text`.
 * Modes: serve; hang (accepts, never answers); refuse (nothing listens); garbage (HTML, 200).
 */
import type http from 'node:http';
import { sendGarbage, startFakeHttp } from './fake-http';

export type FakeSlackAnswer =
  'ok' | 'invalid_token' | 'no_service' | 'channel_is_archived' | 'rate_limited';

export interface FakeSlackData {
  /** Webhook path (`/services/T…/B…/…`) → how it answers. */
  webhooks: Record<string, FakeSlackAnswer>;
  mode?: 'serve' | 'hang' | 'refuse' | 'garbage';
}

export interface FakeSlackMessage {
  method: string;
  /** Path and query as received. */
  path: string;
  contentType: string | null;
  /** The JSON body; null for none or unreadable. */
  body: unknown;
}

export interface FakeSlackServer {
  /** The origin, e.g. http://127.0.0.1:PORT; a webhook URL is this plus its path. */
  url: string;
  /** Every request received, in order (at most 1,000). */
  received: FakeSlackMessage[];
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

const STATUS: Record<FakeSlackAnswer, number> = {
  ok: 200,
  invalid_token: 403,
  no_service: 404,
  channel_is_archived: 410,
  rate_limited: 429,
};

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  try {
    return raw === '' ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

export async function startFakeSlack(data: FakeSlackData): Promise<FakeSlackServer> {
  const mode = data.mode ?? 'serve';
  const received: FakeSlackMessage[] = [];

  const fake = await startFakeHttp(mode, async (req, res) => {
    const raw = await readBody(req).catch(() => '');
    const path = req.url ?? '/';
    const body = parseJson(raw);
    if (received.length < 1000) {
      received.push({
        method: req.method ?? '',
        path,
        contentType: req.headers['content-type'] ?? null,
        body,
      });
    }
    if (mode === 'hang') return; // Never answer; close() destroys the socket.
    const send = (status: number, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(text);
    };
    if (mode === 'garbage') {
      sendGarbage(res);
      return;
    }
    const pathname = path.split('?')[0] ?? '/';
    const answer = Object.hasOwn(data.webhooks, pathname) ? data.webhooks[pathname] : undefined;
    if (answer === undefined || req.method !== 'POST') return send(404, 'no_service');
    if (answer !== 'ok') {
      return send(STATUS[answer], answer, answer === 'rate_limited' ? { 'retry-after': '30' } : {});
    }
    if (body === null || typeof body !== 'object') return send(400, 'invalid_payload');
    const msg = body as { text?: unknown; blocks?: unknown };
    if (typeof msg.text !== 'string' && !Array.isArray(msg.blocks)) return send(400, 'no_text');
    send(200, 'ok');
  });
  const url = fake.origin;
  return { url, received, close: fake.close };
}
