/**
 * `check --format junit`: one <testsuite> per stage, one <testcase> per check, in the JUnit XML
 * most CI systems read (Jenkins, GitLab, GitHub test reporters). fail → <failure>, error →
 * <error> (the check could not decide), skipped and unanswered → <skipped>; a warning passes
 * with its summary in <system-out>.
 */
import type { CheckMeta, CheckResult } from '../../../shared/checks';
import { STAGES } from '../../../shared/checks';
import type { RunRecord } from '../../../shared/run';
import { element, xmlText } from './xml';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function detail(r: CheckResult, meta: CheckMeta | undefined): string {
  const lines = [r.summary, '', `Impact: ${r.impact}`];
  if (meta?.fix.length) lines.push('', 'How to fix:', ...meta.fix.map((f, i) => `${i + 1}. ${f}`));
  if (r.evidence !== undefined && r.evidence !== null)
    lines.push('', 'Evidence:', JSON.stringify(r.evidence, null, 2).slice(0, 20_000));
  return lines.join('\n');
}

function testcase(r: CheckResult, meta: CheckMeta | undefined): string {
  const attrs = {
    classname: `launch-ready.stage${r.stage}`,
    name: `${r.id} — ${meta?.title ?? r.id}`,
    time: seconds(r.durationMs),
  };
  let body = '';
  if (r.status === 'fail')
    body = element('failure', { message: r.summary, type: r.impact }, xmlText(detail(r, meta)));
  else if (r.status === 'error')
    body = element(
      'error',
      { message: r.summary, type: 'could-not-check' },
      xmlText(detail(r, meta)),
    );
  else if (r.status === 'skipped' || r.status === 'unanswered')
    body = element('skipped', { message: r.summary });
  else if (r.status === 'warn') body = element('system-out', {}, xmlText(`warning: ${r.summary}`));
  return element('testcase', attrs, body || undefined);
}

export function renderJunit(
  run: RunRecord,
  meta: ReadonlyMap<string, CheckMeta>,
  name: string,
): string {
  const suites: string[] = [];
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const stage of STAGES) {
    const results = run.results.filter((r) => r.stage === stage.n);
    if (results.length === 0) continue;
    const t = {
      tests: results.length,
      failures: results.filter((r) => r.status === 'fail').length,
      errors: results.filter((r) => r.status === 'error').length,
      skipped: results.filter((r) => r.status === 'skipped' || r.status === 'unanswered').length,
      ms: results.reduce((a, r) => a + r.durationMs, 0),
    };
    total.tests += t.tests;
    total.failures += t.failures;
    total.errors += t.errors;
    total.skipped += t.skipped;
    total.ms += t.ms;
    suites.push(
      element(
        'testsuite',
        {
          name: `Stage ${stage.n} — ${stage.title}`,
          tests: t.tests,
          failures: t.failures,
          errors: t.errors,
          skipped: t.skipped,
          time: seconds(t.ms),
          timestamp: run.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, ''),
        },
        results.map((r) => testcase(r, meta.get(r.id))).join(''),
      ),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(
    'testsuites',
    {
      name: `Launch Ready — ${name}`,
      tests: total.tests,
      failures: total.failures,
      errors: total.errors,
      skipped: total.skipped,
      time: seconds(total.ms),
    },
    suites.join(''),
  )}\n`;
}
