/**
 * `launch-ready identity`: a company's own PKCS#12 (made by openssl) imported with its
 * passphrase from standard input, into a private real Secret Service; the next export is
 * signed by it, and pdfsig and verify name its signer.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import { HAS_OPENSSL } from '../support/openssl';
import { assertCliBuilt, cli, cliWithInput } from '../support/run-cli';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

const PASSPHRASE = ['p12', 'canary', 'Jt48Wq'].join('-');
const skip = secretServiceUnavailable() ?? (HAS_OPENSSL ? null : 'openssl not installed');
const PDFSIG = existsSync('/usr/bin/pdfsig') ? '/usr/bin/pdfsig' : null;

describe.skipIf(skip !== null)('launch-ready identity', { timeout: 120_000 }, () => {
  let service: SecretService;
  let dir: string;
  let p12: string;

  beforeAll(async () => {
    assertCliBuilt();
    service = await startSecretService();
    service.activate(); // the CLI children inherit the private bus
    dir = await mkdtemp(join(tmpdir(), 'lr-identity-'));
    p12 = join(dir, 'company.p12');
    execSync(
      `openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj "/CN=Contractor Co Signing" -days 60 2>/dev/null && openssl pkcs12 -export -inkey k.pem -in c.pem -out company.p12 -passout pass:${PASSPHRASE}`,
      { cwd: dir },
    );
  });
  afterAll(async () => {
    await service?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says there is none yet, refuses a wrong passphrase, imports with the right one', async () => {
    const none = await cli(['identity', 'show', '--workspace', 'shop']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/no signing identity yet/);

    const wrong = await cliWithInput(['identity', 'import', p12, '--workspace', 'shop'], 'nope\n');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/passphrase does not open/);

    const missing = await cliWithInput(['identity', 'import', join(dir, 'nope.p12')], 'x\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);

    const ok = await cliWithInput(
      ['identity', 'import', p12, '--workspace', 'shop'],
      `${PASSPHRASE}\n`,
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /signed by Contractor Co Signing \(imported certificate, self-signed/,
    );
    const shown = await cli(['identity', 'show', '--workspace', 'shop']);
    expect(shown.stdout).toMatch(/^Contractor Co Signing/);
    expect(shown.stdout).toMatch(/SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    for (const r of [wrong, ok, shown]) expect(r.stdout + r.stderr).not.toContain(PASSPHRASE);
  });

  it('signs the next export of that product with it', async () => {
    // A saved product with a run of no checks: nothing is probed, nothing leaves this machine.
    const data = join(dir, 'data');
    const api = createCoreApi({ dataDir: data, transport: 'web', version: 't', catalogue: [] });
    const ws = await api.handlers.createWorkspace({ domain: 'shop.example' });
    await api.handlers.runChecks({ workspaceId: ws.id });
    await api.dispose();
    const env = { LAUNCH_READY_DATA_DIR: data };
    const imported = await cliWithInput(
      ['identity', 'import', p12, '--workspace', ws.id],
      `${PASSPHRASE}\n`,
      { ...process.env, ...env },
    );
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(dir, 'shop.pdf');
    const exported = await cli(['export', '--workspace', ws.id, '--out', out], env);
    expect(exported.code, exported.stderr).toBe(0);
    const verified = await cli(['verify', out]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('Contractor Co Signing');
    if (PDFSIG)
      expect(execFileSync(PDFSIG, [out], { encoding: 'utf8' })).toContain('Contractor Co Signing');
    expect((await readFile(out)).includes(Buffer.from(PASSPHRASE))).toBe(false);
  });

  it('forgets it on delete', async () => {
    const del = await cli(['identity', 'delete', '--workspace', 'shop']);
    expect(del.code).toBe(0);
    expect(del.stdout).toMatch(/Forgot the signing identity of "shop"/);
    expect((await cli(['identity', 'show', '--workspace', 'shop'])).stdout).toMatch(
      /none|no signing identity yet/,
    );
  });
});
