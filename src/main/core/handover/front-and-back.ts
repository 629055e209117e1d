/**
 * The pages around the chapters: the cover (product, verdict, signer and fingerprint), the
 * summary with the ranked risk list, and the closing note on the signature and the data.
 */
import { STAGES } from '../../../shared/checks';
import type { CheckInfo, Styles } from './document-style';
import { IDENTITY_WORDS, STATUS_COLOR, STATUS_LABEL, countLine, dateTime } from './document-style';
import type { HandoverData } from './handover-data';
import { HANDOVER_ATTACHMENT_NAME } from './handover-data';
import type { PageFlow, TextStyle } from './page-flow';
import { A4, CONTENT_WIDTH, INK, MARGIN } from './page-flow';

// ─── Cover ────────────────────────────────────────────────────────────────────────

export function cover(flow: PageFlow, data: HandoverData, s: Styles): void {
  const { faces } = s;
  const v = data.run.verdict;
  flow.newPage();
  flow.y -= 30;
  flow.paragraph('LAUNCH READY · SIGNED HANDOVER', {
    face: faces.bold,
    size: 9,
    color: INK.accent,
  });
  flow.y -= 14;
  flow.paragraph(
    data.workspace.name,
    { face: faces.bold, size: 28, lineHeight: 34 },
    { maxLines: 3 },
  );
  flow.paragraph(data.workspace.domain, {
    face: faces.regular,
    size: 13,
    lineHeight: 19,
    color: INK.muted,
  });
  flow.y -= 6;
  flow.paragraph(`Checked ${dateTime(data.run.finishedAt)}`, s.body);
  flow.y -= 22;

  // The verdict, on a band coloured by whether the product is ready to demo.
  const color = v.demoReady
    ? STATUS_COLOR.pass
    : v.score === null
      ? STATUS_COLOR.skipped
      : STATUS_COLOR.fail;
  const headline: TextStyle = { face: faces.bold, size: 13, lineHeight: 17.5 };
  const counts = countLine(data.run.results);
  const scoreLine = `Readiness score ${v.score === null ? '—' : `${v.score} / 100`} · ${v.demoReady ? 'ready to demo' : 'not ready to demo'}`;
  const innerWidth = CONTENT_WIDTH - 28;
  const height =
    flow.paragraphHeight(v.headline, headline, innerWidth) +
    flow.paragraphHeight(scoreLine, s.body, innerWidth) +
    flow.paragraphHeight(counts, s.small, innerWidth) +
    26;
  const top = flow.y;
  flow.page.drawRectangle({
    x: MARGIN.left,
    y: top - height,
    width: CONTENT_WIDTH,
    height,
    color: INK.shade,
  });
  flow.page.drawRectangle({ x: MARGIN.left, y: top - height, width: 5, height, color });
  flow.y -= 12;
  flow.paragraph(v.headline, { ...headline, color }, { indent: 18, width: innerWidth });
  flow.y -= 3;
  flow.paragraph(scoreLine, s.strong, { indent: 18, width: innerWidth });
  flow.paragraph(counts, s.small, { indent: 18, width: innerWidth });
  flow.y = top - height - 22;

  flow.paragraph('Stage by stage', s.label);
  flow.y -= 2;
  flow.table(
    [
      { header: 'Stage', width: 0.62 },
      { header: 'Score', width: 0.12, align: 'right' },
      { header: 'Open problems', width: 0.26, align: 'right' },
    ],
    v.stages
      .filter((st) => st.stage !== 7)
      .map((st) => {
        const open = st.counts.fail + st.counts.error + st.counts.warn;
        return [
          `${st.stage}  ${STAGES[st.stage - 1]?.title ?? ''}`,
          st.score === null ? '—' : `${st.score}`,
          {
            text: open === 0 ? 'none' : `${open}`,
            color: open === 0 ? STATUS_COLOR.pass : INK.text,
          },
        ];
      }),
    { size: 8.6 },
  );

  // The signer, at the foot of the cover: what to compare with `launch-ready verify`.
  const box = 168;
  flow.y = MARGIN.bottom + box;
  flow.page.drawLine({
    start: { x: MARGIN.left, y: flow.y + 8 },
    end: { x: A4.width - MARGIN.right, y: flow.y + 8 },
    thickness: 0.6,
    color: INK.rule,
  });
  flow.paragraph('SIGNED BY', s.label);
  flow.paragraph(data.signer.commonName, { face: faces.bold, size: 11.5, lineHeight: 16 });
  flow.y -= 2;
  flow.paragraph('Signer certificate SHA-256 fingerprint', s.small);
  const fp = data.signer.fingerprint;
  const half = Math.ceil(fp.length / 2 / 3) * 3; // break after a colon
  flow.paragraph(fp.slice(0, half), { face: faces.mono, size: 9, lineHeight: 12.5 });
  flow.paragraph(fp.slice(half), { face: faces.mono, size: 9, lineHeight: 12.5 });
  flow.y -= 3;
  const kindStyle: TextStyle =
    data.signer.kind === 'ephemeral'
      ? { ...s.small, face: faces.bold, color: STATUS_COLOR.warn }
      : s.small;
  flow.paragraph(IDENTITY_WORDS[data.signer.kind], kindStyle);
  flow.paragraph(
    `Check it: "launch-ready verify FILE" prints the signer and this fingerprint; any change to the file after signing makes the check fail. The same data is attached as ${HANDOVER_ATTACHMENT_NAME}.`,
    s.small,
  );
}
// ─── Summary ──────────────────────────────────────────────────────────────────────

