// The Slack test alert and the Sentry inspection against the lab's fakes on loopback: the
// labelled message delivered once, every Slack error word and transport failure sorted into a
// VendorError that never carries the webhook, and Sentry's project, releases and alert rules read
// with bounded calls, every refusal naming what to fix and never the token.
import { afterEach, describe, expect, it } from 'vitest';
import { sendSlackTestAlert } from '../../src/main/core/integrations/slack';
import {
  inspectSentry,
  MAX_SENTRY_PROJECT_PAGES,
  nextSentryCursor,
} from '../../src/main/core/integrations/sentry';
import { VendorError } from '../../src/main/core/integrations/types';
import type { FakeSentryData, FakeSentryProject } from '../../src/main/core/lab/fake-sentry';
import { startFakeSentry } from '../../src/main/core/lab/fake-sentry';
import type { FakeSlackData } from '../../src/main/core/lab/fake-slack';
import { startFakeSlack } from '../../src/main/core/lab/fake-slack';
import {
  DEMO_SENTRY,
  DEMO_SENTRY_PROJECT_ID,
  DEMO_SLACK,
  HEALTHY_SENTRY,
  HEALTHY_SENTRY_PROJECT_ID,
  HEALTHY_SLACK,
  LAB_SENTRY_DEMO_TOKEN,
  LAB_SENTRY_HEALTHY_TOKEN,
  LAB_SLACK_DEMO_PATH,
  LAB_SLACK_HEALTHY_PATH,
} from '../../src/main/core/lab/scenarios/vendors/sentry-slack';

const TIMEOUT_MS = 2_000;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function slack(data: FakeSlackData) {
  const fake = await startFakeSlack(data);
  closers.push(fake.close);
  return fake;
}

async function sentry(data: FakeSentryData) {
  const fake = await startFakeSentry(data);
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

/** Everything an error shows: message, stack, details and the causes' messages. */
function allTextOf(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    const x = e as { message?: unknown; stack?: unknown; details?: unknown; cause?: unknown };
    parts.push(String(x.message ?? ''), String(x.stack ?? ''), JSON.stringify(x.details ?? {}));
    e = x.cause;
  }
  return parts.join('\n');
}

const NOW = new Date('2025-06-01T12:00:00.000Z');
const slackOpts = { timeoutMs: TIMEOUT_MS, product: 'Promptly', now: NOW };

