import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import { workspaceFromScenario } from '../../src/main/core/lab/lab';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { WorkspaceStore } from '../../src/main/core/store/workspace-store';
import type { RunEvent } from '../../src/shared/run';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lr-core-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('core api runs', () => {
  it('joins two re-checks started in the same tick into one run', async () => {
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    try {
      const demo = await api.handlers.openDemo({});
      const starts: RunEvent[] = [];
      api.onRunEvent((e) => e.type === 'run-started' && starts.push(e));
      const [a, b] = await Promise.all([
        api.handlers.runChecks({ workspaceId: demo.id }),
        api.handlers.runChecks({ workspaceId: demo.id }),
      ]);
      expect(a.runId).toBe(b.runId);
      expect(starts).toHaveLength(1);
      expect(await api.handlers.listRuns({ workspaceId: demo.id })).toHaveLength(1);
    } finally {
      await api.dispose();
    }
  });

  it('stops a run in progress on shutdown, promptly, and keeps it out of the history', async () => {
    await new WorkspaceStore(dir).save(workspaceFromScenario(getScenario('blackhole'), 'void'));
    const api = createCoreApi({
      dataDir: dir,
      transport: 'web',
      version: 't',
      checkTimeoutMs: 20_000,
    });
    const started = new Promise<void>((resolve) =>
      api.onRunEvent((e) => e.type === 'check-started' && resolve()),
    );
    const run = api.handlers.runChecks({ workspaceId: 'void' });
    run.catch(() => undefined);
    await started;
    const t0 = performance.now();
    await api.dispose();
    expect(performance.now() - t0).toBeLessThan(2000);
    await expect(run).rejects.toThrow(/stopped because Launch Ready is closing/);
    const fresh = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    expect(await fresh.handlers.listRuns({ workspaceId: 'void' })).toEqual([]);
    await fresh.dispose();
  });
});
