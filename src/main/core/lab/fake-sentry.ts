/**
 * A stand-in for Sentry's API on loopback, so the Sentry integration can be tested offline.
 * `url` is the API root (…/api/0), as DEFAULT_VENDOR_ENDPOINTS.sentry is.
 *   GET /api/0/projects/                                   every project, Link-paginated
 *   GET /api/0/organizations/{org}/releases/?project={id}  newest first, per_page ≤ 100
 *   GET /api/0/projects/{org}/{project}/rules/             issue alert rules
 * Like the real API it wants `Authorization: Bearer <token>`: 401 `{ detail }` for none or an
 * unknown token, 403 for a token without one of the scopes the endpoint accepts (as Sentry's API
 * reference lists them), 404 `{ detail }` for an organization or project it does not know.
 * Pagination follows Sentry's Link header: `<…&cursor=0:100:0>; rel="next"; results="true";
 * cursor="0:100:0"`, with results="false" on the last page.
 * Modes: serve; hang (accepts, never answers); refuse (nothing listens); garbage (HTML, 200).
 */
import { sendGarbage, startFakeHttp } from './fake-http';

export interface FakeSentryRelease {
  version: string;
  dateCreated: string;
  dateReleased?: string | null;
  lastDeploy?: {
    environment: string;
    dateStarted?: string | null;
    dateFinished: string;
    name?: string | null;
  } | null;
}

export interface FakeSentryRule {
  id: string;
  name: string;
  /** As Sentry stores them, e.g. `{ id: 'sentry.mail.actions.NotifyEmailAction', … }`. */
  actions: Array<Record<string, unknown>>;
  conditions: Array<Record<string, unknown>>;
  environment?: string | null;
}

export interface FakeSentryProject {
  /** Numeric, as a string: the id in the project's DSN. */
  id: string;
  slug: string;
  name: string;
  /** The organization's slug. */
  org: string;
  platform?: string;
  /** In any order: the fake lists them newest (dateCreated) first, as Sentry does. */
  releases?: FakeSentryRelease[];
  rules?: FakeSentryRule[];
}

export interface FakeSentryData {
  /** Accepted bearer tokens and their scopes (`project:read`, `project:releases`, …). */
  tokens: Record<string, string[]>;
  projects: FakeSentryProject[];
  /** Projects per page of GET /projects/ (Sentry's default is 100); lower it to test paging. */
  pageSize?: number;
  mode?: 'serve' | 'hang' | 'refuse' | 'garbage';
}

export interface FakeSentryRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  /** The bearer token received, or null: tests check it went in the header. */
  token: string | null;
}

export interface FakeSentryServer {
  /** The API root to use as baseUrl, e.g. http://127.0.0.1:PORT/api/0. */
  url: string;
  /** Every request received, in order (at most 1,000). */
  requests: FakeSentryRequest[];
  close(): Promise<void>;
}

/** The scopes each endpoint accepts, from Sentry's API reference. */
const SCOPES = {
  projects: ['project:read', 'project:write', 'project:admin'],
  releases: ['project:releases'],
  rules: ['alerts:read', 'alerts:write', 'project:admin', 'project:read', 'project:write'],
};
const MAX_PER_PAGE = 100;

/** Sentry's cursors read `value:offset:is_prev`; the fake pages by offset alone. */
function offsetOf(cursor: string | null): number {
  const n = Number(cursor?.split(':')[1] ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

function linkHeader(
  base: string,
  query: URLSearchParams,
  offset: number,
  limit: number,
  total: number,
): string {
  const at = (o: number, prev: boolean): string => {
    const q = new URLSearchParams(query);
    const cursor = `0:${o}:${prev ? 1 : 0}`;
    q.set('cursor', cursor);
    return `<${base}?${q.toString()}>`;
  };
  const prev = Math.max(0, offset - limit);
  const next = offset + limit;
  return [
    `${at(prev, true)}; rel="previous"; results="${offset > 0}"; cursor="0:${prev}:1"`,
    `${at(next, false)}; rel="next"; results="${next < total}"; cursor="0:${next}:0"`,
  ].join(', ');
}

function presentProject(p: FakeSentryProject): Record<string, unknown> {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    platform: p.platform ?? 'javascript',
    dateCreated: '2024-05-01T10:00:00.000000Z',
    isBookmarked: false,
    isMember: true,
    hasAccess: true,
    features: [],
    status: 'active',
    organization: { id: '1', slug: p.org, name: p.org, status: { id: 'active', name: 'active' } },
  };
}

function presentRelease(
  r: FakeSentryRelease,
  p: FakeSentryProject,
  i: number,
): Record<string, unknown> {
  const deploy = r.lastDeploy ?? null;
  return {
    id: 1000 + i,
    version: r.version,
    shortVersion: r.version,
    ref: null,
    url: null,
    dateCreated: r.dateCreated,
    dateReleased: r.dateReleased ?? null,
    commitCount: 0,
    deployCount: deploy ? 1 : 0,
    newGroups: 0,
    firstEvent: null,
    lastEvent: null,
    lastCommit: null,
    lastDeploy: deploy
      ? {
          id: String(5000 + i),
          environment: deploy.environment,
          dateStarted: deploy.dateStarted ?? null,
          dateFinished: deploy.dateFinished,
          name: deploy.name ?? null,
          url: null,
        }
      : null,
    authors: [],
    owner: null,
    data: {},
    projects: [
      { id: Number(p.id), name: p.name, slug: p.slug, platform: p.platform ?? 'javascript' },
    ],
  };
}

function presentRule(r: FakeSentryRule, p: FakeSentryProject): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    conditions: r.conditions,
    filters: [],
    actions: r.actions,
    actionMatch: 'any',
    filterMatch: 'all',
    frequency: 30,
    environment: r.environment ?? null,
    dateCreated: '2024-05-01T10:00:00.000000Z',
    owner: null,
    createdBy: null,
    projects: [p.slug],
    status: 'active',
    snooze: false,
  };
}

