/** What the renderer learns about a handover PDF: exported, or checked after a drop. */

export interface HandoverSignerInfo {
  commonName: string;
  /** SHA-256 of the signer's certificate, AA:BB:… (printed on the cover). */
  fingerprint: string;
  /** created: the product's own identity; imported: a PKCS#12; ephemeral: the lab demo's. */
  kind: 'created' | 'imported' | 'ephemeral';
}

export interface HandoverExport {
  fileName: string;
  /** The signed PDF, for the page to save; never kept in the app's state. */
  pdfBase64: string;
  pageCount: number;
  bytes: number;
  signer: HandoverSignerInfo;
}

export interface HandoverCheck {
  valid: boolean;
  /** One plain sentence: why it is valid, or what is wrong. */
  reason: string;
  signerCommonName: string | null;
  fingerprint: string | null;
  selfSigned: boolean | null;
  signedAt: string | null;
  attachmentPresent: boolean;
  declaredFingerprintMatches: boolean | null;
  /** From the attached run data, when it is readable. */
  product: { name: string; domain: string; runFinishedAt: string; headline: string } | null;
}

/** A PDF sent for checking or import, base64: 12 MB of text, about 9 MB of PDF. */
export const MAX_HANDOVER_BASE64 = 12_000_000;
