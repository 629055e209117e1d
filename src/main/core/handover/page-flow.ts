/**
 * A small page-layout engine on pdf-lib: text flows down A4 pages, paragraphs wrap, tables
 * repeat their header on each page, blocks that must stay together move to the next page, and
 * headings are remembered for the table of contents and the PDF outline.
 */
import type { PDFDocument, PDFPage, RGB } from 'pdf-lib';
import { rgb } from 'pdf-lib';
import type { Face, HandoverFaces } from './fonts';
import { clampLines, wrapText } from './wrap';

export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGIN = { left: 56, right: 56, top: 66, bottom: 60 } as const;
export const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;

export const INK = {
  text: rgb(0.12, 0.13, 0.16),
  muted: rgb(0.4, 0.42, 0.47),
  rule: rgb(0.8, 0.82, 0.86),
  shade: rgb(0.945, 0.952, 0.965),
  accent: rgb(0.11, 0.28, 0.55),
  white: rgb(1, 1, 1),
} as const;

export interface TocEntry {
  title: string;
  level: 1 | 2;
  pageIndex: number;
  /** Top of the heading on its page, for links and bookmarks. */
  y: number;
}

export interface TextStyle {
  face: Face;
  size: number;
  color?: RGB;
  /** Distance between baselines; default 1.4 × size. */
  lineHeight?: number;
}

export interface Column {
  header: string;
  /** Share of the table's width; shares are normalised. */
  width: number;
  mono?: boolean;
  align?: 'left' | 'right';
}

export interface Cell {
  text: string;
  color?: RGB;
  bold?: boolean;
}

const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;

export class PageFlow {
  readonly pages: PDFPage[] = [];
  readonly toc: TocEntry[] = [];
  private current: PDFPage | null = null;
  /** Top of the free space on the current page. */
  y = 0;

  constructor(
    private readonly doc: PDFDocument,
    readonly faces: HandoverFaces,
  ) {}

  get page(): PDFPage {
    return this.current ?? this.newPage();
  }

  get pageIndex(): number {
    return this.pages.length - 1;
  }

  newPage(): PDFPage {
    const page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(page);
    this.current = page;
    this.y = A4.height - MARGIN.top;
    return page;
  }

  /** True when nothing has been drawn below the top margin of the current page yet. */
  atTop(): boolean {
    return this.current !== null && this.y >= A4.height - MARGIN.top - 0.5;
  }

  room(): number {
    return this.y - MARGIN.bottom;
  }

  /** Moves to a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.current === null || (this.room() < height && !this.atTop())) this.newPage();
  }

  space(height: number): void {
    if (!this.atTop()) this.y -= Math.min(height, Math.max(0, this.room()));
  }

  /** Draws one line of text with its baseline at `baseline`. */
  draw(text: string, x: number, baseline: number, style: TextStyle, page = this.page): void {
    const clean = style.face.clean(text);
    if (clean === '') return;
    page.drawText(clean, {
      x,
      y: baseline,
      size: style.size,
      font: style.face.pdf,
      color: style.color ?? INK.text,
    });
  }

  wrap(text: string, style: TextStyle, width: number): string[] {
    return wrapText(style.face.clean(text), width, (t) => style.face.width(t, style.size));
  }

  /** Lines of text, breaking to a new page wherever needed. */
  paragraph(
    text: string,
    style: TextStyle,
    opts: { indent?: number; width?: number; after?: number; maxLines?: number } = {},
  ): void {
    const indent = opts.indent ?? 0;
    const width = opts.width ?? CONTENT_WIDTH - indent;
    let lines = this.wrap(text, style, width);
    if (opts.maxLines !== undefined)
      lines = clampLines(lines, opts.maxLines, width, (t) => style.face.width(t, style.size));
    const lh = style.lineHeight ?? style.size * 1.4;
    for (const line of lines) {
      this.ensure(lh);
      this.draw(line, MARGIN.left + indent, baselineIn(this.y, lh, style.size), style);
      this.y -= lh;
    }
    this.space(opts.after ?? 0);
  }

  /** Height `text` takes as a paragraph (for keeping blocks together). */
  paragraphHeight(text: string, style: TextStyle, width = CONTENT_WIDTH): number {
    return this.wrap(text, style, width).length * (style.lineHeight ?? style.size * 1.4);
  }

