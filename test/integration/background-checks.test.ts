/**
 * Background re-checks through the core API, against the demo lab: a watched product is
 * re-checked on its schedule, what got worse is notified once (desktop notification and a
 * 'regressions' event), and a product no longer watched stops being checked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { WorkspaceStore } from '../../src/main/core/store/workspace-store';
import type { RunEvent } from '../../src/shared/run';

const EDGE = CATALOGUE.filter((c) => c.stage === 2 && c.kind === 'probe');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function waitFor<T>(what: () => T | undefined, ms: number, label: string): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const v = what();
      if (v !== undefined) return resolve(v);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${label}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

describe('background re-checks', () => {
  it(
    'notify once what got worse, then keep quiet while it stays',
    { timeout: 90_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lr-background-'));
      dirs.push(dir);
      const store = new WorkspaceStore(dir);
      const first = createCoreApi({
        dataDir: dir,
        transport: 'web',
        version: 't',
        catalogue: EDGE,
      });
      const demo = await first.handlers.openDemo({});
      const baseline = await first.handlers.runChecks({ workspaceId: demo.id });
      await first.dispose();
      const failing = baseline.results.find((r) => r.id === 'edge.tls.certificate');
      expect(failing?.status).toBe('fail');
      // The run before, as it would have been before the certificate went wrong.
      await store.appendRun(demo.id, {
        ...baseline,
        runId: `${baseline.runId}-before`,
        results: baseline.results.map((r) => (r.id === failing?.id ? { ...r, status: 'pass' } : r)),
      });
      await store.save({ ...(await store.get(demo.id)), watch: { every: '1s' } });

      const notes: { title: string; body: string }[] = [];
      const events: RunEvent[] = [];
      const api = createCoreApi({
        dataDir: dir,
        transport: 'electron',
        version: 't',
        catalogue: EDGE,
        notify: (n) => notes.push(n),
      });
      api.onRunEvent((e) => events.push(e));
      try {
        const regression = await waitFor(
          () => events.find((e) => e.type === 'regressions'),
          45_000,
          'a regressions event',
        );
        expect(regression).toMatchObject({ workspaceId: demo.id, workspaceName: demo.name });
        const ids =
          regression.type === 'regressions' ? regression.regressions.map((r) => r.id) : [];
        expect(ids).toEqual(['edge.tls.certificate']);
        expect(notes).toHaveLength(1);
        expect(notes[0]?.title).toBe(`${demo.name}: something got worse`);
        expect(notes[0]?.body).toMatch(/^HTTPS certificate/);
        // The next scheduled run: the failure stays, and nothing new is said.
        const finished = () => events.filter((e) => e.type === 'run-finished').length;
        const now = finished();
        await waitFor(() => (finished() > now ? true : undefined), 45_000, 'the next run');
        // The run is stored just after its last event, and judged right after that.
        let stored = 0;
        for (let i = 0; i < 200 && stored < 4; i++) {
          stored = (await api.handlers.listRuns({ workspaceId: demo.id })).length;
          if (stored < 4) await new Promise((r) => setTimeout(r, 50));
        }
        expect(stored).toBeGreaterThanOrEqual(4);
        await new Promise((r) => setTimeout(r, 200));
        expect(events.filter((e) => e.type === 'regressions')).toHaveLength(1);
        expect(notes).toHaveLength(1);
      } finally {
        await api.dispose();
      }
    },
  );

  it('stops re-checking a product that is no longer watched', { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lr-background-'));
    dirs.push(dir);
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't', catalogue: [] });
    try {
      const ws = await api.handlers.createWorkspace({ domain: 'quiet.example' });
      await api.handlers.updateWorkspace({ workspaceId: ws.id, watch: { every: '1s' } });
      await api.handlers.updateWorkspace({ workspaceId: ws.id, watch: null });
      await new Promise((r) => setTimeout(r, 2500));
      expect(await api.handlers.listRuns({ workspaceId: ws.id })).toEqual([]);
      const bad = await api.invoke('updateWorkspace', {
        workspaceId: ws.id,
        watch: { every: '0s' },
      });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(bad.ok ? '' : bad.error.message).toMatch(/Background re-check: .*between 1s and 30d/);
    } finally {
      await api.dispose();
    }
  });
});
