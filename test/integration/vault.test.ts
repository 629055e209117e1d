/**
 * The credential vault against a real Secret Service (gnome-keyring on a private D-Bus), through
 * the real keytar. Failure cases that need another D-Bus (a locked keyring, no session at all)
 * run in child processes: libsecret keeps its first D-Bus connection for the process's lifetime.
 */
import { spawn } from 'node:child_process';
import type { Dirent } from 'node:fs';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as KeytarModule from 'keytar';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationId } from '../../src/main/core/integrations/types';
import { INTEGRATION_IDS } from '../../src/main/core/integrations/types';
import { VaultError, openVault } from '../../src/main/core/vault';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

const ROOT = join(import.meta.dirname, '../..');
const skip = secretServiceUnavailable();
const CANARY = 'canary-7Hq2Zx9Lw4Pk8Rt3';

async function vaultError(p: Promise<unknown>): Promise<VaultError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  return err as VaultError;
}

describe.skipIf(skip !== null)('vault on a real Secret Service', () => {
  let service: SecretService;
  const keytar = createRequire(import.meta.url)('keytar') as typeof KeytarModule;

  beforeAll(async () => {
    service = await startSecretService();
    service.activate(); // before this process's first keytar call
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('sets, reads, lists and deletes a credential', async () => {
    const vault = openVault({ env: {} });
    expect(await vault.get('acme', 'cloudflare')).toBeNull();
    expect(await vault.status('acme', 'cloudflare')).toEqual({
      integration: 'cloudflare',
      set: false,
      last4: null,
      source: null,
    });

    const token = `cf-${CANARY}-wxyz`;
    expect(await vault.set('acme', 'cloudflare', token)).toEqual({
      integration: 'cloudflare',
      set: true,
      last4: 'wxyz',
      source: 'keychain',
    });
    expect(await vault.get('acme', 'cloudflare')).toBe(token);
    // One keychain entry, under the documented service and account names.
    expect(await keytar.getPassword('launch-ready', 'acme/cloudflare')).toBe(token);

    const list = await vault.list('acme');
    expect(list.map((s) => s.integration)).toEqual([...INTEGRATION_IDS]);
    expect(list.filter((s) => s.set).map((s) => s.integration)).toEqual(['cloudflare']);

    // Overwrite, then delete (twice: the second finds nothing).
    await vault.set('acme', 'cloudflare', 'second-token-1234');
    expect(await vault.get('acme', 'cloudflare')).toBe('second-token-1234');
    expect(await vault.delete('acme', 'cloudflare')).toBe(true);
    expect(await vault.delete('acme', 'cloudflare')).toBe(false);
    expect(await vault.get('acme', 'cloudflare')).toBeNull();
    expect(await keytar.getPassword('launch-ready', 'acme/cloudflare')).toBeNull();
  });

  it('keeps the keyring file encrypted: the secret is not in it as plain text', async () => {
    const vault = openVault({ env: {} });
    await vault.set('acme', 'sentry', `sentry-${CANARY}`);
    const files = readdirSync(service.keyringDir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files)
      expect(readFileSync(join(service.keyringDir, f)).includes(CANARY)).toBe(false);
    await vault.delete('acme', 'sentry');
  });

  it('keeps workspaces apart, and services apart', async () => {
    const vault = openVault({ env: {} });
    await vault.set('one', 'slack', 'xoxb-one-000000000001');
    await vault.set('two', 'slack', 'xoxb-two-000000000002');
    expect(await vault.get('one', 'slack')).toBe('xoxb-one-000000000001');
    expect(await vault.get('two', 'slack')).toBe('xoxb-two-000000000002');
    expect(await vault.delete('one', 'slack')).toBe(true);
    expect(await vault.get('one', 'slack')).toBeNull();
    expect(await vault.get('two', 'slack')).toBe('xoxb-two-000000000002');
    expect((await vault.list('one')).some((s) => s.set)).toBe(false);

    const other = openVault({ env: {}, service: 'launch-ready-other' });
    expect(await other.get('two', 'slack')).toBeNull();
    await vault.delete('two', 'slack');
  });

  it('lets LAUNCH_READY_<INTEGRATION>_TOKEN override the keychain', async () => {
    const env = {
      LAUNCH_READY_UPTIMEROBOT_TOKEN: 'u-from-env-0000abcd',
      LAUNCH_READY_SLACK_TOKEN: '', // empty: as if unset
    };
    const vault = openVault({ env });
    const plain = openVault({ env: {} });
    await plain.set('ci', 'uptimerobot', 'u-from-keychain-9999');
    expect(await vault.get('ci', 'uptimerobot')).toBe('u-from-env-0000abcd');
    expect(await vault.status('ci', 'uptimerobot')).toEqual({
      integration: 'uptimerobot',
      set: true,
      last4: 'abcd',
      source: 'env',
    });
    // set stores in the keychain, and reports that the environment still wins.
    expect((await vault.set('ci', 'uptimerobot', 'u-new-keychain-7777')).source).toBe('env');
    expect(await plain.get('ci', 'uptimerobot')).toBe('u-new-keychain-7777');
    const list = await vault.list('ci');
    expect(list.find((s) => s.integration === 'uptimerobot')?.source).toBe('env');
    expect(list.find((s) => s.integration === 'slack')).toMatchObject({ set: false, source: null });
    // delete only touches the keychain.
    expect(await vault.delete('ci', 'uptimerobot')).toBe(true);
    expect(await vault.get('ci', 'uptimerobot')).toBe('u-from-env-0000abcd');
    expect(await plain.get('ci', 'uptimerobot')).toBeNull();

    // The process environment is the default.
    process.env.LAUNCH_READY_BETTERSTACK_TOKEN = 'bs-process-env-1234';
    try {
      expect(await openVault().get('ci', 'betterstack')).toBe('bs-process-env-1234');
    } finally {
      delete process.env.LAUNCH_READY_BETTERSTACK_TOKEN;
    }

    // A malformed override is named, never shown.
    const bad = openVault({ env: { LAUNCH_READY_SENTRY_TOKEN: `${CANARY}\n` } });
    const err = await vaultError(bad.get('ci', 'sentry'));
    expect(err.code).toBe('invalid');
    expect(err.message).toContain('LAUNCH_READY_SENTRY_TOKEN');
    expect(err.message).not.toContain(CANARY);
  });

  it('shows the last 4 characters only for secrets of 12 or more', async () => {
    const vault = openVault({ env: {} });
    const cases: Array<[string, string | null]> = [
      ['abcdefghijk', null], // 11
      ['abcdefghijkl', 'ijkl'], // 12
      ['x'.repeat(100) + 'WXYZ', 'WXYZ'],
      ['short', null],
      ['pad-pad-pad-🔑🔑🔑🔑', '🔑🔑🔑🔑'], // code points, not UTF-16 halves
    ];
    for (const [secret, last4] of cases) {
      expect((await vault.set('last4', 'sentry', secret)).last4).toBe(last4);
      expect((await vault.status('last4', 'sentry')).last4).toBe(last4);
      expect(await vault.get('last4', 'sentry')).toBe(secret);
    }
    const shown = (await vault.status('last4', 'sentry')).last4 ?? '';
    expect(Array.from(shown).length).toBeLessThanOrEqual(4);
    await vault.delete('last4', 'sentry');
  });

  it('refuses invalid input without storing anything or echoing the secret', async () => {
    const vault = openVault({ env: {} });
    const badSecrets = [
      '',
      `${CANARY}\n`,
      `${CANARY}\r`,
      `a${CANARY}\tb`,
      `${CANARY}\u0000`,
      `${CANARY}\u001b[31m`,
      `${CANARY}\u2028`,
      CANARY + 'x'.repeat(4097 - CANARY.length),
    ];
    for (const secret of badSecrets) {
      const err = await vaultError(vault.set('acme', 'slack', secret));
      expect(err.code).toBe('invalid');
      expect(err.message).not.toContain(CANARY);
      expect(err.message.length).toBeGreaterThan(10);
    }
    expect(await vault.get('acme', 'slack')).toBeNull();
    // Exactly 4096 characters is allowed.
    await vault.set('acme', 'slack', 'y'.repeat(4096));
    expect(await vault.get('acme', 'slack')).toBe('y'.repeat(4096));
    await vault.delete('acme', 'slack');

    for (const integration of ['github', '', 'Slack', '../slack']) {
      for (const p of [
        vault.set('acme', integration as IntegrationId, CANARY),
        vault.get('acme', integration as IntegrationId),
        vault.status('acme', integration as IntegrationId),
        vault.delete('acme', integration as IntegrationId),
      ]) {
        const err = await vaultError(p);
        expect(err.code).toBe('invalid');
        expect(err.message).toMatch(/cloudflare, uptimerobot/);
        expect(err.message).not.toContain(CANARY);
      }
    }
    for (const ws of ['', 'ACME', 'a/b', '../x', 'a b', 'x'.repeat(65)]) {
      for (const p of [
        vault.set(ws, 'slack', CANARY),
        vault.get(ws, 'slack'),
        vault.list(ws),
        vault.delete(ws, 'slack'),
      ]) {
        const err = await vaultError(p);
        expect(err.code).toBe('invalid');
        expect(err.message).toMatch(/workspace id/);
      }
    }
    const err = await vaultError(vault.set('acme', 'slack', 42 as unknown as string));
    expect(err.code).toBe('invalid');
    expect(await keytar.getPassword('launch-ready', 'acme/slack')).toBeNull();
  });
});

/** Runs vault operations in a fresh Node process (its own libsecret connection) and returns each outcome. */
function vaultInChild(
  ops: Array<[string, ...unknown[]]>,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{
  results: Array<{ ok?: unknown; error?: { name: string; code: string; message: string } }>;
  output: string;
}> {
  const script = `
    const { runnerImport } = await import(process.env.T_VITE);
    const { module } = await runnerImport(process.env.T_VAULT, {
      configFile: false, root: process.env.T_ROOT, logLevel: 'silent',
    });
    const vault = module.openVault({ env: {} });
    const results = [];
    for (const [op, ...args] of JSON.parse(process.env.T_OPS)) {
      try { results.push({ ok: (await vault[op](...args)) ?? null }); }
      catch (e) { results.push({ error: { name: e.name, code: e.code, message: e.message } }); }
    }
    process.stdout.write('RESULTS ' + JSON.stringify(results));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd,
      env: {
        ...env,
        T_VITE: import.meta.resolve('vite'),
        T_VAULT: pathToFileURL(join(ROOT, 'src/main/core/vault/index.ts')).pathname,
        T_ROOT: ROOT,
        T_OPS: JSON.stringify(ops),
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /RESULTS (.*)$/s.exec(output);
      if (code !== 0 || !m) return reject(new Error(`child failed (${code}): ${output}`));
      resolve({ results: JSON.parse(m[1] ?? '[]'), output });
    });
  });
}

/** Files under `dir` (skipping dependency and build folders) whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string, since = 0, depth = 8): string[] {
  const hits: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return hits;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0 && !['node_modules', '.git', '.tools', 'out'].includes(e.name))
        hits.push(...filesContaining(p, needle, since, depth - 1));
    } else if (e.isFile()) {
      try {
        if (statSync(p).mtimeMs >= since && readFileSync(p).includes(needle)) hits.push(p);
      } catch {
        // vanished or unreadable: not ours
      }
    }
  }
  return hits;
}

describe.skipIf(skip !== null)('vault when the keychain cannot be used', () => {
  let sandbox: string;
  let childEnv: NodeJS.ProcessEnv;

  beforeAll(() => {
    // Every place a fallback could write to lives here (home, XDG dirs, temp, working dir).
    sandbox = mkdtempSync(join(tmpdir(), 'launch-ready-vault-sandbox-'));
    const dirs = { HOME: 'home', XDG_CONFIG_HOME: 'config', XDG_DATA_HOME: 'data' };
    childEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8' };
    for (const [k, v] of Object.entries({
      ...dirs,
      XDG_CACHE_HOME: 'cache',
      XDG_RUNTIME_DIR: 'run',
      TMPDIR: 'tmp',
    })) {
      mkdirSync(join(sandbox, v), { mode: 0o700 });
      childEnv[k] = join(sandbox, v);
    }
  });
  afterAll(() => {
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  it('says the keyring is locked, for reads as well as writes', async () => {
    const locked = await startSecretService();
    try {
      const env = locked.env(childEnv);
      const before = await vaultInChild(
        [['set', 'acme', 'slack', 'xoxb-stored-before-lock']],
        env,
        sandbox,
      );
      expect(before.results[0]?.ok).toMatchObject({ set: true, source: 'keychain' });
      await locked.lock();
      const { results, output } = await vaultInChild(
        [
          ['set', 'acme', 'cloudflare', CANARY],
          ['get', 'acme', 'slack'],
          ['status', 'acme', 'slack'],
          ['list', 'acme'],
          ['delete', 'acme', 'slack'],
        ],
        env,
        sandbox,
      );
      for (const r of results) {
        expect(r.error).toMatchObject({ name: 'VaultError', code: 'locked' });
        expect(r.error?.message).toMatch(/unlock your login keyring/);
      }
      expect(output).not.toContain(CANARY);
      expect(await locked.isLocked()).toBe(true);
    } finally {
      await locked.stop();
    }
  });

  it('says when a D-Bus session has no keychain service on it', async () => {
    const busOnly = await startSecretService({ keyring: false });
    try {
      const { results, output } = await vaultInChild(
        [
          ['set', 'acme', 'slack', CANARY],
          ['get', 'acme', 'slack'],
        ],
        busOnly.env(childEnv),
        sandbox,
      );
      for (const r of results) {
        expect(r.error).toMatchObject({ name: 'VaultError', code: 'unavailable' });
        expect(r.error?.message).toMatch(
          /No keychain service is running.*gnome-keyring or KWallet/,
        );
      }
      expect(output).not.toContain(CANARY);
    } finally {
      await busOnly.stop();
    }
  });

  it('says when the keychain has no login keyring yet (started without a password)', async () => {
    const fresh = await startSecretService({ unlock: false });
    try {
      const { results, output } = await vaultInChild(
        [['set', 'acme', 'slack', CANARY]],
        fresh.env(childEnv),
        sandbox,
      );
      expect(results[0]?.error).toMatchObject({ name: 'VaultError', code: 'locked' });
      expect(results[0]?.error?.message).toMatch(/no default keyring yet/);
      expect(output).not.toContain(CANARY);
    } finally {
      await fresh.stop();
    }
  });

  it.each([
    [
      'a dead D-Bus socket',
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/launch-ready-bus' },
    ],
    ['no D-Bus session and no display', {}],
  ])('explains %s, and writes the secret nowhere', async (_, extra) => {
    const t0 = Date.now() - 1000;
    const { results, output } = await vaultInChild(
      [
        ['set', 'acme', 'cloudflare', CANARY],
        ['get', 'acme', 'cloudflare'],
        ['list', 'acme'],
      ],
      { ...childEnv, ...extra },
      sandbox,
    );
    for (const r of results) {
      expect(r.error).toMatchObject({ name: 'VaultError', code: 'unavailable' });
      expect(r.error?.message).toMatch(/D-Bus/);
    }
    expect(output).not.toContain(CANARY);
    expect(filesContaining(sandbox, CANARY)).toEqual([]);
    expect(filesContaining(ROOT, CANARY, t0)).toEqual([]);
    expect(filesContaining(tmpdir(), CANARY, t0, 1)).toEqual([]);
  });
});
