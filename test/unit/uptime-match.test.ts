// Which uptime monitor watches which address: same scheme, host and path, a trailing slash and
// the query ignored, only HTTP/keyword monitors, and a bare-host monitor covering the home page.
import { describe, expect, it } from 'vitest';
import type { UptimeMonitor } from '../../src/main/core/integrations/uptime-monitors';
import {
  matchMonitors,
  monitorWatches,
  normaliseMonitor,
  parseEndpoint,
} from '../../src/main/core/integrations/uptime-monitors';

function mon(url: string, over: Partial<UptimeMonitor> = {}): UptimeMonitor {
  return {
    vendor: 'uptimerobot',
    id: '1',
    name: url,
    url,
    kind: 'http',
    status: 'up',
    intervalSeconds: 60,
    alertChannels: 1,
    sslExpiryAlerts: true,
    ...over,
  };
}

describe('parseEndpoint', () => {
  it('keeps scheme, lower-cased host and path without trailing slash, query or fragment', () => {
    expect(parseEndpoint('HTTPS://App.Example.TEST/Login/?next=/x#top')).toEqual({
      scheme: 'https',
      host: 'app.example.test',
      path: '/Login',
    });
    expect(parseEndpoint('https://example.test')).toEqual({
      scheme: 'https',
      host: 'example.test',
      path: '',
    });
    expect(parseEndpoint('https://example.test.:8443/')?.host).toBe('example.test:8443');
    expect(parseEndpoint('https://example.test:443/')?.host).toBe('example.test');
  });

  it('accepts a bare host as scheme-less and refuses what is not a web address', () => {
    expect(parseEndpoint('example.test')).toEqual({ scheme: null, host: 'example.test', path: '' });
    expect(parseEndpoint('')).toBeNull();
    expect(parseEndpoint('ftp://example.test/')).toBeNull();
    expect(parseEndpoint('https://')).toBeNull();
  });
});

describe('monitorWatches', () => {
  const login = 'https://app.example.test/login';

  it('matches the exact address, ignoring a trailing slash and the query', () => {
    expect(monitorWatches(mon('https://app.example.test/login'), login)).toBe(true);
    expect(monitorWatches(mon('https://app.example.test/login/'), login)).toBe(true);
    expect(monitorWatches(mon('https://APP.example.test/login?probe=1'), login)).toBe(true);
    expect(monitorWatches(mon('https://app.example.test/login', { kind: 'keyword' }), login)).toBe(
      true,
    );
  });

  it('does not match another scheme, host, port or path', () => {
    expect(monitorWatches(mon('http://app.example.test/login'), login)).toBe(false);
    expect(monitorWatches(mon('https://www.example.test/login'), login)).toBe(false);
    expect(monitorWatches(mon('https://app.example.test:8443/login'), login)).toBe(false);
    expect(monitorWatches(mon('https://app.example.test/login/reset'), login)).toBe(false);
    expect(monitorWatches(mon('https://app.example.test/Login'), login)).toBe(false);
  });

  it('lets a monitor on the bare host cover the home page only', () => {
    const bare = mon('https://example.test');
    expect(monitorWatches(bare, 'https://example.test/')).toBe(true);
    expect(monitorWatches(bare, 'https://example.test/login')).toBe(false);
    expect(monitorWatches(mon('example.test'), 'https://example.test/')).toBe(true);
    expect(monitorWatches(mon('example.test'), 'https://example.test/health')).toBe(false);
  });

  it('never counts ping, port or heartbeat monitors as watching a page', () => {
    for (const kind of ['ping', 'port', 'heartbeat', 'unknown']) {
      expect(monitorWatches(mon('https://example.test/', { kind }), 'https://example.test/')).toBe(
        false,
      );
    }
  });
});

describe('matchMonitors', () => {
  const targets = [
    { key: 'home', url: 'https://example.test/' },
    { key: 'login', url: 'https://app.example.test/login' },
    { key: 'health', url: 'http://api.example.test/health' },
  ];

  it('sums up coverage per target', () => {
    const [home, login, health] = matchMonitors(
      [
        mon('https://example.test', { intervalSeconds: 300 }),
        mon('http://api.example.test/health', {
          intervalSeconds: 900,
          alertChannels: 0,
          status: 'down',
        }),
      ],
      targets,
    );
    expect(home).toMatchObject({
      key: 'home',
      covered: true,
      up: true,
      intervalOk: true,
      hasAlerts: true,
      sslAlerts: true,
    });
    expect(home?.monitors).toHaveLength(1);
    expect(login).toMatchObject({
      covered: false,
      up: false,
      intervalOk: false,
      hasAlerts: false,
      sslAlerts: null,
    });
    expect(login?.monitors).toEqual([]);
    // Plain http has no certificate to be reminded of.
    expect(health).toMatchObject({
      covered: true,
      up: false,
      intervalOk: false,
      hasAlerts: false,
      sslAlerts: null,
    });
  });

  it('does not count a paused monitor as coverage but still lists it', () => {
    const [home] = matchMonitors([mon('https://example.test/', { status: 'paused' })], targets);
    expect(home?.covered).toBe(false);
    expect(home?.up).toBe(false);
    expect(home?.hasAlerts).toBe(false);
    expect(home?.monitors).toHaveLength(1);
  });

  it('takes the best of several running monitors', () => {
    const [home] = matchMonitors(
      [
        mon('https://example.test/', {
          intervalSeconds: 900,
          alertChannels: 0,
          sslExpiryAlerts: false,
        }),
        mon('https://example.test/?x=1', { id: '2', intervalSeconds: 60, sslExpiryAlerts: null }),
      ],
      targets,
    );
    expect(home).toMatchObject({ covered: true, intervalOk: true, hasAlerts: true });
    expect(home?.sslAlerts).toBe(false);
  });

  it('treats exactly 300 s as fast enough and 301 s as too slow', () => {
    const at = (s: number) =>
      matchMonitors([mon('https://example.test/', { intervalSeconds: s })], targets)[0]?.intervalOk;
    expect(at(300)).toBe(true);
    expect(at(301)).toBe(false);
  });

  it('leaves an unparseable target uncovered', () => {
    const [t] = matchMonitors([mon('https://example.test/')], [{ key: 'bad', url: 'not a url' }]);
    expect(t?.covered).toBe(false);
  });
});

describe('normaliseMonitor', () => {
  it('cleans vendor fields and redacts the token wherever it appears', () => {
    const token = 'canary-token-123456';
    const m = normaliseMonitor(
      'betterstack',
      {
        id: 42,
        name: '  ',
        url: ` https://example.test/?key=${token} `,
        kind: 'http',
        status: 'up',
        intervalSeconds: -5,
        alertChannels: 2.5,
        sslExpiryAlerts: null,
      },
      token,
    );
    expect(m).toEqual({
      vendor: 'betterstack',
      id: '42',
      name: 'https://example.test/?key=[redacted]',
      url: 'https://example.test/?key=[redacted]',
      kind: 'http',
      status: 'up',
      intervalSeconds: null,
      alertChannels: 0,
      sslExpiryAlerts: null,
    });
  });
});
