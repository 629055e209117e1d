// `npm start`: build, then open the Electron window; where the Electron binary cannot be had
// (an offline install skips its download) serve the same UI to the browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary as findElectron } from './electron-binary.js';

const build = spawnSync(
  process.execPath,
  ['node_modules/electron-vite/bin/electron-vite.js', 'build'],
  { stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const electronBinary = findElectron();

const child = electronBinary
  ? spawn(electronBinary, ['.'], { stdio: 'inherit' })
  : (console.log(
      'The Electron binary is not installed on this machine, so Launch Ready opens in your browser instead: visit the address below.',
    ),
    spawn(process.execPath, ['bin/launch-ready.js', 'ui', '--demo'], { stdio: 'inherit' }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
