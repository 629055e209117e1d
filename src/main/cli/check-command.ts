/**
 * `launch-ready check`: runs the automated checks once and prints the run in the format a
 * person or a CI system wants; --fail-on turns it into a build's pass or fail.
 */
import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Impact } from '../../shared/checks';
import type { RunRecord } from '../../shared/run';
import { CATALOGUE, catalogueMeta } from '../core/checks/catalogue';
import { planRun } from '../core/engine/plan';
import { DEFAULT_CHECK_TIMEOUT_MS, executeRun } from '../core/engine/run';
import { failingAt, parseFailOn } from './report/fail-on';
import { renderJunit } from './report/junit';
import { renderMarkdown } from './report/markdown';
import { runDocument } from './report/run-document';
import { renderSarif } from './report/sarif';
import { selectChecks } from './report/select';
import { renderRunTable } from './table';
import type { Target } from './target';
import { TARGET_OPTIONS, openTarget } from './target';
import { UsageError, usage } from './usage-error';

export const FORMATS = ['table', 'json', 'junit', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export const CHECK_OPTIONS = {
  ...TARGET_OPTIONS,
  json: { type: 'boolean' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  report: { type: 'string', multiple: true },
  only: { type: 'string' },
  skip: { type: 'string' },
  timeout: { type: 'string' },
  strict: { type: 'boolean' },
} as const;

export interface CheckSettings {
  format: Format;
  failOn: Impact | null;
  strict: boolean;
  timeoutMs: number;
  only?: string;
  skip?: string;
  /** The workspace file given, for SARIF locations. */
  workspaceFile?: string;
  /** --report FORMAT=FILE: more reports of the same run, written to files. */
  reports: { format: Format; file: string }[];
}

export function checkSettings(values: {
  json?: boolean;
  format?: string;
  'fail-on'?: string;
  only?: string;
  skip?: string;
  timeout?: string;
  strict?: boolean;
  workspace?: string;
  report?: string[];
}): CheckSettings {
  const format = values.format ?? (values.json ? 'json' : 'table');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format wants one of ${FORMATS.join(', ')}, not "${format}".`);
  if (values.json && format !== 'json') throw new UsageError('Give --json or --format, not both.');
  const timeoutMs =
    values.timeout === undefined ? DEFAULT_CHECK_TIMEOUT_MS : Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1000 || timeoutMs > 600_000)
    throw new UsageError('--timeout wants seconds between 1 and 600.');
  const reports = (values.report ?? []).map((spec) => {
    const eq = spec.indexOf('=');
    const f = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    if (eq < 1 || !file || !(FORMATS as readonly string[]).includes(f))
      throw new UsageError(
        `--report wants FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')}, not "${spec}".`,
      );
    return { format: f as Format, file };
  });
  return {
    reports,
    format: format as Format,
    failOn: values['fail-on'] === undefined ? null : usage(parseFailOn)(values['fail-on']),
    strict: values.strict === true,
    timeoutMs,
    ...(values.only !== undefined ? { only: values.only } : {}),
    ...(values.skip !== undefined ? { skip: values.skip } : {}),
    ...(values.workspace !== undefined ? { workspaceFile: values.workspace } : {}),
  };
}

/** The catalogue after --only and --skip (a typo is a usage error, never a silent skip). */
export function selectedCatalogue(settings: CheckSettings) {
  return usage(() => selectChecks(CATALOGUE, settings.only, settings.skip))(undefined);
}

export async function runOnce(
  target: Target,
  settings: CheckSettings,
  previous: RunRecord | null = null,
): Promise<RunRecord> {
  return executeRun(
    planRun(selectedCatalogue(settings), target.workspace),
    target.workspace,
    target.net,
    {
      checkTimeoutMs: settings.timeoutMs,
      credentials: target.credentials,
      previous,
    },
  );
}

export function renderRun(
  run: RunRecord,
  target: Target,
  settings: CheckSettings,
  version: string,
): string {
  const meta = new Map(catalogueMeta().map((m) => [m.id, m]));
  const name = target.workspace.name;
  switch (settings.format) {
    case 'json':
      return `${JSON.stringify(runDocument(run), null, 2)}\n`;
    case 'junit':
      return renderJunit(run, meta, name);
    case 'sarif':
      return renderSarif(run, meta, {
        version,
        // Results without a file of their own point at the workspace file, as the repository sees it.
        anchor: settings.workspaceFile
          ? relative(process.cwd(), resolve(settings.workspaceFile)).split('\\').join('/')
          : 'launch-ready.json',
      });
    case 'markdown':
      return renderMarkdown(run, meta, name);
    case 'table':
      return `Launch Ready — ${name} (${target.workspace.domain})${target.where}\n\n${renderRunTable(run, meta, process.stdout.columns || 110)}\n`;
  }
}

/** 1 when the run fails the build (--fail-on, --strict); 0 otherwise. Says why on stderr. */
export function exitCodeOf(run: RunRecord, settings: CheckSettings): number {
  if (settings.failOn) {
    const failing = failingAt(run.results, settings.failOn);
    if (failing.length > 0) {
      const ids = failing.map((r) => `${r.id} (${r.status}, ${r.impact})`);
      process.stderr.write(
        `launch-ready: ${failing.length} check${failing.length === 1 ? '' : 's'} at or above ${settings.failOn} did not pass: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}\n`,
      );
      return 1;
    }
  }
  return settings.strict && !run.verdict.demoReady ? 1 : 0;
}

export async function checkCommand(args: string[], version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: CHECK_OPTIONS,
  });
  const settings = checkSettings(values);
  selectedCatalogue(settings); // refuse a bad --only/--skip before starting a lab
  const target = await openTarget(values, positionals);
  try {
    const run = await runOnce(target, settings);
    // Every report comes from this one run: the product is probed once.
    for (const r of settings.reports)
      await writeFile(r.file, renderRun(run, target, { ...settings, format: r.format }, version));
    process.stdout.write(renderRun(run, target, settings, version));
    return exitCodeOf(run, settings);
  } finally {
    await target.close();
  }
}