/** The top of the list only: the full ranking follows in the table. */
const MAX_FIX_FIRST = 8;

export function summary(
  flow: PageFlow,
  data: HandoverData,
  meta: Map<string, CheckInfo>,
  s: Styles,
): void {
  const v = data.run.verdict;
  flow.heading('Summary and risk map', 1);
  flow.paragraph(
    v.headline,
    { ...s.strong, color: v.demoReady ? STATUS_COLOR.pass : STATUS_COLOR.fail },
    { after: 4 },
  );
  flow.paragraph(
    `This handover reports the run of ${dateTime(data.run.finishedAt)} on ${data.workspace.domain} (${data.run.results.length} checks). Each stage has its own chapter with the evidence and how to fix; chapter 7 is the reference a contractor needs to take over.`,
    s.body,
    { after: 6 },
  );
  if (v.blockers.length > 0) {
    flow.heading('Fix first', 2, { keepWith: 50 });
    flow.paragraph(
      'Critical or high-impact checks that fail (or could not decide): each one alone keeps the product from being demo-ready.',
      s.small,
      { after: 4 },
    );
    flow.list(
      v.blockers.slice(0, MAX_FIX_FIRST).map((b) => `${b.title} — ${b.summary}`),
      s.step,
      { numbered: true },
    );
    if (v.blockers.length > MAX_FIX_FIRST)
      flow.paragraph(
        `And ${v.blockers.length - MAX_FIX_FIRST} more blockers: every critical or high row marked FAIL or ERROR below.`,
        s.small,
      );
  }
  flow.heading('Ranked risk list', 2, { keepWith: 60 });
  if (v.risks.length === 0) {
    flow.paragraph('No risk found: every decided check passes.', s.body);
    return;
  }
  flow.paragraph(
    `Every problem the run found (${v.risks.length}), ranked by business impact and then by how bad it is. Open questions and skipped checks are listed in 7.7 and 7.8.`,
    s.small,
    { after: 4 },
  );
  flow.table(
    [
      { header: '#', width: 0.045, align: 'right' },
      { header: 'Impact', width: 0.085 },
      { header: 'Status', width: 0.075 },
      { header: 'Stage', width: 0.07, align: 'right' },
      { header: 'Risk', width: 0.265 },
      { header: 'What the run found', width: 0.46 },
    ],
    v.risks.map((r, i) => [
      `${i + 1}`,
      r.impact,
      { text: STATUS_LABEL[r.status], color: STATUS_COLOR[r.status], bold: true },
      `${r.stage}`,
      { text: meta.get(r.id)?.title ?? r.title, bold: true },
      r.summary,
    ]),
    { size: 7.6, maxLines: 6 },
  );
}
// ─── About this document ──────────────────────────────────────────────────────────

export function about(flow: PageFlow, data: HandoverData, s: Styles): void {
  flow.heading('About this document', 1);
  flow.fields(
    [
      ['Product', `${data.workspace.name} (${data.workspace.domain})`],
      [
        'Run',
        `${data.run.runId}, ${dateTime(data.run.startedAt)} to ${dateTime(data.run.finishedAt)}`,
      ],
      ['Made with', `Launch Ready ${data.app.version}`],
      [
        'Signed by',
        `${data.signer.commonName}${data.signer.selfSigned ? ' (self-signed certificate)' : ''}`,
      ],
      ['Fingerprint (SHA-256)', data.signer.fingerprint],
      ['Identity', IDENTITY_WORDS[data.signer.kind]],
      [
        'Attached data',
        `${HANDOVER_ATTACHMENT_NAME}: the workspace, every result with its full evidence, the verdict and the founder’s answers, for import into another copy of Launch Ready.`,
      ],
    ],
    { labelWidth: 116 },
  );
  flow.space(8);
  flow.paragraph('Checking the signature', s.label);
  flow.list(
    [
      'launch-ready verify FILE — checks the signature over the whole file and prints the signer and fingerprint; it fails if any byte changed after signing or anything was appended.',
      'pdfsig FILE (poppler) — shows “Signature is Valid”; for a self-signed identity it also says the issuer is unknown, which is expected: trust comes from comparing the fingerprint with the one you were given.',
      'pdfdetach -list FILE — lists the attached data; any PDF reader with an attachments panel shows it too.',
    ],
    s.step,
  );
  flow.space(8);
  flow.paragraph('What is never in this document', s.label);
  flow.paragraph(
    `No secret value: tokens, keys and passwords stay in the OS keychain or the product’s own settings. Exposed keys are named by type, place and at most their last 4 characters.${data.redactions > 0 ? ` ${data.redactions} text${data.redactions === 1 ? '' : 's'} that looked like a secret ${data.redactions === 1 ? 'was' : 'were'} replaced by “[redacted]”.` : ''}`,
    s.body,
  );
  flow.space(8);
  flow.paragraph(
    'Set in DejaVu Sans and DejaVu Sans Mono (Bitstream Vera licence; DejaVu changes are in the public domain).',
    s.small,
  );
}
