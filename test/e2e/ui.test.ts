/**
 * End to end: the built app served by `launch-ready ui --demo`, driven in headless Chromium the
 * way a founder would use it. Needs `npm run build` first (npm test builds before vitest).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../src/shared/checks';
import type { UiServer } from '../support/ui-server';
import { CHROMIUM, HAS_CHROMIUM, launchChromium, startUiServer } from '../support/ui-server';

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? 'launch-ready ui in Chromium' : `UI e2e skipped: no Chromium at ${CHROMIUM}`,
  () => {
    let dataDir: string;
    let profileDir: string;
    let shotsDir: string;
    let server: UiServer | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'lr-e2e-data-'));
      profileDir = mkdtempSync(join(tmpdir(), 'lr-e2e-chromium-'));
      shotsDir = mkdtempSync(join(tmpdir(), 'lr-e2e-shots-'));
      server = await startUiServer(['--demo'], { ...process.env, LAUNCH_READY_DATA_DIR: dataDir });
      browser = await launchChromium(profileDir);
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
          console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI +
            ' at ' + (e.sourceFile || '(no source)') + ':' + e.lineNumber + ' ' + (e.sample || '')));`,
      });
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      for (const dir of [dataDir, profileDir]) {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    });

    it('paints the welcome page from the HTML alone, its buttons waiting for the app', async () => {
      // The build prerenders the welcome page; without JavaScript it still reads, but nothing
      // pretends to work before React can answer a click.
      const context = await browser!.newContext({ javaScriptEnabled: false });
      try {
        const bare = await context.newPage();
        await bare.goto(server?.url ?? '');
        await bare
          .getByRole('heading', { name: 'Get your product ready to demo, sell and hand off' })
          .waitFor();
        expect(await bare.getByRole('button', { name: 'Try the demo' }).isDisabled()).toBe(true);
        expect(await bare.getByLabel('Enter your domain').isDisabled()).toBe(true);
      } finally {
        await context.close();
      }
    });

    it('runs the demo checks and shows passes and failures', { timeout: 120_000 }, async () => {
      await page.goto(server?.url ?? '');
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
        // The stage says what it delivers and what trouble looks like without it.
        const brief = await page.locator('main .stage-brief').innerText();
        expect(brief).toContain(stage.deliverable);
        for (const signal of stage.signals) expect(brief).toContain(signal);
        const rows = page.locator('main [data-check-id]');
        const count = await rows.count();
        for (let i = 0; i < count; i++) {
          const row = rows.nth(i);
          const id = await row.getAttribute('data-check-id');
          const status = await row.getAttribute('data-status');
          if (id && status) statuses.set(id, status);
        }
        await page.screenshot({ path: join(shotsDir, `stage-${stage.n}.png`), fullPage: true });
      }
      // Stage 6 opens on the operations dashboard, built from the run just made.
      await page.locator('nav [data-stage="6"]').click();
      await page.getByTestId('dashboard').waitFor();
      expect(await page.getByTestId('availability').innerText()).toMatch(/^\d+(\.\d)? %$/);
      // A loaded machine may leave the latency check undecided; the chart then says so.
      expect(await page.getByTestId('latency-chart').getAttribute('aria-label')).toMatch(
        /^(Slowest key page p95 over the last 1 run: from \d+ to \d+ ms; latest \d+ ms\.|No latency measured yet\.)$/,
      );
      await page.screenshot({ path: join(shotsDir, 'stage-6-dashboard.png'), fullPage: true });

      // Stage 7: export the signed handover (a download), then check it and a tampered copy.
      await page.locator('nav [data-stage="7"]').click();
      const exportPanel = page.getByTestId('handover-export');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        exportPanel.getByRole('button', { name: 'Export the signed handover (PDF)' }).click(),
      ]);
      const pdfFile = join(shotsDir, download.suggestedFilename());
      await download.saveAs(pdfFile);
      expect(download.suggestedFilename()).toMatch(/^promptly-demo-handover-.*\.pdf$/);
      await exportPanel.getByRole('status').filter({ hasText: 'SHA-256 fingerprint' }).waitFor();
      expect(readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const checkPanel = page.getByTestId('handover-check');
      await checkPanel.getByLabel('Choose a PDF…').setInputFiles(pdfFile);
      await checkPanel.locator('.verify-result[data-valid="yes"]').waitFor();
      expect(await checkPanel.locator('.verify-result').innerText()).toContain(
        'the signature is valid',
      );
      await page.screenshot({ path: join(shotsDir, 'stage-7-handover.png'), fullPage: true });
      const bytes = readFileSync(pdfFile);
      const at = Math.floor(bytes.length / 3);
      bytes[at] = bytes[at]! ^ 0x01;
      const tampered = join(shotsDir, 'tampered.pdf');
      writeFileSync(tampered, bytes);
      await checkPanel.getByLabel('Choose a PDF…').setInputFiles(tampered);
      await checkPanel.locator('.verify-result[data-valid="no"]').waitFor();

      // Settings: the demo's integrations are the lab's own accounts, with nothing to type.
      await page.locator('nav [data-page="settings"]').click();
      await page.locator('main h2', { hasText: 'Integrations' }).waitFor();
      await page.locator('[data-integration="cloudflare"][data-set="yes"]').waitFor();
      expect(await page.locator('[data-integration="betterstack"]').getAttribute('data-set')).toBe(
        'no',
      );
      expect(await page.locator('main input[type="password"]').count()).toBe(0);
      await page.screenshot({ path: join(shotsDir, 'settings-demo.png'), fullPage: true });

      // Answer a question, re-check, and see it first among what changed.
      await page.locator('nav [data-stage="6"]').click();
      const ask = page.locator('form[data-ask="monitor.ask.on-call"]');
      await ask.getByLabel('No', { exact: true }).check();
      await ask.getByLabel('Note (optional)').fill('Nobody is on call yet.');
      await ask.getByRole('button', { name: 'Save answer' }).click();
      await ask.getByText('Saved. Re-check to update the score.').waitFor();
      // The keyboard shortcut: R anywhere outside a text field re-checks everything.
      await page.keyboard.press('r');
      await page.locator('header button:disabled', { hasText: 'Re-check' }).waitFor();
      await page.locator('header button:enabled', { hasText: 'Re-check' }).waitFor({
        timeout: 60_000,
      });
      await page
        .locator('[data-check-id="monitor.ask.on-call"][data-status="fail"]')
        .waitFor({ timeout: 10_000 });
      await page.locator('nav [data-page="overview"]').click();
      const changes = page.locator('section[aria-labelledby="changes-heading"]');
      await changes.getByText('New problems').waitFor();
      expect(await changes.innerText()).toContain(
        'A named person is alerted when the product goes down',
      );
      await page.screenshot({ path: join(shotsDir, 'overview-after-recheck.png'), fullPage: true });

      // Settings: both runs in the history, newest first; the demo among the products.
      await page.locator('nav [data-page="settings"]').click();
      await page.locator('.settings-tab[data-section="history"]').click();
      const rows = page.locator('table.history tbody tr');
      await rows.nth(1).waitFor();
      expect(await rows.count()).toBe(2);
      expect(await rows.first().innerText()).toMatch(/Not ready to demo/);
      await page.screenshot({ path: join(shotsDir, 'settings-history.png'), fullPage: true });
      await page.locator('.settings-tab[data-section="product"]').click();
      await page.getByText('The demo product is fixed').waitFor();
      await page.locator('.settings-tab[data-section="products"]').click();
      await page.locator('.product[data-workspace="demo"]', { hasText: 'Open now' }).waitFor();
      console.log(`UI screenshots in ${shotsDir}`);

      const found = [...statuses.values()];
      expect(found, JSON.stringify(Object.fromEntries(statuses))).toContain('pass');
      expect(found, JSON.stringify(Object.fromEntries(statuses))).toContain('fail');

      expect(consoleErrors).toEqual([]);
      expect(server?.stdoutLines).toHaveLength(1);
    });
  },
);
