/**
 * The handover PDF of a small product, signed and verified in-process: reproducible unsigned
 * bytes, a signature that fails on any changed or added byte, the attached data round trip,
 * and identities from a PKCS#12 file (made by OpenSSL, as a user's would be).
 */
import { execFileSync } from 'node:child_process';
import { HAS_OPENSSL } from '../support/openssl';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { RunRecord } from '../../src/shared/run';
import type { Workspace } from '../../src/shared/workspace';
import { catalogueMeta } from '../../src/main/core/checks/catalogue';
import { computeVerdict } from '../../src/main/core/engine/verdict';
import type { ExportedHandover } from '../../src/main/core/handover';
import {
  HandoverError,
  exportHandover,
  handoverSigningIdentity,
  importHandover,
  readHandoverData,
  unsignedHandover,
  verifyHandover,
} from '../../src/main/core/handover';
import { CmsError, readCmsSignature } from '../../src/main/core/handover/cms';
import type { SigningIdentity } from '../../src/main/core/vault';
import {
  VaultError,
  createSigningIdentity,
  signingIdentityFromP12,
} from '../../src/main/core/vault';

const META = catalogueMeta();
const FINISHED = '2026-11-20T10:15:00.000Z';

function result(
  id: string,
  status: CheckResult['status'],
  summary: string,
  evidence: CheckResult['evidence'] = {},
): CheckResult {
  const m = META.find((c) => c.id === id);
  if (!m) throw new Error(`no check ${id}`);
  return { id, stage: m.stage, impact: m.impact, status, summary, evidence, durationMs: 12 };
}

function fixture(): { workspace: Workspace; run: RunRecord } {
  const workspace: Workspace = {
    id: 'acme-co',
    name: 'Acme Co',
    domain: 'acme.test',
    hosts: [
      { name: 'acme.test', confirmed: true },
      { name: 'www.acme.test', confirmed: true },
    ],
    routes: [],
    dkimSelectors: [],
    integrations: {},
    answers: {
      'deploy.ask.rollback-steps': {
        answer: 'yes',
        note: 'Vercel → Deployments → Promote the previous one; migrations have down files.',
        answeredAt: '2026-11-18T09:00:00.000Z',
      },
    },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-18T09:00:00.000Z',
  };
  const results = [
    result('audit.http.admin-auth', 'fail', 'admin (acme.test/admin) opens for anyone.', {
      routes: [{ key: 'admin', url: 'https://acme.test/admin', finalStatus: 200 }],
    }),
    result('edge.dns.map', 'pass', 'Mapped 2 hosts.', {
      nameservers: ['ns1.dns.test'],
      hosts: [
        {
          host: 'acme.test',
          resolution: 'ok',
          cnameChain: [],
          ipv4: ['192.0.2.10'],
          status: 'pass',
        },
        {
          host: 'www.acme.test',
          resolution: 'ok',
          cnameChain: ['acme.test'],
          ipv4: ['192.0.2.10'],
          status: 'pass',
        },
      ],
    }),
    result('edge.tls.certificate', 'warn', 'acme.test expires in 9 days.', {
      hosts: [
        {
          host: 'acme.test',
          issuer: 'CN=R11, O=Let’s Encrypt',
          validTo: '2026-11-29T00:00:00.000Z',
          daysLeft: 9,
          status: 'warn',
          note: 'expires in 9 days',
        },
      ],
    }),
    result('deploy.ask.rollback-steps', 'pass', 'You answered yes.', {
      question: 'written down?',
      answer: 'yes',
    }),
    result('monitor.ask.on-call', 'unanswered', 'Not answered yet.', { answer: null }),
  ];
  const meta = new Map(META.map((m) => [m.id, m]));
  const run: RunRecord = {
    runId: '4f1c2d3e-0000-4000-8000-000000000001',
    workspaceId: workspace.id,
    startedAt: '2026-11-20T10:14:30.000Z',
    finishedAt: FINISHED,
    results,
    verdict: computeVerdict(results, meta),
    diff: { previousRunId: null, newFailures: [], fixed: [], changed: [], unchanged: 0 },
  };
  return { workspace, run };
}

