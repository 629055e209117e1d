/**
 * Editing and deleting a product through the contract, as Settings does: details checked as at
 * creation, nothing saved on bad input, tokens removed from the real keychain with the product.
 */
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as KeytarModule from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import { openVault } from '../../src/main/core/vault';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

let dir: string;
let api: ReturnType<typeof createCoreApi>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lr-edit-'));
  api = createCoreApi({ dataDir: dir, transport: 'web', version: 't' });
});
afterAll(async () => {
  await api?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('editing a product', () => {
  it('changes the details given, keeps the rest, and clears an emptied field', async () => {
    const repo = join(dir, 'repo');
    await mkdir(repo);
    const ws = await api.handlers.createWorkspace({
      domain: 'edit.example',
      sendingDomain: 'mail.edit.example',
      repoPath: repo,
    });
    const r = await api.invoke('updateWorkspace', {
      workspaceId: ws.id,
      name: 'Edit Co',
      hosts: [
        { name: 'EDIT.example', confirmed: true },
        { name: 'app.edit.example', confirmed: true },
      ],
      sendingDomain: '',
      dkimSelectors: ['S1'],
    });
    expect(r.ok).toBe(true);
    const saved = await api.handlers.getWorkspace({ workspaceId: ws.id });
    expect(saved).toMatchObject({
      id: ws.id,
      name: 'Edit Co',
      domain: 'edit.example',
      hosts: [
        { name: 'edit.example', confirmed: true },
        { name: 'app.edit.example', confirmed: true },
      ],
      dkimSelectors: ['s1'],
      repoPath: repo,
      routes: ws.routes,
      createdAt: ws.createdAt,
    });
    expect(saved.sendingDomain).toBeUndefined();
    expect(Date.parse(saved.updatedAt)).toBeGreaterThanOrEqual(Date.parse(ws.updatedAt));
  });

  it('refuses bad details with the reason and saves nothing', async () => {
    const ws = await api.handlers.createWorkspace({ domain: 'careful.example' });
    const file = join(dir, 'not-a-folder.txt');
    await writeFile(file, 'x');
    for (const [input, reason] of [
      [{ hosts: [{ name: 'exa mple.com', confirmed: true }] }, /Host "exa mple.com"/],
      [{ sendingDomain: 'https://mail.example' }, /Sending domain/],
      [{ repoPath: 'relative/path' }, /full path/],
      [{ repoPath: file }, /Not a folder/],
      [{ name: '' }, /name/i],
      [{ domain: 'other.example' }, /domain/],
    ] as const) {
      const r = await api.invoke('updateWorkspace', { workspaceId: ws.id, ...input });
      expect(r, JSON.stringify(input)).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
      expect(r.ok ? '' : r.error.message).toMatch(reason);
    }
    expect(await api.handlers.getWorkspace({ workspaceId: ws.id })).toEqual(ws);
  });

  it('turns probes on, keeps an AI endpoint on its own hosts, and removes it with null', async () => {
    const ws = await api.handlers.createWorkspace({ domain: 'ai.example' });
    const endpoint = {
      url: 'https://api.ai.example/v1/assistant',
      method: 'POST' as const,
      bodyTemplate: '{"messages":[{"role":"user","content":{{input}}}]}',
      replyPath: 'choices.0.message.content',
      authHeader: 'Authorization',
    };
    const r = await api.invoke('updateWorkspace', {
      workspaceId: ws.id,
      optIns: { aiRedTeam: true, loginRateLimit: true },
      aiEndpoint: endpoint,
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    let saved = await api.handlers.getWorkspace({ workspaceId: ws.id });
    expect(saved.optIns).toEqual({ aiRedTeam: true, loginRateLimit: true });
    expect(saved.aiEndpoint).toEqual(endpoint);

    for (const [bad, reason] of [
      [{ ...endpoint, url: 'https://api.openai.com/v1/chat' }, /not one of this product's hosts/],
      [{ ...endpoint, url: 'ftp://api.ai.example/x' }, /https:\/\//],
      [{ ...endpoint, url: 'https://me:pw@api.ai.example/x' }, /keychain/],
      [{ ...endpoint, bodyTemplate: '{"q": "{{input}}"}' }, /not JSON/],
      [{ ...endpoint, bodyTemplate: '{"q": 1}' }, /needs \{\{input\}\}/],
      [{ ...endpoint, authHeader: 'Bad Header' }, /header name/],
    ] as const) {
      const refused = await api.invoke('updateWorkspace', { workspaceId: ws.id, aiEndpoint: bad });
      expect(refused, bad.url).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(refused.ok ? '' : refused.error.message).toMatch(reason);
    }
    expect((await api.handlers.getWorkspace({ workspaceId: ws.id })).aiEndpoint).toEqual(endpoint);

    await api.handlers.updateWorkspace({ workspaceId: ws.id, aiEndpoint: null });
    saved = await api.handlers.getWorkspace({ workspaceId: ws.id });
    expect(saved.aiEndpoint).toBeUndefined();
    expect(saved.optIns).toEqual({ aiRedTeam: true, loginRateLimit: true });
  });

  it('keeps the demo as the lab made it', async () => {
    const demo = await api.handlers.openDemo({});
    const r = await api.invoke('updateWorkspace', { workspaceId: demo.id, name: 'Mine' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(r.ok ? '' : r.error.message).toMatch(/demo product is fixed/);
  });

  it('says an unknown product is not there', async () => {
    const r = await api.invoke('updateWorkspace', { workspaceId: 'nope-000000', name: 'x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('answers that a browser tab has no folder dialog, and passes on the native choice', async () => {
    expect(await api.invoke('chooseFolder', {})).toMatchObject({
      ok: false,
      error: { code: 'unsupported', message: expect.stringMatching(/type the folder/) },
    });
    const picks: (string | null)[] = ['/home/founder/code', null];
    const native = createCoreApi({
      dataDir: dir,
      transport: 'electron',
      version: 't',
      pickFolder: async () => picks.shift() ?? null,
    });
    expect(await native.invoke('chooseFolder', {})).toEqual({
      ok: true,
      value: { path: '/home/founder/code' },
    });
    expect(await native.invoke('chooseFolder', {})).toEqual({ ok: true, value: { path: null } });
    await native.dispose();
  });
});

describe('deleting a product', () => {
  it('removes its file and history; the others stay', async () => {
    const keep = await api.handlers.createWorkspace({ domain: 'keep.example' });
    const gone = await api.handlers.createWorkspace({ domain: 'gone.example' });
    expect(await api.invoke('deleteWorkspace', { workspaceId: gone.id })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    const { workspaces } = await api.handlers.listWorkspaces({});
    expect(workspaces.map((w) => w.id)).toContain(keep.id);
    expect(workspaces.map((w) => w.id)).not.toContain(gone.id);
    expect((await readdir(join(dir, 'workspaces'))).some((f) => f.startsWith(gone.id))).toBe(false);
    expect(await api.invoke('deleteWorkspace', { workspaceId: gone.id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});

const skip = secretServiceUnavailable();
describe.skipIf(skip !== null)('deleting a product with tokens in the OS keychain', () => {
  let service: SecretService;
  let vaultApi: ReturnType<typeof createCoreApi>;
  const keytar = createRequire(import.meta.url)('keytar') as typeof KeytarModule;
  const TOKEN = ['sntrys', 'delete', 'canary', 'Q7m2'].join('-');

  beforeAll(async () => {
    service = await startSecretService();
    service.activate();
    vaultApi = createCoreApi({
      dataDir: dir,
      transport: 'web',
      version: 't',
      vault: openVault({ env: {}, service: 'launch-ready-test' }),
    });
  });
  afterAll(async () => {
    await vaultApi?.dispose();
    await service?.stop();
  });

  it('removes its tokens from the keychain too', async () => {
    const ws = await vaultApi.handlers.createWorkspace({ domain: 'tokens.example' });
    await vaultApi.handlers.setCredential({
      workspaceId: ws.id,
      integration: 'sentry',
      secret: TOKEN,
    });
    expect(await keytar.getPassword('launch-ready-test', `${ws.id}/sentry`)).toBe(TOKEN);
    expect(await vaultApi.invoke('deleteWorkspace', { workspaceId: ws.id })).toMatchObject({
      ok: true,
    });
    expect(await keytar.getPassword('launch-ready-test', `${ws.id}/sentry`)).toBeNull();
  });

  it('keeps the product, and says why, while the keychain is locked', async () => {
    const ws = await vaultApi.handlers.createWorkspace({ domain: 'locked.example' });
    await vaultApi.handlers.setCredential({
      workspaceId: ws.id,
      integration: 'slack',
      secret: TOKEN,
    });
    await service.lock();
    const r = await vaultApi.invoke('deleteWorkspace', { workspaceId: ws.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'keychain' } });
    expect(JSON.stringify(r)).toMatch(/unlock/i);
    expect((await vaultApi.handlers.getWorkspace({ workspaceId: ws.id })).id).toBe(ws.id);
  });
});
