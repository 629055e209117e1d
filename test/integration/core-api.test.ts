import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
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

describe('core api workspaces', () => {
  it('creates a workspace with its email set-up, and refuses bad email input saving nothing', async () => {
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    try {
      const ws = await api.handlers.createWorkspace({
        domain: 'Example.com',
        sendingDomain: 'Mail.Example.com.',
        dkimSelectors: ['S1', '20240611093012pm'],
        emailProviders: ['postmark', 'google-workspace', 'postmark'],
      });
      expect(ws).toMatchObject({
        sendingDomain: 'mail.example.com',
        dkimSelectors: ['s1', '20240611093012pm'],
        emailProviders: ['postmark', 'google-workspace'],
      });
      expect(await api.handlers.getWorkspace({ workspaceId: ws.id })).toEqual(ws);

      const refused = [
        { domain: 'example.org', sendingDomain: 'https://mail.example.org' },
        { domain: 'example.org', dkimSelectors: ['a b'] },
        { domain: 'example.org', emailProviders: ['gmail'] },
      ];
      for (const input of refused) {
        const r = await api.invoke('createWorkspace', input);
        expect(r.ok, JSON.stringify(input)).toBe(false);
        if (!r.ok) expect(r.error.message.length).toBeGreaterThan(10);
      }
      const list = await api.handlers.listWorkspaces({});
      expect(list.workspaces.map((w) => w.domain)).toEqual(['example.com']);
    } finally {
      await api.dispose();
    }
  });
});

describe('core api repository folder', () => {
  it('keeps an existing absolute folder and refuses a relative path, a missing folder or a file', async () => {
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    const repo = await mkdtemp(join(tmpdir(), 'lr-api-repo-'));
    try {
      await writeFile(join(repo, 'README.md'), '# app\n');
      const ws = await api.handlers.createWorkspace({ domain: 'repo.example', repoPath: repo });
      expect(ws.repoPath).toBe(repo);
      const refused: [string, RegExp][] = [
        ['src/app', /^Repository folder: give the full path, not "src\/app"\.$/],
        [join(repo, 'missing'), /^Repository folder: Folder not found: /],
        [join(repo, 'README.md'), /^Repository folder: Not a folder: /],
      ];
      for (const [repoPath, message] of refused) {
        const r = await api.invoke('createWorkspace', { domain: 'other.example', repoPath });
        expect(r.ok, repoPath).toBe(false);
        if (!r.ok) expect(r.error.message).toMatch(message);
      }
      const list = await api.handlers.listWorkspaces({});
      expect(list.workspaces.some((w) => w.domain === 'other.example')).toBe(false);
    } finally {
      await api.dispose();
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe('core api answers', () => {
  it('saves an answer, counts it at the next run, and clears it', async () => {
    const api = createCoreApi({
      dataDir: dir,
      transport: 'web',
      version: 't',
      checkTimeoutMs: 5000,
    });
    try {
      const ws = await api.handlers.createWorkspace({ domain: 'example.com' });
      const id = 'monitor.ask.on-call';
      const saved = await api.invoke('answerQuestion', {
        workspaceId: ws.id,
        checkId: id,
        answer: 'yes',
        note: '  Dana, then Sam on holidays  ',
      });
      expect(saved.ok).toBe(true);
      const stored = await api.handlers.getWorkspace({ workspaceId: ws.id });
      expect(stored.answers[id]).toMatchObject({
        answer: 'yes',
        note: 'Dana, then Sam on holidays',
      });

      // Ask checks read the workspace: a run of the catalogue's asks alone shows the answer.
      const fresh = createCoreApi({
        dataDir: dir,
        transport: 'web',
        version: 't',
        catalogue: CATALOGUE.filter((c) => c.kind === 'ask'),
      });
      try {
        const run = await fresh.handlers.runChecks({ workspaceId: ws.id });
        expect(run.results.find((r) => r.id === id)).toMatchObject({ status: 'pass' });
        expect(run.results.find((r) => r.id === 'monitor.ask.alert-channel')?.status).toBe(
          'unanswered',
        );
      } finally {
        await fresh.dispose();
      }

      await api.handlers.answerQuestion({ workspaceId: ws.id, checkId: id, answer: null });
      expect((await api.handlers.getWorkspace({ workspaceId: ws.id })).answers[id]).toBeUndefined();
    } finally {
      await api.dispose();
    }
  });

  it('refuses an unknown check, a probe, a bad answer or a note too long, saving nothing', async () => {
    const api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
    try {
      const ws = await api.handlers.createWorkspace({ domain: 'example.org' });
      const bad = [
        { checkId: 'no.such.check', answer: 'yes' },
        { checkId: 'edge.tls.certificate', answer: 'yes' },
        { checkId: 'monitor.ask.on-call', answer: 'maybe' },
        { checkId: 'monitor.ask.on-call', answer: 'no', note: 'x'.repeat(4001) },
      ];
      for (const input of bad) {
        const r = await api.invoke('answerQuestion', { workspaceId: ws.id, ...input });
        expect(r, JSON.stringify(input).slice(0, 80)).toMatchObject({
          ok: false,
          error: { code: 'invalid-input' },
        });
      }
      expect((await api.handlers.getWorkspace({ workspaceId: ws.id })).answers).toEqual({});
    } finally {
      await api.dispose();
    }
  });
});
