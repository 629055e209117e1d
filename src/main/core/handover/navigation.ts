/**
 * The reader's ways around the document: a contents page whose lines are links, the PDF
 * outline (bookmarks), and a running header and footer with "Page n of N" on every page.
 */
import type { PDFDocument, PDFPage, PDFRef } from 'pdf-lib';
import { PDFArray, PDFHexString, PDFName, PDFNull, PDFNumber } from 'pdf-lib';
import type { HandoverFaces } from './fonts';
import type { PageFlow, TocEntry } from './page-flow';
import { A4, CONTENT_WIDTH, INK, MARGIN, baselineIn } from './page-flow';

const TOC_LINE = 19;

/** How many entries fit on one contents page (below its title). */
export function tocEntriesPerPage(): number {
  return Math.floor((A4.height - MARGIN.top - MARGIN.bottom - 60) / TOC_LINE);
}

/** Draws the contents on the pages reserved for it, each line a link to its heading. */
export function drawContents(
  doc: PDFDocument,
  flow: PageFlow,
  tocPages: PDFPage[],
  entries: TocEntry[],
): void {
  const { bold, regular } = flow.faces;
  const perPage = tocEntriesPerPage();
  tocPages.forEach((page, p) => {
    let y = A4.height - MARGIN.top;
    if (p === 0) {
      flow.draw(
        'Contents',
        MARGIN.left,
        baselineIn(y, 22, 17),
        { face: bold, size: 17, color: INK.accent },
        page,
      );
      page.drawLine({
        start: { x: MARGIN.left, y: y - 25 },
        end: { x: A4.width - MARGIN.right, y: y - 25 },
        thickness: 0.8,
        color: INK.accent,
      });
    }
    y -= 44;
    for (const entry of entries.slice(p * perPage, (p + 1) * perPage)) {
      const level1 = entry.level === 1;
      const style = { face: level1 ? bold : regular, size: level1 ? 10.5 : 9.5, color: INK.text };
      const indent = level1 ? 0 : 18;
      const pageLabel = String(entry.pageIndex + 1);
      const baseline = baselineIn(y, TOC_LINE, style.size);
      const numberWidth = style.face.width(pageLabel, style.size);
      const right = A4.width - MARGIN.right;
      const maxTitle = CONTENT_WIDTH - indent - numberWidth - 24;
      let title = style.face.clean(entry.title);
      while (style.face.width(title, style.size) > maxTitle && title.length > 4)
        title = `${title.slice(0, -2)}…`;
      flow.draw(title, MARGIN.left + indent, baseline, style, page);
      // Dotted leader between the title and its page number.
      const titleEnd = MARGIN.left + indent + style.face.width(title, style.size) + 6;
      const dotWidth = regular.width('. ', 8);
      const dots = Math.max(0, Math.floor((right - numberWidth - 6 - titleEnd) / dotWidth));
      flow.draw(
        '. '.repeat(dots),
        titleEnd,
        baseline,
        { face: regular, size: 8, color: INK.rule },
        page,
      );
      flow.draw(pageLabel, right - numberWidth, baseline, style, page);
      const target = flow.pages[entry.pageIndex];
      if (target)
        addLink(
          doc,
          page,
          [MARGIN.left + indent, y - TOC_LINE + 3, right, y - 1],
          target.ref,
          entry.y,
        );
      y -= TOC_LINE;
    }
  });
}

function destination(doc: PDFDocument, pageRef: PDFRef, top: number): PDFArray {
  return doc.context.obj([
    pageRef,
    PDFName.of('XYZ'),
    PDFNull,
    PDFNumber.of(Math.round(top + 4)),
    PDFNull,
  ]);
}

function addLink(doc: PDFDocument, page: PDFPage, rect: number[], pageRef: PDFRef, top: number) {
  const link = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: rect.map((n) => Math.round(n * 100) / 100),
      Border: [0, 0, 0],
      Dest: destination(doc, pageRef, top),
    }),
  );
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) annots.push(link);
  else page.node.set(PDFName.of('Annots'), doc.context.obj([link]));
}

/** Bookmarks: level-1 entries at the top, level-2 entries under the level 1 before them. */
export function addOutline(doc: PDFDocument, pages: PDFPage[], entries: TocEntry[]): void {
  if (entries.length === 0) return;
  const context = doc.context;
  const rootRef = context.nextRef();
  type Node = { entry: TocEntry; ref: PDFRef; children: Node[] };
  const top: Node[] = [];
  for (const entry of entries) {
    const node: Node = { entry, ref: context.nextRef(), children: [] };
    const parent = top.at(-1);
    if (entry.level === 2 && parent) parent.children.push(node);
    else top.push(node);
  }
  const write = (nodes: Node[], parentRef: PDFRef) => {
    nodes.forEach((node, i) => {
      const page = pages[node.entry.pageIndex] as PDFPage;
      const dict = context.obj({
        Title: PDFHexString.fromText(node.entry.title),
        Parent: parentRef,
        Dest: destination(doc, page.ref, node.entry.y),
      });
      const prev = nodes[i - 1];
      const next = nodes[i + 1];
      if (prev) dict.set(PDFName.of('Prev'), prev.ref);
      if (next) dict.set(PDFName.of('Next'), next.ref);
      const first = node.children[0];
      const last = node.children.at(-1);
      if (first && last) {
        dict.set(PDFName.of('First'), first.ref);
        dict.set(PDFName.of('Last'), last.ref);
        // Negative: the children start closed, so the outline opens on the chapters.
        dict.set(PDFName.of('Count'), PDFNumber.of(-node.children.length));
        write(node.children, node.ref);
      }
      context.assign(node.ref, dict);
    });
  };
  write(top, rootRef);
  context.assign(
    rootRef,
    context.obj({
      Type: 'Outlines',
      First: (top[0] as Node).ref,
      Last: (top.at(-1) as Node).ref,
      Count: PDFNumber.of(top.length),
    }),
  );
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
}

/** Running header (not on the cover) and footer with page numbers, once the count is known. */
export function drawPageFurniture(
  flow: PageFlow,
  faces: HandoverFaces,
  header: { left: string; right: string },
  footerLeft: string,
): void {
  const total = flow.pages.length;
  const small = { face: faces.regular, size: 7.2, color: INK.muted };
  const smallBold = { ...small, face: faces.bold };
  flow.pages.forEach((page, i) => {
    if (i > 0) {
      const y = A4.height - 38;
      flow.draw(header.left, MARGIN.left, y, smallBold, page);
      const w = faces.regular.width(faces.regular.clean(header.right), small.size);
      flow.draw(header.right, A4.width - MARGIN.right - w, y, small, page);
      page.drawLine({
        start: { x: MARGIN.left, y: y - 5 },
        end: { x: A4.width - MARGIN.right, y: y - 5 },
        thickness: 0.4,
        color: INK.rule,
      });
    }
    const y = 34;
    page.drawLine({
      start: { x: MARGIN.left, y: y + 11 },
      end: { x: A4.width - MARGIN.right, y: y + 11 },
      thickness: 0.4,
      color: INK.rule,
    });
    flow.draw(footerLeft, MARGIN.left, y, small, page);
    const label = `Page ${i + 1} of ${total}`;
    const w = faces.regular.width(label, small.size);
    flow.draw(label, A4.width - MARGIN.right - w, y, small, page);
  });
}
