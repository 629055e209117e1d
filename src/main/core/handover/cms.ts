/**
 * Reads and checks a detached CMS (PKCS#7) SignedData as PDF signatures carry it (RFC 5652):
 * the signer's certificate, the signed attributes (message digest, signing time) and the
 * signature over them. The document digest itself is compared by the caller.
 */
import { X509Certificate, constants, verify } from 'node:crypto';
import type { DerNode } from './der';
import {
  DerError,
  TAG,
  bytesOf,
  childrenOf,
  contentOf,
  isContext,
  isUniversal,
  oidOf,
  readDer,
  timeOf,
} from './der';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export interface CmsSignature {
  certificate: X509Certificate;
  /** Whether a certificate in the signature (itself, when self-signed) signed the signer's. */
  certificateVerified: boolean;
  digestAlgorithm: string;
  /** The messageDigest signed attribute: SHA-256 of the signed byte ranges. */
  messageDigest: Buffer;
  signingTime: Date | null;
  /** Whether the signature over the signed attributes checks out with the certificate's key. */
  signatureValid: boolean;
  /** Why it does not, in words, when it does not. */
  problem: string | null;
}

export class CmsError extends Error {}

/** Parses `der` (trailing zero padding allowed, as in a PDF's /Contents) and checks it. */
export function readCmsSignature(padded: Uint8Array): CmsSignature {
  try {
    return read(padded);
  } catch (err) {
    if (err instanceof DerError)
      throw new CmsError(`The signature is not valid CMS (${err.message}).`);
    throw err;
  }
}

function read(buf: Uint8Array): CmsSignature {
  const contentInfo = readDer(buf, 0);
  // The padding is outside the signed bytes: anything but zeros there was written later.
  for (let i = contentInfo.end; i < buf.length; i++)
    if (buf[i] !== 0)
      throw new CmsError('The space after the signature value was changed after signing.');
  // Only the signed attributes and the signature are covered by the signature itself, so every
  // other element is held to the exact shape a Launch Ready signature has (RFC 5652 §5).
  const [type, wrapped, ...extra] = expectSequence(buf, contentInfo, 'ContentInfo');
  if (!type || oidOf(buf, type) !== OID.signedData || !isContext(wrapped, 0) || extra.length)
    throw new CmsError('The signature is not a CMS SignedData.');
  const inner = childrenOf(buf, wrapped);
  if (inner.length !== 1) throw new CmsError('The SignedData is malformed.');
  const parts = expectSequence(buf, inner[0], 'SignedData');
  const [version, digestAlgs, encap] = parts;
  expectVersion(buf, version, 1, 'SignedData');
  if (!isUniversal(digestAlgs, TAG.SET)) throw new CmsError('The SignedData is malformed.');
  const digestOids = childrenOf(buf, digestAlgs).map((a) => algorithm(buf, a));
  if (digestOids.length !== 1 || digestOids[0] !== OID.sha256)
    throw new CmsError('The signature does not digest with SHA-256 alone.');
  const encapParts = expectSequence(buf, encap, 'encapsulated content');
  // Detached: the content is the PDF's byte ranges, never inside the signature.
  if (encapParts.length !== 1 || oidOf(buf, encapParts[0] as DerNode) !== OID.data)
    throw new CmsError('The signature is not a detached signature over plain data.');
  let next = 3;
  const certSet = isContext(parts[next], 0) ? parts[next++] : undefined;
  const signerInfos = parts[next++];
  if (!certSet) throw new CmsError('The signature carries no certificate.');
  if (!isUniversal(signerInfos, TAG.SET) || next !== parts.length)
    throw new CmsError('The SignedData has no signer, or more than it should.');
  const signers = childrenOf(buf, signerInfos);
  if (signers.length !== 1)
    throw new CmsError(`Expected one signer in the signature, found ${signers.length}.`);
  const signer = expectSequence(buf, signers[0], 'SignerInfo');
  const [signerVersion, sid, digestAlg, signedAttrs, sigAlg, signature, ...rest] = signer;
  expectVersion(buf, signerVersion, 1, 'SignerInfo');
  if (!isContext(signedAttrs, 0))
    throw new CmsError('The signature has no signed attributes (no message digest).');
  if (!isUniversal(signature, TAG.OCTET_STRING) || !sid || !digestAlg || !sigAlg)
    throw new CmsError('The signer information is malformed.');
  if (rest.length > 0)
    throw new CmsError('The signature carries unsigned attributes, which a handover never has.');

  const certs = childrenOf(buf, certSet).map((c) => certificateAt(buf, c));
  const certificate = signerCertificate(buf, certs, sid);
  const certificateVerified = checkChain(certs, certificate);
  const digestAlgorithm = algorithm(buf, digestAlg);
  const attrs = attributes(buf, signedAttrs);
  const digestAttr = attrs.get(OID.messageDigest);
  if (!isUniversal(digestAttr, TAG.OCTET_STRING))
    throw new CmsError('The signed attributes carry no message digest.');
  const contentType = attrs.get(OID.contentType);
  const timeAttr = attrs.get(OID.signingTime);

  let problem: string | null = null;
  if (digestAlgorithm !== OID.sha256)
    problem = `The signature digests with ${digestAlgorithm}, not SHA-256.`;
  else if (!contentType || oidOf(buf, contentType) !== OID.data)
    problem = 'The signed content type is not plain data.';

  // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4), not as [0].
  const toVerify = Buffer.from(bytesOf(buf, signedAttrs));
  toVerify[0] = 0x31;
  const sigAlgOid = algorithm(buf, sigAlg);
  const sigBytes = Buffer.from(contentOf(buf, signature));
  let signatureValid = false;
  if (problem === null) {
    const rsa = sigAlgOid === OID.rsaEncryption || sigAlgOid === OID.sha256WithRsa;
    if (!rsa && sigAlgOid !== OID.ecdsaWithSha256)
      problem = `The signature algorithm ${sigAlgOid} is not one Launch Ready checks.`;
    else {
      try {
        const key = certificate.cert.publicKey;
        signatureValid = rsa
          ? verify('sha256', toVerify, { key, padding: constants.RSA_PKCS1_PADDING }, sigBytes)
          : verify('sha256', toVerify, key, sigBytes);
      } catch {
        // A key OpenSSL cannot use (a damaged certificate) verifies nothing.
        signatureValid = false;
      }
      if (!signatureValid)
        problem =
          'The signature does not match the signer’s certificate: it was altered or made with another key.';
    }
  }
  return {
    certificate: certificate.cert,
    certificateVerified,
    digestAlgorithm,
    messageDigest: Buffer.from(contentOf(buf, digestAttr)),
    signingTime: timeAttr ? timeOf(buf, timeAttr) : null,
    signatureValid,
    problem,
  };
}

