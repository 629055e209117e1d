/**
 * Stage 6 from the command line on a real product (the healthy lab standing in for the
 * internet): tokens from LAUNCH_READY_<NAME>_TOKEN, vendor APIs from LAUNCH_READY_<NAME>_API_URL.
 * Canary tokens never reach the output; without any keychain the integrations are skipped.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab } from '../../src/main/core/lab/lab';
import type { LabVendors } from '../../src/main/core/lab/lab-vendors';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { assertCliBuilt, cli, labNetworkArgs } from '../support/run-cli';

const SENTRY = ['sntrys', 'cli', 'canary', 'Mf40Vq'].join('-');
const BETTERSTACK = ['bs', 'cli', 'canary', 'Yx21Pa'].join('-');
const INTEGRATION = new Set(
  CATALOGUE.filter((c) => c.stage === 6 && c.kind === 'integration').map((c) => c.id),
);

interface Doc {
  results: { id: string; stage: number; status: string; summary: string }[];
}

const HEALTHY = getScenario('healthy');
const V = HEALTHY.vendors as LabVendors;

describe('check DOMAIN: stage 6 with tokens from the environment', () => {
  let lab: RunningLab;
  let dir: string;
  let base: string[];

  beforeAll(async () => {
    assertCliBuilt();
    lab = await startLab(
      composeScenario(HEALTHY, {
        vendors: {
          ...V,
          betterstack: V.betterstack && { ...V.betterstack, tokens: { [BETTERSTACK]: 'ok' } },
          sentry: V.sentry && {
            ...V.sentry,
            tokens: { [SENTRY]: Object.values(V.sentry.tokens)[0] as string[] },
          },
          tokens: {},
        },
      }),
    );
    dir = await mkdtemp(join(tmpdir(), 'lr-monitor-cli-'));
    const ca = join(dir, 'lab-ca.pem');
    await writeFile(ca, lab.caPem);
    base = [
      'check',
      'steady-ai.test',
      '--json',
      '--host',
      'app.steady-ai.test',
      '--host',
      'api.steady-ai.test',
      ...labNetworkArgs(lab, ca),
    ];
  });
  afterAll(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads Better Stack and Sentry with the saved tokens and prints no token', async () => {
    const r = await cli(base, {
      LAUNCH_READY_BETTERSTACK_TOKEN: BETTERSTACK,
      LAUNCH_READY_BETTERSTACK_API_URL: lab.net.vendors?.betterstack,
      LAUNCH_READY_SENTRY_TOKEN: SENTRY,
      LAUNCH_READY_SENTRY_API_URL: lab.net.vendors?.sentry,
      // No keychain at all: the other vendors are simply not connected.
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/launch-ready-test-bus',
    });
    expect(r.code, r.stderr).toBe(0);
    const byId = new Map((JSON.parse(r.stdout) as Doc).results.map((x) => [x.id, x]));
    expect(byId.get('monitor.errors.releases')?.status).toBe('pass');
    expect(byId.get('monitor.errors.alerts')?.status).toBe('pass');
    // A monitor per address needs the product's routes; the CLI knows the usual ones.
    expect(byId.get('monitor.uptime.coverage')?.status).not.toBe('skipped');
    expect(byId.get('monitor.uptime.coverage')?.summary).toMatch(/Better Stack/);
    const slack = byId.get('monitor.alerts.slack');
    expect(slack?.status).toBe('skipped');
    expect(slack?.summary).toMatch(/no keychain .*LAUNCH_READY_SLACK_TOKEN/);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(SENTRY);
      expect(text).not.toContain(BETTERSTACK);
    }
  });

  it('skips every integration without tokens or keychain, saying how to connect', async () => {
    const r = await cli(base, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/lr-bus' });
    expect(r.code, r.stderr).toBe(0);
    const results = (JSON.parse(r.stdout) as Doc).results.filter((x) => INTEGRATION.has(x.id));
    expect(results.length).toBe(INTEGRATION.size);
    for (const x of results) {
      expect(x.status, x.id).toBe('skipped');
      expect(x.summary, x.id).toMatch(
        /LAUNCH_READY_[A-Z]+_TOKEN|not connected|no uptime monitor is connected/,
      );
    }
  });

  it('refuses an API URL that is not https, with exit code 2', async () => {
    const r = await cli(base, { LAUNCH_READY_SENTRY_API_URL: 'http://sentry.example.com/api/0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LAUNCH_READY_SENTRY_API_URL must be an https:\/\/ address/);
  });
});
