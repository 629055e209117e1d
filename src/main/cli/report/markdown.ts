/**
 * `check --format markdown`: a pull-request comment. The verdict, then what to fix first (fail
 * and could-not-check, ranked by impact), warnings, and the counts per stage; details folded.
 */
import type { CheckMeta, CheckResult } from '../../../shared/checks';
import { STAGES } from '../../../shared/checks';
import type { RunRecord } from '../../../shared/run';
import { rankResults } from '../../core/engine/verdict';

const ICON: Record<CheckResult['status'], string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  error: '❔',
  skipped: '➖',
  unanswered: '💬',
};

/** Table cells: one line, no pipes that would split the cell, bounded length. */
function cell(text: string, max = 300): string {
  const one = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function table(rows: CheckResult[], meta: ReadonlyMap<string, CheckMeta>): string {
  const lines = ['| | Impact | Stage | Check | What we found |', '|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(
      `| ${ICON[r.status]} | ${r.impact} | ${r.stage} | ${cell(meta.get(r.id)?.title ?? r.id, 120)} (\`${r.id}\`) | ${cell(r.summary)} |`,
    );
  }
  return lines.join('\n');
}

export function renderMarkdown(
  run: RunRecord,
  meta: ReadonlyMap<string, CheckMeta>,
  name: string,
): string {
  const ranked = rankResults(run.results);
  const fixFirst = ranked.filter((r) => r.status === 'fail' || r.status === 'error');
  const warnings = ranked.filter((r) => r.status === 'warn');
  const v = run.verdict;
  const out: string[] = [
    `## ${v.demoReady ? '✅' : '❌'} Launch Ready — ${cell(name, 200)}`,
    '',
    `**${cell(v.headline, 500)}**${v.score === null ? '' : ` · readiness score **${v.score}**/100`}`,
    '',
  ];
  if (fixFirst.length > 0) {
    out.push(`### Fix first (${fixFirst.length})`, '', table(fixFirst, meta), '');
  }
  if (warnings.length > 0) {
    out.push(
      '<details>',
      `<summary>Warnings (${warnings.length})</summary>`,
      '',
      table(warnings, meta),
      '',
      '</details>',
      '',
    );
  }
  out.push('| Stage | Score | ❌ | ❔ | ⚠️ | ✅ |', '|---|---|---|---|---|---|');
  for (const s of v.stages) {
    const title = STAGES.find((x) => x.n === s.stage)?.title ?? String(s.stage);
    out.push(
      `| ${s.stage}. ${title} | ${s.score ?? '—'} | ${s.counts.fail} | ${s.counts.error} | ${s.counts.warn} | ${s.counts.pass} |`,
    );
  }
  out.push(
    '',
    `<sub>Checked ${run.results.length} items, ${run.startedAt} → ${run.finishedAt}.</sub>`,
    '',
  );
  return out.join('\n');
}
