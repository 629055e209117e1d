/**
 * Stage 7 through the contract, as the app uses it: export the demo's signed handover, check
 * it (and a tampered copy, and a file that is no PDF), import it as a product; a real product
 * signs with its own identity from a real Secret Service, the same one each time, removed with
 * the product.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as KeytarModule from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../src/main/core/api';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { WorkspaceStore } from '../../src/main/core/store/workspace-store';
import { openSigningIdentityStore, openVault } from '../../src/main/core/vault';
import type { HandoverExport } from '../../src/shared/handover';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

const PDFSIG = ['/usr/bin/pdfsig', '/usr/local/bin/pdfsig'].find((p) => existsSync(p)) ?? null;
// Stage 2 only: enough results for a handover, quick to run.
const EDGE = CATALOGUE.filter((c) => c.stage === 2 && c.kind === 'probe');

let dir: string;
let api: ReturnType<typeof createCoreApi>;
let exported: HandoverExport;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lr-handover-api-'));
  api = createCoreApi({ dataDir: dir, transport: 'web', version: 't', catalogue: EDGE });
}, 60_000);
afterAll(async () => {
  await api?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the handover through the contract (demo)', () => {
  it('says there is nothing to export before the first run', async () => {
    const demo = await api.handlers.openDemo({});
    const r = await api.invoke('exportHandover', { workspaceId: demo.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(r.ok ? '' : r.error.message).toMatch(/run the checks first/);
  });

  it(
    'exports a signed PDF that checks out, here and with pdfsig',
    { timeout: 60_000 },
    async () => {
      const demo = await api.handlers.openDemo({});
      await api.handlers.runChecks({ workspaceId: demo.id });
      exported = await api.handlers.exportHandover({ workspaceId: demo.id });
      expect(exported.fileName).toMatch(/^promptly-demo-handover-\d{4}-\d{2}-\d{2}\.pdf$/);
      expect(exported.pageCount).toBeGreaterThan(3);
      expect(exported.signer.kind).toBe('ephemeral');
      expect(exported.signer.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const check = await api.handlers.verifyHandover({ pdfBase64: exported.pdfBase64 });
      expect(check).toMatchObject({
        valid: true,
        fingerprint: exported.signer.fingerprint,
        attachmentPresent: true,
        declaredFingerprintMatches: true,
        product: { name: demo.name, domain: demo.domain },
      });
      if (PDFSIG) {
        const file = join(dir, exported.fileName);
        await writeFile(file, Buffer.from(exported.pdfBase64, 'base64'));
        // pdfsig exits 0 even on a mismatch: read what it says.
        expect(execFileSync(PDFSIG, [file], { encoding: 'utf8' })).toContain('Signature is Valid');
      } else {
        console.warn('pdfsig not installed: the outside check of the signature was skipped.');
      }
    },
  );

  it('says a tampered copy is not valid, and refuses to import it', async () => {
    const pdf = Buffer.from(exported.pdfBase64, 'base64');
    // One byte inside the signed range, in the middle of the document.
    const at = Math.floor(pdf.length / 3);
    pdf[at] = pdf[at]! ^ 0x01;
    const tampered = pdf.toString('base64');
    const check = await api.handlers.verifyHandover({ pdfBase64: tampered });
    expect(check.valid).toBe(false);
    expect(check.reason.length).toBeGreaterThan(10);
    const imported = await api.invoke('importHandover', { pdfBase64: tampered });
    expect(imported).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses a file that is not a PDF, or not base64, with the reason', async () => {
    const notPdf = await api.invoke('verifyHandover', {
      pdfBase64: Buffer.from('hello, this is a text file').toString('base64'),
    });
    expect(notPdf).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(notPdf.ok ? '' : notPdf.error.message).toMatch(/PDF/);
    const garbage = await api.invoke('verifyHandover', { pdfBase64: '%%% not base64 %%%' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('imports a valid handover as a new product with its run', async () => {
    const ws = await api.handlers.importHandover({ pdfBase64: exported.pdfBase64 });
    expect(ws.name).toMatch(/\(imported\)$/);
    expect(ws.repoPath).toBeUndefined();
    const runs = await api.handlers.listRuns({ workspaceId: ws.id });
    expect(runs).toHaveLength(1);
    const stored = await new WorkspaceStore(dir).runs(ws.id);
    expect(stored[0]?.workspaceId).toBe(ws.id);
  });
});

const skip = secretServiceUnavailable();
describe.skipIf(skip !== null)('a real product’s signing identity in the OS keychain', () => {
  let service: SecretService;
  let realApi: ReturnType<typeof createCoreApi>;
  const keytar = createRequire(import.meta.url)('keytar') as typeof KeytarModule;

  beforeAll(async () => {
    service = await startSecretService();
    service.activate();
    realApi = createCoreApi({
      dataDir: dir,
      transport: 'web',
      version: 't',
      catalogue: [],
      vault: openVault({ env: {}, service: 'launch-ready-test' }),
      signingIdentities: openSigningIdentityStore({ service: 'launch-ready-test' }),
    });
  });
  afterAll(async () => {
    await realApi?.dispose();
    await service?.stop();
  });

  it('is created on first export, reused after, and removed with the product', async () => {
    const ws = await realApi.handlers.createWorkspace({ domain: 'signed.example' });
    await realApi.handlers.runChecks({ workspaceId: ws.id });
    const a = await realApi.handlers.exportHandover({ workspaceId: ws.id });
    const b = await realApi.handlers.exportHandover({ workspaceId: ws.id });
    expect(a.signer.kind).toBe('created');
    expect(b.signer.fingerprint).toBe(a.signer.fingerprint);
    expect(
      await keytar.getPassword('launch-ready-test', `${ws.id}/signing-identity`),
    ).not.toBeNull();
    expect((await realApi.handlers.verifyHandover({ pdfBase64: b.pdfBase64 })).valid).toBe(true);
    await realApi.handlers.deleteWorkspace({ workspaceId: ws.id });
    expect(await keytar.getPassword('launch-ready-test', `${ws.id}/signing-identity`)).toBeNull();
  });
});
