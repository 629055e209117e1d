/**
 * The identity that signs a workspace's handover PDF: an RSA key and its X.509 certificate,
 * kept together as a PKCS#12. Created self-signed (the product's name as CN) on first export,
 * or imported from a PKCS#12 file. Only RSA: the PDF signer (node-forge) signs with RSA alone.
 */
import { X509Certificate, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { VaultError } from './errors';

const generateRsa = promisify(generateKeyPair);

/** PKCS#12 bag types (RFC 7292). */
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
} as const;

/** created: made by Launch Ready and kept; imported: a PKCS#12 file; ephemeral: demo only. */
export type SigningIdentityKind = 'created' | 'imported' | 'ephemeral';

export interface SigningIdentity {
  kind: SigningIdentityKind;
  /** The PKCS#12 (key + certificate) and the passphrase that opens it. */
  p12: Buffer;
  passphrase: string;
  /** The signer certificate's subject CN (what pdfsig shows as "Common Name"). */
  commonName: string;
  /** SHA-256 of the certificate (DER), as AA:BB:…: what the PDF prints and verify compares. */
  fingerprint: string;
  certificatePem: string;
  selfSigned: boolean;
  notAfter: string;
}

/** X.520 ub-common-name. */
const MAX_CN = 64;
const VALIDITY_YEARS = 10;
export const MAX_P12_BYTES = 64 * 1024;

function commonNameFor(productName: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = productName.replace(/[\u0000-\u001f\u007f]/g, ' ').trim() || 'Launch Ready';
  return Array.from(clean).slice(0, MAX_CN).join('');
}

/** A new RSA 2048 key and a self-signed certificate for it, as a PKCS#12. */
export async function createSigningIdentity(
  productName: string,
  opts: { kind?: 'created' | 'ephemeral'; now?: Date } = {},
): Promise<SigningIdentity> {
  const now = opts.now ?? new Date();
  // Node's native key generation: forge's pure-JS RSA keygen takes seconds.
  const { privateKey, publicKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // Positive (leading 01) and unique enough: 120 random bits.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime());
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + VALIDITY_YEARS);
  const commonName = commonNameFor(productName);
  const subject = [
    // UTF-8, so a product name outside ASCII survives.
    { name: 'commonName', value: forge.util.encodeUtf8(commonName), valueTagClass: 12 },
    { name: 'organizationName', value: 'Launch Ready handover signing identity' },
  ] as forge.pki.CertificateField[];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const passphrase = randomBytes(24).toString('base64url');
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, {
    algorithm: 'aes256',
    friendlyName: commonName,
  });
  const p12 = Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary');
  return describe(p12, passphrase, forge.pki.certificateToPem(cert), opts.kind ?? 'created');
}

/**
 * Opens a PKCS#12 with its passphrase and checks it can sign: an RSA private key and the
 * certificate that matches it. Throws VaultError 'invalid' saying what is wrong.
 */
export function signingIdentityFromP12(
  p12: Buffer,
  passphrase: string,
  kind: SigningIdentityKind = 'imported',
): SigningIdentity {
  const { certificate } = openP12(p12, passphrase);
  return describe(p12, passphrase, forge.pki.certificateToPem(certificate), kind);
}

/** The identity's private key and certificate, as node-forge signs with them. */
export function openSigningKey(identity: Pick<SigningIdentity, 'p12' | 'passphrase'>): {
  key: forge.pki.rsa.PrivateKey;
  certificate: forge.pki.Certificate;
} {
  return openP12(identity.p12, identity.passphrase);
}

function openP12(p12: Buffer, passphrase: string) {
  if (p12.length === 0 || p12.length > MAX_P12_BYTES)
    throw new VaultError(
      'invalid',
      `A PKCS#12 file is between 1 byte and ${MAX_P12_BYTES / 1024} KB; this one is ${p12.length} bytes.`,
    );
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
    parsed = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (err) {
    const wrongPassphrase = /MAC could not be verified|Invalid password/i.test(
      (err as Error).message,
    );
    throw new VaultError(
      'invalid',
      wrongPassphrase
        ? 'The passphrase does not open this PKCS#12 file: check it and try again.'
        : 'This file is not a PKCS#12 (.p12 / .pfx) that Launch Ready can read.',
    );
  }
  const keyBags: forge.pkcs12.Bag[] = [
    ...(parsed.getBags({ bagType: BAG.shroudedKey })[BAG.shroudedKey] ?? []),
    ...(parsed.getBags({ bagType: BAG.key })[BAG.key] ?? []),
  ];
  const certBags: forge.pkcs12.Bag[] = parsed.getBags({ bagType: BAG.cert })[BAG.cert] ?? [];
  if (keyBags.length === 0)
    throw new VaultError('invalid', 'This PKCS#12 file holds no private key.');
  // forge reads only RSA keys; an EC key (or any other) comes back as null.
  const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | null | undefined;
  if (!key)
    throw new VaultError(
      'invalid',
      'The key in this PKCS#12 file is not an RSA key: Launch Ready signs with RSA keys only.',
    );
  const certificate = certBags
    .map((b) => b.cert)
    .find(
      (c): c is forge.pki.Certificate =>
        !!c &&
        (c.publicKey as forge.pki.rsa.PublicKey).n?.compareTo(key.n) === 0 &&
        (c.publicKey as forge.pki.rsa.PublicKey).e?.compareTo(key.e) === 0,
    );
  if (!certificate)
    throw new VaultError(
      'invalid',
      'This PKCS#12 file has no certificate for its private key: export the key together with its certificate.',
    );
  return { key, certificate };
}

function describe(
  p12: Buffer,
  passphrase: string,
  certificatePem: string,
  kind: SigningIdentityKind,
): SigningIdentity {
  const x509 = new X509Certificate(certificatePem);
  return {
    kind,
    p12,
    passphrase,
    commonName: commonNameOf(x509.subject) ?? x509.subject.replace(/\n/g, ', '),
    fingerprint: x509.fingerprint256,
    certificatePem,
    selfSigned: x509.subject === x509.issuer,
    notAfter: new Date(x509.validTo).toISOString(),
  };
}

/** The CN of an X509Certificate subject ("CN=…\nO=…"), or null. */
export function commonNameOf(subject: string): string | null {
  for (const line of subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return null;
}
