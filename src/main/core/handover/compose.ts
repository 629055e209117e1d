/**
 * Composes the handover PDF from its data, in Node, without a browser: cover, contents, the
 * summary and ranked risks, one chapter per stage, the handover chapter and a note on the
 * signature, with the data attached as JSON. The same data and fonts always give the same
 * bytes: every date comes from the run, object names are fixed, and pdf-lib's own ids come
 * from a seeded generator.
 */
import { AFRelationship, PDFDocument } from 'pdf-lib';
import type { CheckMeta } from '../../../shared/checks';
import { STAGES } from '../../../shared/checks';
import type { CheckInfo } from './document-style';
import { longDate, styles } from './document-style';
import type { FontFiles } from './fonts';
import { embedFaces, loadFontFiles } from './fonts';
import { about, cover, summary } from './front-and-back';
import { HANDOVER_SUBSECTIONS, handoverChapter } from './handover-chapter';
import type { HandoverData } from './handover-data';
import { HANDOVER_ATTACHMENT_NAME, serializeHandoverData } from './handover-data';
import { RunFacts } from './run-facts';
import { addOutline, drawContents, drawPageFurniture, tocEntriesPerPage } from './navigation';
import { PageFlow } from './page-flow';
import { stageChapter } from './stage-chapters';

export interface ComposeOptions {
  /** What each check is (titles, how to fix): the app's catalogue. */
  catalogue: readonly CheckMeta[];
  /** The font files; read from resources/fonts when absent. */
  fonts?: FontFiles;
}

export interface ComposedHandover {
  doc: PDFDocument;
  pageCount: number;
}

export async function composeHandover(
  data: HandoverData,
  opts: ComposeOptions,
): Promise<ComposedHandover> {
  const finished = new Date(data.run.finishedAt);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const faces = await embedFaces(doc, opts.fonts ?? (await loadFontFiles()));
  const meta = checkInfo(data, opts.catalogue);
  const facts = new RunFacts(data, meta);
  const flow = new PageFlow(doc, faces);
  const s = styles(faces);

  cover(flow, data, s);
  const expectedEntries = 1 + STAGES.length + HANDOVER_SUBSECTIONS.length + 1;
  const tocPages = Array.from({ length: Math.ceil(expectedEntries / tocEntriesPerPage()) }, () =>
    flow.newPage(),
  );
  flow.newPage();
  summary(flow, data, meta, s);
  for (const stage of STAGES) {
    if (stage.n === 7) handoverChapter(flow, facts, s);
    else stageChapter(flow, data, meta, stage.n, s);
  }
  about(flow, data, s);

  drawContents(doc, flow, tocPages, flow.toc);
  addOutline(doc, flow.pages, flow.toc);
  drawPageFurniture(
    flow,
    faces,
    { left: data.workspace.name, right: `Handover · ${longDate(data.run.finishedAt)}` },
    `${data.workspace.domain} · signed handover · run ${data.run.runId.slice(0, 8)}`,
  );

  await doc.attach(serializeHandoverData(data), HANDOVER_ATTACHMENT_NAME, {
    mimeType: 'application/json',
    description: 'Launch Ready handover data: the workspace, run results, verdict and answers',
    creationDate: finished,
    modificationDate: finished,
    afRelationship: AFRelationship.Data,
  });
  doc.setTitle(`Handover — ${data.workspace.name}`, { showInWindowTitleBar: true });
  doc.setSubject(`Launch Ready handover of ${data.workspace.domain}: ${data.run.verdict.headline}`);
  doc.setAuthor(data.signer.commonName);
  doc.setCreator(`Launch Ready ${data.app.version}`);
  doc.setProducer(`Launch Ready ${data.app.version} (pdf-lib)`);
  doc.setKeywords(['handover', 'launch-ready', data.workspace.domain]);
  doc.setLanguage('en');
  doc.setCreationDate(finished);
  doc.setModificationDate(finished);
  return { doc, pageCount: flow.pages.length };
}

/** The unsigned file: classic cross-reference table, as the signature placeholder needs. */
export async function saveUnsigned(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
  });
}

function checkInfo(data: HandoverData, catalogue: readonly CheckMeta[]): Map<string, CheckInfo> {
  const meta = new Map<string, CheckInfo>();
  // Titles from the file first, so a check this copy does not know still has its name.
  for (const c of data.checks) meta.set(c.id, { title: c.title, kind: c.kind, fix: [], why: '' });
  for (const c of catalogue) meta.set(c.id, c);
  return meta;
}
