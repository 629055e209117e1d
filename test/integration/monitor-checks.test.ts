/**
 * Stage 6 (monitoring) checks through the engine, against the lab's sites and its fake
 * UptimeRobot, Better Stack, Sentry and Slack on loopback. Each fault is a small change to the
 * healthy product's vendor accounts or tokens.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { Workspace } from '../../src/shared/workspace';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabVendors } from '../../src/main/core/lab/lab-vendors';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { LAB_BETTERSTACK_FORBIDDEN_TOKEN } from '../../src/main/core/lab/scenarios/vendors/uptime';

const STAGE6 = CATALOGUE.filter((c) => c.stage === 6 && c.kind !== 'ask').map((c) => c.id);
const INTEGRATION = CATALOGUE.filter((c) => c.stage === 6 && c.kind === 'integration').map(
  (c) => c.id,
);
const SHORT = { dnsMs: 300, connectMs: 600, requestMs: 800 };
const DEMO = getScenario('demo');
const HEALTHY = getScenario('healthy');

type Results = Record<string, CheckResult>;

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

/** The healthy product with some of its vendor accounts or tokens changed. */
function healthyWith(patch: Partial<LabVendors>): LabScenario {
  const v = HEALTHY.vendors as LabVendors;
  return composeScenario(HEALTHY, {
    vendors: { ...v, ...patch, tokens: { ...v.tokens, ...patch.tokens } },
  });
}

async function run(
  scenario: LabScenario,
  opts: { short?: boolean; tweak?: (ws: Workspace) => void } = {},
): Promise<{ lab: RunningLab; results: Results; ms: number }> {
  const lab = await startLab(scenario, { timeouts: opts.short ? SHORT : undefined });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, `monitor-${labs.length}`);
  opts.tweak?.(ws);
  const t0 = performance.now();
  const record = await executeRun(planRun(CATALOGUE, ws, STAGE6), ws, lab.net, {
    checkTimeoutMs: 20_000,
    credentials: lab.credentials,
  });
  return {
    lab,
    results: Object.fromEntries(record.results.map((r) => [r.id, r])),
    ms: performance.now() - t0,
  };
}

const statuses = (results: Results) =>
  Object.fromEntries(Object.values(results).map((r) => [r.id, r.status]));

