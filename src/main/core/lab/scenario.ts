/**
 * A lab scenario: one imaginary startup's DNS zone and web sites, with its faults. The lab
 * serves it on loopback so every probe can be exercised without the internet.
 */
import type { FakeAdvisoryData } from './fake-advisories';
import type { FakeLlmSpec } from './fake-llm';
import type { LabVendors } from './lab-vendors';
import type { AiEndpoint, Host, Route, Workspace } from '../../../shared/workspace';

export type LabRecordType = 'A' | 'AAAA' | 'CNAME' | 'NS' | 'CAA' | 'TXT' | 'MX' | 'PTR' | 'SPF';

export interface LabRecord {
  /** Fully qualified, no trailing dot. */
  name: string;
  type: LabRecordType;
  ttl?: number;
  /**
   * A/AAAA: address; CNAME/NS/PTR: target name; TXT and SPF (type 99, obsolete but still met):
   * the text, split into 255-byte strings on the wire; MX: "10 mail.example.test";
   * CAA: "0 issue \"letsencrypt.org\"".
   */
  data: string;
  /** TXT/SPF only: the exact character-strings to send instead of splitting `data`. */
  strings?: string[];
}

export type LabCertificate =
  /** incompleteChain: the server sends the leaf without its intermediate. */
  | { kind: 'valid'; daysLeft?: number; incompleteChain?: boolean }
  | { kind: 'expired' }
  | { kind: 'not-yet-valid' }
  | { kind: 'self-signed' }
  /** Issued by the lab CA, but for other names only. */
  | { kind: 'wrong-host'; names: string[] };

/**
 * Per-request latency with a known distribution, so measured percentiles can be checked
 * against ground truth. lognormal: the median is p50Ms and the 95th percentile p95Ms; draws
 * come from a seeded generator, so a run is repeatable.
 */
export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'lognormal'; p50Ms: number; p95Ms: number; seed?: number };

export interface LabRoute {
  path: string;
  /** Absent: the route answers every method. */
  method?: 'GET' | 'POST';
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** A generated filler body of this many bytes instead of `body` (a huge response). */
  bodyBytes?: number;
  /** Milliseconds before the response headers are sent. */
  delayMs?: number;
  /** Added to delayMs, drawn per request. */
  latency?: LatencySpec;
  /** Sends the body in `chunks` pieces `intervalMs` apart (a slow body). */
  slowBody?: { chunks: number; intervalMs: number };
  /** Honours Accept-Encoding with br or gzip. */
  compress?: boolean;
  /** With more than `inFlightAbove` requests in flight on this route, answer `status` (5xx under load). */
  overload?: { inFlightAbove: number; status: number };
  /** After `limit` requests within `windowMs`, answer 429 with Retry-After. */
  rateLimit?: { limit: number; windowMs: number };
  /** An AI endpoint (fake-llm.ts) answers this route instead of status/body. */
  llm?: FakeLlmSpec;
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
  /**
   * Every request for this site (on the schemes listed, default both) is redirected to the
   * same path under `to`, an origin such as https://example.test: a non-canonical host.
   */
  redirect?: { to: string; status?: 301 | 302 | 307 | 308; schemes?: ('http' | 'https')[] };
  /** Sent with every response of this site (security headers, HSTS, a CDN's headers); a route's own headers win. */
  headers?: Record<string, string>;
  routes: LabRoute[];
}

/** One commit of a lab repository: files to write (a string) or delete (null), in order. */
export interface LabRepoCommit {
  message: string;
  /** Author and committer date, ISO 8601: the history is the same on every machine. */
  date: string;
  author?: { name: string; email: string };
  files: Record<string, string | null>;
}

/** A small git repository the lab generates for stage 3 (secrets, env, deploy path). */
export interface LabRepo {
  /** On branch main, oldest first. */
  commits: LabRepoCommit[];
  /** Other branches: each starts at the main commit with this index and adds its commits. */
  branches?: { name: string; from: number; commits: LabRepoCommit[] }[];
  /** Written after the last commit and never committed: the founder's working tree. */
  uncommitted?: Record<string, string>;
  /**
   * What the lab's advisory databases (npm registry, OSV) know about the repository's
   * packages. Absent: they know nothing, so nothing is vulnerable and no version is newer.
   */
  advisories?: FakeAdvisoryData;
}

export interface LabScenario {
  name: string;
  title: string;
  description: string;
  /** Primary domain of the imaginary product. */
  domain: string;
  product: {
    name: string;
    hosts: Host[];
    routes: Route[];
    optIns?: Workspace['optIns'];
    /** The product's AI admin endpoint, for stage 1's red-team set. */
    aiEndpoint?: AiEndpoint;
    /** What the founder would tell stage 5: sending domain, own DKIM selectors, providers. */
    email?: Pick<Workspace, 'sendingDomain' | 'emailProviders'> & { dkimSelectors?: string[] };
  };
  dns: {
    /** 'silent' receives queries and never answers (UDP and TCP): the blackhole. */
    mode: 'answer' | 'silent';
    /** Zones the server is authoritative for (names outside get REFUSED). */
    zones: string[];
    records: LabRecord[];
    /** Names (any type) whose queries get no answer at all: a server that times out. */
    unanswered?: string[];
  };
  /** The product's source repository, generated on first use (stage 3). */
  repo?: LabRepo;
  /** The vendor accounts the product is connected to (stages 2 and 6); absent: none. */
  vendors?: LabVendors;
  web: {
    /** 'blackhole' accepts TCP on every port and never sends a byte. */
    mode: 'serve' | 'blackhole';
    sites: LabSite[];
  };
}
