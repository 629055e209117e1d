/** Stage 1 — files that must never be downloadable: dotenv files, git metadata, backups. */
import type { Host } from '../../../shared/workspace';
import type { Check, CheckContext } from '../engine/check';
import type { ConnectTarget } from '../probes/connect';
import { ProbeError } from '../probes/errors';
import { fetchUrl } from '../probes/fetch';
import type { HttpProbeResult } from '../probes/http';
import { looksLikeHtml } from '../probes/html';
import type { RedactedKey } from '../probes/secrets/redact';
import { scanForKeys } from '../probes/secrets/redact';
import { header } from './audit-support';
import { mapLimit } from '../probes/map-limit';
import type { HostVerdict } from './hosts';
import { foldHosts, perReachableHost } from './hosts';

type FileKind = 'dotenv' | 'git-head' | 'git-config' | 'zip' | 'sql' | 'php-config';

/**
 * The short, bounded list: what scanners on the internet request first. Each path is only a
 * finding when its content has the file's own shape, so a site that answers every address
 * with its app shell (a "soft 404") is not accused of leaking anything.
 */
export const EXPOSURE_PATHS: readonly { path: string; kind: FileKind; what: string }[] = [
  { path: '/.env', kind: 'dotenv', what: 'environment file with the app’s settings and keys' },
  { path: '/.env.production', kind: 'dotenv', what: 'production environment file' },
  { path: '/.env.bak', kind: 'dotenv', what: 'backup of the environment file' },
  { path: '/.git/HEAD', kind: 'git-head', what: 'git repository metadata' },
  { path: '/.git/config', kind: 'git-config', what: 'git repository configuration' },
  { path: '/backup.zip', kind: 'zip', what: 'backup archive' },
  { path: '/db.sql', kind: 'sql', what: 'database dump' },
  { path: '/dump.sql', kind: 'sql', what: 'database dump' },
  { path: '/wp-config.php.bak', kind: 'php-config', what: 'backup of the WordPress configuration' },
];

/** Enough to recognise any of these files; the rest is never read. */
const FILE_BYTES = 32 * 1024;
/** Requests in flight per host, so a check stays polite to a small server. */
const PER_HOST = 3;

const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|DATABASE_URL|DSN/i;
const DOTENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/;

/** Variable names of a dotenv file (names only: values are never kept). */
export function dotenvNames(body: string): string[] | null {
  const lines = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) return null;
  const names = lines.map((l) => DOTENV_LINE.exec(l)?.[1]).filter((n): n is string => !!n);
  // Most meaningful lines must be KEY=VALUE; multi-line values (PEM keys) may break a few.
  return names.length > 0 && names.length >= lines.length / 2 ? names : null;
}

