// Builds the app after `npm install`, so `npx launch-ready …` works straight away.
// Skipped where the build tools are absent (an install without dev dependencies).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/electron-vite')) {
  console.log('launch-ready: build tools not installed; skipping the build.');
  process.exit(0);
}
const r = spawnSync(
  process.execPath,
  ['node_modules/electron-vite/bin/electron-vite.js', 'build'],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