function flip(pdf: Buffer, at: number): Buffer {
  const copy = Buffer.from(pdf);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

describe('the signed handover of a small product', () => {
  const { workspace, run } = fixture();
  let identity: SigningIdentity;
  let exported: ExportedHandover;

  beforeAll(async () => {
    identity = await createSigningIdentity(workspace.name);
    exported = await exportHandover({ workspace, run, identity, appVersion: '0.1.0' });
  });

  it('verifies, naming the signer and the fingerprint the cover prints', async () => {
    const v = await verifyHandover(exported.pdf);
    expect(v).toMatchObject({
      valid: true,
      signerCommonName: 'Acme Co',
      fingerprint: identity.fingerprint,
      selfSigned: true,
      attachmentPresent: true,
      declaredFingerprintMatches: true,
    });
    expect(Date.parse(v.signedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const [a, b, c, d] = v.byteRange ?? [];
    expect(a).toBe(0);
    // The hole between the ranges is exactly the <hex> signature value.
    expect(exported.pdf[b ?? 0]).toBe('<'.charCodeAt(0));
    expect(exported.pdf[(c ?? 0) - 1]).toBe('>'.charCodeAt(0));
    expect((c ?? 0) + (d ?? 0)).toBe(exported.pdf.length);
    expect(exported.fileName).toBe('acme-co-handover-2026-11-20.pdf');
  });

  it('composes the same unsigned bytes from the same data, and other bytes from other data', async () => {
    const first = await unsignedHandover({ workspace, run, identity, appVersion: '0.1.0' });
    const second = await unsignedHandover({ workspace, run, identity, appVersion: '0.1.0' });
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const changed = await unsignedHandover({
      workspace,
      run: {
        ...run,
        results: run.results.map((r, i) => (i === 0 ? { ...r, summary: 'other' } : r)),
      },
      identity,
      appVersion: '0.1.0',
    });
    expect(Buffer.from(first).equals(Buffer.from(changed))).toBe(false);
  });

  it('fails when any single byte changes, wherever it is', async () => {
    const v = await verifyHandover(exported.pdf);
    const [, b, c] = v.byteRange as [number, number, number, number];
    const n = exported.pdf.length;
    // Before, inside and after the signature value (its DER, its zero padding), and the ranges.
    const positions = [
      9,
      200,
      Math.floor(b / 2),
      b - 1,
      b + 1,
      b + 40,
      c - 2,
      c - 1,
      c,
      Math.floor((c + n) / 2),
      n - 1,
    ];
    for (const at of positions) {
      const r = await verifyHandover(flip(exported.pdf, at));
      expect(r.valid, `byte ${at}`).toBe(false);
      expect(r.reason, `byte ${at}`).toMatch(/./);
    }
    // A letter of the hex value in the other case decodes to the same bytes: still refused.
    const hexLetter = exported.pdf.indexOf(Buffer.from('a'), b);
    const recased = Buffer.from(exported.pdf);
    recased[hexLetter] = 'A'.charCodeAt(0);
    expect((await verifyHandover(recased)).valid).toBe(false);
    const inRange = await verifyHandover(flip(exported.pdf, Math.floor(b / 2)));
    expect(inRange.reason).toMatch(/^Digest mismatch/);
    // The signer is still named, so the reader knows whose signature no longer matches.
    expect(inRange.fingerprint).toBe(identity.fingerprint);
  });

  it('notices a change to any byte of the signature value itself', async () => {
    // The CMS sits in the one part of the file the digest leaves out: each of its bytes must
    // still matter. Checked on the CMS directly (the whole verify per byte would take minutes).
    const v = await verifyHandover(exported.pdf);
    const [, b, c] = v.byteRange as [number, number, number, number];
    const der = Buffer.from(exported.pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex');
    const original = readCmsSignature(der);
    expect(original).toMatchObject({ signatureValid: true, problem: null });
    const fingerprint = original.certificate.fingerprint256;
    let checked = 0;
    for (let i = 0; i < der.length; i++) {
      if (i > 4000 && der[i] === 0) continue; // deep in the zero padding: sampled below
      for (const mask of [0x01, 0x20, 0x80]) {
        const changed = Buffer.from(der);
        changed[i] = (changed[i] as number) ^ mask;
        let noticed = true;
        try {
          const r = readCmsSignature(changed);
          noticed =
            !r.signatureValid ||
            r.problem !== null ||
            r.certificate.fingerprint256 !== fingerprint ||
            !r.messageDigest.equals(original.messageDigest);
        } catch (err) {
          expect(err, `byte ${i} mask ${mask}`).toBeInstanceOf(CmsError);
        }
        expect(noticed, `byte ${i} ^ ${mask}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('fails when bytes are appended or the file is cut', async () => {
    const appended = await verifyHandover(
      Buffer.concat([exported.pdf, Buffer.from('\n% appended\n')]),
    );
    expect(appended.valid).toBe(false);
    expect(appended.reason).toMatch(/appended after the document was signed/);
    const cut = await verifyHandover(exported.pdf.subarray(0, exported.pdf.length - 10));
    expect(cut.valid).toBe(false);
    expect(cut.reason).toMatch(/shorter than the signature says/);
  });

  it('says an unsigned PDF is not signed, and refuses what is not a PDF', async () => {
    const unsigned = await unsignedHandover({ workspace, run, identity, appVersion: '0.1.0' });
    const v = await verifyHandover(unsigned);
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/not signed/);
    for (const bytes of [Buffer.alloc(0), Buffer.from('{"not":"a pdf"}'), Buffer.alloc(4096, 7)])
      await expect(verifyHandover(bytes)).rejects.toMatchObject({ code: 'not-a-pdf' });
  });

  it('carries its data as JSON that reads back equal, and imports only when valid', async () => {
    const data = await readHandoverData(exported.pdf);
    expect(data).toEqual(JSON.parse(JSON.stringify(exported.data)));
    expect(data.run.results).toEqual(run.results);
    expect(data.workspace.answers['deploy.ask.rollback-steps']?.note).toMatch(/Promote/);
    expect(data.signer).toEqual({
      commonName: 'Acme Co',
      fingerprint: identity.fingerprint,
      kind: 'created',
      selfSigned: true,
    });
    const imported = await importHandover(exported.pdf);
    expect(imported.data.run.runId).toBe(run.runId);
    const v = await verifyHandover(exported.pdf);
    await expect(
      importHandover(flip(exported.pdf, Math.floor((v.byteRange?.[1] ?? 0) / 2))),
    ).rejects.toMatchObject({
      name: 'HandoverError',
      code: 'invalid-signature',
    });
  });

  it('rejects a document re-signed by another key than the one it declares', async () => {
    // Same data (declaring the first fingerprint), signed by a second identity: the cover
    // would show the wrong signer, so verification must say so.
    const other = await createSigningIdentity('Mallory');
    const forged = await exportHandover({
      workspace,
      run,
      identity: { ...other, fingerprint: identity.fingerprint, commonName: identity.commonName },
      appVersion: '0.1.0',
    });
    const v = await verifyHandover(forged.pdf);
    expect(v.valid).toBe(false);
    expect(v.declaredFingerprintMatches).toBe(false);
    expect(v.reason).toMatch(/says it was signed by the certificate/);
  });

  it('signs a lab product only with a throwaway identity, and a real one never', async () => {
    const lab = await handoverSigningIdentity({ ...workspace, lab: 'demo' }, { ephemeral: true });
    expect(lab.identity.kind).toBe('ephemeral');
    await expect(handoverSigningIdentity(workspace, { ephemeral: true })).rejects.toBeInstanceOf(
      HandoverError,
    );
  });
});

const openssl = HAS_OPENSSL;

describe.skipIf(!openssl)('a signing identity from a PKCS#12 file', () => {
  let dir: string;
  const p12 = (name: string) => readFileSync(join(dir, name));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lr-p12-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-subj',
      '/CN=Acme Signing/O=Acme',
      '-days',
      '30',
    );
    run(
      'pkcs12',
      '-export',
      '-inkey',
      'k.pem',
      '-in',
      'c.pem',
      '-out',
      'rsa.p12',
      '-passout',
      'pass:correct horse',
    );
    run('ecparam', '-genkey', '-name', 'prime256v1', '-out', 'ec.pem');
    run('req', '-x509', '-key', 'ec.pem', '-out', 'ec-cert.pem', '-subj', '/CN=EC', '-days', '30');
    run(
      'pkcs12',
      '-export',
      '-inkey',
      'ec.pem',
      '-in',
      'ec-cert.pem',
      '-out',
      'ec.p12',
      '-passout',
      'pass:pw',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with its passphrase and signs a handover that verifies', async () => {
    const identity = signingIdentityFromP12(p12('rsa.p12'), 'correct horse');
    expect(identity).toMatchObject({
      kind: 'imported',
      commonName: 'Acme Signing',
      selfSigned: true,
    });
    const expected = execFileSync(
      'openssl',
      ['x509', '-in', join(dir, 'c.pem'), '-noout', '-fingerprint', '-sha256'],
      {
        encoding: 'utf8',
      },
    );
    expect(expected).toContain(identity.fingerprint);
    const { workspace, run } = fixture();
    const out = await exportHandover({ workspace, run, identity, appVersion: '0.1.0' });
    expect(await verifyHandover(out.pdf)).toMatchObject({
      valid: true,
      signerCommonName: 'Acme Signing',
      fingerprint: identity.fingerprint,
    });
  });

  it('says what is wrong: a wrong passphrase, an EC key, not a PKCS#12 at all', () => {
    const wrong = () => signingIdentityFromP12(p12('rsa.p12'), 'wrong');
    expect(wrong).toThrow(VaultError);
    expect(wrong).toThrow(/passphrase does not open/);
    expect(() => signingIdentityFromP12(p12('ec.p12'), 'pw')).toThrow(/not an RSA key/);
    expect(() => signingIdentityFromP12(Buffer.from('hello'), 'pw')).toThrow(/not a PKCS#12/);
  });
});