function expectSequence(buf: Uint8Array, node: DerNode | undefined, what: string): DerNode[] {
  if (!isUniversal(node, TAG.SEQUENCE)) throw new CmsError(`The ${what} is malformed.`);
  return childrenOf(buf, node);
}

function expectVersion(buf: Uint8Array, node: DerNode | undefined, v: number, what: string) {
  const bytes = node && isUniversal(node, TAG.INTEGER) ? contentOf(buf, node) : null;
  if (!bytes || bytes.length !== 1 || bytes[0] !== v)
    throw new CmsError(`The ${what} version is not ${v}.`);
}

/** An AlgorithmIdentifier's OID; its parameters may only be absent or NULL. */
function algorithm(buf: Uint8Array, node: DerNode | undefined): string {
  const [oid, params, ...extra] = expectSequence(buf, node, 'algorithm identifier');
  if (!oid || extra.length > 0) throw new CmsError('An algorithm identifier is malformed.');
  if (params && !(isUniversal(params, TAG.NULL) && params.end === params.contentStart))
    throw new CmsError('An algorithm identifier has unexpected parameters.');
  return oidOf(buf, oid);
}

/** Attribute OID → its one value. */
function attributes(buf: Uint8Array, set: DerNode): Map<string, DerNode> {
  const out = new Map<string, DerNode>();
  for (const attr of childrenOf(buf, set)) {
    const [type, values, ...extra] = expectSequence(buf, attr, 'signed attribute');
    if (!type || !isUniversal(values, TAG.SET) || extra.length > 0)
      throw new CmsError('A signed attribute is malformed.');
    const all = childrenOf(buf, values);
    const oid = oidOf(buf, type);
    if (out.has(oid)) throw new CmsError(`The signed attribute ${oid} appears twice.`);
    if (all.length !== 1)
      throw new CmsError(`The signed attribute ${oid} has ${all.length} values.`);
    out.set(oid, all[0] as DerNode);
  }
  return out;
}

interface CertAt {
  node: DerNode;
  cert: X509Certificate;
}

function certificateAt(buf: Uint8Array, node: DerNode): CertAt {
  expectSequence(buf, node, 'certificate');
  try {
    return { node, cert: new X509Certificate(Buffer.from(bytesOf(buf, node))) };
  } catch {
    throw new CmsError('A certificate in the signature cannot be read.');
  }
}

/** The certificate the signer identifier names (issuer and serial number). */
function signerCertificate(buf: Uint8Array, certs: CertAt[], sid: DerNode): CertAt {
  const [sidIssuer, sidSerial, ...extra] = expectSequence(buf, sid, 'signer identifier');
  if (!sidIssuer || !sidSerial || extra.length > 0)
    throw new CmsError('The signer is not named by issuer and serial number.');
  for (const c of certs) {
    const tbs = childrenOf(buf, c.node)[0];
    if (!tbs) continue;
    const fields = childrenOf(buf, tbs);
    const offset = isContext(fields[0], 0) ? 1 : 0; // explicit version
    const serial = fields[offset];
    const issuer = fields[offset + 2];
    if (
      serial &&
      issuer &&
      Buffer.from(bytesOf(buf, serial)).equals(bytesOf(buf, sidSerial)) &&
      Buffer.from(bytesOf(buf, issuer)).equals(bytesOf(buf, sidIssuer))
    )
      return c;
  }
  throw new CmsError('The signature does not carry the signer’s certificate.');
}

/** Whether a carried certificate (itself, for a self-signed one) signed `cert`. */
function issuedByCarried(cert: X509Certificate, certs: CertAt[]): boolean {
  return certs.some(({ cert: issuer }) => {
    try {
      // Names and signature only: checkIssued() would also want keyCertSign, which a
      // self-signed signing certificate rightly lacks.
      return cert.issuer === issuer.subject && cert.verify(issuer.publicKey);
    } catch {
      return false;
    }
  });
}

/**
 * Certificates sit outside the digest, so a changed byte in one must show somewhere: every
 * certificate besides the signer's must be signed by one carried. The signer's is reported:
 * when no carried certificate signed it, the caller pins it by the fingerprint the document
 * declares instead.
 */
function checkChain(certs: CertAt[], signer: CertAt): boolean {
  for (const c of certs) {
    if (c === signer) continue;
    if (!issuedByCarried(c.cert, certs))
      throw new CmsError(
        `The certificate of ${c.cert.subject.replace(/\n/g, ', ')} is not signed by a certificate in the signature.`,
      );
  }
  return issuedByCarried(signer.cert, certs);
}
