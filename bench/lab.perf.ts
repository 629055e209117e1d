/**
 * Speed figures (npm run bench, never part of npm test): a full run of the automated checks against the lab, one DNS
 * round trip, one TLS handshake, and a store append with a full history. Figures are printed,
 * never asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CATALOGUE } from '../src/main/core/checks/catalogue';
import { planRun } from '../src/main/core/engine/plan';
import { executeRun } from '../src/main/core/engine/run';
import type { RunningLab } from '../src/main/core/lab/lab';
import { labWorkspace, startLab, workspaceFromScenario } from '../src/main/core/lab/lab';
import { getScenario } from '../src/main/core/lab/scenarios';
import { queryDns } from '../src/main/core/probes/dns';
import { networkEmailDns } from '../src/main/core/probes/email/email-dns';
import { checkHost, inspectSpf } from '../src/main/core/probes/email/spf';
import { probeTls } from '../src/main/core/probes/tls';
import { WorkspaceStore } from '../src/main/core/store/workspace-store';
import type { RunRecord } from '../src/shared/run';

let demo: RunningLab;
let healthy: RunningLab;
let dir: string;
let store: WorkspaceStore;
let sample: RunRecord;

beforeAll(async () => {
  demo = await startLab(getScenario('demo'));
  healthy = await startLab(getScenario('healthy'));
  dir = await mkdtemp(join(tmpdir(), 'lr-bench-'));
  store = new WorkspaceStore(dir);
  const ws = workspaceFromScenario(getScenario('demo'), 'bench');
  await store.save(ws);
  sample = await executeRun(planRun(CATALOGUE, ws), ws, demo.net, {
    credentials: demo.credentials,
  });
  for (let i = 0; i < 50; i++) await store.appendRun('bench', sample);
});
const figures: string[] = [];
afterAll(async () => {
  await Promise.all([demo?.stop(), healthy?.stop()]);
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(
    `\nIn-process figures (median and p95 over the iterations):\n${figures.join('\n')}\n`,
  );
});

/** Runs fn a fixed number of times after a warm-up and records median, p95 and heap growth. */
function bench(label: string, fn: () => Promise<unknown>, iterations = 30, warmups = 3): void {
  it(
    label,
    async () => {
      for (let i = 0; i < warmups; i++) await fn();
      const heap0 = process.memoryUsage().heapUsed;
      const times: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
      const heap = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
      figures.push(
        `  ${label.padEnd(52)} median ${at(0.5).toFixed(1).padStart(7)} ms   p95 ${at(0.95).toFixed(1).padStart(7)} ms   heap ${heap >= 0 ? '+' : ''}${heap.toFixed(1)} MiB   (n=${iterations})`,
      );
    },
    300_000,
  );
}

// A full run now takes seconds, not milliseconds: stage 4 times pages that are slow on purpose
// (the demo's 700 ms dashboard, its 1.5 s+ report) and sends a 3 s load burst. A few runs
// say enough; bench/recheck.perf.ts breaks a demo re-check down check by check.
describe('runs against the lab', () => {
  bench(
    'demo scenario: all automated checks',
    async () => {
      const ws = await labWorkspace(demo, 'demo');
      await executeRun(planRun(CATALOGUE, ws), ws, demo.net);
    },
    3,
    1,
  );
  bench(
    'healthy scenario: all automated checks',
    async () => {
      const ws = await labWorkspace(healthy, 'healthy');
      await executeRun(planRun(CATALOGUE, ws), ws, healthy.net);
    },
    3,
    1,
  );
});

describe('probes', () => {
  bench('DNS A query over UDP', async () => {
    await queryDns('app.promptly-ai.test', 'A', demo.net);
  });
  bench('TLS handshake and certificate inspection', async () => {
    await probeTls(
      { host: 'promptly-ai.test', address: '127.0.0.1', port: demo.web.httpsPort },
      demo.net,
    );
  });
});

// Stage 5 is DNS only: the whole stage should cost well under a second even with the demo's
// SPF record walking 11 lookups and DKIM trying twenty selectors.
describe('email', () => {
  bench('stage 5: every email check on the demo', async () => {
    const ws = workspaceFromScenario(demo.scenario, 'demo');
    const ids = CATALOGUE.filter((c) => c.stage === 5).map((c) => c.id);
    await executeRun(planRun(CATALOGUE, ws, ids), ws, demo.net);
  });
  bench('SPF inspection of the demo record (11 lookups)', async () => {
    await inspectSpf('promptly-ai.test', networkEmailDns(demo.net));
  });
  bench('SPF check_host for a Google address on the demo', async () => {
    await checkHost(
      { ip: '203.0.113.9', domain: 'promptly-ai.test', sender: 'a@promptly-ai.test', helo: 'x' },
      networkEmailDns(demo.net),
    );
  });
});

describe('store', () => {
  bench('append a run to a 50-run history (atomic replace)', async () => {
    await store.appendRun('bench', sample);
  });
});

// Stage 3 reads the generated repository (git history, env files, lockfile) and asks the lab's
// npm registry, running the real npm audit when npm is installed: its cost is local work.
describe('deployment safety', () => {
  bench(
    'stage 3: every repository check on the demo',
    async () => {
      const ws = await labWorkspace(demo, 'demo');
      const ids = CATALOGUE.filter((c) => c.stage === 3).map((c) => c.id);
      await executeRun(planRun(CATALOGUE, ws, ids), ws, demo.net);
    },
    10,
    1,
  );
});

// Stage 6 calls the vendors (the lab's fake UptimeRobot, Sentry, Slack and Cloudflare on
// loopback) and probes the health endpoint and every certificate: network round trips only.
describe('monitoring', () => {
  bench(
    'stage 6: every monitoring check on the demo (fake vendors)',
    async () => {
      const ws = workspaceFromScenario(demo.scenario, 'demo');
      const ids = CATALOGUE.filter((c) => c.stage === 6).map((c) => c.id);
      await executeRun(planRun(CATALOGUE, ws, ids), ws, demo.net, {
        credentials: demo.credentials,
      });
    },
    10,
    1,
  );
});
