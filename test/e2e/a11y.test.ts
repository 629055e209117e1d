/**
 * Accessibility: axe-core scans every page of the app — welcome, onboarding, overview, each stage after a
 * demo run, settings — in Debian's Chromium, at 1280×800 and at a 390-px-wide phone width. No
 * serious or critical violation is allowed. axe is injected into the page, so this context
 * bypasses the page's CSP (the UI e2e keeps it on and watches for violations).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../src/shared/checks';
import type { UiServer } from '../support/ui-server';
import { CHROMIUM, HAS_CHROMIUM, launchChromium, startUiServer } from '../support/ui-server';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations on the page as it is, after checking axe really ran. */
async function serious(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const { violations, passes } = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: unknown[]; passes: unknown[] }> };
      }
    ).axe;
    const r = await axe.run();
    return { violations: r.violations, passes: r.passes.length };
  });
  // A scan that passed no rule did not look at the page.
  expect(passes).toBeGreaterThan(10);
  return (violations as Violation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? 'accessibility of every page (axe-core)'
    : `a11y skipped: no Chromium at ${CHROMIUM}`,
  () => {
    let dataDir: string;
    let profileDir: string;
    let server: UiServer | undefined;
    let browser: Browser | undefined;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'lr-a11y-data-'));
      profileDir = mkdtempSync(join(tmpdir(), 'lr-a11y-chromium-'));
      server = await startUiServer(['--demo'], { ...process.env, LAUNCH_READY_DATA_DIR: dataDir });
      browser = await launchChromium(profileDir);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      for (const dir of [dataDir, profileDir])
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      it(`has no serious violation at ${viewport.width} px`, { timeout: 120_000 }, async () => {
        const context = await browser!.newContext({ viewport, bypassCSP: true });
        const page = await context.newPage();
        const found: Record<string, string[]> = {};
        await page.goto(server?.url ?? '');
        await page.getByRole('button', { name: 'Try the demo' }).waitFor();
        found.welcome = await serious(page);
        await page.getByLabel('Enter your domain').fill('example.com');
        await page.getByRole('button', { name: 'Start' }).click();
        await page.getByTestId('confirm-product').waitFor();
        found['onboarding: confirm'] = await serious(page);
        await page.getByRole('button', { name: 'Back' }).click();
        await page.getByRole('button', { name: 'Try the demo' }).click();
        const recheck = page.getByRole('button', { name: /Re-check/ });
        await recheck.waitFor();
        if ((await page.getByTestId('verdict-headline').count()) === 0) {
          await recheck.click();
          await page.getByTestId('verdict-headline').waitFor({ timeout: 60_000 });
        }
        found.overview = await serious(page);
        for (const stage of STAGES) {
          await page.locator(`nav [data-stage="${stage.n}"]`).click();
          await page.locator('main h2', { hasText: stage.title }).waitFor();
          found[`stage ${stage.n}`] = await serious(page);
        }
        await page.locator('nav [data-page="settings"]').click();
        await page.locator('main h2', { hasText: 'Integrations' }).waitFor();
        found['settings: integrations'] = await serious(page);
        for (const [section, heading] of [
          ['product', 'This product'],
          ['history', 'Run history'],
          ['products', 'Your products'],
        ]) {
          await page.locator(`.settings-tab[data-section="${section}"]`).click();
          await page.locator('main h2', { hasText: heading }).waitFor();
          found[`settings: ${section}`] = await serious(page);
        }
        await context.close();
        expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual(
          {},
        );
      });
    }
  },
);
