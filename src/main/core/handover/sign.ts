/**
 * Signs a composed handover: a signature placeholder (pdf-lib, classic xref as @signpdf needs),
 * then a detached CMS over every byte but the placeholder, SHA-256, by the signing identity.
 */
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import type { PDFDocument } from 'pdf-lib';
import type { SigningIdentity } from '../vault';
import { IdentitySigner } from './cms-signer';
import { saveUnsigned } from './compose';

/** Bytes reserved for the CMS: room for a certificate chain of an imported identity. */
const SIGNATURE_LENGTH = 8192;

export async function signHandover(
  doc: PDFDocument,
  identity: SigningIdentity,
  signingTime: Date = new Date(),
): Promise<Buffer> {
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: 'Launch Ready handover',
    contactInfo: '',
    name: identity.commonName,
    location: '',
    signingTime,
    signatureLength: SIGNATURE_LENGTH,
    appName: 'Launch Ready',
  });
  const withPlaceholder = Buffer.from(await saveUnsigned(doc));
  return new SignPdf().sign(withPlaceholder, new IdentitySigner(identity), signingTime);
}
