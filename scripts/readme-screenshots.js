// Regenerates the README's screenshots (docs/screenshots/): the demo in Debian's Chromium at
// 1280×800 after one re-check — the overview and the stage 2 page. Needs `npm run build`.
// Run: node scripts/readme-screenshots.js
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const out = 'docs/screenshots';
const dataDir = mkdtempSync(join(tmpdir(), 'lr-shots-data-'));
const server = spawn(process.execPath, ['bin/launch-ready.js', 'ui', '--demo', '--port', '0'], {
  env: { ...process.env, LAUNCH_READY_DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('launch-ready ui printed no URL')), 30_000);
  createInterface({ input: server.stdout }).on('line', (line) => {
    const m = /^Launch Ready UI: (\S+)$/.exec(line);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.getByRole('button', { name: /Re-check/ }).click();
  await page.getByTestId('verdict-headline').waitFor({ timeout: 60_000 });
  await page.locator('header button:enabled', { hasText: 'Re-check' }).waitFor();
  await page.screenshot({ path: join(out, 'overview.png') });
  await page.locator('nav [data-stage="2"]').click();
  await page.locator('main h2', { hasText: 'Domain' }).waitFor();
  await page.screenshot({ path: join(out, 'stage-2.png') });
  console.log(`Screenshots written to ${out}/`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
