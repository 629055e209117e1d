/**
 * Sentry's API (…/api/0) with a bearer auth token: which project the site reports to, whether
 * releases are recorded (and deployed), and which issue alert rules would tell someone.
 *   GET /projects/                                   projects the token sees, Link-paginated
 *   GET /organizations/{org}/releases/?project={id}  newest first; first page only
 *   GET /projects/{org}/{project}/rules/             issue alert rules
 * Scopes, as Sentry's API reference names them: project:read, project:releases, alerts:read.
 */
import type { VendorCallOptions } from './types';
import { VendorError } from './types';
import { expectShape, vendorJson } from './vendor-http';

export type { SentryDsn } from './sentry-dsn';
export { findSentryDsns } from './sentry-dsn';

const VENDOR = 'Sentry';
/** Projects pages followed at most (100 a page): enough for any startup's organization. */
export const MAX_SENTRY_PROJECT_PAGES = 5;
/** Releases read: the newest, one page. */
export const SENTRY_RELEASES_LIMIT = 25;
/** Alert rules kept; a project with more is judged on these. */
export const MAX_SENTRY_ALERT_RULES = 100;

export const SENTRY_SCOPES = {
  projects: 'project:read',
  releases: 'project:releases',
  alerts: 'alerts:read',
} as const;

export interface SentryInspectOptions extends VendorCallOptions {
  token: string;
  /** From the site's DSN: the surest way to name the project. */
  projectId?: string;
  orgSlug?: string;
  projectSlug?: string;
}

export interface SentryRelease {
  version: string;
  dateCreated: string | null;
  dateReleased: string | null;
  lastDeploy: { environment: string; dateFinished: string | null } | null;
}

export interface SentryAlertRule {
  name: string;
  /** What fires when the rule matches (e-mail, Slack, …); 0 tells no one. */
  actions: number;
  /** The environment the rule is limited to; null for all. */
  environment: string | null;
}

