/**
 * A stand-in for the npm registry's advisory and package endpoints and for OSV's API, on
 * loopback, so the dependency audit (and the real `npm audit`) can be tested offline:
 *   POST /-/npm/v1/security/advisories/bulk   { name: [versions] } → { name: [advisories] }
 *                                              (npm sends it gzip-compressed)
 *   GET  /<name>, /@scope%2fname               the package document (dist-tags, versions)
 *   POST /v1/querybatch                        { queries } → { results: [{ vulns: [{ id, modified }] }] }
 *   POST /v1/query                             { package, version } → { vulns: [full records] }
 * Modes: serve; hang (accepts, never answers); refuse (nothing listens); garbage (HTML, 200).
 */
import type http from 'node:http';
import { sendGarbage, startFakeHttp } from './fake-http';
import { gunzipSync } from 'node:zlib';
import semver from 'semver';
import type { OsvEvent } from '../repo/loose-version';
import { inEvents } from '../repo/loose-version';

export interface FakeNpmAdvisory {
  id: number;
  title: string;
  severity: 'critical' | 'high' | 'moderate' | 'low';
  vulnerable_versions: string;
  url?: string;
  cwe?: string[];
  cvss?: { score: number; vectorString: string | null };
}

export interface FakeNpmPackage {
  versions: string[];
  /** dist-tags.latest; defaults to the highest version. */
  latest?: string;
  advisories?: FakeNpmAdvisory[];
}

/** An OSV record as api.osv.dev returns it (the fields the audit reads, plus any others). */
export interface FakeOsvVuln {
  id: string;
  summary?: string;
  details?: string;
  modified?: string;
  aliases?: string[];
  severity?: Array<{ type: string; score: string }>;
  database_specific?: Record<string, unknown>;
  references?: Array<{ type: string; url: string }>;
  affected: Array<{
    package: { ecosystem: string; name: string };
    versions?: string[];
    ranges?: Array<{ type: string; events: OsvEvent[] }>;
  }>;
}

export interface FakeAdvisoryData {
  npm?: Record<string, FakeNpmPackage>;
  osv?: FakeOsvVuln[];
  mode?: 'serve' | 'hang' | 'refuse' | 'garbage';
}

export interface FakeRequest {
  method: string;
  /** Path and query as received (scoped names arrive as `/@scope%2fname`). */
  path: string;
  contentEncoding: string | null;
  accept: string | null;
  /** The JSON body, decompressed; null for none or unreadable. */
  body: unknown;
}

export interface FakeAdvisoryServer {
  url: string;
  /** Every request received, in order (at most 1,000). */
  requests: FakeRequest[];
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer, encoding: string | null): unknown {
  if (raw.length === 0) return null;
  try {
    const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const normalizeName = (ecosystem: string, name: string): string =>
  ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;

function osvAffects(v: FakeOsvVuln, ecosystem: string, name: string, version: string): boolean {
  return v.affected.some(
    (a) =>
      a.package.ecosystem === ecosystem &&
      normalizeName(ecosystem, a.package.name) === normalizeName(ecosystem, name) &&
      ((a.versions ?? []).includes(version) ||
        (a.ranges ?? []).some((r) => r.type !== 'GIT' && inEvents(r.events, version))),
  );
}

interface OsvQuery {
  package?: { name?: string; ecosystem?: string };
  version?: string;
}

function osvMatches(data: FakeAdvisoryData, q: OsvQuery): FakeOsvVuln[] {
  const { name, ecosystem } = q.package ?? {};
  if (!name || !ecosystem || !q.version) return [];
  return (data.osv ?? []).filter((v) => osvAffects(v, ecosystem, name, q.version as string));
}

function packument(name: string, pkg: FakeNpmPackage, base: string): unknown {
  const sorted = [...pkg.versions].sort(semver.compare);
  const short = name.split('/').pop() ?? name;
  const versions: Record<string, unknown> = {};
  for (const v of sorted) {
    versions[v] = {
      name,
      version: v,
      dist: { tarball: `${base}/${name}/-/${short}-${v}.tgz` },
    };
  }
  return {
    _id: name,
    name,
    'dist-tags': { latest: pkg.latest ?? sorted[sorted.length - 1] },
    versions,
    modified: '2025-01-01T00:00:00.000Z',
  };
}

function bulk(data: FakeAdvisoryData, body: unknown, base: string): unknown {
  const out: Record<string, unknown[]> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [name, versions] of Object.entries(body as Record<string, unknown>)) {
    const pkg = data.npm?.[name];
    if (!pkg?.advisories || !Array.isArray(versions)) continue;
    const hits = pkg.advisories.filter((a) =>
      versions.some((v) => typeof v === 'string' && semver.satisfies(v, a.vulnerable_versions)),
    );
    if (hits.length === 0) continue;
    out[name] = hits.map((a) => ({
      id: a.id,
      url: a.url ?? `${base}/advisories/${a.id}`,
      title: a.title,
      severity: a.severity,
      vulnerable_versions: a.vulnerable_versions,
      cwe: a.cwe ?? [],
      cvss: a.cvss ?? { score: 0, vectorString: null },
    }));
  }
  return out;
}

export async function startFakeAdvisoryServer(data: FakeAdvisoryData): Promise<FakeAdvisoryServer> {
  const mode = data.mode ?? 'serve';
  const requests: FakeRequest[] = [];
  let base = '';

  const fake = await startFakeHttp(mode, async (req, res) => {
    const raw = await readBody(req).catch(() => Buffer.alloc(0));
    const encoding = req.headers['content-encoding'] ?? null;
    const path = req.url ?? '/';
    const body = parseJson(raw, encoding);
    if (requests.length < 1000) {
      requests.push({
        method: req.method ?? '',
        path,
        contentEncoding: encoding,
        accept: req.headers.accept ?? null,
        body,
      });
    }
    if (mode === 'hang') return; // Never answer; close() destroys the socket.
    const send = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (mode === 'garbage') {
      sendGarbage(res);
      return;
    }
    const pathname = path.split('?')[0] ?? '/';
    if (req.method === 'POST' && pathname === '/-/npm/v1/security/advisories/bulk') {
      send(200, bulk(data, body, base));
    } else if (req.method === 'POST' && pathname === '/v1/querybatch') {
      const queries = (body as { queries?: OsvQuery[] } | null)?.queries;
      if (!Array.isArray(queries)) return send(400, { code: 3, message: 'queries required' });
      send(200, {
        results: queries.map((q) => {
          const vulns = osvMatches(data, q);
          // The real API answers {} for a query without vulnerabilities.
          return vulns.length === 0
            ? {}
            : { vulns: vulns.map((v) => ({ id: v.id, modified: v.modified ?? '' })) };
        }),
      });
    } else if (req.method === 'POST' && pathname === '/v1/query') {
      const vulns = osvMatches(data, (body ?? {}) as OsvQuery);
      send(200, vulns.length === 0 ? {} : { vulns });
    } else if (req.method === 'GET' && pathname.length > 1) {
      const name = decodeURIComponent(pathname.slice(1));
      const pkg = data.npm?.[name];
      if (pkg) send(200, packument(name, pkg, base));
      else send(404, { error: 'Not found' });
    } else {
      send(404, { error: 'Not found' });
    }
  });
  base = fake.origin;
  return { url: base, requests, close: fake.close };
}
