// Wall time and peak memory of whole CLI runs, the way a founder runs them: the demo, and the
// blackhole (where every probe must give up on its own timeout). Printed, never asserted.
import { spawnSync } from 'node:child_process';

const cases = [
  ['check --demo --json', ['check', '--demo', '--json']],
  ['check --scenario healthy --json', ['check', '--scenario', 'healthy', '--json']],
  [
    'check --scenario blackhole --json (default timeouts)',
    ['check', '--scenario', 'blackhole', '--json'],
  ],
];
console.log('\nWhole CLI runs (3 each):');
for (const [label, args] of cases) {
  const times = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(
      '/usr/bin/time',
      ['-f', '%M', process.execPath, 'bin/launch-ready.js', ...args],
      { encoding: 'utf8' },
    );
    times.push(performance.now() - t0);
    const kb = Number(r.stderr.trim().split('\n').at(-1));
    if (Number.isFinite(kb)) rss = Math.max(rss, kb);
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  const median = times[1].toFixed(0);
  console.log(
    `  ${label.padEnd(55)} median ${median} ms  (min ${times[0].toFixed(0)}, max ${times[2].toFixed(0)})  peak RSS ${rss ? `${(rss / 1024).toFixed(0)} MiB` : 'n/a'}`,
  );
}
