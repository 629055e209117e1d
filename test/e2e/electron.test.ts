/**
 * The same journey in the real Electron window, where an Electron binary is installed. Offline
 * installs skip its download, so this suite says so and skips; the Chromium suite covers the UI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron } from 'playwright-core';
import type { ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src/shared/methods';
import { electronBinary } from '../../scripts/electron-binary.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BINARY = electronBinary();
if (BINARY === null) {
  console.warn(
    'Electron window e2e skipped: no Electron binary is installed; the Chromium e2e covers the UI.',
  );
}

describe.skipIf(BINARY === null)(
  BINARY === null
    ? 'Electron window e2e skipped: no Electron binary is installed (ELECTRON_SKIP_BINARY_DOWNLOAD or offline)'
    : 'the Electron window',
  () => {
    let app: ElectronApplication | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'lr-electron-data-'));
    afterAll(async () => {
      await app?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('exposes only the contract, isolated, and runs the demo', { timeout: 120_000 }, async () => {
      app = await _electron.launch({
        executablePath: BINARY!,
        args: [ROOT],
        env: { ...process.env, LAUNCH_READY_DATA_DIR: dataDir },
      });
      const page = await app.firstWindow();
      const exposed = await page.evaluate(() => ({
        keys: Object.keys((globalThis as unknown as { launchReady: object }).launchReady).sort(),
        hasRequire: typeof (globalThis as unknown as { require?: unknown }).require !== 'undefined',
        hasProcess: typeof (globalThis as unknown as { process?: unknown }).process !== 'undefined',
      }));
      expect(exposed.keys).toEqual([...METHOD_NAMES, 'onRunEvent'].sort());
      expect(exposed.hasRequire).toBe(false);
      expect(exposed.hasProcess).toBe(false);

      await page.getByRole('button', { name: 'Try the demo' }).click();
      await page.getByRole('button', { name: /Re-check/ }).click();
      await page.getByTestId('verdict-headline').waitFor({ timeout: 60_000 });
      const statuses: string[] = [];
      for (const n of [1, 2]) {
        await page.locator(`nav [data-stage="${n}"]`).click();
        for (const s of await page.locator('main [data-check-id]').all()) {
          statuses.push((await s.getAttribute('data-status')) ?? '');
        }
      }
      expect(statuses).toContain('pass');
      expect(statuses).toContain('fail');

      // The founder's path, as in Chromium: answer a question "no", re-check with R, and find
      // it first among the new problems; then both runs in Settings' history.
      await page.locator('nav [data-stage="6"]').click();
      const ask = page.locator('form[data-ask="monitor.ask.on-call"]');
      await ask.getByLabel('No', { exact: true }).check();
      await ask.getByRole('button', { name: 'Save answer' }).click();
      await ask.getByText('Saved. Re-check to update the score.').waitFor();
      await page.keyboard.press('r');
      await page.locator('header button:disabled', { hasText: 'Re-check' }).waitFor();
      await page.locator('header button:enabled', { hasText: 'Re-check' }).waitFor({
        timeout: 60_000,
      });
      await page.locator('nav [data-page="overview"]').click();
      await page
        .locator('section[aria-labelledby="changes-heading"]')
        .getByText('New problems')
        .waitFor();
      await page.locator('nav [data-page="settings"]').click();
      await page.locator('.settings-tab[data-section="history"]').click();
      await page.locator('table.history tbody tr').nth(1).waitFor();

      // Onboarding a real product: the code's folder comes from the native dialog, which the
      // test answers from the main process (a real dialog would wait for a person).
      await app.evaluate(({ dialog }, folder) => {
        dialog.showOpenDialog = (async () => ({
          canceled: false,
          filePaths: [folder],
        })) as unknown as typeof dialog.showOpenDialog;
      }, dataDir);
      await page.getByRole('button', { name: 'Switch product' }).click();
      await page.getByLabel('Enter your domain').fill('example.com');
      await page.getByRole('button', { name: 'Start' }).click();
      const confirm = page.getByTestId('confirm-product');
      await confirm.getByRole('button', { name: 'Choose…' }).click();
      await expect.poll(() => confirm.getByLabel(/Your code’s folder/).inputValue()).toBe(dataDir);
      await confirm.getByRole('button', { name: 'Create and open' }).click();
      await page.getByRole('button', { name: /Re-check/ }).waitFor();
    });
  },
);