describe('stage 6 against the demo: every planted fault is found', () => {
  it('finds unwatched pages, a rare silent monitor, an expiring certificate and no releases', async () => {
    const { lab, results } = await run(DEMO);
    expect(statuses(results)).toEqual({
      'monitor.health.endpoint': 'pass',
      'monitor.uptime.coverage': 'fail',
      'monitor.uptime.alerting': 'fail',
      'monitor.tls.expiry': 'fail',
      'monitor.errors.tracking': 'pass',
      'monitor.errors.releases': 'fail',
      'monitor.errors.alerts': 'pass',
      'monitor.alerts.slack': 'pass',
    });
    const coverage = results['monitor.uptime.coverage'] as CheckResult;
    expect(coverage.summary).toMatch(/^UptimeRobot does not watch the login page/);
    expect(coverage.summary).toContain('https://app.promptly-ai.test/login');
    expect(coverage.summary).toContain('https://api.promptly-ai.test/webhooks/stripe');
    expect(coverage.summary).not.toMatch(/home page/);
    expect(
      (coverage.evidence.monitors as { name: string; vendor: string }[]).map((m) => m.vendor),
    ).toContain('UptimeRobot');

    expect(results['monitor.uptime.alerting']?.summary).toMatch(
      /the health page \(every 15 min\) is checked less often than every 5 minutes; the health page alerts no one/,
    );
    expect(results['monitor.tls.expiry']?.summary).toMatch(
      /app\.promptly-ai\.test expires in 1[12] days/,
    );
    expect(results['monitor.errors.tracking']?.summary).toMatch(
      /Sentry \(project 4507000000000001/,
    );
    expect(results['monitor.errors.releases']?.summary).toMatch(
      /Sentry has no release for promptly\/promptly-web/,
    );

    // Exactly one message, labelled as a test, naming the product.
    const sent = lab.vendors.slackMessages();
    expect(sent).toHaveLength(1);
    expect((sent[0]?.body as { text: string }).text).toMatch(
      /^Launch Ready test alert for Promptly .*no action needed/,
    );
  });
});

describe('stage 6 against the healthy product', () => {
  it('passes every automated check, with the release the site runs', async () => {
    const { results } = await run(HEALTHY);
    expect(statuses(results)).toEqual(Object.fromEntries(STAGE6.map((id) => [id, 'pass'])));
    const releases = results['monitor.errors.releases'] as CheckResult;
    expect(releases.evidence).toMatchObject({
      latestRelease: 'steady@1.4.0',
      deployedRelease: 'steady@1.4.0',
    });
    expect(results['monitor.uptime.coverage']?.evidence.monitors).toHaveLength(4);
    expect(results['monitor.tls.expiry']?.summary).toMatch(/Better Stack warns before/);
  });

  it('warns when the site runs a release Sentry does not know as its latest', async () => {
    const v = HEALTHY.vendors as LabVendors;
    const sentry = structuredClone(v.sentry);
    const project = sentry?.projects[0];
    if (!project?.releases) throw new Error('the healthy Sentry project has releases');
    project.releases = project.releases.filter((r) => r.version !== 'steady@1.4.0');
    const { results } = await run(healthyWith({ sentry }));
    expect(results['monitor.errors.releases']?.status).toBe('warn');
    expect(results['monitor.errors.releases']?.summary).toMatch(
      /site runs release steady@1\.4\.0, but Sentry’s latest release for steady\/steady-web is steady@1\.3\.2/,
    );
  });
});

describe('stage 6 without accounts', () => {
  it('skips what needs an account, saying how to connect it, and still reads the site', async () => {
    // No token saved for any vendor (the accounts exist; nobody connected them).
    const bare = composeScenario(HEALTHY, {
      vendors: { ...(HEALTHY.vendors as LabVendors), tokens: {} },
    });
    const none = (await run(bare)).results;
    for (const id of INTEGRATION) {
      expect(none[id]?.status, id).toBe('skipped');
      expect(none[id]?.summary, id).toMatch(/not connected|no uptime monitor is connected/);
      expect(none[id]?.summary, id).toMatch(/launch-ready secrets set/);
    }
    expect(none['monitor.errors.tracking']?.status).toBe('pass');
    expect(none['monitor.health.endpoint']?.status).toBe('pass');
    expect(none['monitor.tls.expiry']?.status).toBe('warn');
    expect(none['monitor.tls.expiry']?.summary).toMatch(/no uptime tool is connected/);
  });

  it('sends no Slack message unless the founder opted in', async () => {
    const { lab, results } = await run(HEALTHY, { tweak: (ws) => (ws.optIns = {}) });
    expect(results['monitor.alerts.slack']?.status).toBe('skipped');
    expect(results['monitor.alerts.slack']?.summary).toMatch(/^Not run: .*optIns\.slackTestAlert/);
    expect(lab.vendors.slackMessages()).toHaveLength(0);
  });
});

describe('stage 6 when a vendor says no, or never answers', () => {
  const failure = (r: CheckResult | undefined) => r?.evidence.failure;

  it('a wrong token or revoked webhook is an error in plain words, never the token', async () => {
    const wrong = ['wrong', 'token', 'zz91'].join('-');
    const { results } = await run(
      healthyWith({
        tokens: { betterstack: wrong, sentry: wrong, slack: '/services/T000/B000/gone9x7q' },
      }),
    );
    for (const id of INTEGRATION) expect(results[id]?.status, id).toBe('error');
    expect(failure(results['monitor.uptime.coverage'])).toBe('unauthorized');
    expect(failure(results['monitor.errors.releases'])).toBe('unauthorized');
    expect(failure(results['monitor.alerts.slack'])).toBe('not-found');
    expect(results['monitor.uptime.coverage']?.summary).toMatch(
      /^Could not decide: .*Better Stack/,
    );
    expect(JSON.stringify(results)).not.toContain(wrong);
    expect(JSON.stringify(results)).not.toContain('gone9x7q');
  });

  it('a token without a permission names the permission', async () => {
    const v = HEALTHY.vendors as LabVendors;
    const sentry = structuredClone(v.sentry);
    const narrow = ['narrow', 'sentry', 'token'].join('-');
    if (!sentry) throw new Error('the healthy product has Sentry');
    sentry.tokens[narrow] = ['org:read', 'project:read'];
    const { results } = await run(
      healthyWith({
        sentry,
        tokens: { betterstack: LAB_BETTERSTACK_FORBIDDEN_TOKEN, sentry: narrow },
      }),
    );
    expect(failure(results['monitor.uptime.coverage'])).toBe('forbidden');
    const releases = results['monitor.errors.releases'] as CheckResult;
    expect(releases.status).toBe('error');
    expect(failure(releases)).toBe('forbidden');
    expect(releases.evidence.permission).toBe('project:releases');
    expect(releases.summary).toContain('project:releases');
  });

  it('a vendor that never answers is an error within the time limits', async () => {
    const v = HEALTHY.vendors as LabVendors;
    const { results, ms } = await run(
      healthyWith({
        betterstack: { ...(v.betterstack as NonNullable<LabVendors['betterstack']>), mode: 'hang' },
        sentry: { ...(v.sentry as NonNullable<LabVendors['sentry']>), mode: 'hang' },
        slack: { ...(v.slack as NonNullable<LabVendors['slack']>), mode: 'hang' },
      }),
      { short: true },
    );
    for (const id of INTEGRATION) {
      expect(results[id]?.status, id).toBe('error');
      expect(failure(results[id]), id).toBe('timeout');
      expect(results[id]?.durationMs, id).toBeLessThan(8000);
    }
    expect(ms).toBeLessThan(15_000);
  });

  it('an answer that is not the documented shape is an error, not a pass', async () => {
    const v = HEALTHY.vendors as LabVendors;
    const { results } = await run(
      healthyWith({
        betterstack: {
          ...(v.betterstack as NonNullable<LabVendors['betterstack']>),
          mode: 'garbage',
        },
        sentry: { ...(v.sentry as NonNullable<LabVendors['sentry']>), mode: 'garbage' },
        slack: { ...(v.slack as NonNullable<LabVendors['slack']>), mode: 'garbage' },
      }),
    );
    for (const id of INTEGRATION) {
      expect(results[id]?.status, id).toBe('error');
      expect(failure(results[id]), id).toBe('malformed');
    }
  });
});

describe('the health endpoint when the founder named none', () => {
  const noHealthRoute = (ws: Workspace) => {
    ws.routes = ws.routes.filter((r) => r.key !== 'health');
  };

  it('finds it at a usual address and times it', async () => {
    const { results } = await run(HEALTHY, { tweak: noHealthRoute });
    const health = results['monitor.health.endpoint'] as CheckResult;
    expect(health.status).toBe('pass');
    expect(health.evidence.url).toBe('https://api.steady-ai.test/health');
  });

  it('fails, listing what it tried, when no usual address answers 200', async () => {
    const gone = composeScenario(HEALTHY, {
      sites: { 'api.steady-ai.test': { routes: [{ path: '/health', status: 404 }] } },
    });
    const { results } = await run(gone, { tweak: noHealthRoute });
    const health = results['monitor.health.endpoint'] as CheckResult;
    expect(health.status).toBe('fail');
    expect(health.summary).toMatch(/^No health endpoint found/);
    const tried = health.evidence.tried as { url: string; status: number | null }[];
    expect(tried.map((t) => t.url)).toContain('https://api.steady-ai.test/health');
    expect(tried.length).toBeLessThanOrEqual(6);
    expect(tried.every((t) => t.status !== 200)).toBe(true);
  });
});
