/**
 * The lab's own certificate authority: a throwaway root that signs the certificates of the lab's
 * web sites, so TLS probes meet real chains (and real faults) without the internet.
 */
// Node's WebCrypto (the same object as globalThis.crypto), passed to every @peculiar/x509 call
// explicitly so the library's process-wide provider is never touched.
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import type { LabCertificate } from './scenario';

export interface IssuedCert {
  certPem: string;
  /** The intermediate(s) a server should send after the leaf; '' for a self-signed leaf. */
  chainPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export interface LabCa {
  /** The root certificate: give it to a client as a trust root (NetworkContext.extraCa). */
  certPem: string;
  /** A leaf for `names` (first name is the CN), signed by this CA. */
  issue(names: string[], validity: Validity): Promise<IssuedCert>;
  /** A leaf for `names` that signs itself: no CA vouches for it. */
  selfSigned(names: string[], validity: Validity): Promise<IssuedCert>;
}

const DAY_MS = 86_400_000;
type CryptoKey = webcrypto.CryptoKey;

const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

let x509Loading: Promise<typeof X509> | undefined;

/**
 * @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata
 * API at load time; loaded lazily so only the lab pays for it.
 */
function loadX509(): Promise<typeof X509> {
  x509Loading ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Loading;
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  // A serial is a positive INTEGER: clear the sign bit, and keep the first byte non-zero so
  // the DER encoding stays 16 bytes.
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
}

async function privateKeyPem(x509: typeof X509, key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function subjectFor(names: string[]): string {
  const cn = names[0];
  if (cn === undefined) throw new Error('A certificate needs at least one name.');
  // Hostnames hold no DN special characters; escape anyway so the subject stays a single CN.
  return `CN=${cn.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`)}`;
}

async function leafExtensions(
  x509: typeof X509,
  names: string[],
  publicKey: CryptoKey,
  authorityKey: CryptoKey,
): Promise<X509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns', value }))),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webcrypto),
    await x509.AuthorityKeyIdentifierExtension.create(authorityKey, false, webcrypto),
  ];
}

export async function createLabCa(name = 'Launch Ready Lab Root CA'): Promise<LabCa> {
  const x509 = await loadX509();
  const rootKeys = await generateKeys();
  const now = Date.now();
  const caName = `CN=${name}, O=Launch Ready Lab`;
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: caName,
      // Wide validity: leaves may be dated in the past or the future (expired, not-yet-valid),
      // and the root must not be the reason a chain fails.
      notBefore: new Date(now - 3650 * DAY_MS),
      notAfter: new Date(now + 3650 * DAY_MS),
      keys: rootKeys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  // Leaves come from an intermediate, as with every public CA, so a server that forgets to
  // send it (an incomplete chain) is a fault the lab can stage.
  const caKeys = await generateKeys();
  const caCert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: `CN=${name} Issuing CA, O=Launch Ready Lab`,
      issuer: rootCert.subjectName,
      notBefore: new Date(now - 3650 * DAY_MS),
      notAfter: new Date(now + 3650 * DAY_MS),
      publicKey: caKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, webcrypto),
        await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const intermediatePem = caCert.toString('pem');

  return {
    certPem: rootCert.toString('pem'),

    async issue(names, validity) {
      const keys = await generateKeys();
      const cert = await x509.X509CertificateGenerator.create(
        {
          serialNumber: randomSerial(),
          subject: subjectFor(names),
          issuer: caCert.subjectName,
          notBefore: validity.notBefore,
          notAfter: validity.notAfter,
          publicKey: keys.publicKey,
          signingKey: caKeys.privateKey,
          signingAlgorithm: SIGNING,
          extensions: await leafExtensions(x509, names, keys.publicKey, caKeys.publicKey),
        },
        webcrypto,
      );
      return {
        certPem: cert.toString('pem'),
        chainPem: intermediatePem,
        keyPem: await privateKeyPem(x509, keys.privateKey),
      };
    },

    async selfSigned(names, validity) {
      const keys = await generateKeys();
      const cert = await x509.X509CertificateGenerator.createSelfSigned(
        {
          serialNumber: randomSerial(),
          name: subjectFor(names),
          notBefore: validity.notBefore,
          notAfter: validity.notAfter,
          keys,
          signingAlgorithm: SIGNING,
          extensions: await leafExtensions(x509, names, keys.publicKey, keys.publicKey),
        },
        webcrypto,
      );
      return {
        certPem: cert.toString('pem'),
        chainPem: '',
        keyPem: await privateKeyPem(x509, keys.privateKey),
      };
    },
  };
}

/** The certificate a lab site presents for `host`, per the scenario's declared fault. */
export async function certificateFor(
  ca: LabCa,
  host: string,
  spec: LabCertificate,
  now: Date = new Date(),
): Promise<IssuedCert> {
  const t = now.getTime();
  const days = (n: number): Date => new Date(t + n * DAY_MS);
  switch (spec.kind) {
    case 'valid': {
      // An hour of slack so a probe right after start-up still counts the declared whole days.
      const cert = await ca.issue([host], {
        notBefore: days(-30),
        notAfter: new Date(days(spec.daysLeft ?? 200).getTime() + 3_600_000),
      });
      return spec.incompleteChain ? { ...cert, chainPem: '' } : cert;
    }
    case 'expired':
      return ca.issue([host], { notBefore: days(-100), notAfter: days(-10) });
    case 'not-yet-valid':
      return ca.issue([host], { notBefore: days(10), notAfter: days(100) });
    case 'self-signed':
      return ca.selfSigned([host], { notBefore: days(-30), notAfter: days(200) });
    case 'wrong-host':
      return ca.issue(spec.names, { notBefore: days(-30), notAfter: days(200) });
  }
}
