/**
 * The demo's signed handover, checked from outside with poppler: pdfsig accepts the signature
 * and reports a digest mismatch after one flipped byte, every page renders, no text runs off
 * a page or over other text, the attachment comes back equal, and no credential of the run
 * (a canary Sentry token, a key pasted into a founder's note) is anywhere in the file.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../src/shared/checks';
import type { RunRecord } from '../../src/shared/run';
import type { Workspace } from '../../src/shared/workspace';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { ExportedHandover } from '../../src/main/core/handover';
import {
  credentialValues,
  exportHandover,
  handoverSigningIdentity,
  readHandoverData,
  unsignedHandover,
  verifyHandover,
} from '../../src/main/core/handover';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { labWorkspace, startLab } from '../../src/main/core/lab/lab';
import type { LabVendors } from '../../src/main/core/lab/lab-vendors';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import type { SigningIdentity } from '../../src/main/core/vault';

const POPPLER = ['pdfsig', 'pdftoppm', 'pdfinfo', 'pdftotext', 'pdfdetach'];
const missing = POPPLER.filter(
  (tool) =>
    !(process.env.PATH ?? '').split(delimiter).some((dir) => {
      try {
        accessSync(join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
);
if (missing.length > 0) {
  const reason = `Handover PDF tests skipped: ${missing.join(', ')} not found (apt-get install poppler-utils).`;
  if (process.env.CI) throw new Error(reason.replace('skipped', 'cannot run in CI'));
  console.warn(reason);
}

// Built at run time, so no secret scanner flags this file.
const SENTRY_CANARY = ['sntrys', 'handover', 'canary', 'Qm81Zx4Lw'].join('-');
const KEY_IN_NOTE = ['sk', 'live', '51Mq8Zr2vTqWo7Kq4TzV9hW3nB6cD1fG8jK0lPa'].join('_');
const LONG_URL =
  'https://wiki.promptly-ai.test/runbooks/rollback/production/vercel/promote-the-previous-deployment-then-undo-the-last-migration?section=all&format=printable';
const UNBROKEN = `rollback-checklist-${'0123456789abcdef'.repeat(14)}`;
const NOTE = `Promote the previous deployment in Vercel, then run the down migration. Full steps: ${LONG_URL} — checklist id ${UNBROKEN}. (Old key pasted here by mistake: ${KEY_IN_NOTE})`;

function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Every word's box, from pdftotext -bbox (XHTML with one <word> per word). */
function words(xhtml: string): { pages: { width: number; height: number }[]; words: Word[] } {
  const pages: { width: number; height: number }[] = [];
  const out: Word[] = [];
  const re =
    /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of xhtml.matchAll(re)) {
    if (m[1]) pages.push({ width: Number(m[1]), height: Number(m[2]) });
    else
      out.push({
        page: pages.length,
        xMin: Number(m[3]),
        yMin: Number(m[4]),
        xMax: Number(m[5]),
        yMax: Number(m[6]),
        text: m[7] ?? '',
      });
  }
  return { pages, words: out };
}

/** The inflated content of every Flate stream in the file. */
function inflatedStreams(pdf: Buffer): string[] {
  const out: string[] = [];
  const text = pdf.toString('latin1');
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('utf8'));
    } catch {
      /* not a Flate stream */
    }
  }
  return out;
}

