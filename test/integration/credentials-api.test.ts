/**
 * Tokens through the contract, as the Settings page saves them: into the real Secret Service
 * (gnome-keyring on a private D-Bus) through the vault; the answers carry the status only.
 */
import { createRequire } from 'node:module';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as KeytarModule from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import { openVault } from '../../src/main/core/vault';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

const skip = secretServiceUnavailable();
const TOKEN = ['cfut', 'settings', 'canary', 'R8w3Hk51Zq'].join('-');

describe.skipIf(skip !== null)('credentials through the core API, in the OS keychain', () => {
  let service: SecretService;
  let dir: string;
  let api: ReturnType<typeof createCoreApi>;
  const keytar = createRequire(import.meta.url)('keytar') as typeof KeytarModule;

  beforeAll(async () => {
    service = await startSecretService();
    service.activate();
    dir = await mkdtemp(join(tmpdir(), 'lr-credentials-'));
    api = createCoreApi({
      dataDir: dir,
      transport: 'web',
      version: 't',
      vault: openVault({ env: {}, service: 'launch-ready-test' }),
    });
  });
  afterAll(async () => {
    await api?.dispose();
    await service?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('saves, lists and deletes a token, answering only its status', async () => {
    const ws = await api.handlers.createWorkspace({ domain: 'example.com' });
    const set = await api.invoke('setCredential', {
      workspaceId: ws.id,
      integration: 'cloudflare',
      secret: TOKEN,
    });
    expect(set).toEqual({
      ok: true,
      value: { integration: 'cloudflare', set: true, last4: TOKEN.slice(-4), source: 'keychain' },
    });
    // One entry per integration and workspace, in the keychain and nowhere else.
    expect(await keytar.getPassword('launch-ready-test', `${ws.id}/cloudflare`)).toBe(TOKEN);
    const saved = await api.handlers.getWorkspace({ workspaceId: ws.id });
    expect(saved.integrations).toEqual({ cloudflare: {} });

    const list = await api.invoke('listCredentials', { workspaceId: ws.id });
    expect(list.ok).toBe(true);
    const files = await readdir(join(dir, 'workspaces'));
    const stored = await Promise.all(
      files.map((f) => readFile(join(dir, 'workspaces', f), 'utf8')),
    );
    for (const text of [JSON.stringify(set), JSON.stringify(list), ...stored])
      expect(text).not.toContain(TOKEN);

    const del = await api.invoke('deleteCredential', {
      workspaceId: ws.id,
      integration: 'cloudflare',
    });
    expect(del).toEqual({
      ok: true,
      value: { integration: 'cloudflare', set: false, last4: null, source: null },
    });
    expect(await keytar.getPassword('launch-ready-test', `${ws.id}/cloudflare`)).toBeNull();
    expect((await api.handlers.getWorkspace({ workspaceId: ws.id })).integrations).toEqual({});
  });

  it('refuses a token with a line break or over 4096 characters, storing nothing', async () => {
    const ws = await api.handlers.createWorkspace({ domain: 'example.org' });
    for (const secret of [`${TOKEN}\nsecond-line`, 'x'.repeat(4097)]) {
      const r = await api.invoke('setCredential', {
        workspaceId: ws.id,
        integration: 'sentry',
        secret,
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(JSON.stringify(r)).not.toContain(TOKEN);
    }
    expect(await keytar.getPassword('launch-ready-test', `${ws.id}/sentry`)).toBeNull();
  });

  it('says the keychain is locked, and what to do, when it is', async () => {
    const ws = await api.handlers.createWorkspace({ domain: 'example.net' });
    await service.lock();
    const r = await api.invoke('setCredential', {
      workspaceId: ws.id,
      integration: 'slack',
      secret: 'https://hooks.slack.com/services/T1/B1/locked-test',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'keychain' } });
    expect(JSON.stringify(r)).toMatch(/unlock/i);
    expect(JSON.stringify(r)).not.toContain('locked-test');
  });
});
