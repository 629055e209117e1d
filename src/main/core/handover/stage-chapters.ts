/**
 * Chapters 1–6: per stage, its goal and score, then each check with its status, summary,
 * compact evidence and how to fix, problems first.
 */
import type { CheckResult, Status } from '../../../shared/checks';
import { IMPACT_RANK, STAGES, STATUS_RANK } from '../../../shared/checks';
import type { CheckInfo, Styles } from './document-style';
import { KIND_WORDS, STATUS_COLOR, STATUS_LABEL, countLine } from './document-style';
import { evidenceLines } from './evidence-lines';
import type { HandoverData } from './handover-data';
import type { PageFlow, TextStyle } from './page-flow';
import { A4, CONTENT_WIDTH, INK, MARGIN } from './page-flow';

// ─── Stages 1–6 ───────────────────────────────────────────────────────────────────

export function stageChapter(
  flow: PageFlow,
  data: HandoverData,
  meta: Map<string, CheckInfo>,
  n: number,
  s: Styles,
): void {
  const stage = STAGES[n - 1];
  if (!stage) return;
  flow.heading(`${stage.n}. ${stage.title}`, 1);
  flow.paragraph(stage.goal, { ...s.body, color: INK.muted }, { after: 2 });
  flow.paragraph(`Deliverable: ${stage.deliverable}`, s.small, { after: 4 });
  const score = data.run.verdict.stages.find((x) => x.stage === n);
  const results = data.run.results
    .filter((r) => r.stage === n)
    .sort(
      (a, b) =>
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        IMPACT_RANK[a.impact] - IMPACT_RANK[b.impact],
    );
  if (score)
    flow.paragraph(
      `Stage score ${score.score === null ? '—' : `${score.score} / 100`} · ${countLine(results)}`,
      s.strong,
      { after: 6 },
    );
  if (results.length === 0) {
    flow.paragraph('This run has no check for this stage.', s.body);
    return;
  }
  for (const r of results) checkBlock(flow, r, meta.get(r.id), s);
}

function checkBlock(flow: PageFlow, r: CheckResult, info: CheckInfo | undefined, s: Styles): void {
  const { faces } = s;
  const title = info?.title ?? r.id;
  const titleStyle: TextStyle = { face: faces.bold, size: 10.2, lineHeight: 14 };
  const badgeWidth = 46;
  const titleWidth = CONTENT_WIDTH - badgeWidth;
  // Title, id line and the first lines of the summary stay together.
  flow.space(9);
  flow.ensure(flow.paragraphHeight(title, titleStyle, titleWidth) + 11 + 3 * 13);
  badge(flow, r.status);
  flow.paragraph(title, titleStyle, { indent: badgeWidth, width: titleWidth });
  flow.paragraph(
    `${r.id} · ${r.impact} impact · ${info ? KIND_WORDS[info.kind] : 'check'}`,
    { face: faces.regular, size: 7.4, lineHeight: 10.5, color: INK.muted },
    { indent: badgeWidth, width: titleWidth, after: 2 },
  );
  flow.paragraph(r.summary, s.body, { after: 3 });
  const lines = evidenceLines(r.evidence, {
    maxLines: r.status === 'pass' ? 10 : 22,
    inlineWidth: 104,
    maxString: 180,
    maxItems: 8,
  });
  if (lines.length > 0) {
    flow.ensure(12 + 3 * 9.3);
    flow.paragraph('Evidence', s.label);
    flow.codeBlock(lines);
  }
  const fix = info?.fix ?? [];
  if (r.status !== 'pass' && fix.length > 0) {
    flow.space(3);
    flow.ensure(12 + 2 * 12);
    flow.paragraph('How to fix', s.label);
    flow.list(fix, s.step, { numbered: true });
  }
  flow.space(2);
  flow.page.drawLine({
    start: { x: MARGIN.left, y: flow.y - 2 },
    end: { x: A4.width - MARGIN.right, y: flow.y - 2 },
    thickness: 0.3,
    color: INK.rule,
  });
  flow.space(4);
}

/** A status label on a coloured chip, left of the line about to be drawn. */
function badge(flow: PageFlow, status: Status): void {
  const label = STATUS_LABEL[status];
  const size = 6.6;
  const width = flow.faces.bold.width(label, size) + 8;
  flow.page.drawRectangle({
    x: MARGIN.left,
    y: flow.y - 12,
    width,
    height: 10.5,
    color: STATUS_COLOR[status],
  });
  flow.draw(label, MARGIN.left + 4, flow.y - 9.3, {
    face: flow.faces.bold,
    size,
    color: INK.white,
  });
}
