/**
 * Handover signing identities in a real Secret Service (gnome-keyring on a private D-Bus,
 * through the real keytar): created once per workspace and then reused, an imported PKCS#12
 * kept with its passphrase, bad input refused without touching what is stored.
 */
import { execFileSync } from 'node:child_process';
import { HAS_OPENSSL } from '../support/openssl';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as KeytarModule from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultError, openSigningIdentityStore } from '../../src/main/core/vault';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

const skip = secretServiceUnavailable();
const PASSPHRASE = 'handover-p12-passphrase-Tq93';

const openssl = HAS_OPENSSL;

describe.skipIf(skip !== null)('handover signing identities in the OS keychain', () => {
  let service: SecretService;
  let dir: string;
  const keytar = createRequire(import.meta.url)('keytar') as typeof KeytarModule;

  beforeAll(async () => {
    service = await startSecretService();
    service.activate(); // before this process's first keytar call
    dir = mkdtempSync(join(tmpdir(), 'lr-identity-'));
  });
  afterAll(async () => {
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates one identity per workspace, once, and returns it afterwards', async () => {
    const store = openSigningIdentityStore();
    expect(await store.get('shop-1')).toBeNull();
    // Two exports at the same moment share one new identity.
    const [a, b] = await Promise.all([
      store.getOrCreate('shop-1', 'Shop One'),
      store.getOrCreate('shop-1', 'Shop One'),
    ]);
    expect(a.identity.fingerprint).toBe(b.identity.fingerprint);
    expect(a.created || b.created).toBe(true);
    expect(a.identity).toMatchObject({ kind: 'created', commonName: 'Shop One', selfSigned: true });
    const again = await openSigningIdentityStore().getOrCreate('shop-1', 'Shop One');
    expect(again.created).toBe(false);
    expect(again.identity.fingerprint).toBe(a.identity.fingerprint);
    // Another workspace, another identity.
    const other = await store.getOrCreate('shop-2', 'Shop One');
    expect(other.identity.fingerprint).not.toBe(a.identity.fingerprint);
    expect(await keytar.getPassword('launch-ready', 'shop-1/signing-identity')).toMatch(
      /^\{"format":"pkcs12"/,
    );
  });

  it('keeps the key and its passphrase out of the keyring file as plain text', async () => {
    const { identity } = await openSigningIdentityStore().getOrCreate('shop-1', 'Shop One');
    const needles = [identity.passphrase, identity.p12.toString('base64').slice(0, 64)];
    const files = readdirSync(service.keyringDir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(service.keyringDir, f));
      for (const n of needles) expect(bytes.includes(n)).toBe(false);
    }
  });

  it('says what is wrong with an entry it did not write', async () => {
    await keytar.setPassword('launch-ready', 'odd-1/signing-identity', 'not json');
    const err = await openSigningIdentityStore()
      .get('odd-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect(err).toMatchObject({ code: 'invalid' });
    expect(await openSigningIdentityStore().delete('odd-1')).toBe(true);
    expect(await openSigningIdentityStore().delete('odd-1')).toBe(false);
  });

  it('refuses a bad workspace id before touching the keychain', async () => {
    await expect(openSigningIdentityStore().get('Bad Id')).rejects.toMatchObject({
      code: 'invalid',
    });
  });

  it.skipIf(!openssl)('imports a PKCS#12 with its passphrase, and keeps both', async () => {
    execFileSync(
      'sh',
      [
        '-c',
        `openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj "/CN=Shop Signing" -days 30 2>/dev/null && openssl pkcs12 -export -inkey k.pem -in c.pem -out id.p12 -passout pass:${PASSPHRASE}`,
      ],
      { cwd: dir },
    );
    const p12 = readFileSync(join(dir, 'id.p12'));
    const store = openSigningIdentityStore();
    const before = (await store.getOrCreate('shop-3', 'Shop Three')).identity;

    // A wrong passphrase changes nothing.
    await expect(store.import('shop-3', p12, 'wrong')).rejects.toThrow(/passphrase does not open/);
    expect((await store.get('shop-3'))?.fingerprint).toBe(before.fingerprint);

    const imported = await store.import('shop-3', p12, PASSPHRASE);
    expect(imported).toMatchObject({ kind: 'imported', commonName: 'Shop Signing' });
    const read = await openSigningIdentityStore().get('shop-3');
    expect(read).toMatchObject({ kind: 'imported', fingerprint: imported.fingerprint });
    expect(read?.passphrase).toBe(PASSPHRASE);
    expect(read?.p12.equals(p12)).toBe(true);
    // The next export reuses the imported identity instead of creating one.
    const next = await store.getOrCreate('shop-3', 'Shop Three');
    expect(next.created).toBe(false);
    expect(next.identity.fingerprint).toBe(imported.fingerprint);
  });
});