  /**
   * A section heading. Level 1 starts a page (each stage reads as its own chapter) and is a
   * contents entry; level 2 keeps `keepWith` points of what follows on the same page.
   */
  heading(title: string, level: 1 | 2 | 3, opts: { toc?: boolean; keepWith?: number } = {}): void {
    const { bold } = this.faces;
    if (level === 1) {
      if (!this.atTop()) this.newPage();
      const style = { face: bold, size: 17, color: INK.accent, lineHeight: 22 };
      this.record(title, 1, opts.toc ?? true);
      this.paragraph(title, style);
      this.page.drawLine({
        start: { x: MARGIN.left, y: this.y - 3 },
        end: { x: A4.width - MARGIN.right, y: this.y - 3 },
        thickness: 0.8,
        color: INK.accent,
      });
      this.y -= 12;
      return;
    }
    const style =
      level === 2
        ? { face: bold, size: 12.5, color: INK.accent, lineHeight: 17 }
        : { face: bold, size: 9.8, color: INK.text, lineHeight: 14 };
    this.space(level === 2 ? 12 : 7);
    this.ensure(this.paragraphHeight(title, style) + (opts.keepWith ?? 40));
    if (level === 2) this.record(title, 2, opts.toc ?? false);
    this.paragraph(title, style, { after: level === 2 ? 4 : 2 });
  }

  private record(title: string, level: 1 | 2, toc: boolean): void {
    if (toc) this.toc.push({ title, level, pageIndex: this.pageIndex, y: this.y });
  }

  /** A bulleted or numbered list; each item wraps under its own text. */
  list(items: string[], style: TextStyle, opts: { numbered?: boolean; indent?: number } = {}) {
    const indent = opts.indent ?? 0;
    const lh = style.lineHeight ?? style.size * 1.4;
    items.forEach((item, i) => {
      const marker = opts.numbered ? `${i + 1}.` : '•';
      const markerWidth = opts.numbered ? style.face.width('00. ', style.size) : 10;
      const lines = this.wrap(item, style, CONTENT_WIDTH - indent - markerWidth);
      lines.forEach((line, j) => {
        this.ensure(lh);
        const baseline = baselineIn(this.y, lh, style.size);
        if (j === 0)
          this.draw(marker, MARGIN.left + indent, baseline, { ...style, color: INK.muted });
        this.draw(line, MARGIN.left + indent + markerWidth, baseline, style);
        this.y -= lh;
      });
      this.y -= 1.5;
    });
  }

  /** Label: value rows, the labels in a column of their own. */
  fields(rows: [string, string][], opts: { labelWidth?: number; size?: number } = {}): void {
    const size = opts.size ?? 8.8;
    const labelWidth = opts.labelWidth ?? 120;
    const label: TextStyle = { face: this.faces.bold, size, color: INK.muted };
    const value: TextStyle = { face: this.faces.regular, size };
    const lh = size * 1.42;
    for (const [l, v] of rows) {
      const lines = this.wrap(v, value, CONTENT_WIDTH - labelWidth);
      this.ensure(lh * Math.min(lines.length, 3));
      lines.forEach((line, j) => {
        this.ensure(lh);
        const baseline = baselineIn(this.y, lh, size);
        if (j === 0) this.draw(l, MARGIN.left, baseline, label);
        this.draw(line, MARGIN.left + labelWidth, baseline, value);
        this.y -= lh;
      });
      this.y -= 1.5;
    }
  }

