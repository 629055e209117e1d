/**
 * A lab scenario: one imaginary startup's DNS zone and web sites, with its faults. The lab
 * serves it on loopback so every probe can be exercised without the internet.
 */
import type { Host, Route } from '../../../shared/workspace';

export type LabRecordType = 'A' | 'AAAA' | 'CNAME' | 'NS' | 'CAA' | 'TXT' | 'MX';

export interface LabRecord {
  /** Fully qualified, no trailing dot. */
  name: string;
  type: LabRecordType;
  ttl?: number;
  /**
   * A/AAAA: address; CNAME/NS: target name; TXT: the text (split into 255-byte strings on the
   * wire); MX: "10 mail.example.test"; CAA: "0 issue \"letsencrypt.org\"".
   */
  data: string;
}

export type LabCertificate =
  | { kind: 'valid'; daysLeft?: number }
  | { kind: 'expired' }
  | { kind: 'not-yet-valid' }
  | { kind: 'self-signed' }
  /** Issued by the lab CA, but for other names only. */
  | { kind: 'wrong-host'; names: string[] };

export interface LabRoute {
  path: string;
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Milliseconds before the response headers are sent. */
  delayMs?: number;
}

export interface LabSite {
  host: string;
  /** Absent: nothing listens for this name on HTTPS (the handshake is refused). */
  https?: { certificate: LabCertificate };
  /**
   * Plain HTTP: 'redirect-https' answers every path with a 301 to the same URL on https;
   * 'serve' answers the routes over plain HTTP; absent: no plain-HTTP site for this name.
   */
  http?: 'redirect-https' | 'serve';
  routes: LabRoute[];
}

export interface LabScenario {
  name: string;
  title: string;
  description: string;
  /** Primary domain of the imaginary product. */
  domain: string;
  product: { name: string; hosts: Host[]; routes: Route[] };
  dns: {
    /** 'silent' receives queries and never answers (UDP and TCP): the blackhole. */
    mode: 'answer' | 'silent';
    /** Zones the server is authoritative for (names outside get REFUSED). */
    zones: string[];
    records: LabRecord[];
  };
  web: {
    /** 'blackhole' accepts TCP on every port and never sends a byte. */
    mode: 'serve' | 'blackhole';
    sites: LabSite[];
  };
}
