/**
 * Stages 6 and 2 (Cloudflare) through the core API, as the app runs it: a real product's tokens come from the vault
 * (here its LAUNCH_READY_<NAME>_TOKEN override), the checks call the lab's fake vendors, the
 * dashboard is built from the stored runs — and canary tokens never appear in results, run
 * events, the files on disk, the dashboard or anything the renderer is given.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/run';
import { createCoreApi } from '../../src/main/core/api';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabVendors } from '../../src/main/core/lab/lab-vendors';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { WorkspaceStore } from '../../src/main/core/store/workspace-store';
import { openVault } from '../../src/main/core/vault';

/** Joined at run time; each is what a founder would have saved for one vendor. */
const CANARY = {
  cloudflare: ['cf', 'canary', 'Qz81Lm27Xw'].join('-'),
  uptimerobot: ['ur', 'canary', 'Pk44Rt09Jd'].join('-'),
  betterstack: ['bs', 'canary', 'Hv62Ns35Yc'].join('-'),
  sentry: ['sntrys', 'canary', 'Wd17Gb88Tf'].join('-'),
  llm: ['llm', 'canary', 'Mb30Xe64Ro'].join('-'),
  slackPath: `/services/TCANARY1/BCANARY1/${['sl', 'canary', 'Ze53Uq71Ka'].join('-')}`,
};
const SECRETS = [
  CANARY.cloudflare,
  CANARY.uptimerobot,
  CANARY.betterstack,
  CANARY.sentry,
  CANARY.llm,
  CANARY.slackPath.split('/').at(-1) as string,
];