describe('sendSlackTestAlert', () => {
  it('posts exactly one labelled test message and reports delivery', async () => {
    const fake = await slack(DEMO_SLACK);
    const result = await sendSlackTestAlert(`${fake.url}${LAB_SLACK_DEMO_PATH}`, slackOpts);
    expect(result.delivered).toBe(true);
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(fake.received).toHaveLength(1);
    const [msg] = fake.received;
    expect(msg?.method).toBe('POST');
    expect(msg?.path).toBe(LAB_SLACK_DEMO_PATH);
    expect(msg?.contentType).toMatch(/^application\/json/);
    expect(msg?.body).toEqual({
      text: 'Launch Ready test alert for Promptly — no action needed; sent at 2025-06-01T12:00:00.000Z',
    });
    // The result names no part of the webhook.
    expect(JSON.stringify(result)).not.toContain(LAB_SLACK_DEMO_PATH.split('/').pop());
  });

  it('escapes Slack markup in the product name so the alert pings no one', async () => {
    const fake = await slack(HEALTHY_SLACK);
    await sendSlackTestAlert(`${fake.url}${LAB_SLACK_HEALTHY_PATH}`, {
      ...slackOpts,
      product: '<!channel> & Co',
    });
    const text = (fake.received[0]?.body as { text: string }).text;
    expect(text).toContain('&lt;!channel&gt; &amp; Co');
    expect(text).not.toContain('<!channel>');
  });

  it.each([
    ['invalid_token', 'unauthorized', /revoked or is wrong: create a new one/],
    ['no_service', 'not-found', /does not know the Slack webhook/],
    ['channel_is_archived', 'not-found', /the channel is archived/],
    ['rate_limited', 'rate-limited', /rate-limiting/],
  ] as const)(
    'maps %s to %s in plain words, without the webhook',
    async (answer, failure, words) => {
      const path = `/services/TLAB0TEST/BLAB0TEST/${['lab', 'slack', answer].join('-')}`;
      const fake = await slack({ webhooks: { [path]: answer } });
      const webhook = `${fake.url}${path}`;
      const err = await failureOf(sendSlackTestAlert(webhook, slackOpts));
      expect(err.failure).toBe(failure);
      expect(err.message).toMatch(words);
      expect(err.details.vendor).toBe('Slack');
      expect(fake.received).toHaveLength(1); // One request, no retries.
      const shown = allTextOf(err);
      expect(shown).not.toContain(path);
      expect(shown).not.toContain(webhook);
      expect(shown).not.toContain('BLAB0TEST');
    },
  );

  it('reads an unknown path (no_service) as not found', async () => {
    const fake = await slack(DEMO_SLACK);
    const err = await failureOf(
      sendSlackTestAlert(
        `${fake.url}/services/TLAB0X/BLAB0X/${['gone', 'hook'].join('-')}`,
        slackOpts,
      ),
    );
    expect(err.failure).toBe('not-found');
    expect(err.details.status).toBe(404);
    expect(allTextOf(err)).not.toContain('gone-hook');
  });

  it('times out against a webhook that never answers', async () => {
    const fake = await slack({ ...DEMO_SLACK, mode: 'hang' });
    const started = Date.now();
    const err = await failureOf(
      sendSlackTestAlert(`${fake.url}${LAB_SLACK_DEMO_PATH}`, { ...slackOpts, timeoutMs: 300 }),
    );
    expect(err.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(allTextOf(err)).not.toContain(LAB_SLACK_DEMO_PATH);
  });

  it('reports a refused connection as unreachable', async () => {
    const fake = await slack({ ...DEMO_SLACK, mode: 'refuse' });
    const err = await failureOf(sendSlackTestAlert(`${fake.url}${LAB_SLACK_DEMO_PATH}`, slackOpts));
    expect(err.failure).toBe('unreachable');
    expect(allTextOf(err)).not.toContain(LAB_SLACK_DEMO_PATH);
  });

  it('reads HTTP 200 with a body other than "ok" as malformed', async () => {
    const fake = await slack({ ...DEMO_SLACK, mode: 'garbage' });
    const err = await failureOf(sendSlackTestAlert(`${fake.url}${LAB_SLACK_DEMO_PATH}`, slackOpts));
    expect(err.failure).toBe('malformed');
    expect(err.details.status).toBe(200);
    expect(err.message).toMatch(/not "ok"/);
    expect(allTextOf(err)).not.toContain(LAB_SLACK_DEMO_PATH);
  });

  it('refuses a webhook that is not https (or loopback http) before sending anything', async () => {
    const fake = await slack(DEMO_SLACK);
    const secretPart = ['lab', 'not', 'tls'].join('-');
    for (const bad of [
      `http://hooks.example.test/services/T1/B1/${secretPart}`,
      `ftp://127.0.0.1/services/T1/B1/${secretPart}`,
      `not a url ${secretPart}`,
      `https://user:${secretPart}@hooks.example.test/services/T1/B1/x`,
      'https://hooks.example.test/',
    ]) {
      const err = await failureOf(sendSlackTestAlert(bad, slackOpts));
      expect(err.failure).toBe('malformed');
      expect(err.message).toMatch(/Slack webhook is not usable/);
      expect(allTextOf(err)).not.toContain(secretPart);
    }
    expect(fake.received).toHaveLength(0);
  });
});

const CANARY = ['canary', 'sentry', 'token', 'c0ffee'].join('-');
const sentryOpts = (url: string, token: string) => ({ baseUrl: url, timeoutMs: TIMEOUT_MS, token });

function manyProjects(n: number, org = 'crowd'): FakeSentryProject[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(9_000_000 + i),
    slug: `app-${i}`,
    name: `App ${i}`,
    org,
  }));
}

