/**
 * The CMS signer @signpdf calls: detached SHA-256 SignedData by the signing identity, carrying
 * only the signer's own certificate. (@signpdf's P12Signer would carry every certificate in the
 * PKCS#12; an extra one nobody signed is a place where bytes could change unnoticed.)
 */
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import type { SigningIdentity } from '../vault';
import { openSigningKey } from '../vault';

export class IdentitySigner extends Signer {
  constructor(private readonly identity: Pick<SigningIdentity, 'p12' | 'passphrase'>) {
    super();
  }

  override async sign(pdf: Buffer, signingTime: Date = new Date()): Promise<Buffer> {
    const { key, certificate } = openSigningKey(this.identity);
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString('binary'));
    p7.addCertificate(certificate);
    p7.addSigner({
      key,
      certificate,
      digestAlgorithm: forge.pki.oids.sha256 as string,
      // The order Adobe and the EU validators expect; messageDigest is filled in by sign().
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType as string, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime as string, value: signingTime as unknown as string },
        { type: forge.pki.oids.messageDigest as string },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}
