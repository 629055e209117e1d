#!/usr/bin/env node
// Checks the runtime before loading the app: undici 8 and Electron 45 need Node 22.12+.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Launch Ready needs Node.js 22.12 or newer; this is ${process.version}. ` +
      'See "Getting Node 22" in README.md (npm install --prefix .tools/node22 node@22).',
  );
  process.exit(1);
}
let cli;
try {
  cli = await import('../out/main/cli.js');
} catch (err) {
  if (
    err &&
    err.code === 'ERR_MODULE_NOT_FOUND' &&
    String(err.message).includes('out/main/cli.js')
  ) {
    console.error(
      'Launch Ready is not built yet: run "npm run build" (npm install does it for you).',
    );
    process.exit(1);
  }
  throw err;
}
cli.runFromCommandLine();
