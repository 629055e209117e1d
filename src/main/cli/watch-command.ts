/**
 * `launch-ready watch --every 6h`: the same checks on a schedule, printing one line per run and
 * each regression once (a new failure, or a pass turned warning). Ctrl+C stops it; --times N
 * stops after N runs, exiting 1 when any run regressed.
 */
import { parseArgs } from 'node:util';
import { parseInterval, watchLoop } from '../core/engine/watch';
import { CHECK_OPTIONS, checkSettings, runOnce, selectedCatalogue } from './check-command';
import { openTarget } from './target';
import { UsageError, usage } from './usage-error';

export const WATCH_HELP = `  launch-ready watch --every 6h [check options] [--times N]
                                                  re-check on a schedule; print what got worse, once`;

export async function watchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CHECK_OPTIONS,
      every: { type: 'string' },
      times: { type: 'string' },
    },
  });
  if (values.every === undefined) throw new UsageError('watch wants --every, e.g. --every 6h.');
  if (values.format !== undefined || values.json)
    throw new UsageError('watch prints lines; use check for --format.');
  const everyMs = usage(parseInterval)(values.every);
  const times = values.times === undefined ? undefined : Number(values.times);
  if (times !== undefined && (!Number.isInteger(times) || times < 1 || times > 10_000))
    throw new UsageError('--times wants a whole number from 1 to 10000.');
  const settings = checkSettings(values);
  selectedCatalogue(settings);

  const target = await openTarget(values, positionals);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let regressed = false;
  try {
    process.stdout.write(
      `Watching ${target.workspace.name} (${target.workspace.domain})${target.where}: every ${values.every}${times ? `, ${times} runs` : ''}. Ctrl+C stops.\n`,
    );
    await watchLoop({
      everyMs,
      maxRuns: times,
      signal: stop.signal,
      runOnce: (previous) => runOnce(target, settings, previous),
      onRun: (run, regressions, n) => {
        const failing = run.results.filter((r) => r.status === 'fail').length;
        const head = `${run.finishedAt} run ${n}: ${run.verdict.headline} (${failing} failing)`;
        if (n === 1) {
          process.stdout.write(`${head}. This is the baseline.\n`);
          return;
        }
        if (regressions.length === 0) {
          process.stdout.write(`${head}. Nothing got worse.\n`);
          return;
        }
        regressed = true;
        process.stdout.write(`${head}. ${regressions.length} got worse:\n`);
        for (const r of regressions)
          process.stdout.write(`  REGRESSION ${r.id}: ${r.before} → ${r.after}. ${r.summary}\n`);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await target.close();
  }
  return times !== undefined && regressed ? 1 : 0;
}
