/**
 * Reads the machine-readable copy back out of a handover PDF: the embedded file
 * launch-ready-handover.json, found through the document's EmbeddedFiles name tree.
 */
import type { PDFObject } from 'pdf-lib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  decodePDFRawStream,
} from 'pdf-lib';
import { HandoverError } from './errors';
import type { HandoverData } from './handover-data';
import { HANDOVER_ATTACHMENT_NAME, parseHandoverData } from './handover-data';

/** A name tree this deep or this long is not one Launch Ready wrote. */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 10_000;
/** Inflated attachments larger than this are refused. */
export const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024;

/** The attachment's bytes, or null when the PDF has none of that name. Throws on a broken PDF. */
export async function readHandoverAttachment(
  pdf: Uint8Array,
  name = HANDOVER_ATTACHMENT_NAME,
): Promise<Uint8Array | null> {
  // A damaged object fails the read (and says nothing on the console) rather than being guessed at.
  const doc = await PDFDocument.load(pdf, {
    updateMetadata: false,
    ignoreEncryption: true,
    throwOnInvalidObject: true,
  });
  const tree = doc.catalog
    .lookupMaybe(PDFName.of('Names'), PDFDict)
    ?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  if (!tree) return null;
  const spec = findInNameTree(tree, name);
  if (!spec) return null;
  const ef = spec.lookupMaybe(PDFName.of('EF'), PDFDict);
  const stream = ef?.lookup(PDFName.of('F'));
  if (!(stream instanceof PDFRawStream)) return null;
  const bytes = decodePDFRawStream(stream).decode();
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    throw new HandoverError('bad-attachment', `The attached ${name} is too large to read.`);
  return bytes;
}

function findInNameTree(root: PDFDict, wanted: string): PDFDict | null {
  let seen = 0;
  const visit = (node: PDFDict, depth: number): PDFDict | null => {
    if (depth > MAX_DEPTH) return null;
    const names = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (names) {
      for (let i = 0; i + 1 < names.size(); i += 2) {
        if (++seen > MAX_ENTRIES) return null;
        if (textOf(names.lookup(i)) === wanted) {
          const spec = names.lookup(i + 1);
          return spec instanceof PDFDict ? spec : null;
        }
      }
    }
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict) {
        const found = visit(kid, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  return visit(root, 0);
}

function textOf(o: PDFObject | undefined): string | null {
  return o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : null;
}

/**
 * The handover data inside a PDF, parsed and checked for shape. It says nothing about the
 * signature: importHandover() verifies before it trusts.
 */
export async function readHandoverData(pdf: Uint8Array): Promise<HandoverData> {
  let bytes: Uint8Array | null;
  try {
    bytes = await readHandoverAttachment(pdf);
  } catch (err) {
    if (err instanceof HandoverError) throw err;
    throw new HandoverError(
      'no-attachment',
      'This PDF cannot be read, so its attached data cannot either.',
      {
        cause: err,
      },
    );
  }
  if (!bytes)
    throw new HandoverError(
      'no-attachment',
      `This PDF has no ${HANDOVER_ATTACHMENT_NAME} attached: it is not a Launch Ready handover.`,
    );
  return parseHandoverData(bytes);
}
