/**
 * A stand-in for UptimeRobot's API v2 on loopback, so the uptime integration can be tested
 * offline. `url` is the API root (…/v2), as DEFAULT_VENDOR_ENDPOINTS.uptimerobot is.
 *   POST /v2/getMonitors   form body api_key, format, alert_contacts, ssl, offset, limit
 *                          → { stat: 'ok', pagination: { offset, limit, total }, monitors }
 * Like the real API it refuses a key with HTTP 200 and `stat: 'fail'`, echoing the key in
 * passed_value; a monitor-specific key lists its one monitor; `limit` is at most 50.
 * Modes: serve; hang (accepts, never answers); refuse (nothing listens); garbage (HTML, 200);
 * shapeless (200 `{ stat: 'ok' }` without a monitors list).
 */
import type http from 'node:http';
import { sendGarbage, startFakeHttp } from './fake-http';

export interface FakeUptimeRobotAlertContact {
  id: string;
  /** 1 SMS, 2 e-mail, 5 web-hook, 11 Slack, … */
  type: number;
  value: string;
  threshold: number;
  recurrence: number;
}

/** A monitor as getMonitors returns it (the fields the integration reads, plus a few). */
export interface FakeUptimeRobotMonitor {
  id: number;
  friendly_name: string;
  url: string;
  /** 1 HTTP(s), 2 keyword, 3 ping, 4 port, 5 heartbeat. */
  type: number;
  /** Seconds. */
  interval: number;
  /** 0 paused, 1 not checked yet, 2 up, 8 seems down, 9 down. */
  status: 0 | 1 | 2 | 8 | 9;
  keyword_type?: number | null;
  keyword_value?: string;
  alert_contacts?: FakeUptimeRobotAlertContact[];
  ssl?: {
    brand: string;
    product: string;
    expires: number;
    ignore_errors: 0 | 1;
    disable_notifications: 0 | 1;
  };
}

export interface FakeUptimeRobotData {
  /** Accepted keys: 'account' sees every monitor; a number is a monitor-specific key for it. */
  keys: Record<string, 'account' | number>;
  monitors: FakeUptimeRobotMonitor[];
  /** Largest page the fake serves (at most 50, the real limit); lower it to test paging. */
  pageSize?: number;
  mode?: 'serve' | 'hang' | 'refuse' | 'garbage' | 'shapeless';
}

export interface FakeUptimeRobotRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  contentType: string | null;
  /** The form fields (body and query), api_key included: tests check where the key went. */
  form: Record<string, string>;
  /** Whether api_key arrived in the body or, as UptimeRobot tolerates, the query. */
  keyIn: 'body' | 'query' | null;
}

export interface FakeUptimeRobotServer {
  /** The API root to use as baseUrl, e.g. http://127.0.0.1:PORT/v2. */
  url: string;
  /** Every request received, in order (at most 1,000). */
  requests: FakeUptimeRobotRequest[];
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const REAL_MAX_LIMIT = 50;

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

function intParam(v: string | undefined, fallback: number): number {
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** The monitor as getMonitors shows it, with the optional blocks only when asked for. */
function present(m: FakeUptimeRobotMonitor, form: Record<string, string>): Record<string, unknown> {
  const { alert_contacts, ssl, ...rest } = m;
  return {
    sub_type: '',
    keyword_type: null,
    keyword_value: '',
    http_username: '',
    http_password: '',
    port: '',
    create_datetime: 1_700_000_000,
    ...rest,
    ...(form.alert_contacts === '1' ? { alert_contacts: alert_contacts ?? [] } : {}),
    ...(form.ssl === '1' && ssl ? { ssl } : {}),
  };
}

export async function startFakeUptimeRobot(
  data: FakeUptimeRobotData,
): Promise<FakeUptimeRobotServer> {
  const mode = data.mode ?? 'serve';
  const requests: FakeUptimeRobotRequest[] = [];

  const fake = await startFakeHttp(mode, async (req, res) => {
    const raw = await readBody(req).catch(() => '');
    const path = req.url ?? '/';
    const [pathname = '/', query = ''] = path.split('?', 2);
    const fromQuery = Object.fromEntries(new URLSearchParams(query));
    const fromBody = Object.fromEntries(new URLSearchParams(raw));
    const form = { ...fromQuery, ...fromBody };
    if (requests.length < 1000) {
      requests.push({
        method: req.method ?? '',
        path,
        contentType: req.headers['content-type'] ?? null,
        form,
        keyIn: 'api_key' in fromBody ? 'body' : 'api_key' in fromQuery ? 'query' : null,
      });
    }
    if (mode === 'hang') return; // Never answer; close() destroys the socket.
    const send = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(json));
    };
    if (mode === 'garbage') {
      sendGarbage(res);
      return;
    }
    if (pathname !== '/v2/getMonitors') return send(404, { stat: 'fail' });
    if (req.method !== 'POST') {
      return send(200, {
        stat: 'fail',
        error: { type: 'not_allowed', message: 'Only POST requests are accepted.' },
      });
    }
    const key = form.api_key;
    if (key === undefined || key === '') {
      return send(200, {
        stat: 'fail',
        error: {
          type: 'invalid_parameter',
          parameter_name: 'api_key',
          message: 'api_key parameter is missing.',
        },
      });
    }
    const scope = Object.hasOwn(data.keys, key) ? data.keys[key] : undefined;
    if (scope === undefined) {
      return send(200, {
        stat: 'fail',
        error: {
          type: 'invalid_parameter',
          parameter_name: 'api_key',
          passed_value: key,
          message: 'api_key not found.',
        },
      });
    }
    if (mode === 'shapeless') return send(200, { stat: 'ok' });
    const visible =
      scope === 'account' ? data.monitors : data.monitors.filter((m) => m.id === scope);
    const cap = Math.min(REAL_MAX_LIMIT, Math.max(1, data.pageSize ?? REAL_MAX_LIMIT));
    const offset = intParam(form.offset, 0);
    const limit = Math.min(cap, intParam(form.limit, REAL_MAX_LIMIT) || cap);
    send(200, {
      stat: 'ok',
      pagination: { offset, limit, total: visible.length },
      monitors: visible.slice(offset, offset + limit).map((m) => present(m, form)),
    });
  });
  const url = `${fake.origin}/v2`;
  return { url, requests, close: fake.close };
}
