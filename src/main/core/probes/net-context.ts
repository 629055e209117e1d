/**
 * Where probes send their packets. The same probe code talks to the lab on loopback or to the
 * real internet; only this context differs.
 */
import type { VendorEndpoints } from '../integrations/types';

export interface DnsServer {
  address: string;
  port: number;
}

/** As curl's --connect-to: a request for host:port connects to toAddress:toPort, bypassing DNS. */
export interface ConnectRule {
  /** null matches any host. */
  host: string | null;
  /** null matches any port. */
  port: number | null;
  toAddress: string;
  toPort: number;
}

export interface Timeouts {
  /** One DNS query attempt (UDP or TCP). */
  dnsMs: number;
  /** TCP connect + TLS handshake. */
  connectMs: number;
  /** A whole HTTP exchange: headers and the (capped) body. */
  requestMs: number;
}

export interface NetworkContext {
  /** DNS servers to ask, in order. Empty: the system's configured servers. */
  resolvers: DnsServer[];
  connectTo: ConnectRule[];
  /**
   * After DNS, connect to this port instead of the standard one. Only the lab uses it: its
   * servers listen on unprivileged ports of the addresses its DNS hands out.
   */
  portMap: Record<number, number>;
  /**
   * After DNS, connect to this address instead of the one DNS gave. Only the lab uses it, so
   * a scenario can publish real-world addresses (a Cloudflare range) while every connection
   * still lands on loopback.
   */
  addressMap: Record<string, string>;
  /** Refuse to connect anywhere but loopback (127.0.0.0/8, ::1): the lab's safety catch. */
  loopbackOnly: boolean;
  /** Extra trust roots in PEM, added to Node's bundled roots (a staging CA, the lab's CA). */
  extraCa: string[];
  timeouts: Timeouts;
  /**
   * Where the dependency audit asks about known vulnerabilities. Absent: the public npm
   * registry and OSV; the lab serves its own on loopback.
   */
  advisories?: AdvisoryEndpoints;
  /** Vendor API roots (Cloudflare, uptime monitors, Sentry); absent: the real ones. */
  vendors?: VendorEndpoints;
}

export interface AdvisoryEndpoints {
  /** An npm registry (packuments and the bulk advisory endpoint). */
  npmRegistry: string;
  /** An OSV API root (`/v1/querybatch`, `/v1/query`). */
  osvApi: string;
}

export const DEFAULT_TIMEOUTS: Timeouts = { dnsMs: 2500, connectMs: 5000, requestMs: 10000 };

export function internetContext(overrides: Partial<NetworkContext> = {}): NetworkContext {
  return {
    resolvers: [],
    connectTo: [],
    portMap: {},
    addressMap: {},
    loopbackOnly: false,
    extraCa: [],
    timeouts: DEFAULT_TIMEOUTS,
    ...overrides,
  };
}

/** The connect rule that applies to host:port, if any (first match wins, as in curl). */
export function findConnectRule(
  net: NetworkContext,
  host: string,
  port: number,
): ConnectRule | undefined {
  const h = host.toLowerCase();
  return net.connectTo.find(
    (r) => (r.host === null || r.host.toLowerCase() === h) && (r.port === null || r.port === port),
  );
}

/** Parses curl-style `HOST:PORT:ADDR:PORT` (HOST and PORT may be empty: any). */
export function parseConnectTo(spec: string): ConnectRule {
  const m = /^([^:]*):(\d*):(\[[0-9a-fA-F:.]+\]|[^:]+):(\d+)$/.exec(spec.trim());
  if (!m) throw new Error(`--connect-to wants HOST:PORT:ADDR:PORT (as curl), got "${spec}".`);
  const [, host = '', port = '', addr = '', toPort = ''] = m;
  const toAddress = addr.replace(/^\[|\]$/g, '');
  const portN = port === '' ? null : Number(port);
  const toPortN = Number(toPort);
  for (const p of [portN, toPortN]) {
    if (p !== null && (!Number.isInteger(p) || p < 1 || p > 65535)) {
      throw new Error(`--connect-to: ${p} is not a port (1–65535) in "${spec}".`);
    }
  }
  return { host: host === '' ? null : host.toLowerCase(), port: portN, toAddress, toPort: toPortN };
}

/** Parses `IP[:PORT]` or `[IPv6]:PORT` for --resolver. */
export function parseResolver(spec: string): DnsServer {
  const s = spec.trim();
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(s);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?$/.exec(s);
  const bareV6 = /^[0-9a-fA-F:]+$/.test(s) && s.includes(':') && !v4 ? s : null;
  const address = v6?.[1] ?? v4?.[1] ?? bareV6;
  const port = Number(v6?.[2] ?? v4?.[2] ?? 53);
  if (!address || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `--resolver wants an IP address with an optional port (1.1.1.1 or 127.0.0.1:5353), got "${spec}".`,
    );
  }
  return { address, port };
}

export function isLoopback(address: string): boolean {
  return (
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) ||
    address === '::1' ||
    address === '::ffff:127.0.0.1'
  );
}
