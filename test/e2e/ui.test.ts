/**
 * End to end: the built app served by `launch-ready ui --demo`, driven in headless Chromium the
 * way a founder would use it. Needs `npm run build` first (npm test builds before vitest).
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../src/shared/checks';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = resolve(import.meta.dirname, '../..');
const URL_LINE = /^Launch Ready UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;
const START_TIMEOUT_MS = 30_000;

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? 'launch-ready ui in Chromium' : `UI e2e skipped: no Chromium at ${CHROMIUM}`,
  () => {
    let dataDir: string;
    let profileDir: string;
    let shotsDir: string;
    let server: ChildProcessWithoutNullStreams | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let url: string;
    let stderr = '';
    const stdoutLines: string[] = [];
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'lr-e2e-data-'));
      profileDir = mkdtempSync(join(tmpdir(), 'lr-e2e-chromium-'));
      shotsDir = mkdtempSync(join(tmpdir(), 'lr-e2e-shots-'));

      server = spawn(process.execPath, ['bin/launch-ready.js', 'ui', '--demo', '--port', '0'], {
        cwd: ROOT,
        env: { ...process.env, LAUNCH_READY_DATA_DIR: dataDir },
      });
      server.stderr.setEncoding('utf8');
      server.stderr.on('data', (chunk: string) => (stderr += chunk));
      url = await waitForUrl(server);

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        // Keeps Chromium's profile and caches out of the real home directory.
        env: {
          ...process.env,
          XDG_CONFIG_HOME: join(profileDir, 'config'),
          XDG_CACHE_HOME: join(profileDir, 'cache'),
        },
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // CSP violations, failed loads and uncaught exceptions all surface here.
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(`Uncaught: ${error.message}`));
      // Chromium does not always log a refused eval to the console; the violation event is the
      // sure signal, so each one is turned into a console error the listener above collects.
      await page.addInitScript({
        content: `document.addEventListener('securitypolicyviolation', (e) =>
          console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
      });
    });

    afterAll(async () => {
      await browser?.close();
      if (server) await stop(server);
      for (const dir of [dataDir, profileDir]) {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    });

    /** Resolves with the URL line; rejects with the server's stderr when it never comes. */
    function waitForUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
      return new Promise((resolvePromise, reject) => {
        let settled = false;
        const fail = (why: string) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(
            new Error(
              `launch-ready ui ${why} (did "npm run build" run?).\nstderr:\n${stderr || '(empty)'}`,
            ),
          );
        };
        const timer = setTimeout(
          () => fail(`printed no "Launch Ready UI:" line within ${START_TIMEOUT_MS / 1000} s`),
          START_TIMEOUT_MS,
        );
        // Keeps reading after the URL so a chatty server can never block on a full pipe.
        createInterface({ input: child.stdout }).on('line', (line) => {
          stdoutLines.push(line);
          const match = URL_LINE.exec(line);
          if (match?.[1] && !settled) {
            settled = true;
            clearTimeout(timer);
            resolvePromise(match[1]);
          }
        });
        child.once('error', (error) => fail(`could not start: ${error.message}`));
        child.once('exit', (code, signal) =>
          fail(`exited (${signal ?? `code ${code}`}) before printing its URL`),
        );
      });
    }

    it('runs the demo checks and shows passes and failures', { timeout: 120_000 }, async () => {
      await page.goto(url);
      await page.getByRole('button', { name: 'Try the demo' }).click();

      const recheck = page.getByRole('button', { name: /Re-check/ });
      await recheck.waitFor();
      // The token left the address bar (it stays in sessionStorage for reloads).
      expect(page.url()).not.toContain('token=');
      // A fresh data dir: no verdict until our run finishes, so its appearance proves the run.
      await page.getByText('Not checked yet').waitFor();
      expect(await page.getByTestId('verdict-headline').count()).toBe(0);

      await recheck.click();
      await page.getByTestId('verdict-headline').waitFor({ timeout: 60_000 });
      await page.locator('header button:enabled', { hasText: 'Re-check' }).waitFor();

      const headline = (await page.getByTestId('verdict-headline').innerText()).trim();
      expect(headline).not.toBe('Ready to demo');
      await page.screenshot({ path: join(shotsDir, 'overview.png'), fullPage: true });

      const statuses = new Map<string, string>();
      for (const stage of STAGES) {
        await page.locator(`nav [data-stage="${stage.n}"]`).click();
        await page.locator('main h2', { hasText: stage.title }).waitFor();
        const rows = page.locator('main [data-check-id]');
        const count = await rows.count();
        for (let i = 0; i < count; i++) {
          const row = rows.nth(i);
          const id = await row.getAttribute('data-check-id');
          const status = await row.getAttribute('data-status');
          if (id && status) statuses.set(id, status);
        }
        if (count > 0) {
          await page.screenshot({ path: join(shotsDir, `stage-${stage.n}.png`), fullPage: true });
        }
      }
      console.log(`UI screenshots in ${shotsDir}`);

      const found = [...statuses.values()];
      expect(found, JSON.stringify(Object.fromEntries(statuses))).toContain('pass');
      expect(found, JSON.stringify(Object.fromEntries(statuses))).toContain('fail');

      expect(consoleErrors).toEqual([]);
      expect(stdoutLines).toHaveLength(1);
    });
  },
);

/** SIGTERM, then SIGKILL if the server has not exited within 10 s. */
async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
