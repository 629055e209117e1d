// The uptime integration against the lab's UptimeRobot and Better Stack fakes on loopback:
// monitors normalised and paged, the demo's planted gaps found, and every way a vendor can
// refuse or fail sorted into a VendorError that never carries the token.
import { afterEach, describe, expect, it } from 'vitest';
import type { UptimeMonitor } from '../../src/main/core/integrations/uptime-monitors';
import {
  listUptimeMonitors,
  matchMonitors,
  MAX_MONITOR_PAGES,
} from '../../src/main/core/integrations/uptime-monitors';
import { VendorError } from '../../src/main/core/integrations/types';
import type {
  FakeBetterStackData,
  FakeBetterStackMonitor,
} from '../../src/main/core/lab/fake-betterstack';
import { startFakeBetterStack } from '../../src/main/core/lab/fake-betterstack';
import type {
  FakeUptimeRobotData,
  FakeUptimeRobotMonitor,
} from '../../src/main/core/lab/fake-uptimerobot';
import { startFakeUptimeRobot } from '../../src/main/core/lab/fake-uptimerobot';
import {
  DEMO_UPTIME,
  DEMO_UPTIME_TARGETS,
  HEALTHY_UPTIME,
  HEALTHY_UPTIME_TARGETS,
  LAB_BETTERSTACK_FORBIDDEN_TOKEN,
  LAB_BETTERSTACK_TOKEN,
  LAB_UPTIMEROBOT_MONITOR_TOKEN,
  LAB_UPTIMEROBOT_TOKEN,
} from '../../src/main/core/lab/scenarios/vendors/uptime';

const TIMEOUT_MS = 2_000;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function robot(data: FakeUptimeRobotData) {
  const fake = await startFakeUptimeRobot(data);
  closers.push(fake.close);
  return fake;
}

async function stack(data: FakeBetterStackData) {
  const fake = await startFakeBetterStack(data);
  closers.push(fake.close);
  return fake;
}

async function failureOf(p: Promise<unknown>): Promise<VendorError> {
  const err = await p.then(
    () => {
      throw new Error('expected a VendorError, got a result');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorError);
  return err as VendorError;
}

function robotMonitors(n: number): FakeUptimeRobotMonitor[] {
  return Array.from({ length: n }, (_, i) => ({
    id: 1000 + i,
    friendly_name: `m${i}`,
    url: `https://many.test/p${i}`,
    type: 1,
    interval: 60,
    status: 2 as const,
  }));
}

function stackMonitors(n: number): FakeBetterStackMonitor[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(5000 + i),
    attributes: {
      url: `https://many.test/p${i}`,
      pronounceable_name: `m${i}`,
      monitor_type: 'status',
      status: 'up' as const,
      check_frequency: 60,
      email: true,
      sms: false,
      call: false,
      push: false,
      verify_ssl: true,
      ssl_expiration: null,
    },
  }));
}