export async function startFakeSentry(data: FakeSentryData): Promise<FakeSentryServer> {
  const mode = data.mode ?? 'serve';
  const requests: FakeSentryRequest[] = [];
  let origin = '';

  const fake = await startFakeHttp(mode, (req, res) => {
    req.resume();
    const path = req.url ?? '/';
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1] ?? null;
    if (requests.length < 1000) requests.push({ method: req.method ?? '', path, token });
    if (mode === 'hang') return; // Never answer; close() destroys the socket.
    const send = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (mode === 'garbage') {
      sendGarbage(res);
      return;
    }
    const [pathname = '/', queryString = ''] = path.split('?', 2);
    const query = new URLSearchParams(queryString);
    let segments: string[];
    try {
      segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      segments = [];
    }
    if (segments[0] !== 'api' || segments[1] !== '0' || req.method !== 'GET') {
      return send(404, { detail: 'The requested resource does not exist' });
    }
    const route = segments.slice(2);
    if (token === null) {
      return send(401, { detail: 'Authentication credentials were not provided.' });
    }
    const scopes = Object.hasOwn(data.tokens, token) ? data.tokens[token] : undefined;
    if (!scopes) return send(401, { detail: 'Invalid token' });
    const allowed = (need: string[]): boolean => need.some((s) => scopes.includes(s));
    const forbidden = (): void =>
      send(403, { detail: 'You do not have permission to perform this action.' });
    const missing = (): void => send(404, { detail: 'The requested resource does not exist' });

    if (route.length === 1 && route[0] === 'projects') {
      if (!allowed(SCOPES.projects)) return forbidden();
      const limit = Math.min(MAX_PER_PAGE, Math.max(1, data.pageSize ?? MAX_PER_PAGE));
      const offset = offsetOf(query.get('cursor'));
      const total = data.projects.length;
      return send(200, data.projects.slice(offset, offset + limit).map(presentProject), {
        link: linkHeader(`${origin}${pathname}`, query, offset, limit, total),
      });
    }
    if (route.length === 3 && route[0] === 'organizations' && route[2] === 'releases') {
      if (!allowed(SCOPES.releases)) return forbidden();
      const org = route[1];
      const inOrg = data.projects.filter((p) => p.org === org);
      if (inOrg.length === 0) return missing();
      const projectId = query.get('project');
      const chosen = projectId === null ? inOrg : inOrg.filter((p) => p.id === projectId);
      const all = chosen
        .flatMap((p) => (p.releases ?? []).map((r) => ({ r, p })))
        .sort((a, b) => b.r.dateCreated.localeCompare(a.r.dateCreated));
      const perPage = Number(query.get('per_page') ?? MAX_PER_PAGE);
      const limit =
        Number.isInteger(perPage) && perPage > 0 ? Math.min(perPage, MAX_PER_PAGE) : MAX_PER_PAGE;
      const offset = offsetOf(query.get('cursor'));
      return send(
        200,
        all.slice(offset, offset + limit).map(({ r, p }, i) => presentRelease(r, p, offset + i)),
        { link: linkHeader(`${origin}${pathname}`, query, offset, limit, all.length) },
      );
    }
    if (route.length === 4 && route[0] === 'projects' && route[3] === 'rules') {
      if (!allowed(SCOPES.rules)) return forbidden();
      const project = data.projects.find((p) => p.org === route[1] && p.slug === route[2]);
      if (!project) return missing();
      return send(
        200,
        (project.rules ?? []).map((r) => presentRule(r, project)),
      );
    }
    missing();
  });
  origin = fake.origin;
  const url = `${origin}/api/0`;
  return { url, requests, close: fake.close };
}
