/**
 * Renderer figures (npm run bench; printed, never asserted), as `name: value unit` lines:
 *
 * - renderer_js_kb_gz: the built renderer's JavaScript, gzip level 9, in KiB. Goal ≤ 250.
 * - first_render_ms: from navigation start to the welcome page's first contentful paint, in
 *   Debian's Chromium from `launch-ready ui --demo` on loopback, each load in a fresh browser
 *   context (cold cache); median of 7. Goal ≤ 300. The build prerenders the welcome page into
 *   index.html, so this paint needs the HTML and CSS only.
 * - interactive_ms: same loads, until React has hydrated that page (buttons answer clicks).
 *
 * Needs `npm run build` first; skips the browser figure without /usr/bin/chromium.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'vitest';
import { HAS_CHROMIUM, launchChromium, startUiServer } from '../test/support/ui-server';

const ASSETS = resolve(import.meta.dirname, '../out/renderer/assets');
const LOADS = 7;

describe('renderer', () => {
  it('bundle size', () => {
    const files = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
    let raw = 0;
    let gz = 0;
    for (const f of files) {
      const bytes = readFileSync(join(ASSETS, f));
      raw += bytes.length;
      gz += gzipSync(bytes, { level: 9 }).length;
    }
    process.stdout.write(
      `\nrenderer_js_kb_gz: ${(gz / 1024).toFixed(1)} KiB (goal ≤ 250; ${files.length} file${files.length === 1 ? '' : 's'}, ${(raw / 1024).toFixed(1)} KiB before gzip)\n`,
    );
  });

  it.skipIf(!HAS_CHROMIUM)('first render in Chromium', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lr-bench-ui-'));
    const profileDir = mkdtempSync(join(tmpdir(), 'lr-bench-chromium-'));
    const server = await startUiServer(['--demo'], {
      ...process.env,
      LAUNCH_READY_DATA_DIR: dataDir,
    });
    const browser = await launchChromium(profileDir);
    try {
      const times: number[] = [];
      const interactive: number[] = [];
      for (let i = 0; i < LOADS + 1; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(server.url, { waitUntil: 'commit' });
        await page.getByRole('button', { name: 'Try the demo' }).waitFor();
        // The page's own first contentful paint: #root is empty until React renders, so this is
        // the welcome page's first paint, free of the test driver's polling delay.
        const ms = await page.evaluate(
          () =>
            new Promise<number>((done) => {
              const seen = performance.getEntriesByName('first-contentful-paint')[0];
              if (seen) return done(seen.startTime);
              new PerformanceObserver((list) => {
                const fcp = list.getEntriesByName('first-contentful-paint')[0];
                if (fcp) done(fcp.startTime);
              }).observe({ type: 'paint', buffered: true });
            }),
        );
        // Marked by the renderer's Root once React has hydrated (see src/renderer/src/Root.tsx).
        await page.waitForFunction(
          () => performance.getEntriesByName('launch-ready:interactive').length > 0,
        );
        const ready = await page.evaluate(
          () => performance.getEntriesByName('launch-ready:interactive')[0]?.startTime ?? NaN,
        );
        if (i > 0) {
          // the first load warms the server's file cache
          times.push(ms);
          interactive.push(ready);
        }
        await context.close();
      }
      times.sort((a, b) => a - b);
      interactive.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? NaN;
      const readyMedian = interactive[Math.floor(interactive.length / 2)] ?? NaN;
      process.stdout.write(
        `first_render_ms: ${median.toFixed(0)} ms (goal ≤ 300; median of ${LOADS} cold loads, min ${times[0]?.toFixed(0)}, max ${times.at(-1)?.toFixed(0)})\n` +
          `interactive_ms: ${readyMedian.toFixed(0)} ms (median of ${LOADS} cold loads, min ${interactive[0]?.toFixed(0)}, max ${interactive.at(-1)?.toFixed(0)})\n`,
      );
    } finally {
      await browser.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profileDir, { recursive: true, force: true });
    }
  });
});