describe('UptimeRobot', () => {
  it('lists the demo monitors, normalised, with the key in a form body', async () => {
    const fake = await robot(DEMO_UPTIME);
    const monitors = await listUptimeMonitors('uptimerobot', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_UPTIMEROBOT_TOKEN,
    });
    expect(monitors).toEqual<UptimeMonitor[]>([
      {
        vendor: 'uptimerobot',
        id: '790001',
        name: 'Promptly home',
        url: 'https://promptly-ai.test/',
        kind: 'http',
        status: 'up',
        intervalSeconds: 300,
        alertChannels: 1,
        sslExpiryAlerts: true,
      },
      {
        vendor: 'uptimerobot',
        id: '790002',
        name: 'Promptly API health',
        url: 'https://api.promptly-ai.test/health',
        kind: 'http',
        status: 'up',
        intervalSeconds: 900,
        alertChannels: 0,
        sslExpiryAlerts: true,
      },
    ]);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v2/getMonitors');
    expect(req?.contentType).toBe('application/x-www-form-urlencoded');
    expect(req?.keyIn).toBe('body');
    expect(req?.form).toMatchObject({
      format: 'json',
      alert_contacts: '1',
      ssl: '1',
      offset: '0',
      limit: '50',
    });
  });

  it('maps every status code and monitor type', async () => {
    const base = robotMonitors(1)[0] as FakeUptimeRobotMonitor;
    const fake = await robot({
      keys: { [LAB_UPTIMEROBOT_TOKEN]: 'account' },
      monitors: [
        { ...base, id: 1, status: 0, type: 2 },
        { ...base, id: 2, status: 1, type: 3, url: 'many.test' },
        { ...base, id: 3, status: 8, type: 4 },
        { ...base, id: 4, status: 9, type: 5 },
        {
          ...base,
          id: 5,
          url: 'http://plain.test/',
          ssl: {
            brand: '',
            product: '',
            expires: 0,
            ignore_errors: 0,
            disable_notifications: 0,
          },
        },
        {
          ...base,
          id: 6,
          ssl: {
            brand: 'x',
            product: 'y',
            expires: 1,
            ignore_errors: 0,
            disable_notifications: 1,
          },
        },
      ],
    });
    const monitors = await listUptimeMonitors('uptimerobot', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_UPTIMEROBOT_TOKEN,
    });
    expect(monitors.map((m) => [m.id, m.status, m.kind, m.sslExpiryAlerts])).toEqual([
      ['1', 'paused', 'keyword', null],
      ['2', 'pending', 'ping', null],
      ['3', 'down', 'port', null],
      ['4', 'down', 'heartbeat', null],
      ['5', 'up', 'http', null],
      ['6', 'up', 'http', false],
    ]);
  });

  it('follows offset pages to the end', async () => {
    const fake = await robot({
      keys: { [LAB_UPTIMEROBOT_TOKEN]: 'account' },
      monitors: robotMonitors(120),
    });
    const monitors = await listUptimeMonitors('uptimerobot', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_UPTIMEROBOT_TOKEN,
    });
    expect(monitors).toHaveLength(120);
    expect(new Set(monitors.map((m) => m.id)).size).toBe(120);
    expect(fake.requests.map((r) => r.form.offset)).toEqual(['0', '50', '100']);
  });

  it('stops after MAX_MONITOR_PAGES pages however many the account has', async () => {
    const fake = await robot({
      keys: { [LAB_UPTIMEROBOT_TOKEN]: 'account' },
      monitors: robotMonitors(40),
      pageSize: 2,
    });
    const monitors = await listUptimeMonitors('uptimerobot', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_UPTIMEROBOT_TOKEN,
    });
    expect(fake.requests).toHaveLength(MAX_MONITOR_PAGES);
    expect(monitors).toHaveLength(MAX_MONITOR_PAGES * 2);
  });

  it('reads a refused key (HTTP 200, stat fail) as unauthorized, without echoing it', async () => {
    const fake = await robot(DEMO_UPTIME);
    const canary = `canary-${Math.random().toString(36).slice(2)}-uptimerobot`;
    const err = await failureOf(
      listUptimeMonitors('uptimerobot', {
        baseUrl: fake.url,
        timeoutMs: TIMEOUT_MS,
        token: canary,
      }),
    );
    expect(err.failure).toBe('unauthorized');
    expect(err.message).toMatch(/refused the API key/);
    expect(err.message).not.toMatch(/[{}]|stat|passed_value/);
    // The fake echoes the key back the way UptimeRobot does; none of it may surface.
    expect(fake.requests[0]?.form.api_key).toBe(canary);
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(
      canary,
    );
    expect(String(err.cause ?? '')).not.toContain(canary);
  });

  it('refuses a monitor-specific key as forbidden before sending it', async () => {
    const fake = await robot(DEMO_UPTIME);
    const err = await failureOf(
      listUptimeMonitors('uptimerobot', {
        baseUrl: fake.url,
        timeoutMs: TIMEOUT_MS,
        token: LAB_UPTIMEROBOT_MONITOR_TOKEN,
      }),
    );
    expect(err.failure).toBe('forbidden');
    expect(err.details.permission).toBe('Read-only API key');
    expect(err.message).toMatch(/monitor-specific/);
    expect(err.message).not.toContain(LAB_UPTIMEROBOT_MONITOR_TOKEN);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports an empty key as unauthorized without calling', async () => {
    const fake = await robot(DEMO_UPTIME);
    const err = await failureOf(
      listUptimeMonitors('uptimerobot', { baseUrl: fake.url, timeoutMs: TIMEOUT_MS, token: ' ' }),
    );
    expect(err.failure).toBe('unauthorized');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Better Stack', () => {
  it('lists the healthy monitors, normalised, with the token as a Bearer header', async () => {
    const fake = await stack(HEALTHY_UPTIME);
    const monitors = await listUptimeMonitors('betterstack', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_BETTERSTACK_TOKEN,
    });
    expect(monitors).toHaveLength(4);
    expect(monitors[0]).toEqual<UptimeMonitor>({
      vendor: 'betterstack',
      id: '2260101',
      name: 'Steady home',
      url: 'https://steady-ai.test/',
      kind: 'http',
      status: 'up',
      intervalSeconds: 180,
      alertChannels: 2,
      sslExpiryAlerts: true,
    });
    expect(monitors.map((m) => m.kind)).toEqual(['http', 'http', 'keyword', 'http']);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe('/api/v2/monitors?per_page=250');
    expect(fake.requests[0]?.authorization).toBe(`Bearer ${LAB_BETTERSTACK_TOKEN}`);
  });

  it('maps statuses, channels, policies and SSL expiry settings', async () => {
    const [base] = stackMonitors(1) as [FakeBetterStackMonitor];
    const at = (id: string, over: Partial<FakeBetterStackMonitor['attributes']>) => ({
      id,
      attributes: { ...base.attributes, ...over },
    });
    const fake = await stack({
      tokens: { [LAB_BETTERSTACK_TOKEN]: 'ok' },
      monitors: [
        at('1', { status: 'down', email: false, ssl_expiration: 7 }),
        at('2', { status: 'validating', email: false, policy_id: '300010' }),
        at('3', { status: 'maintenance', sms: true, call: true, push: true }),
        at('4', { status: 'paused', monitor_type: 'tcp', url: 'many.test' }),
        at('5', { status: 'pending', monitor_type: 'keyword_absence', url: 'http://plain.test/' }),
      ],
    });
    const monitors = await listUptimeMonitors('betterstack', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_BETTERSTACK_TOKEN,
    });
    expect(
      monitors.map((m) => [m.id, m.status, m.kind, m.alertChannels, m.sslExpiryAlerts]),
    ).toEqual([
      ['1', 'down', 'http', 0, true],
      ['2', 'pending', 'http', 1, false],
      ['3', 'paused', 'http', 4, false],
      ['4', 'paused', 'port', 1, null],
      ['5', 'pending', 'keyword', 1, null],
    ]);
  });

  it('follows next links across pages', async () => {
    const fake = await stack({
      tokens: { [LAB_BETTERSTACK_TOKEN]: 'ok' },
      monitors: stackMonitors(7),
      pageSize: 3,
    });
    const monitors = await listUptimeMonitors('betterstack', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_BETTERSTACK_TOKEN,
    });
    expect(monitors.map((m) => m.id)).toEqual([
      '5000',
      '5001',
      '5002',
      '5003',
      '5004',
      '5005',
      '5006',
    ]);
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/api/v2/monitors?per_page=250',
      '/api/v2/monitors?page=2&per_page=3',
      '/api/v2/monitors?page=3&per_page=3',
    ]);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${LAB_BETTERSTACK_TOKEN}`)).toBe(
      true,
    );
  });

  it('stops after MAX_MONITOR_PAGES pages', async () => {
    const fake = await stack({
      tokens: { [LAB_BETTERSTACK_TOKEN]: 'ok' },
      monitors: stackMonitors(30),
      pageSize: 1,
    });
    const monitors = await listUptimeMonitors('betterstack', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_BETTERSTACK_TOKEN,
    });
    expect(fake.requests).toHaveLength(MAX_MONITOR_PAGES);
    expect(monitors).toHaveLength(MAX_MONITOR_PAGES);
  });

  it('reads 401 as unauthorized with a plain message and no token', async () => {
    const fake = await stack(HEALTHY_UPTIME);
    const canary = `canary-${Math.random().toString(36).slice(2)}-betterstack`;
    const err = await failureOf(
      listUptimeMonitors('betterstack', {
        baseUrl: fake.url,
        timeoutMs: TIMEOUT_MS,
        token: canary,
      }),
    );
    expect(err.failure).toBe('unauthorized');
    expect(err.details.status).toBe(401);
    expect(err.message).toMatch(/^Better Stack refused the token/);
    expect(err.message).not.toContain(canary);
    expect(JSON.stringify(err.details)).not.toContain(canary);
    expect(fake.requests[0]?.authorization).toBe(`Bearer ${canary}`);
  });

  it('reads 403 as forbidden', async () => {
    const fake = await stack(HEALTHY_UPTIME);
    const err = await failureOf(
      listUptimeMonitors('betterstack', {
        baseUrl: fake.url,
        timeoutMs: TIMEOUT_MS,
        token: LAB_BETTERSTACK_FORBIDDEN_TOKEN,
      }),
    );
    expect(err.failure).toBe('forbidden');
    expect(err.details.status).toBe(403);
    expect(err.message).not.toContain(LAB_BETTERSTACK_FORBIDDEN_TOKEN);
  });
});

describe('matching the lab products', () => {
  it('finds the demo gaps: login and webhook unwatched, health too slow and silent', async () => {
    const fake = await robot(DEMO_UPTIME);
    const monitors = await listUptimeMonitors('uptimerobot', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_UPTIMEROBOT_TOKEN,
    });
    const byKey = Object.fromEntries(
      matchMonitors(monitors, DEMO_UPTIME_TARGETS).map((c) => [c.key, c]),
    );
    expect(byKey.home).toMatchObject({
      covered: true,
      up: true,
      intervalOk: true,
      hasAlerts: true,
      sslAlerts: true,
    });
    expect(byKey.login).toMatchObject({ covered: false, intervalOk: false, hasAlerts: false });
    expect(byKey.login?.monitors).toEqual([]);
    expect(byKey['webhook:stripe']?.covered).toBe(false);
    expect(byKey.health).toMatchObject({
      covered: true,
      up: true,
      intervalOk: false,
      hasAlerts: false,
    });
    expect(byKey.health?.monitors.map((m) => m.intervalSeconds)).toEqual([900]);
  });

  it('finds every healthy address covered, fast, alerting and with SSL alerts', async () => {
    const fake = await stack(HEALTHY_UPTIME);
    const monitors = await listUptimeMonitors('betterstack', {
      baseUrl: fake.url,
      timeoutMs: TIMEOUT_MS,
      token: LAB_BETTERSTACK_TOKEN,
    });
    const coverage = matchMonitors(monitors, HEALTHY_UPTIME_TARGETS);
    expect(coverage.map((c) => c.key)).toEqual(['home', 'login', 'health', 'webhook:stripe']);
    for (const c of coverage) {
      expect(c, c.key).toMatchObject({
        covered: true,
        up: true,
        intervalOk: true,
        hasAlerts: true,
        sslAlerts: true,
      });
      expect(c.monitors, c.key).toHaveLength(1);
    }
  });
});

describe.each([
  {
    vendor: 'uptimerobot' as const,
    token: LAB_UPTIMEROBOT_TOKEN,
    start: (mode: FakeUptimeRobotData['mode']) => robot({ ...DEMO_UPTIME, mode }),
    missing: /monitors list/,
  },
  {
    vendor: 'betterstack' as const,
    token: LAB_BETTERSTACK_TOKEN,
    start: (mode: FakeBetterStackData['mode']) => stack({ ...HEALTHY_UPTIME, mode }),
    missing: /data list/,
  },
])('$vendor when the API misbehaves', ({ vendor, token, start, missing }) => {
  it('times out fast on a server that never answers', async () => {
    const fake = await start('hang');
    const began = Date.now();
    const err = await failureOf(
      listUptimeMonitors(vendor, { baseUrl: fake.url, timeoutMs: 300, token }),
    );
    expect(err.failure).toBe('timeout');
    expect(Date.now() - began).toBeLessThan(3_000);
    expect(fake.requests).toHaveLength(1);
    expect(err.message).not.toContain(token);
  });

  it('reports HTML as malformed', async () => {
    const fake = await start('garbage');
    const err = await failureOf(
      listUptimeMonitors(vendor, { baseUrl: fake.url, timeoutMs: TIMEOUT_MS, token }),
    );
    expect(err.failure).toBe('malformed');
    expect(err.message).toMatch(/did not answer JSON/);
  });

  it('reports JSON without the monitor list as malformed', async () => {
    const fake = await start('shapeless');
    const err = await failureOf(
      listUptimeMonitors(vendor, { baseUrl: fake.url, timeoutMs: TIMEOUT_MS, token }),
    );
    expect(err.failure).toBe('malformed');
    expect(err.message).toMatch(missing);
  });

  it('reports a refused connection as unreachable', async () => {
    const fake = await start('refuse');
    const err = await failureOf(
      listUptimeMonitors(vendor, { baseUrl: fake.url, timeoutMs: TIMEOUT_MS, token }),
    );
    expect(err.failure).toBe('unreachable');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).not.toContain(token);
  });

  it('stops at once when the caller aborts', async () => {
    const fake = await start('hang');
    const ctl = new AbortController();
    const pending = listUptimeMonitors(vendor, {
      baseUrl: fake.url,
      timeoutMs: 10_000,
      signal: ctl.signal,
      token,
    });
    setTimeout(() => ctl.abort(new Error('stopped by the founder')), 50);
    await expect(pending).rejects.toThrow('stopped by the founder');
  });
});

describe('the canary token', () => {
  it('never appears in results, even when a monitor carries it', async () => {
    const canary = `canary-${Math.random().toString(36).slice(2)}-results`;
    const ur = await robot({
      keys: { [canary]: 'account' },
      monitors: [
        {
          id: 1,
          friendly_name: `probe ${canary}`,
          url: `https://x.test/?k=${canary}`,
          type: 1,
          interval: 60,
          status: 2,
        },
      ],
    });
    const bs = await stack({
      tokens: { [canary]: 'ok' },
      monitors: stackMonitors(2).map((m) => ({
        ...m,
        attributes: { ...m.attributes, pronounceable_name: canary },
      })),
    });
    const results = [
      ...(await listUptimeMonitors('uptimerobot', {
        baseUrl: ur.url,
        timeoutMs: TIMEOUT_MS,
        token: canary,
      })),
      ...(await listUptimeMonitors('betterstack', {
        baseUrl: bs.url,
        timeoutMs: TIMEOUT_MS,
        token: canary,
      })),
    ];
    expect(results).toHaveLength(3);
    const text = JSON.stringify(results);
    expect(text).not.toContain(canary);
    expect(text).toContain('[redacted]');
    const coverage = matchMonitors(results, [{ key: 'x', url: 'https://x.test/' }]);
    expect(JSON.stringify(coverage)).not.toContain(canary);
    expect(coverage[0]?.covered).toBe(true);
  });
});