  /** Monospaced lines on a shaded band (evidence); long lines wrap, pages break between lines. */
  codeBlock(lines: string[], opts: { size?: number } = {}): void {
    const size = opts.size ?? 7;
    const style: TextStyle = { face: this.faces.mono, size, color: rgb(0.2, 0.22, 0.26) };
    const lh = size * 1.32;
    const pad = 4;
    const width = CONTENT_WIDTH - 2 * pad;
    const space = style.face.width(' ', size);
    const wrapped = lines.flatMap((l) => {
      // Indentation is structure here: wrap the text after it, then put it back, with two
      // more spaces on continuation lines.
      const indent = /^ */.exec(l)?.[0].length ?? 0;
      const parts = this.wrap(l.slice(indent), style, width - (indent + 2) * space);
      return parts.map((p, i) => `${' '.repeat(i === 0 ? indent : indent + 2)}${p}`);
    });
    let i = 0;
    while (i < wrapped.length) {
      this.ensure(lh * Math.min(3, wrapped.length - i) + 2 * pad);
      const fit = Math.max(1, Math.floor((this.room() - 2 * pad) / lh));
      const chunk = wrapped.slice(i, i + fit);
      const height = chunk.length * lh + 2 * pad;
      this.page.drawRectangle({
        x: MARGIN.left,
        y: this.y - height,
        width: CONTENT_WIDTH,
        height,
        color: INK.shade,
      });
      let top = this.y - pad;
      for (const line of chunk) {
        this.draw(line, MARGIN.left + pad, baselineIn(top, lh, size), style);
        top -= lh;
      }
      this.y -= height;
      i += chunk.length;
    }
  }

  /** A table: wrapped cells, a header repeated on every page it spans, rows never split. */
  table(
    columns: Column[],
    rows: (string | Cell)[][],
    opts: { size?: number; maxLines?: number } = {},
  ): void {
    const size = opts.size ?? 7.8;
    const lh = size * 1.34;
    const maxLines = opts.maxLines ?? 10;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * CONTENT_WIDTH);
    const styleOf = (col: Column, cell: Cell, header = false): TextStyle => ({
      face: header || cell.bold ? this.faces.bold : col.mono ? this.faces.mono : this.faces.regular,
      size: header ? size - 0.4 : col.mono ? size - 0.6 : size,
      color: header ? INK.muted : (cell.color ?? INK.text),
    });
    const layoutRow = (cells: Cell[], header: boolean) => {
      const lines = cells.map((cell, i) => {
        const col = columns[i] as Column;
        const style = styleOf(col, cell, header);
        const w = (widths[i] ?? 0) - 2 * CELL_PAD_X;
        const wrapped = this.wrap(cell.text, style, w);
        return clampLines(wrapped, maxLines, w, (t) => style.face.width(t, style.size));
      });
      const height = Math.max(1, ...lines.map((l) => l.length)) * lh + 2 * CELL_PAD_Y;
      return { cells, lines, height };
    };
    const drawRow = (row: ReturnType<typeof layoutRow>, header: boolean) => {
      const page = this.page;
      if (header)
        page.drawRectangle({
          x: MARGIN.left,
          y: this.y - row.height,
          width: CONTENT_WIDTH,
          height: row.height,
          color: INK.shade,
        });
      let x = MARGIN.left;
      row.lines.forEach((lines, i) => {
        const col = columns[i] as Column;
        const style = styleOf(col, row.cells[i] as Cell, header);
        const w = widths[i] ?? 0;
        let top = this.y - CELL_PAD_Y;
        for (const line of lines) {
          const lineX =
            col.align === 'right'
              ? x + w - CELL_PAD_X - style.face.width(style.face.clean(line), style.size)
              : x + CELL_PAD_X;
          this.draw(line, lineX, baselineIn(top, lh, size), style, page);
          top -= lh;
        }
        x += w;
      });
      this.y -= row.height;
      page.drawLine({
        start: { x: MARGIN.left, y: this.y },
        end: { x: A4.width - MARGIN.right, y: this.y },
        thickness: header ? 0.7 : 0.35,
        color: INK.rule,
      });
    };
    const header = layoutRow(
      columns.map((c) => ({ text: c.header })),
      true,
    );
    const body = rows.map((r) => layoutRow(r.map(asCell), false));
    this.ensure(header.height + (body[0]?.height ?? 0));
    drawRow(header, true);
    for (const row of body) {
      if (this.room() < row.height) {
        this.newPage();
        drawRow(header, true);
      }
      drawRow(row, false);
    }
  }
}

export function asCell(c: string | Cell): Cell {
  return typeof c === 'string' ? { text: c } : c;
}

/** The baseline that centres a line of `size` in a band of `lineHeight` below `top`. */
export function baselineIn(top: number, lineHeight: number, size: number): number {
  return top - lineHeight / 2 - size * 0.26;
}
