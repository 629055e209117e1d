/**
 * `launch-ready export` and `launch-ready verify` as a founder runs them (the built CLI): the
 * demo signed with a throwaway identity and checked by verify and pdfsig; a saved product
 * signed with its own identity from a real Secret Service, created once and then reused; a
 * locked or missing keychain is a clear error and never a file signed some other way.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { RunRecord } from '../../src/shared/run';
import type { Workspace } from '../../src/shared/workspace';
import { catalogueMeta } from '../../src/main/core/checks/catalogue';
import { computeVerdict } from '../../src/main/core/engine/verdict';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { WorkspaceStore } from '../../src/main/core/store/workspace-store';
import { ROOT, assertCliBuilt, cli } from '../support/run-cli';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/launch-ready-handover-bus' };
const CANARY = ['sntrys', 'cli', 'handover', 'canary', 'Vb62Qe9'].join('-');

function tool(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 60_000 }, (_err, stdout, stderr) =>
      resolve(stdout + stderr),
    );
  });
}

const havePdfsig = await tool('pdfsig', ['-v']).then((out) => /pdfsig version/i.test(out));
if (!havePdfsig)
  console.warn('pdfsig checks skipped: pdfsig not found (apt-get install poppler-utils).');

function fingerprintOf(stdout: string): string {
  const m = /SHA-256 fingerprint: ([0-9A-F:]{95})/.exec(stdout);
  if (!m) throw new Error(`no fingerprint in: ${stdout}`);
  return m[1] as string;
}

/** A saved, real (not lab) product with one run, as the app's store keeps it. */
async function saveProduct(dataDir: string, id: string, note: string): Promise<void> {
  const meta = catalogueMeta();
  const result = (checkId: string, status: CheckResult['status'], summary: string) => {
    const m = meta.find((c) => c.id === checkId);
    if (!m) throw new Error(checkId);
    return {
      id: checkId,
      stage: m.stage,
      impact: m.impact,
      status,
      summary,
      evidence: {},
      durationMs: 5,
    };
  };
  const workspace: Workspace = {
    id,
    name: 'Acme Co',
    domain: 'acme.test',
    hosts: [{ name: 'acme.test', confirmed: true }],
    routes: [],
    dkimSelectors: [],
    integrations: { sentry: {} },
    answers: {
      'deploy.ask.rollback-steps': { answer: 'yes', note, answeredAt: '2026-11-20T09:00:00.000Z' },
    },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-20T09:00:00.000Z',
  };
  const results = [
    result('audit.http.admin-auth', 'fail', 'admin (acme.test/admin) opens for anyone.'),
    result('deploy.ask.rollback-steps', 'pass', `You answered yes. Your note: "${note}".`),
  ];
  const run: RunRecord = {
    runId: '7d9e0000-0000-4000-8000-000000000002',
    workspaceId: id,
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:30.000Z',
    results,
    verdict: computeVerdict(results, new Map(meta.map((m) => [m.id, m]))),
    diff: { previousRunId: null, newFailures: [], fixed: [], changed: [], unchanged: 0 },
  };
  const store = new WorkspaceStore(dataDir);
  await store.save(workspace);
  await store.appendRun(id, run);
}

