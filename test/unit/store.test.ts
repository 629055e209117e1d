import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/shared/run';
import type { Workspace } from '../../src/shared/workspace';
import {
  SCHEMA_VERSION,
  StoreError,
  WorkspaceStore,
} from '../../src/main/core/store/workspace-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lr-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function workspace(id: string): Workspace {
  return {
    id,
    name: `Product ${id}`,
    domain: `${id}.example`,
    hosts: [{ name: `${id}.example`, confirmed: true }],
    routes: [{ key: 'home', host: `${id}.example`, path: '/' }],
    dkimSelectors: [],
    integrations: {},
    answers: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

function run(n: number, workspaceId: string): RunRecord {
  return {
    runId: `run-${n}`,
    workspaceId,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, n, 5)).toISOString(),
    results: [],
    verdict: { demoReady: false, headline: 'x', blockers: [], risks: [], score: null, stages: [] },
    diff: { previousRunId: null, newFailures: [], fixed: [], changed: [], unchanged: 0 },
  };
}

describe('WorkspaceStore', () => {
  it('saves and reads a workspace with its schema version, leaving no temp files', async () => {
    const store = new WorkspaceStore(dir);
    await store.save(workspace('alpha'));
    expect(await store.get('alpha')).toEqual(workspace('alpha'));
    const files = await readdir(join(dir, 'workspaces'));
    expect(files).toEqual(['alpha.json']);
    const doc = JSON.parse(await readFile(join(dir, 'workspaces', 'alpha.json'), 'utf8'));
    expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('keeps run history per workspace, newest last, capped', async () => {
    const store = new WorkspaceStore(dir, 3);
    await store.save(workspace('alpha'));
    await store.save(workspace('beta'));
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.appendRun('alpha', run(n, 'alpha'))));
    await store.appendRun('beta', run(9, 'beta'));
    expect((await store.runs('alpha')).map((r) => r.runId)).toEqual(['run-3', 'run-4', 'run-5']);
    expect((await store.runs('beta')).map((r) => r.runId)).toEqual(['run-9']);
    // Saving the workspace again keeps its history.
    await store.save({ ...workspace('alpha'), name: 'Renamed' });
    expect((await store.runs('alpha')).length).toBe(3);
    expect((await store.get('alpha')).name).toBe('Renamed');
  });

  it('moves a corrupt file aside with a clear message and never overwrites it', async () => {
    const store = new WorkspaceStore(dir);
    await store.save(workspace('alpha'));
    const file = join(dir, 'workspaces', 'alpha.json');
    await writeFile(file, '{"schemaVersion": 1, "workspace": {"id": "alp');
    const err = await store.get('alpha').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('corrupt');
    expect((err as StoreError).message).toMatch(/not valid JSON.*moved to/);
    const files = await readdir(join(dir, 'workspaces'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^alpha\.json\.corrupt-/);
    expect(await readFile(join(dir, 'workspaces', files[0]!), 'utf8')).toContain('"alp');
  });

  it('reports a file of the wrong shape in list() and keeps listing the others', async () => {
    const store = new WorkspaceStore(dir);
    await store.save(workspace('good'));
    await writeFile(
      join(dir, 'workspaces', 'bad.json'),
      JSON.stringify({ schemaVersion: 1, workspace: { id: 'bad' }, runs: [] }),
    );
    const { files, problems } = await store.list();
    expect(files.map((f) => f.workspace.id)).toEqual(['good']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/bad\.json.*not a workspace.*moved to/);
    expect(problems[0]!.movedTo).toMatch(/bad\.json\.corrupt-/);
  });

  it('survives concurrent reads of a corrupt file and keeps reporting it', async () => {
    const store = new WorkspaceStore(dir);
    await store.save(workspace('alpha'));
    await writeFile(join(dir, 'workspaces', 'alpha.json'), 'not json');
    const [listed, got] = await Promise.allSettled([
      store.list(),
      store.get('alpha'),
      store.list(),
    ]);
    expect(listed.status).toBe('fulfilled');
    expect(got).toMatchObject({ status: 'rejected', reason: { code: 'corrupt' } });
    const files = await readdir(join(dir, 'workspaces'));
    expect(files.filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    // Still reported on every later listing, until repaired or deleted.
    const again = await store.list();
    expect(again.problems).toHaveLength(1);
    expect(again.problems[0]!.message).toMatch(/could not be read; repair it/);
  });

  it('does not move aside a file that a save replaced meanwhile', async () => {
    const store = new WorkspaceStore(dir);
    await store.save(workspace('alpha'));
    await writeFile(join(dir, 'workspaces', 'alpha.json'), 'not json');
    // The save queues first; the reader then finds good content and leaves it.
    await Promise.all([store.save(workspace('alpha')), store.get('alpha').catch(() => null)]);
    expect(await store.get('alpha')).toEqual(workspace('alpha'));
  });

  it('leaves a file from a newer version untouched', async () => {
    const store = new WorkspaceStore(dir);
    const file = join(dir, 'workspaces', 'future.json');
    await store.save(workspace('future'));
    const text = JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1, workspace: {}, runs: [] });
    await writeFile(file, text);
    await expect(store.get('future')).rejects.toMatchObject({ code: 'newer-version' });
    expect(await readFile(file, 'utf8')).toBe(text);
    const { problems } = await store.list();
    expect(problems).toEqual([
      { file, movedTo: null, message: expect.stringMatching(/newer version/) },
    ]);
  });

  it('says not-found for an unknown or malformed id', async () => {
    const store = new WorkspaceStore(dir);
    await expect(store.get('nope')).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.get('../x')).rejects.toMatchObject({ code: 'not-found' });
  });
});