/** Whether a 200 answer really is the file it claims to be (not an HTML shell or error page). */
function matchesKind(kind: FileKind, r: HttpProbeResult): boolean {
  const type = header(r.headers, 'content-type');
  const body = r.body;
  if (looksLikeHtml(type, body) && kind !== 'php-config') return false;
  switch (kind) {
    case 'dotenv':
      return dotenvNames(body) !== null;
    case 'git-head':
      return /^(?:ref: refs\/[^\s]+|[0-9a-f]{40})\s*$/.test(body.trim());
    case 'git-config':
      return /^\s*\[core\]/m.test(body);
    case 'zip':
      return body.startsWith('PK\u0003\u0004');
    case 'sql':
      return /\b(?:CREATE TABLE|INSERT INTO|DROP TABLE)\b|^-- (?:MySQL|MariaDB|PostgreSQL) (?:dump|database dump)/im.test(
        body,
      );
    case 'php-config':
      return /DB_PASSWORD|DB_USER|define\(\s*['"]AUTH_KEY/.test(body);
  }
}

interface Exposure {
  path: string;
  what: string;
  url: string;
  httpStatus: number;
  bytes: number;
  truncated: boolean;
  variables?: string[];
  secretVariables?: string[];
  keys?: RedactedKey[];
}

/** How a file's content turns into evidence: names and redacted keys, never values. */
function describe(
  entry: (typeof EXPOSURE_PATHS)[number],
  url: string,
  r: HttpProbeResult,
): Exposure {
  const out: Exposure = {
    path: entry.path,
    what: entry.what,
    url,
    httpStatus: r.status,
    bytes: r.bodyBytes,
    truncated: r.bodyTruncated,
  };
  if (entry.kind === 'dotenv') {
    const names = dotenvNames(r.body) ?? [];
    out.variables = names.slice(0, 40);
    // Values are never kept, but the names tell the founder what to rotate.
    out.secretVariables = names.filter((n) => SECRET_NAME.test(n)).slice(0, 40);
  }
  if (entry.kind !== 'zip') {
    const keys = scanForKeys(r.body, entry.path, 20);
    if (keys.length > 0) out.keys = keys;
  }
  return out;
}

async function probeHost(
  host: Host,
  target: ConnectTarget,
  ctx: CheckContext,
): Promise<HostVerdict> {
  let scheme: 'https' | 'http' = 'https';
  const get = (path: string) =>
    fetchUrl(`${scheme}://${host.name}${path}`, ctx.net, {
      signal: ctx.signal,
      resolve: ctx.cache.resolve,
      maxBodyBytes: FILE_BYTES,
    });
  const [firstEntry, ...rest] = EXPOSURE_PATHS;
  if (!firstEntry) throw new Error('no exposure paths');
  // The first request alone: a host that cannot be reached errors once, not nine times.
  let first: HttpProbeResult;
  try {
    first = await get(firstEntry.path);
  } catch (err) {
    // A host without HTTPS may still serve the same files over plain HTTP.
    if (!(err instanceof ProbeError && err.kind === 'refused')) throw err;
    scheme = 'http';
    first = await get(firstEntry.path);
  }
  const answers = new Map<string, HttpProbeResult | ProbeError>([[firstEntry.path, first]]);
  await mapLimit(rest, PER_HOST, async (entry) => {
    try {
      answers.set(entry.path, await get(entry.path));
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      answers.set(entry.path, err);
    }
  });

  const exposed: Exposure[] = [];
  const softNotFound: { path: string; httpStatus: number }[] = [];
  const failed: { path: string; error: string; message: string }[] = [];
  for (const entry of EXPOSURE_PATHS) {
    const r = answers.get(entry.path);
    if (r === undefined) continue;
    if (r instanceof ProbeError) {
      failed.push({ path: entry.path, error: r.kind, message: r.message });
      continue;
    }
    if (r.status !== 200 && r.status !== 206) continue;
    const url = `${scheme}://${host.name}${entry.path}`;
    if (matchesKind(entry.kind, r)) exposed.push(describe(entry, url, r));
    else softNotFound.push({ path: entry.path, httpStatus: r.status });
  }
  const evidence = {
    host: host.name,
    address: `${target.address}:${target.port}`,
    scheme,
    checked: EXPOSURE_PATHS.map((e) => e.path),
    exposed,
    // 200 answers whose content is not the file (an app shell): listed, not failed.
    softNotFound,
    ...(failed.length > 0 ? { failed } : {}),
  };
  if (exposed.length > 0) {
    const secrets = exposed.flatMap((e) => e.keys ?? []).filter((k) => k.keyClass === 'secret');
    const names = exposed.map((e) => e.path).join(', ');
    const keyNote =
      secrets.length > 0
        ? ` — with ${secrets.length} secret${secrets.length === 1 ? '' : 's'} in it (${[...new Set(secrets.map((k) => k.label))].join(', ')})`
        : '';
    return {
      host: host.name,
      status: 'fail',
      note: `lets anyone download ${names}${keyNote}`,
      evidence,
    };
  }
  // Some addresses went unanswered and none leaked: undecided, never a pass.
  if (failed.length > 0)
    return {
      host: host.name,
      status: 'error',
      note: `could not be checked completely (${failed[0]?.message ?? 'a request failed'})`,
      evidence,
    };
  return { host: host.name, status: 'pass', note: 'publishes none of them', evidence };
}

export const sensitiveFiles: Check = {
  id: 'audit.exposure.sensitive-files',
  stage: 1,
  title: 'No secret files can be downloaded from your sites',
  why: 'Files like .env hold your database password and API keys; a copied .git folder or a backup holds your whole code and data. Bots request these addresses on every site within hours of launch — one leak can mean a drained OpenAI or Stripe account and customer data in the wild.',
  fix: [
    'Delete the listed files from the server (or from the folder your host publishes, such as public/ or dist/) and redeploy.',
    'Treat every key in an exposed file as stolen: rotate it now in each provider’s dashboard (OpenAI, Stripe, your database…), then update your hosting platform’s environment variables.',
    'Block these paths for good: most hosts let you deny dotfiles (e.g. nginx "location ~ /\\. { deny all; }"); keep .env and backups out of the build output.',
    'Re-check here until the check passes.',
  ],
  impact: 'critical',
  kind: 'probe',
  async run(ctx) {
    const verdicts = await perReachableHost(ctx, 443, (host, target) =>
      probeHost(host, target, ctx),
    );
    return foldHosts(
      verdicts,
      (n) =>
        `None of ${n} host${n === 1 ? '' : 's'} publishes .env, git or backup files (${EXPOSURE_PATHS.length} addresses each).`,
    );
  },
};
