/**
 * The typefaces the handover is set in: DejaVu Sans, Sans Bold and Sans Mono, shipped in
 * resources/fonts (with their licence) and embedded as subsets, so the PDF looks the same on
 * any reader. Glyph widths come from the font itself, so wrapping measures what gets drawn.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { HandoverError } from './errors';

const FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;
type FaceName = keyof typeof FILES;
export type FontFiles = Record<FaceName, Uint8Array>;

/** How far up from this module to look for resources/fonts (source tree or built bundle). */
const MAX_LEVELS_UP = 8;

/** resources/fonts of this installation: found by walking up from this module's folder. */
export function findFontsDir(start: string = import.meta.dirname): string {
  let dir = start;
  for (let i = 0; i < MAX_LEVELS_UP; i++) {
    const candidate = join(dir, 'resources', 'fonts');
    if (existsSync(join(candidate, FILES.regular))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new HandoverError(
    'fonts-missing',
    'The fonts of the handover PDF (resources/fonts/DejaVuSans*.ttf) are missing from this installation: reinstall Launch Ready.',
  );
}

const loaded = new Map<string, Promise<FontFiles>>();

/** The font files, read once per folder and kept: every export embeds the same bytes. */
export function loadFontFiles(dir: string = findFontsDir()): Promise<FontFiles> {
  let files = loaded.get(dir);
  if (!files) {
    files = (async () => {
      const out = {} as FontFiles;
      for (const [face, file] of Object.entries(FILES) as [FaceName, string][]) {
        try {
          out[face] = new Uint8Array(await readFile(join(dir, file)));
        } catch (err) {
          throw new HandoverError('fonts-missing', `Cannot read the font ${join(dir, file)}.`, {
            cause: err,
          });
        }
      }
      return out;
    })();
    files.catch(() => loaded.delete(dir));
    loaded.set(dir, files);
  }
  return files;
}

/** The parts of a fontkit font used to measure, to check coverage and to lay out. */
interface FontkitGlyph {
  id: number;
  advanceWidth: number;
}
interface FontkitFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): FontkitGlyph;
  layout(text: string, features?: unknown): { glyphs: FontkitGlyph[] };
}

/**
 * Scripts that need no shaping: Latin, Greek, Cyrillic and the punctuation, arrows and symbols
 * blocks. Text in these maps one code point to one glyph.
 */
function needsNoShaping(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x0590 && !(cp >= 0x2000 && cp <= 0x2bff)) return false;
  }
  return true;
}

/**
 * pdf-lib lays out every string it draws or measures with fontkit's full shaper (about half a
 * millisecond a line, seconds for a handover). Where no shaping is needed, map code points to
 * glyphs directly (ligatures are off anyway, and pdf-lib draws no kerning); other scripts still
 * go through fontkit.
 */
function useFastLayout(font: FontkitFont): void {
  const shape = font.layout.bind(font);
  const glyphs = new Map<number, FontkitGlyph>();
  font.layout = (text, features) => {
    if (!needsNoShaping(text)) return shape(text, features);
    const out: FontkitGlyph[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      let glyph = glyphs.get(cp);
      if (!glyph) {
        glyph = font.glyphForCodePoint(cp);
        glyphs.set(cp, glyph);
      }
      out.push(glyph);
    }
    return { glyphs: out };
  };
}

/** One embedded face: draws with pdf-lib, measures from the font's own advance widths. */
export class Face {
  private readonly widths = new Map<number, number>();
  private readonly font: FontkitFont;

  constructor(readonly pdf: PDFFont) {
    // pdf-lib keeps the parsed fontkit font on its embedder.
    this.font = (pdf as unknown as { embedder: { font: FontkitFont } }).embedder.font;
    useFastLayout(this.font);
  }

  private advance(cp: number): number {
    let w = this.widths.get(cp);
    if (w === undefined) {
      w = this.font.glyphForCodePoint(cp).advanceWidth / this.font.unitsPerEm;
      this.widths.set(cp, w);
    }
    return w;
  }

  width(text: string, size: number): number {
    let em = 0;
    for (const ch of text) em += this.advance(ch.codePointAt(0) ?? 32);
    return em * size;
  }

  /**
   * Text this face can draw: tabs become spaces, control characters go, and a character the
   * font lacks becomes "?" rather than an empty box.
   */
  clean(text: string): string {
    let out = '';
    for (const ch of text.replace(/\t/g, '  ')) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) continue;
      out += this.font.hasGlyphForCodePoint(cp) ? ch : '?';
    }
    return out;
  }
}

export interface HandoverFaces {
  regular: Face;
  bold: Face;
  mono: Face;
}

export async function embedFaces(doc: PDFDocument, files: FontFiles): Promise<HandoverFaces> {
  doc.registerFontkit(fontkit);
  // Fixed names (no random subset tag) keep the output byte-for-byte reproducible; ligatures
  // off so the text extracts (and searches) as typed.
  const embed = (face: FaceName, name: string) =>
    doc.embedFont(files[face], { subset: true, customName: name, features: { liga: false } });
  return {
    regular: new Face(await embed('regular', 'DejaVuSans')),
    bold: new Face(await embed('bold', 'DejaVuSans-Bold')),
    mono: new Face(await embed('mono', 'DejaVuSansMono')),
  };
}