describe.skipIf(missing.length > 0)('the demo handover, read by poppler', () => {
  let lab: RunningLab;
  let dir: string;
  let file: string;
  let workspace: Workspace;
  let record: RunRecord;
  let identity: SigningIdentity;
  let exported: ExportedHandover;
  let secrets: string[];

  beforeAll(async () => {
    const demo = getScenario('demo');
    const V = demo.vendors as LabVendors;
    const sentry = V.sentry as NonNullable<LabVendors['sentry']>;
    // The demo with its Sentry account reached through a canary token: a real credential of the run.
    lab = await startLab(
      composeScenario(demo, {
        vendors: {
          ...V,
          sentry: { ...sentry, tokens: { [SENTRY_CANARY]: Object.values(sentry.tokens)[0] ?? [] } },
          tokens: { ...V.tokens, sentry: SENTRY_CANARY },
        },
      }),
    );
    const base = await labWorkspace(lab, 'demo');
    workspace = {
      ...base,
      answers: {
        'deploy.ask.rollback-steps': {
          answer: 'yes',
          note: NOTE,
          answeredAt: '2026-11-20T09:00:00.000Z',
        },
      },
    };
    record = await executeRun(planRun(CATALOGUE, workspace), workspace, lab.net, {
      credentials: lab.credentials,
    });
    secrets = await credentialValues(lab.credentials);
    identity = (await handoverSigningIdentity(workspace, { ephemeral: true })).identity;
    exported = await exportHandover({
      workspace,
      run: record,
      identity,
      appVersion: '0.1.0',
      knownSecrets: secrets,
    });
    dir = await mkdtemp(join(tmpdir(), 'lr-handover-'));
    file = join(dir, 'handover.pdf');
    await writeFile(file, exported.pdf);
  }, 120_000);

  afterAll(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ran the Sentry checks with the canary token', () => {
    expect(secrets).toContain(SENTRY_CANARY);
    const releases = record.results.find((r) => r.id === 'monitor.errors.releases');
    expect(releases?.status).not.toBe('skipped');
    expect(releases?.status).not.toBe('error');
  });

  it('pdfsig says the signature is valid, and names the signer', async () => {
    const r = await run('pdfsig', [file]);
    expect(r.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(r.stdout).toContain('Signer Certificate Common Name: Promptly (demo)');
    expect(r.stdout).toContain('Signing Hash Algorithm: SHA-256');
    expect(r.stdout).toContain('Total document signed');
    expect(await verifyHandover(exported.pdf)).toMatchObject({
      valid: true,
      fingerprint: identity.fingerprint,
    });
  });

  it('pdfsig and verify both report one flipped byte inside the signed range', async () => {
    const v = await verifyHandover(exported.pdf);
    const [, b] = v.byteRange as [number, number, number, number];
    const tampered = Buffer.from(exported.pdf);
    const at = Math.floor(b / 3);
    tampered[at] = (tampered[at] as number) ^ 0x01;
    const bad = join(dir, 'tampered.pdf');
    await writeFile(bad, tampered);
    // pdfsig exits 0 even now: its words are what count.
    const r = await run('pdfsig', [bad]);
    expect(r.stdout).toContain('Digest Mismatch.');
    expect(r.stdout).not.toContain('Signature is Valid.');
    const ours = await verifyHandover(tampered);
    expect(ours.valid).toBe(false);
    expect(ours.reason).toMatch(/^Digest mismatch/);
  });

  it('renders every page with pdftoppm', async () => {
    const info = await run('pdfinfo', [file]);
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(info.stdout)?.[1]);
    expect(pages).toBe(exported.pageCount);
    expect(pages).toBeGreaterThan(20);
    const out = join(dir, 'pages');
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const r = await run('pdftoppm', ['-png', '-r', '50', file, join(out, 'p')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const pngs = (await readdir(out)).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBe(pages);
    for (const png of pngs) expect((await stat(join(out, png))).size).toBeGreaterThan(2000);
  }, 60_000);

  it('reads as a handover: contents, every stage, the reference sections, the signer', async () => {
    const text = (await run('pdftotext', [file, '-'])).stdout;
    for (const s of STAGES.filter((x) => x.n !== 7)) expect(text).toContain(`${s.n}. ${s.title}`);
    for (const heading of [
      'Contents',
      'Summary and risk map',
      'Ranked risk list',
      '7.1 Domain map and redirect rules',
      '7.2 Certificate expiry',
      '7.3 External services',
      '7.4 Keys: what to rotate and how',
      '7.5 Rolling back a release',
      '7.6 Checking that alerts work',
      '7.9 Next steps',
      'About this document',
    ])
      expect(text).toContain(heading);
    expect(text).toContain('Demo identity, not kept');
    const [first, second] = [identity.fingerprint.slice(0, 48), identity.fingerprint.slice(48)];
    expect(text).toContain(first);
    expect(text).toContain(second);
    expect(text).toContain('Open item');
    expect(text).toContain('status.promptly-ai.test');
    expect(text).toContain('Promote the previous deployment in Vercel');
    expect(exported.data.redactions).toBeGreaterThan(0);
    expect(text).toContain('[redacted]');
  });

  it('keeps every word inside the page and off other words', async () => {
    const { pages, words: all } = words((await run('pdftotext', ['-bbox', file, '-'])).stdout);
    expect(pages.length).toBe(exported.pageCount);
    expect(all.length).toBeGreaterThan(5000);
    for (const w of all) {
      const page = pages[w.page - 1] as { width: number; height: number };
      // Inside the margins (56 pt each side), with a little room for glyph overhang.
      expect(w.xMin, `${w.text} on page ${w.page}`).toBeGreaterThanOrEqual(50);
      expect(w.xMax, `${w.text} on page ${w.page}`).toBeLessThanOrEqual(page.width - 50);
      expect(w.yMin).toBeGreaterThanOrEqual(20);
      expect(w.yMax).toBeLessThanOrEqual(page.height - 20);
    }
    const overlaps: string[] = [];
    for (let p = 1; p <= pages.length; p++) {
      const onPage = all.filter((w) => w.page === p).sort((a, b) => a.yMin - b.yMin);
      for (let i = 0; i < onPage.length; i++) {
        const a = onPage[i] as Word;
        for (let j = i + 1; j < onPage.length && (onPage[j] as Word).yMin < a.yMax; j++) {
          const b = onPage[j] as Word;
          const w = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
          const h = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
          const smaller = Math.min(
            (a.xMax - a.xMin) * (a.yMax - a.yMin),
            (b.xMax - b.xMin) * (b.yMax - b.yMin),
          );
          if (w > 0 && h > 0 && w * h > 0.2 * smaller)
            overlaps.push(`page ${p}: "${a.text}" / "${b.text}"`);
        }
      }
    }
    expect(overlaps).toEqual([]);
  });

  it('carries its data as an attachment that comes back equal, through pdfdetach too', async () => {
    const list = await run('pdfdetach', ['-list', file]);
    expect(list.stdout).toMatch(/1 embedded files?\n1: launch-ready-handover\.json/);
    const saved = join(dir, 'attached.json');
    const r = await run('pdfdetach', ['-save', '1', '-o', saved, file]);
    expect(r.code, r.stderr).toBe(0);
    const fromPoppler = JSON.parse(await readFile(saved, 'utf8'));
    const expected = JSON.parse(JSON.stringify(exported.data));
    expect(fromPoppler).toEqual(expected);
    expect(await readHandoverData(exported.pdf)).toEqual(expected);
    expect(fromPoppler.run.results.length).toBe(record.results.length);
    expect(fromPoppler.run.verdict).toEqual(JSON.parse(JSON.stringify(record.verdict)));
  });

  it('holds no credential of the run anywhere: bytes, text, streams or attachment', async () => {
    const canaries = [SENTRY_CANARY, KEY_IN_NOTE, ...secrets.filter((s) => s.length >= 8)];
    const haystacks = [
      exported.pdf.toString('latin1'),
      exported.pdf.toString('utf8'),
      (await run('pdftotext', [file, '-'])).stdout,
      ...inflatedStreams(exported.pdf),
      JSON.stringify(await readHandoverData(exported.pdf)),
    ];
    expect(haystacks.length).toBeGreaterThan(20);
    for (const canary of canaries)
      for (const hay of haystacks) expect(hay.includes(canary), canary.slice(0, 6)).toBe(false);
  });

  it('composes the same unsigned bytes again from the same run', async () => {
    const input = { workspace, run: record, identity, appVersion: '0.1.0', knownSecrets: secrets };
    const [a, b] = [await unsignedHandover(input), await unsignedHandover(input)];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