describe('inspectSentry', () => {
  it('finds the demo project by its DSN id and reports no releases (the planted fault)', async () => {
    const fake = await sentry(DEMO_SENTRY);
    const report = await inspectSentry({
      ...sentryOpts(fake.url, LAB_SENTRY_DEMO_TOKEN),
      projectId: DEMO_SENTRY_PROJECT_ID,
    });
    expect(report).toEqual({
      project: { org: 'promptly', slug: 'promptly-web', id: DEMO_SENTRY_PROJECT_ID },
      releases: [],
      latestRelease: null,
      alertRules: [
        { name: 'Send a notification for high priority issues', actions: 1, environment: null },
      ],
    });
    // Three calls, the token in the Authorization header each time.
    expect(fake.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/api/0/projects/',
      '/api/0/organizations/promptly/releases/',
      '/api/0/projects/promptly/promptly-web/rules/',
    ]);
    expect(fake.requests.every((r) => r.token === LAB_SENTRY_DEMO_TOKEN)).toBe(true);
    expect(fake.requests[1]?.path).toContain(`project=${DEMO_SENTRY_PROJECT_ID}`);
  });

  it('reads the healthy project’s latest release, its deploy and both alert rules', async () => {
    const fake = await sentry(HEALTHY_SENTRY);
    const report = await inspectSentry(sentryOpts(fake.url, LAB_SENTRY_HEALTHY_TOKEN));
    expect(report.project).toEqual({
      org: 'steady',
      slug: 'steady-web',
      id: HEALTHY_SENTRY_PROJECT_ID,
    });
    expect(report.latestRelease).toBe('steady@1.4.0');
    expect(report.releases.map((r) => r.version)).toEqual([
      'steady@1.4.0',
      'steady@1.3.2',
      'steady@1.3.1',
    ]);
    const [latest] = report.releases;
    expect(latest?.lastDeploy?.environment).toBe('production');
    expect(Date.now() - Date.parse(latest?.lastDeploy?.dateFinished ?? '')).toBeLessThan(
      7 * 86_400_000,
    );
    expect(latest?.dateReleased).not.toBeNull();
    expect(report.alertRules).toHaveLength(2);
    expect(report.alertRules.every((r) => r.actions > 0)).toBe(true);
  });

  it('finds a project by slugs among several, and asks which when it cannot tell', async () => {
    const fake = await sentry({
      tokens: { [CANARY]: ['project:read', 'project:releases', 'alerts:read'] },
      projects: manyProjects(3),
    });
    const report = await inspectSentry({
      ...sentryOpts(fake.url, CANARY),
      orgSlug: 'crowd',
      projectSlug: 'app-2',
    });
    expect(report.project).toEqual({ org: 'crowd', slug: 'app-2', id: '9000002' });
    const err = await failureOf(inspectSentry(sentryOpts(fake.url, CANARY)));
    expect(err.failure).toBe('not-found');
    expect(err.message).toMatch(/sees 3 projects .*crowd\/app-0.*say which one/);
  });

  it('caps the releases at the first page of 25', async () => {
    const releases = Array.from({ length: 40 }, (_, i) => ({
      version: `v1.0.${i}`,
      dateCreated: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
    }));
    const fake = await sentry({
      tokens: { [CANARY]: ['project:read', 'project:releases', 'alerts:read'] },
      projects: [{ id: '77', slug: 'web', name: 'Web', org: 'acme', releases }],
    });
    const report = await inspectSentry(sentryOpts(fake.url, CANARY));
    expect(report.releases).toHaveLength(25);
    expect(report.latestRelease).toBe('v1.0.39');
    expect(fake.requests.filter((r) => r.path.includes('/releases/'))).toHaveLength(1);
  });

  it('reads an unknown token as unauthorized, without echoing it', async () => {
    const fake = await sentry(DEMO_SENTRY);
    const err = await failureOf(inspectSentry(sentryOpts(fake.url, CANARY)));
    expect(err.failure).toBe('unauthorized');
    expect(err.details.status).toBe(401);
    expect(allTextOf(err)).not.toContain(CANARY);
  });

  it('names the missing scope: project:releases for releases, project:read for projects', async () => {
    const fake = await sentry({
      tokens: { [CANARY]: ['project:read', 'alerts:read'], other: ['org:read'] },
      projects: DEMO_SENTRY.projects,
    });
    const noReleases = await failureOf(inspectSentry(sentryOpts(fake.url, CANARY)));
    expect(noReleases.failure).toBe('forbidden');
    expect(noReleases.details.permission).toBe('project:releases');
    expect(noReleases.message).toContain('"project:releases"');
    expect(allTextOf(noReleases)).not.toContain(CANARY);
    const noProjects = await failureOf(inspectSentry(sentryOpts(fake.url, 'other')));
    expect(noProjects.failure).toBe('forbidden');
    expect(noProjects.details.permission).toBe('project:read');
    expect(noProjects.message).toContain('"project:read"');
  });

  it('reports a DSN project the token cannot see as not found', async () => {
    const fake = await sentry(HEALTHY_SENTRY);
    const err = await failureOf(
      inspectSentry({
        ...sentryOpts(fake.url, LAB_SENTRY_HEALTHY_TOKEN),
        projectId: DEMO_SENTRY_PROJECT_ID,
      }),
    );
    expect(err.failure).toBe('not-found');
    expect(err.message).toContain(DEMO_SENTRY_PROJECT_ID);
    const bySlug = await failureOf(
      inspectSentry({
        ...sentryOpts(fake.url, LAB_SENTRY_HEALTHY_TOKEN),
        orgSlug: 'steady',
        projectSlug: 'no-such-app',
      }),
    );
    expect(bySlug.failure).toBe('not-found');
    expect(bySlug.message).toContain('steady/no-such-app');
  });

  it('pages through projects but stops after MAX_SENTRY_PROJECT_PAGES', async () => {
    const projects = manyProjects(60);
    const fake = await sentry({
      tokens: { [CANARY]: ['project:read', 'project:releases', 'alerts:read'] },
      projects,
      pageSize: 2,
    });
    // Found on page 3: paging works.
    const report = await inspectSentry({ ...sentryOpts(fake.url, CANARY), projectId: '9000005' });
    expect(report.project.slug).toBe('app-5');
    expect(
      fake.requests.filter(
        (r) => r.path.startsWith('/api/0/projects/?') || r.path === '/api/0/projects/',
      ),
    ).toHaveLength(3);
    fake.requests.length = 0;
    // Not among the first pages: the scan stops, it does not walk all 30.
    const err = await failureOf(
      inspectSentry({ ...sentryOpts(fake.url, CANARY), projectId: '9000059' }),
    );
    expect(err.failure).toBe('not-found');
    expect(err.message).toMatch(/among the first 10 projects/);
    expect(fake.requests).toHaveLength(MAX_SENTRY_PROJECT_PAGES);
  });

  it('times out against an API that never answers', async () => {
    const fake = await sentry({ ...DEMO_SENTRY, mode: 'hang' });
    const err = await failureOf(inspectSentry({ ...sentryOpts(fake.url, CANARY), timeoutMs: 300 }));
    expect(err.failure).toBe('timeout');
    expect(allTextOf(err)).not.toContain(CANARY);
  });

  it('reports a refused connection as unreachable', async () => {
    const fake = await sentry({ ...DEMO_SENTRY, mode: 'refuse' });
    const err = await failureOf(inspectSentry(sentryOpts(fake.url, CANARY)));
    expect(err.failure).toBe('unreachable');
  });

  it('reads an HTML answer as malformed', async () => {
    const fake = await sentry({ ...DEMO_SENTRY, mode: 'garbage' });
    const err = await failureOf(inspectSentry(sentryOpts(fake.url, LAB_SENTRY_DEMO_TOKEN)));
    expect(err.failure).toBe('malformed');
  });

  it('never puts the token in a report', async () => {
    const fake = await sentry({
      tokens: { [CANARY]: ['project:read', 'project:releases', 'alerts:read'] },
      projects: HEALTHY_SENTRY.projects,
    });
    const report = await inspectSentry(sentryOpts(fake.url, CANARY));
    expect(report.latestRelease).toBe('steady@1.4.0');
    expect(JSON.stringify(report)).not.toContain(CANARY);
    expect(fake.requests.every((r) => r.token === CANARY && !r.path.includes(CANARY))).toBe(true);
  });
});

describe('nextSentryCursor', () => {
  it('takes the cursor of rel="next" only while results="true"', () => {
    const link = (more: boolean) =>
      '<https://sentry.io/api/0/projects/?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ' +
      `<https://sentry.io/api/0/projects/?&cursor=0:100:0>; rel="next"; results="${more}"; cursor="0:100:0"`;
    expect(nextSentryCursor(link(true))).toBe('0:100:0');
    expect(nextSentryCursor(link(false))).toBeNull();
    expect(nextSentryCursor(undefined)).toBeNull();
    expect(
      nextSentryCursor('<https://x.test/?cursor=a%2Fb>; rel="next"; results="true"'),
    ).toBeNull();
  });
});