describe('launch-ready export --demo and verify', () => {
  let dir: string;
  let demoPdf: string;
  let exportOut: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    assertCliBuilt();
    dir = await mkdtemp(join(tmpdir(), 'lr-handover-cli-'));
    demoPdf = join(dir, 'demo.pdf');
    // No keychain at all: the demo never needs one.
    exportOut = await cli(['export', '--demo', '--out', demoPdf], NO_BUS);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the demo handover, signed with a demo identity that is not kept', () => {
    expect(exportOut.code, exportOut.stderr).toBe(0);
    expect(exportOut.stdout).toMatch(/^Wrote .*demo\.pdf \(\d+ pages, \d+ KB\)$/m);
    expect(exportOut.stdout).toContain('Signed by: Promptly (demo)');
    expect(exportOut.stdout).toContain('demo identity, not kept');
    expect(existsSync(demoPdf)).toBe(true);
  });

  it('verify says valid, with the signer and the same fingerprint', async () => {
    const r = await cli(['verify', demoPdf]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^demo\.pdf: VALID — /);
    expect(r.stdout).toContain('Signer: Promptly (demo)');
    expect(fingerprintOf(r.stdout)).toBe(fingerprintOf(exportOut.stdout));
    expect(r.stdout).toContain('launch-ready-handover.json present');
    const json = await cli(['verify', demoPdf, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, attachmentPresent: true });
  });

  it.skipIf(!havePdfsig)(
    'pdfsig agrees: valid, then a digest mismatch after one byte',
    async () => {
      expect(await tool('pdfsig', [demoPdf])).toContain(
        'Signature Validation: Signature is Valid.',
      );
      const bytes = await readFile(demoPdf);
      bytes[20_000] = (bytes[20_000] as number) ^ 0x04;
      const tampered = join(dir, 'tampered.pdf');
      await writeFile(tampered, bytes);
      expect(await tool('pdfsig', [tampered])).toContain('Digest Mismatch.');
      const r = await cli(['verify', tampered]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^tampered\.pdf: INVALID — Digest mismatch/);
    },
  );

  it('verify exits 1 when bytes were appended after signing', async () => {
    const appended = join(dir, 'appended.pdf');
    await writeFile(appended, Buffer.concat([await readFile(demoPdf), Buffer.from('\n%%EOF\n')]));
    const r = await cli(['verify', appended]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/appended after the document was signed/);
  });

  it('verify exits 2 with a message for a missing file, a non-PDF or no file at all', async () => {
    const empty = join(dir, 'empty.pdf');
    await writeFile(empty, '');
    const random = join(dir, 'random.pdf');
    await writeFile(random, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131) % 256)));
    const cases: [string[], RegExp][] = [
      [['verify', join(dir, 'nope.pdf')], /nope\.pdf does not exist/],
      [['verify', join(ROOT, 'package.json')], /not a PDF/],
      [['verify', empty], /empty: it is not a PDF/],
      [['verify', random], /not a PDF/],
      [['verify'], /give one FILE/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('export exits 2 on bad input, before running anything', async () => {
    const cases: [string[], RegExp][] = [
      [['export', '--demo'], /--out FILE/],
      [['export', '--out', join(dir, 'x.pdf')], /either --demo/],
      [['export', '--demo', '--workspace', 'acme', '--out', join(dir, 'x.pdf')], /either --demo/],
      [['export', '--scenario', 'nope', '--out', join(dir, 'x.pdf')], /no lab scenario "nope"/],
      [['export', '--demo', '--out', join(dir, 'missing-dir', 'x.pdf')], /does not exist/],
      [
        ['export', '--workspace', 'no-such-product', '--out', join(dir, 'x.pdf')],
        /no saved workspace "no-such-product"/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { LAUNCH_READY_DATA_DIR: dir, ...NO_BUS });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });

  it('leaves the demo lab’s own tokens out of the PDF', async () => {
    const tokens = Object.values(getScenario('demo').vendors?.tokens ?? {}).filter(
      (t): t is string => typeof t === 'string' && t.length >= 8,
    );
    expect(tokens.length).toBeGreaterThan(2);
    const bytes = (await readFile(demoPdf)).toString('latin1');
    const text = havePdfsig ? await tool('pdftotext', [demoPdf, '-']) : '';
    for (const t of tokens) {
      expect(bytes.includes(t)).toBe(false);
      expect(text.includes(t)).toBe(false);
    }
  });
});

const noKeychain = secretServiceUnavailable();

describe.skipIf(noKeychain !== null)('launch-ready export --workspace with the OS keychain', () => {
  let service: SecretService;
  let dir: string;
  let dataDir: string;

  beforeAll(async () => {
    assertCliBuilt();
    service = await startSecretService();
    dir = await mkdtemp(join(tmpdir(), 'lr-handover-keychain-'));
    dataDir = join(dir, 'data');
    await saveProduct(dataDir, 'acme-co', `Roll back in Vercel. Old token: ${CANARY}`);
    await new WorkspaceStore(dataDir).save({
      id: 'no-runs',
      name: 'Fresh',
      domain: 'fresh.test',
      hosts: [],
      routes: [],
      dkimSelectors: [],
      integrations: {},
      answers: {},
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const env = () => service.env({ ...process.env, LAUNCH_READY_DATA_DIR: dataDir });

  it('creates the identity on the first export and reuses it on the next', async () => {
    const first = await cli(
      ['export', '--workspace', 'acme-co', '--out', join(dir, 'one.pdf')],
      env(),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Signed by: Acme Co');
    expect(first.stdout).toContain('created now for this workspace and saved in the OS keychain');
    const second = await cli(
      ['export', '--workspace', 'acme-co', '--out', join(dir, 'two.pdf')],
      env(),
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('from the OS keychain');
    expect(fingerprintOf(second.stdout)).toBe(fingerprintOf(first.stdout));
    for (const file of ['one.pdf', 'two.pdf']) {
      const v = await cli(['verify', join(dir, file)]);
      expect(v.code, v.stdout).toBe(0);
      expect(fingerprintOf(v.stdout)).toBe(fingerprintOf(first.stdout));
    }
    // One keychain entry, under the documented account, holding a PKCS#12 and its passphrase.
    const probe = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          '-e',
          `require('keytar').getPassword('launch-ready','acme-co/signing-identity').then((v) => { const e = JSON.parse(v); console.log(e.format, e.kind, typeof e.passphrase, e.passphrase.length > 0, Buffer.from(e.p12, 'base64')[0]); })`,
        ],
        { cwd: ROOT, env: env(), encoding: 'utf8' },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout.trim())),
      ),
    );
    // 48 = 0x30, the DER SEQUENCE a PKCS#12 starts with.
    expect(probe).toBe('pkcs12 created string true 48');
  });

  it('keeps a token of the run out of the PDF, even one pasted into a founder’s note', async () => {
    const out = join(dir, 'canary.pdf');
    const r = await cli(['export', '--workspace', 'acme-co', '--out', out], {
      ...env(),
      LAUNCH_READY_SENTRY_TOKEN: CANARY,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    const bytes = await readFile(out);
    expect(bytes.toString('latin1').includes(CANARY)).toBe(false);
    if (havePdfsig) {
      const text = await tool('pdftotext', [out, '-']);
      expect(text).toContain('Roll back in Vercel');
      expect(text).not.toContain(CANARY);
      const saved = join(dir, 'canary.json');
      await tool('pdfdetach', ['-save', '1', '-o', saved, out]);
      expect(await readFile(saved, 'utf8')).not.toContain(CANARY);
    }
  });

  it('says there is nothing to export for a product without a run', async () => {
    const r = await cli(
      ['export', '--workspace', 'no-runs', '--out', join(dir, 'none.pdf')],
      env(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no run yet: run the checks first/);
    expect(existsSync(join(dir, 'none.pdf'))).toBe(false);
  });

  it('refuses with a clear error when there is no keychain, and writes nothing', async () => {
    const out = join(dir, 'no-bus.pdf');
    const r = await cli(['export', '--workspace', 'acme-co', '--out', out], {
      LAUNCH_READY_DATA_DIR: dataDir,
      ...NO_BUS,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No D-Bus session was found/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses with a clear error when the keyring is locked, and writes nothing', async () => {
    const locked = await startSecretService();
    try {
      const lockedEnv = locked.env({ ...process.env, LAUNCH_READY_DATA_DIR: dataDir });
      await locked.lock();
      const out = join(dir, 'locked.pdf');
      const r = await cli(['export', '--workspace', 'acme-co', '--out', out], lockedEnv);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Your keychain is locked');
      expect(r.stderr).toContain('unlock your login keyring');
      expect(existsSync(out)).toBe(false);
      expect(await locked.isLocked()).toBe(true);
    } finally {
      await locked.stop();
    }
  });
});
