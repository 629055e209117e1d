/** Plain-text rendering of a run for the terminal. */
import type { CheckMeta, CheckResult } from '../../shared/checks';
import type { RunRecord } from '../../shared/run';
import { rankResults } from '../core/engine/verdict';
import type { RepoScan } from '../core/repo/types';

const ICON: Record<CheckResult['status'], string> = {
  pass: '✓ pass',
  warn: '! warn',
  fail: '✗ fail',
  error: '? error',
  skipped: '- skipped',
  unanswered: '… unanswered',
};

export function renderRunTable(
  run: RunRecord,
  meta: ReadonlyMap<string, CheckMeta>,
  width = 100,
): string {
  const rows = rankResults(run.results).map((r) => [
    ICON[r.status],
    r.impact,
    String(r.stage),
    meta.get(r.id)?.title ?? r.id,
    r.summary,
  ]);
  const head = ['STATUS', 'IMPACT', 'STAGE', 'CHECK', 'WHAT WE FOUND'];
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)),
  );
  const indent = widths.reduce((a, b) => a + b + 2, 0);
  const summaryWidth = Math.max(30, width - indent);
  const line = (cells: string[]) => {
    const fixed = cells
      .slice(0, 4)
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ');
    const wrapped = wrap(cells[4] ?? '', summaryWidth);
    return [
      fixed + '  ' + (wrapped[0] ?? ''),
      ...wrapped.slice(1).map((w) => ' '.repeat(indent) + w),
    ].join('\n');
  };
  const v = run.verdict;
  return [
    line(head),
    ...rows.map(line),
    '',
    `Verdict: ${v.headline}`,
    `Readiness score: ${v.score === null ? 'not scored' : `${v.score}/100`}`,
  ].join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/)) {
    if (cur && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(cur);
  return out;
}

/** A secret scan for the terminal: one line per finding, where to look and what to do. */
export function renderScan(scan: RepoScan): string {
  const lines = [`Launch Ready — secrets in ${scan.root}`, ''];
  for (const note of scan.notes) lines.push(`Note: ${note}`);
  if (scan.notes.length > 0) lines.push('');
  if (scan.findings.length === 0) lines.push('No secrets found.');
  for (const f of scan.findings) {
    const where = `${f.file}:${f.line}`;
    const when = f.commit
      ? ` (added in ${f.commit.slice(0, 10)} on ${f.authorDate?.slice(0, 10)})`
      : '';
    const state = f.inHead
      ? 'still in the code: rotate it, then remove it'
      : 'only in the git history: rotate it (deleting the file does not help)';
    lines.push(
      `${f.keyClass === 'secret' ? '✗' : '!'} ${f.label} ${f.preview} at ${where}${when} — ${state}`,
    );
  }
  const s = scan.stats;
  lines.push(
    '',
    `${s.files} files and ${s.commits} commits scanned (${(s.bytes / 1048576).toFixed(1)} MB) in ${(s.ms / 1000).toFixed(1)} s.`,
    '',
  );
  return lines.join('\n');
}