export interface SentryReport {
  project: { org: string; slug: string; id: string };
  /** Newest first, at most SENTRY_RELEASES_LIMIT. */
  releases: SentryRelease[];
  latestRelease: string | null;
  alertRules: SentryAlertRule[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** Sentry sends ids as strings; a number is tolerated. */
const idOf = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isInteger(v) ? String(v) : null;

interface ProjectRef {
  org: string;
  slug: string;
  id: string;
}

/** One GET; a 403 names the scope and where a token with it is made. */
async function sentryGet(
  opts: SentryInspectOptions,
  path: string,
  scope: string,
): Promise<{ json: unknown; headers: Record<string, string | string[] | undefined> }> {
  const call: VendorCallOptions = {
    baseUrl: opts.baseUrl,
    timeoutMs: opts.timeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.extraCa ? { extraCa: opts.extraCa } : {}),
  };
  try {
    return await vendorJson(call, {
      path,
      headers: { authorization: `Bearer ${opts.token}` },
      vendor: VENDOR,
      permission: scope,
    });
  } catch (err) {
    if (err instanceof VendorError && err.failure === 'forbidden') {
      // A personal token's scopes are fixed when it is made; an internal integration's are not.
      throw new VendorError(
        'forbidden',
        `Sentry accepted the token but it lacks the scope "${scope}" (or access to this project) (HTTP 403). Use a token with ${Object.values(SENTRY_SCOPES).join(', ')}: edit the internal integration's permissions (Settings → Custom Integrations), or replace a personal token with a new one.`,
        err.details,
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * The cursor of a `Link: <…>; rel="next"; results="true"; cursor="…"` entry, or null. Only the
 * cursor is taken: the next page is asked of the same API root, whatever host the link names.
 */
export function nextSentryCursor(link: string | string[] | undefined): string | null {
  const header = Array.isArray(link) ? link.join(', ') : (link ?? '');
  for (const entry of header.slice(0, 8192).split(/,\s*(?=<)/)) {
    const attrs = new Map<string, string>();
    for (const m of entry.matchAll(/;\s*([\w-]+)="([^"]*)"/g)) attrs.set(m[1]!, m[2]!);
    if (attrs.get('rel') !== 'next' || attrs.get('results') !== 'true') continue;
    let cursor = attrs.get('cursor') ?? null;
    if (cursor === null) {
      const url = /^<([^>]*)>/.exec(entry.trim())?.[1];
      try {
        cursor = url ? new URL(url).searchParams.get('cursor') : null;
      } catch {
        cursor = null;
      }
    }
    // Sentry's cursors are `value:offset:is_prev`; anything else is not followed.
    return cursor && /^[\w.:-]{1,200}$/.test(cursor) ? cursor : null;
  }
  return null;
}

function projectOf(item: unknown): ProjectRef | null {
  if (!isObj(item)) return null;
  const id = idOf(item.id);
  const slug = str(item.slug);
  const org = isObj(item.organization) ? str(item.organization.slug) : null;
  return id && slug && org ? { id, slug, org } : null;
}

function notFound(message: string): VendorError {
  return new VendorError('not-found', message, { vendor: VENDOR, status: 200 });
}

/** By DSN project id, else by the given slugs, else the token's only project. */
async function findProject(opts: SentryInspectOptions): Promise<ProjectRef> {
  const wantId = opts.projectId?.trim() || null;
  const wantSlug = opts.projectSlug?.trim() || null;
  const wantOrg = opts.orgSlug?.trim() || null;
  const inOrg = (p: ProjectRef): boolean => !wantOrg || p.org === wantOrg;
  const wanted = (p: ProjectRef): boolean =>
    inOrg(p) && (wantId ? p.id === wantId : wantSlug ? p.slug === wantSlug : false);
  const seen: ProjectRef[] = [];
  let path = 'projects/';
  let truncated = false;
  for (let page = 0; ; page++) {
    const { json, headers } = await sentryGet(opts, path, SENTRY_SCOPES.projects);
    expectShape(Array.isArray(json), VENDOR, 'a list of projects');
    for (const item of json as unknown[]) {
      const p = projectOf(item);
      if (!p) continue;
      if (wanted(p)) return p;
      if (inOrg(p)) seen.push(p);
    }
    const cursor = nextSentryCursor(headers.link);
    if (!cursor) break;
    if (page + 1 >= MAX_SENTRY_PROJECT_PAGES) {
      truncated = true;
      break;
    }
    path = `projects/?cursor=${encodeURIComponent(cursor)}`;
  }
  const among = truncated ? ` among the first ${seen.length} projects it sees` : '';
  if (wantId) {
    throw notFound(
      `Sentry shows this token no project with id ${wantId} (the one the site's DSN reports to)${among}. The token may belong to another organization, or its user may not be in the project's team.`,
    );
  }
  if (wantSlug) {
    throw notFound(
      `Sentry shows this token no project "${wantOrg ? `${wantOrg}/` : ''}${wantSlug}"${among}.`,
    );
  }
  const [only] = seen;
  if (seen.length === 1 && only && !truncated) return only;
  if (seen.length === 0) {
    throw notFound(
      `This Sentry token sees no projects${wantOrg ? ` in ${wantOrg}` : ''}: it may belong to another organization.`,
    );
  }
  const names = seen.slice(0, 5).map((p) => `${p.org}/${p.slug}`);
  throw notFound(
    `This Sentry token sees ${truncated ? 'more than ' : ''}${seen.length} projects (${names.join(', ')}${seen.length > 5 ? ', …' : ''}): say which one, by the site's DSN or its organization and project slugs.`,
  );
}

function releaseOf(item: unknown): SentryRelease | null {
  if (!isObj(item)) return null;
  const version = str(item.version);
  if (!version) return null;
  const deploy = isObj(item.lastDeploy) ? item.lastDeploy : null;
  const environment = deploy ? str(deploy.environment) : null;
  return {
    version,
    dateCreated: str(item.dateCreated),
    dateReleased: str(item.dateReleased),
    lastDeploy:
      deploy && environment !== null
        ? { environment, dateFinished: str(deploy.dateFinished) }
        : null,
  };
}

function ruleOf(item: unknown): SentryAlertRule | null {
  if (!isObj(item)) return null;
  return {
    name: str(item.name) ?? '(unnamed rule)',
    actions: Array.isArray(item.actions) ? item.actions.length : 0,
    environment: str(item.environment),
  };
}

export async function inspectSentry(opts: SentryInspectOptions): Promise<SentryReport> {
  const project = await findProject(opts);
  const org = encodeURIComponent(project.org);
  const releasesAnswer = await sentryGet(
    opts,
    `organizations/${org}/releases/?project=${encodeURIComponent(project.id)}&per_page=${SENTRY_RELEASES_LIMIT}`,
    SENTRY_SCOPES.releases,
  );
  expectShape(Array.isArray(releasesAnswer.json), VENDOR, 'a list of releases');
  const releases = (releasesAnswer.json as unknown[])
    .slice(0, SENTRY_RELEASES_LIMIT)
    .map(releaseOf)
    .filter((r): r is SentryRelease => r !== null);
  const rulesAnswer = await sentryGet(
    opts,
    `projects/${org}/${encodeURIComponent(project.slug)}/rules/`,
    SENTRY_SCOPES.alerts,
  );
  expectShape(Array.isArray(rulesAnswer.json), VENDOR, 'a list of alert rules');
  const alertRules = (rulesAnswer.json as unknown[])
    .slice(0, MAX_SENTRY_ALERT_RULES)
    .map(ruleOf)
    .filter((r): r is SentryAlertRule => r !== null);
  return {
    project,
    releases,
    // Sentry lists releases newest first.
    latestRelease: releases[0]?.version ?? null,
    alertRules,
  };
}
