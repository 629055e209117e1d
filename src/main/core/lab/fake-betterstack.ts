/**
 * A stand-in for Better Stack's Uptime API v2 on loopback, so the uptime integration can be
 * tested offline. `url` is the API root (…/api/v2), as DEFAULT_VENDOR_ENDPOINTS.betterstack is.
 *   GET /api/v2/monitors?page=&per_page=   Authorization: Bearer <team token>
 *       → { data: [{ id, type: 'monitor', attributes }], pagination: { first, last, prev, next } }
 * Like the real API: 401 `{ errors: 'Invalid Team API token…' }` for a missing or unknown token,
 * pages of 50 unless per_page asks otherwise (at most 250), `next` as a full URL or null.
 * A token marked 'forbidden' gets 403. Modes: serve; hang (accepts, never answers); refuse
 * (nothing listens); garbage (HTML, 200); shapeless (200 `{}` without a data list).
 */
import { sendGarbage, startFakeHttp } from './fake-http';

/** A monitor's attributes as the API returns them (the ones the integration reads, plus some). */
export interface FakeBetterStackAttributes {
  url: string;
  pronounceable_name: string;
  /** status, expected_status_code, keyword, keyword_absence, ping, tcp, udp, smtp, pop, imap… */
  monitor_type: string;
  status: 'up' | 'down' | 'validating' | 'paused' | 'pending' | 'maintenance';
  /** Seconds. */
  check_frequency: number;
  email: boolean;
  sms: boolean;
  call: boolean;
  push: boolean;
  verify_ssl: boolean;
  /** Days before the certificate expires to alert, or null for no alert. */
  ssl_expiration: number | null;
  domain_expiration?: number | null;
  policy_id?: string | null;
  required_keyword?: string | null;
  regions?: string[];
  paused?: boolean;
}

export interface FakeBetterStackMonitor {
  id: string;
  attributes: FakeBetterStackAttributes;
}

export interface FakeBetterStackData {
  /** Accepted team tokens; 'forbidden' ones are known but answered 403. */
  tokens: Record<string, 'ok' | 'forbidden'>;
  monitors: FakeBetterStackMonitor[];
  /** Largest page the fake serves (at most 250, the real limit); lower it to test paging. */
  pageSize?: number;
  mode?: 'serve' | 'hang' | 'refuse' | 'garbage' | 'shapeless';
}

export interface FakeBetterStackRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  /** The Authorization header as received: tests check the token went there and only there. */
  authorization: string | null;
}

export interface FakeBetterStackServer {
  /** The API root to use as baseUrl, e.g. http://127.0.0.1:PORT/api/v2. */
  url: string;
  /** Every request received, in order (at most 1,000). */
  requests: FakeBetterStackRequest[];
  close(): Promise<void>;
}

const DEFAULT_PER_PAGE = 50;
const REAL_MAX_PER_PAGE = 250;
const INVALID_TOKEN =
  'Invalid Team API token. How to find your Team API token: https://betterstack.com/docs/uptime/api/getting-started-with-better-uptime-api#obtaining-a-better-uptime-api-token';

function intParam(v: string | null, fallback: number): number {
  const n = v === null || v === '' ? NaN : Number(v);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

export async function startFakeBetterStack(
  data: FakeBetterStackData,
): Promise<FakeBetterStackServer> {
  const mode = data.mode ?? 'serve';
  const requests: FakeBetterStackRequest[] = [];
  let root = '';

  const fake = await startFakeHttp(mode, (req, res) => {
    const path = req.url ?? '/';
    if (requests.length < 1000) {
      requests.push({
        method: req.method ?? '',
        path,
        authorization: req.headers.authorization ?? null,
      });
    }
    req.resume();
    if (mode === 'hang') return; // Never answer; close() destroys the socket.
    const send = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(json));
    };
    if (mode === 'garbage') {
      sendGarbage(res);
      return;
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const token = auth?.[1] ?? '';
    const access = Object.hasOwn(data.tokens, token) ? data.tokens[token] : undefined;
    if (access === undefined) return send(401, { errors: INVALID_TOKEN });
    const url = new URL(path, 'http://fake.invalid');
    if (url.pathname !== '/api/v2/monitors' || req.method !== 'GET') {
      return send(404, { errors: 'Resource not found' });
    }
    if (access === 'forbidden') {
      return send(403, { errors: 'This API token is not allowed to access monitors.' });
    }
    if (mode === 'shapeless') return send(200, {});
    const cap = Math.min(REAL_MAX_PER_PAGE, Math.max(1, data.pageSize ?? REAL_MAX_PER_PAGE));
    const perPage = Math.min(cap, intParam(url.searchParams.get('per_page'), DEFAULT_PER_PAGE));
    const page = intParam(url.searchParams.get('page'), 1);
    const last = Math.max(1, Math.ceil(data.monitors.length / perPage));
    const link = (n: number): string => `${root}/monitors?page=${n}&per_page=${perPage}`;
    send(200, {
      data: data.monitors
        .slice((page - 1) * perPage, page * perPage)
        .map((m) => ({ id: m.id, type: 'monitor', attributes: m.attributes })),
      pagination: {
        first: link(1),
        last: link(last),
        prev: page > 1 ? link(Math.min(page - 1, last)) : null,
        next: page < last ? link(page + 1) : null,
      },
    });
  });
  root = `${fake.origin}/api/v2`;
  return { url: root, requests, close: fake.close };
}
