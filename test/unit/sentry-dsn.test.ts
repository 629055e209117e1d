// Sentry DSN detection in bundle text: the documented shapes found and parsed, look-alikes left
// alone, duplicates folded, and a big minified bundle read in bounded time.
import { describe, expect, it } from 'vitest';
import { findSentryDsns, MAX_DSNS } from '../../src/main/core/integrations/sentry-dsn';
import {
  DEMO_SENTRY_DSN,
  HEALTHY_SENTRY_DSN,
} from '../../src/main/core/lab/scenarios/vendors/sentry-slack';

// Assembled at run time, like the lab's: 32 hex characters, the shape of a public key.
const KEY = ['ab12', 'cd34', 'ef56', '7890'].join('').repeat(2);
const KEY2 = ['1234', '5678', '9abc', 'def0'].join('').repeat(2);

describe('findSentryDsns', () => {
  it('parses a current ingest DSN with its org id and region', () => {
    const text = `Sentry.init({dsn:"https://${KEY}@o4506900000000001.ingest.us.sentry.io/4507000000000001",tracesSampleRate:.1})`;
    expect(findSentryDsns(text)).toEqual([
      {
        dsn: `https://${KEY}@o4506900000000001.ingest.us.sentry.io/4507000000000001`,
        publicKey: KEY,
        host: 'o4506900000000001.ingest.us.sentry.io',
        projectId: '4507000000000001',
        orgId: '4506900000000001',
        region: 'us',
      },
    ]);
  });

  it('reads an ingest host without a region, the old sentry.io host and a self-hosted one', () => {
    const text = [
      `a="https://${KEY}@o12345.ingest.sentry.io/678"`,
      `b='https://${KEY2}@sentry.io/42'`,
      `c=\`http://${KEY}@sentry.internal.example:9000/sentry/7\``,
    ].join(';');
    const found = findSentryDsns(text);
    expect(found.map((d) => [d.host, d.projectId, d.orgId, d.region])).toEqual([
      ['o12345.ingest.sentry.io', '678', '12345', null],
      ['sentry.io', '42', null, null],
      ['sentry.internal.example:9000', '7', null, null],
    ]);
    expect(found[2]?.dsn).toBe(`http://${KEY}@sentry.internal.example:9000/sentry/7`);
  });

  it('keeps a legacy secret key out of what it returns', () => {
    const secret = ['5ec7', '5ec7', '0000', '1111'].join('').repeat(2);
    const found = findSentryDsns(`dsn: "https://${KEY}:${secret}@sentry.io/99"`);
    expect(found).toHaveLength(1);
    expect(found[0]?.projectId).toBe('99');
    expect(JSON.stringify(found)).not.toContain(secret);
  });

  it('reads JSON-escaped slashes, and folds upper case and duplicates into one', () => {
    const escaped = `{"dsn":"https:\\/\\/${KEY}@o1.ingest.de.sentry.io\\/2"}`;
    const plain = `"https://${KEY.toUpperCase()}@O1.INGEST.DE.SENTRY.IO/2"`;
    const found = findSentryDsns(`${escaped}\n${plain}\n${escaped}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      host: 'o1.ingest.de.sentry.io',
      projectId: '2',
      region: 'de',
    });
  });

  it('finds the lab scenarios’ DSNs', () => {
    const [demo] = findSentryDsns(`init({dsn:${JSON.stringify(DEMO_SENTRY_DSN)}})`);
    const [healthy] = findSentryDsns(`init({dsn:${JSON.stringify(HEALTHY_SENTRY_DSN)}})`);
    expect(demo?.dsn).toBe(DEMO_SENTRY_DSN);
    expect(demo?.projectId).toBe('4507000000000001');
    expect(healthy?.dsn).toBe(HEALTHY_SENTRY_DSN);
  });

  it.each([
    ['a user name that is not a 32-hex key', 'https://deploy@example.com/123'],
    ['an e-mail-like address', `mailto:${KEY}@example.com`],
    ['a git URL with a 40-hex token', `https://${'a'.repeat(40)}@github.com/acme/123`],
    ['a 31-hex user', `https://${KEY.slice(1)}@sentry.io/1`],
    ['a non-numeric project', `https://${KEY}@sentry.io/my-project`],
    ['an id followed by more path (an endpoint, not a DSN)', `https://${KEY}@sentry.io/1/`],
    ['a host with an empty label', `https://${KEY}@sentry..io/1`],
    ['an ftp scheme', `ftp://${KEY}@sentry.io/1`],
    ['the key with no @', `https://${KEY}.sentry.io/1`],
  ])('ignores %s', (_label, text) => {
    expect(findSentryDsns(`x="${text}"`)).toEqual([]);
  });

  it('stops at MAX_DSNS', () => {
    const text = Array.from(
      { length: MAX_DSNS + 10 },
      (_, i) => `"https://${KEY}@sentry.io/${i + 1}"`,
    ).join(',');
    expect(findSentryDsns(text)).toHaveLength(MAX_DSNS);
  });

  it('reads a 2 MB minified bundle full of near misses quickly', () => {
    const chunk =
      `function a(e){return e&&e.__esModule?e:{default:e}}var u="https://cdn.example.com/x@1.2.3/",` +
      `k="https://${KEY.slice(0, 30)}@o1.ingest.sentry.io/",m="https://${KEY}@${'h'.repeat(240)}`;
    let text = '';
    while (text.length < 2 * 1024 * 1024) text += chunk;
    const dsn = `https://${KEY2}@o77.ingest.us.sentry.io/88`;
    text = `${text.slice(0, 1_000_000)}"${dsn}"${text.slice(1_000_000)}`;
    const started = performance.now();
    const found = findSentryDsns(text);
    const ms = performance.now() - started;
    expect(found.map((d) => d.dsn)).toEqual([dsn]);
    expect(ms).toBeLessThan(1_000);
  });
});
