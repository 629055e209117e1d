/**
 * TLS probe: one handshake with a host at an explicit address, reporting the certificate it
 * presents and whether a browser-like client would trust it.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { ProbeError, toProbeError } from './errors';
import type { NetworkContext } from './net-context';

export interface CertInfo {
  /** Distinguished name, e.g. "CN=app.example.test" (RDNs joined by ", "). */
  subject: string;
  issuer: string;
  /** DNS names and IP addresses as plain values; other kinds keep their "TYPE:" prefix. */
  subjectAltNames: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** Whole days until validTo (floor); negative when expired. */
  daysLeft: number;
  /** "AB:CD:…", as Node and openssl print it. */
  fingerprint256: string;
  serialNumber: string;
  /** Issued by itself: subject equals issuer and its own key verifies the signature. */
  selfSigned: boolean;
}

export interface TlsProbeResult {
  host: string;
  address: string;
  port: number;
  protocol: string | null;
  cipher: string | null;
  /** The chain verifies to a trusted root (hostname is judged separately, below). */
  authorized: boolean;
  /** Node's code, e.g. CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  authorizationError: string | null;
  hostnameMatches: boolean;
  /** Node's explanation when the hostname does not match. */
  hostnameError: string | null;
  certificate: CertInfo;
  /** Leaf first, as presented by the server and completed from the trust store. */
  chain: CertInfo[];
  elapsedMs: number;
}

const DAY_MS = 86_400_000;

function describe(raw: Buffer, now: Date): CertInfo {
  const cert = new X509Certificate(raw);
  const validTo = cert.validToDate;
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    subjectAltNames: (cert.subjectAltName ?? '')
      .split(', ')
      .filter((s) => s !== '')
      .map((s) => s.replace(/^(DNS|IP Address):/, '')),
    validFrom: cert.validFromDate.toISOString(),
    validTo: validTo.toISOString(),
    daysLeft: Math.floor((validTo.getTime() - now.getTime()) / DAY_MS),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    // Not checkIssued: OpenSSL also wants keyCertSign there, which self-signed leaves lack.
    selfSigned: cert.issuer === cert.subject && cert.verify(cert.publicKey),
  };
}

/** The peer's chain, leaf first; Node links the root to itself, so stop at a repeat. */
function chainOf(leaf: tls.DetailedPeerCertificate, now: Date): CertInfo[] {
  const chain: CertInfo[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = leaf;
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(describe(cert.raw, now));
    cert = cert.issuerCertificate;
  }
  return chain;
}

export async function probeTls(
  target: { host: string; address: string; port: number },
  net: NetworkContext,
  opts: { signal?: AbortSignal; now?: Date } = {},
): Promise<TlsProbeResult> {
  const { host, address, port } = target;
  const what = `TLS handshake with ${host} at ${address}:${port}`;
  const { signal } = opts;
  if (signal?.aborted) throw new ProbeError('aborted', `${what}: stopped`);

  const started = performance.now();
  return new Promise<TlsProbeResult>((resolve, reject) => {
    const socket = tls.connect({
      host: address,
      port,
      // SNI must be a name; Node rejects IP literals here.
      servername: isIP(host) ? undefined : host,
      ca: [...tls.rootCertificates, ...net.extraCa],
      // Finish the handshake whatever the certificate, so it can be inspected and explained.
      rejectUnauthorized: false,
      // Keep `authorized` about the chain only; the hostname is checked on its own below.
      checkServerIdentity: () => undefined,
      // Accept what an outdated server offers (TLS 1.0/1.1, weak ciphers) so the check can say
      // "only speaks TLS 1.1" instead of failing to decide; nothing secret is ever sent here.
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });

    let settled = false;
    const finish = (outcome: { result: TlsProbeResult } | { error: ProbeError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    const onAbort = (): void => finish({ error: new ProbeError('aborted', `${what}: stopped`) });
    const timer = setTimeout(
      () =>
        finish({
          error: new ProbeError(
            'timeout',
            `${what}: no handshake within ${net.timeouts.connectMs} ms`,
          ),
        }),
      net.timeouts.connectMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.once('secureConnect', () => {
      try {
        const now = opts.now ?? new Date();
        const peer = socket.getPeerCertificate(true);
        if (!peer.raw) {
          throw new ProbeError('tls', `${what}: the server presented no certificate`);
        }
        const chain = chainOf(peer, now);
        const [certificate] = chain;
        if (!certificate) throw new ProbeError('tls', `${what}: unreadable certificate`);
        const identityError = tls.checkServerIdentity(host, peer);
        // Typed as Error, but Node sets the OpenSSL code string (e.g. CERT_HAS_EXPIRED).
        const authError: unknown = socket.authorizationError;
        finish({
          result: {
            host,
            address,
            port,
            protocol: socket.getProtocol(),
            cipher: socket.getCipher()?.name ?? null,
            authorized: socket.authorized,
            authorizationError:
              authError === null || authError === undefined
                ? null
                : typeof authError === 'string'
                  ? authError
                  : String((authError as { code?: unknown }).code ?? authError),
            hostnameMatches: identityError === undefined,
            hostnameError: identityError?.message ?? null,
            certificate,
            chain,
            elapsedMs: Math.round(performance.now() - started),
          },
        });
      } catch (err) {
        finish({ error: toProbeError(err, what) });
      }
    });
    // `on`, not `once`: a second error after the first must not go unhandled.
    socket.on('error', (err) => finish({ error: toProbeError(err, what) }));
    socket.once('close', () =>
      finish({ error: new ProbeError('reset', `${what}: connection closed during the handshake`) }),
    );
  });
}
