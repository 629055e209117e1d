/**
 * Sentry DSNs in text (typically a site's JavaScript bundle): `https://<public key>@<host>/<project
 * id>`, where the host is `o<org id>.ingest[.<region>].sentry.io` today, `sentry.io` in older
 * projects, or a self-hosted server (whose path may carry a prefix). The public key is public by
 * design; a legacy `key:secret@` pair is found, but the secret never leaves this module.
 */

export interface SentryDsn {
  /** The DSN as an SDK is configured with it, without any legacy secret key. */
  dsn: string;
  /** 32 hex characters, lower case. */
  publicKey: string;
  /** Lower case, with the port when one is given. */
  host: string;
  projectId: string;
  /** From an `o<id>.ingest…sentry.io` host; null for older and self-hosted DSNs. */
  orgId: string | null;
  /** `us`, `de`, … from `o<id>.ingest.<region>.sentry.io`; null when the host names none. */
  region: string | null;
}

/** A bundle bigger than this is read only this far: DSNs sit near the SDK's init call. */
export const MAX_DSN_SCAN_CHARS = 16 * 1024 * 1024;
/** A page embeds one or two DSNs; past this the rest are noise. */
export const MAX_DSNS = 20;

/**
 * Scheme, public key (exactly 32 hex: what keeps random `user@host/123` URLs out), optional
 * legacy secret, host, optional path prefix and the numeric project id. Slashes may be escaped
 * (`https:\/\/…` in JSON strings). Every repetition is bounded, so a failed attempt costs at
 * most a few hundred steps and the scan stays linear in the text.
 */
const DSN_RE =
  /(https?):\\?\/\\?\/([0-9a-fA-F]{32})(?::[0-9a-fA-F]{32})?@([a-zA-Z0-9.-]{1,253}(?::\d{1,5})?)((?:\\?\/[\w.-]{1,64}){0,3}?)\\?\/(\d{1,19})(?![\w-]|\\?\/)/g;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SAAS_HOST = /^o(\d{1,19})\.ingest\.(?:([a-z]{2,12})\.)?sentry\.io$/;

function validHost(hostname: string): boolean {
  const labels = hostname.split('.');
  return labels.length <= 127 && labels.every((l) => LABEL.test(l));
}

export function findSentryDsns(text: string): SentryDsn[] {
  // Cheap refusal: no `@`, no DSN; a bundle without one is the common case.
  if (!text.includes('@')) return [];
  const scanned = text.length > MAX_DSN_SCAN_CHARS ? text.slice(0, MAX_DSN_SCAN_CHARS) : text;
  const out: SentryDsn[] = [];
  const seen = new Set<string>();
  DSN_RE.lastIndex = 0;
  for (let m = DSN_RE.exec(scanned); m; m = DSN_RE.exec(scanned)) {
    const [, scheme = 'https', key = '', rawHost = '', rawPrefix = '', projectId = ''] = m;
    const host = rawHost.toLowerCase();
    const hostname = host.replace(/:\d+$/, '');
    if (!validHost(hostname)) continue;
    const prefix = rawPrefix.replace(/\\\//g, '/');
    const publicKey = key.toLowerCase();
    const dsn = `${scheme}://${publicKey}@${host}${prefix}/${projectId}`;
    if (seen.has(dsn)) continue;
    seen.add(dsn);
    const saas = SAAS_HOST.exec(hostname);
    out.push({
      dsn,
      publicKey,
      host,
      projectId,
      orgId: saas?.[1] ?? null,
      region: saas?.[2] ?? null,
    });
    if (out.length >= MAX_DSNS) break;
  }
  return out;
}