const HEALTHY = getScenario('healthy');
const V = HEALTHY.vendors as LabVendors;
/** The healthy product's vendor accounts, accepting the canaries as their tokens. */
const scenario = composeScenario(HEALTHY, {
  vendors: {
    ...V,
    cloudflare: V.cloudflare && {
      ...V.cloudflare,
      tokens: {
        [CANARY.cloudflare]: Object.values(V.cloudflare.tokens)[0] as NonNullable<
          LabVendors['cloudflare']
        >['tokens'][string],
      },
    },
    betterstack: V.betterstack && { ...V.betterstack, tokens: { [CANARY.betterstack]: 'ok' } },
    // A second uptime tool with nothing on it yet: its monitors add to Better Stack's.
    uptimerobot: { keys: { [CANARY.uptimerobot]: 'account' }, monitors: [] },
    sentry: V.sentry && {
      ...V.sentry,
      tokens: { [CANARY.sentry]: Object.values(V.sentry.tokens)[0] as string[] },
    },
    slack: { webhooks: { [CANARY.slackPath]: 'ok' } },
    tokens: {},
  },
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('stage 6 for a real product, through the core API', () => {
  let lab: RunningLab;
  let dir: string;
  let api: ReturnType<typeof createCoreApi>;
  const events: RunEvent[] = [];

  beforeAll(async () => {
    lab = await startLab(scenario);
    dir = await mkdtemp(join(tmpdir(), 'lr-monitor-api-'));
    const slackOrigin = lab.vendors.slackOrigin ?? '';
    // A product of the user's own, not a lab one: no `lab` field, tokens from the vault.
    const { lab: _omit, ...real } = {
      ...workspaceFromScenario(scenario, 'steady'),
      optIns: { loginRateLimit: false, slackTestAlert: true },
    };
    void _omit;
    await new WorkspaceStore(dir).save(real);
    api = createCoreApi({
      dataDir: dir,
      transport: 'web',
      version: 't',
      internet: lab.net,
      vault: openVault({
        env: {
          LAUNCH_READY_CLOUDFLARE_TOKEN: CANARY.cloudflare,
          LAUNCH_READY_BETTERSTACK_TOKEN: CANARY.betterstack,
          LAUNCH_READY_UPTIMEROBOT_TOKEN: CANARY.uptimerobot,
          LAUNCH_READY_SENTRY_TOKEN: CANARY.sentry,
          // Every integration from the environment: this test has no keychain to ask.
          LAUNCH_READY_LLM_TOKEN: CANARY.llm,
          LAUNCH_READY_SLACK_TOKEN: `${slackOrigin}${CANARY.slackPath}`,
        },
      }),
    });
    api.onRunEvent((e) => events.push(e));
  });
  afterAll(async () => {
    await api?.dispose();
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs stage 6 with the vault’s tokens and passes', async () => {
    const run = await api.handlers.runChecks({ workspaceId: 'steady' });
    const stage6 = run.results.filter((r) => r.stage === 6 && r.status !== 'unanswered');
    expect(Object.fromEntries(stage6.map((r) => [r.id, r.status]))).toEqual(
      Object.fromEntries(stage6.map((r) => [r.id, 'pass'])),
    );
    expect(stage6.map((r) => r.id)).toContain('monitor.alerts.slack');
    expect(lab.vendors.slackMessages()).toHaveLength(1);
    // Stage 2 reads the Cloudflare zone with the same vault.
    const cloudflare = run.results.filter((r) => r.id.startsWith('edge.cloudflare.'));
    expect(cloudflare).toHaveLength(5);
    for (const r of cloudflare) expect(r.status, r.id).toBe('pass');
  });

  it('builds the dashboard from the stored runs', async () => {
    await api.handlers.runChecks({ workspaceId: 'steady' });
    const d = await api.handlers.getDashboard({ workspaceId: 'steady' });
    expect(d.runs).toBe(2);
    expect(d.availability).toMatchObject({ percent: 100, measured: 2 });
    expect(d.availability.monitors.map((m) => m.name)).toEqual([
      'Steady home',
      'Steady login',
      'Steady API health',
      'Steady Stripe webhook',
    ]);
    expect(d.availability.monitors.every((m) => m.status === 'up')).toBe(true);
    expect(d.latency).toHaveLength(2);
    for (const p of d.latency) {
      expect(p.p95Ms).toBeGreaterThan(0);
      expect(p.healthMs).toBeGreaterThanOrEqual(0);
    }
    expect(d.errors.map((e) => e.failing)).toEqual([0, 0]);
    expect(d.releases[0]).toMatchObject({ version: 'steady@1.4.0', environment: 'production' });
  });

  it('shows the renderer only "set", the source and 4 characters', async () => {
    const r = await api.invoke('listCredentials', { workspaceId: 'steady' });
    expect(r.ok).toBe(true);
    const list = (r as { value: { integration: string; set: boolean; source: string | null }[] })
      .value;
    expect(list.filter((c) => c.set).map((c) => c.integration)).toEqual([
      'cloudflare',
      'uptimerobot',
      'betterstack',
      'slack',
      'sentry',
      'llm',
    ]);
    expect(list.find((c) => c.integration === 'sentry')).toEqual({
      integration: 'sentry',
      set: true,
      last4: CANARY.sentry.slice(-4),
      source: 'env',
    });
    for (const s of SECRETS) expect(JSON.stringify(r)).not.toContain(s);
  });

  it('keeps every canary out of results, events, stored files and the dashboard', async () => {
    const seen = [
      JSON.stringify(await api.invoke('listRuns', { workspaceId: 'steady' })),
      JSON.stringify(await api.invoke('getLastRun', { workspaceId: 'steady' })),
      JSON.stringify(await api.invoke('getDashboard', { workspaceId: 'steady' })),
      JSON.stringify(await api.invoke('getWorkspace', { workspaceId: 'steady' })),
      JSON.stringify(events),
    ];
    for (const f of await filesUnder(dir)) seen.push(await readFile(f, 'utf8'));
    expect(seen.join('').length).toBeGreaterThan(10_000);
    for (const text of seen) for (const s of SECRETS) expect(text).not.toContain(s);
  });
});

describe('stage 6 for the demo, through the core API', () => {
  it('connects the lab’s own accounts and refuses to store a token for them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lr-monitor-demo-'));
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    try {
      const demo = await api.handlers.openDemo({});
      const creds = await api.handlers.listCredentials({ workspaceId: demo.id });
      expect(creds.filter((c) => c.set).map((c) => [c.integration, c.source, c.last4])).toEqual([
        ['cloudflare', 'lab', null],
        ['uptimerobot', 'lab', null],
        ['slack', 'lab', null],
        ['sentry', 'lab', null],
        // The demo's AI endpoint key, for the prompt-injection check (stage 1).
        ['llm', 'lab', null],
      ]);
      const refused = await api.invoke('setCredential', {
        workspaceId: demo.id,
        integration: 'sentry',
        secret: 'anything-1234567890',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(JSON.stringify(refused)).not.toContain('anything-1234567890');

      await api.handlers.runChecks({ workspaceId: demo.id });
      const d = await api.handlers.getDashboard({ workspaceId: demo.id });
      expect(d.availability.monitors.map((m) => m.vendor)).toContain('UptimeRobot');
      expect(d.availability.monitors.some((m) => /health/i.test(m.name))).toBe(true);
      // The planted fault: Sentry has no release.
      expect(d.releases).toEqual([]);
    } finally {
      await api.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad integration name or an empty token at the boundary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lr-monitor-bad-'));
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    try {
      const demo = await api.handlers.openDemo({});
      const bad = await api.invoke('setCredential', {
        workspaceId: demo.id,
        integration: 'github',
        secret: 'x-1234567890',
      });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      const empty = await api.invoke('setCredential', {
        workspaceId: demo.id,
        integration: 'slack',
        secret: '',
      });
      expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    } finally {
      await api.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
