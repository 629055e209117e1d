/**
 * Checks a signed handover the way a careful reader would: exactly one signature; its
 * ByteRange covers the whole file except the /Contents hole, so nothing was added after
 * signing; the SHA-256 of those bytes is the digest the CMS signed; the CMS signature checks
 * out with the certificate it carries; and the fingerprint the document prints (inside its
 * attached data) is that certificate's. Any changed byte fails one of these.
 */
import type { HandoverCheck } from '../../../shared/handover';
import { createHash } from 'node:crypto';
import { commonNameOf } from '../vault/signing-identity';
import { readHandoverData } from './attachment';
import type { CmsSignature } from './cms';
import { CmsError, readCmsSignature } from './cms';
import { HandoverError } from './errors';
import type { HandoverData } from './handover-data';

/** The contract's answer (shared/handover.ts) without what the attached data says, plus where the signature sits. */
export interface HandoverVerification extends Omit<HandoverCheck, 'product'> {
  byteRange: [number, number, number, number] | null;
}

/** Files larger than this are not handovers (a demo's is a few hundred KB). */
export const MAX_HANDOVER_BYTES = 100 * 1024 * 1024;
const HEADER_WINDOW = 1024;
const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/** Throws HandoverError 'not-a-pdf' when `bytes` are not a PDF at all. */
export function assertPdf(bytes: Uint8Array): void {
  const head = Buffer.from(bytes.subarray(0, HEADER_WINDOW)).toString('latin1');
  if (bytes.length === 0)
    throw new HandoverError('not-a-pdf', 'The file is empty: it is not a PDF.');
  if (!head.includes('%PDF-'))
    throw new HandoverError('not-a-pdf', 'The file is not a PDF (it does not start with %PDF-).');
  if (bytes.length > MAX_HANDOVER_BYTES)
    throw new HandoverError('not-a-pdf', 'The file is too large to be a Launch Ready handover.');
}

export async function verifyHandover(bytes: Uint8Array): Promise<HandoverVerification> {
  return (await verifyAndRead(bytes)).verification;
}

/** The verification and the attached data it read on the way (null when there is none). */
export async function verifyAndRead(
  bytes: Uint8Array,
): Promise<{ verification: HandoverVerification; data: HandoverData | null }> {
  let read: HandoverData | null = null;
  const verification = await verifyOnce(bytes, (d) => (read = d));
  return { verification, data: read };
}

async function verifyOnce(
  bytes: Uint8Array,
  onData: (data: HandoverData) => void,
): Promise<HandoverVerification> {
  assertPdf(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result: HandoverVerification = {
    valid: false,
    reason: '',
    signerCommonName: null,
    fingerprint: null,
    selfSigned: null,
    signedAt: null,
    attachmentPresent: false,
    declaredFingerprintMatches: null,
    byteRange: null,
  };
  const invalid = (reason: string) => ({ ...result, valid: false, reason });

  let data: HandoverData | null = null;
  try {
    data = await readHandoverData(bytes);
    result.attachmentPresent = true;
    onData(data);
  } catch (err) {
    if (!(err instanceof HandoverError)) throw err;
  }

  const text = buf.toString('latin1');
  const ranges = [...text.matchAll(BYTE_RANGE)];
  if (ranges.length === 0) return invalid('The PDF is not signed: it has no signature.');
  if (ranges.length > 1)
    return invalid(
      `The PDF has ${ranges.length} signatures; a Launch Ready handover has exactly one, so something was added after signing.`,
    );
  const match = ranges[0] as RegExpExecArray;
  const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
  result.byteRange = [a, b, c, d];
  if (a !== 0 || b <= 0 || c <= b)
    return invalid('The signature’s byte range does not start at the beginning of the file.');
  if (c + d < buf.length)
    return invalid(
      `${buf.length - (c + d)} bytes were appended after the document was signed: they are not covered by the signature.`,
    );
  if (c + d > buf.length)
    return invalid('The file is shorter than the signature says: it was cut after signing.');
  // The hole between the two ranges must be exactly the signature's <hex>, the value of the
  // same dictionary's /Contents, and the /ByteRange itself must lie inside the signed bytes.
  const hole = text.slice(b, c);
  if (!/^<[0-9a-fA-F]*>$/.test(hole))
    return invalid(
      'The part of the file left out of the signature is not just the signature value.',
    );
  const before = text.slice(match.index, b);
  if (
    !/\/Contents\s*$/.test(before) ||
    /endobj|\/Contents/.test(before.replace(/\/Contents\s*$/, ''))
  )
    return invalid(
      'The signature’s byte range and its value are not in the same signature dictionary.',
    );
  if (match.index + match[0].length > b)
    return invalid('The signature’s byte range is not itself covered by the signature.');

  // The hole is not covered by the digest, so it must hold nothing but the signature: one
  // case of hex throughout (a flipped letter case would decode the same), zeros after the DER.
  const hex = hole.slice(1, -1);
  if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase())
    return invalid('The signature value was edited after signing (its hex digits were changed).');
  let cms: CmsSignature;
  try {
    cms = readCmsSignature(Buffer.from(hex, 'hex'));
  } catch (err) {
    if (err instanceof CmsError) return invalid(err.message);
    throw err;
  }
  const cert = cms.certificate;
  result.signerCommonName = commonNameOf(cert.subject) ?? cert.subject.replace(/\n/g, ', ');
  result.fingerprint = cert.fingerprint256;
  result.selfSigned = cert.subject === cert.issuer;
  result.signedAt = cms.signingTime?.toISOString() ?? null;

  const digest = createHash('sha256')
    .update(buf.subarray(0, b))
    .update(buf.subarray(c, c + d))
    .digest();
  if (!digest.equals(cms.messageDigest))
    return invalid('Digest mismatch: the document was changed after it was signed.');
  if (cms.problem) return invalid(cms.problem);
  if (cms.signingTime) {
    const t = cms.signingTime.getTime();
    if (t < Date.parse(cert.validFrom) || t > Date.parse(cert.validTo))
      return invalid(
        'The signer’s certificate was not valid at the time the document says it was signed.',
      );
  }
  if (data) {
    result.declaredFingerprintMatches = data.signer.fingerprint === cert.fingerprint256;
    if (!result.declaredFingerprintMatches)
      return invalid(
        `The document says it was signed by the certificate ${data.signer.fingerprint}, but the signature is by ${cert.fingerprint256}.`,
      );
  }
  // A certificate no carried one signed (a CA's, without the CA) is only as good as the
  // fingerprint the signed document declares for it.
  if (!cms.certificateVerified && !result.declaredFingerprintMatches)
    return invalid(
      'The signer’s certificate cannot be checked: it is not self-signed, its issuer is not in the signature, and the document declares no fingerprint for it.',
    );
  return {
    ...result,
    valid: true,
    reason: data
      ? 'The signature is valid: the file is exactly as it was signed.'
      : `The signature is valid, but the file carries no Launch Ready data: it is not a handover.`,
  };
}
