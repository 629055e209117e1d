/**
 * Cloudflare API v4 plumbing: every answer is an envelope `{ success, errors: [{ code, message }],
 * messages, result, result_info? }`, the token goes in `Authorization: Bearer`, and each
 * endpoint needs one permission of the token (named in Cloudflare's words so a 403 tells the
 * founder which box to tick). Each part of a report is fetched on its own and kept as a
 * CloudflarePart, so one missing permission does not hide the rest.
 */
import type { VendorCallOptions, VendorFailure } from './types';
import { VendorError } from './types';
import { vendorJson } from './vendor-http';

export const VENDOR = 'Cloudflare';

/** The token permissions this integration reads with, as Cloudflare's token editor names them. */
export const CLOUDFLARE_PERMISSIONS = {
  zone: 'Zone: Read',
  zoneSettings: 'Zone Settings: Read',
  dns: 'DNS: Read',
  botManagement: 'Bot Management: Read',
  cacheRules: 'Cache Rules: Read',
  analytics: 'Analytics: Read',
} as const;
export type CloudflarePermission =
  (typeof CLOUDFLARE_PERMISSIONS)[keyof typeof CLOUDFLARE_PERMISSIONS];

/** One part of the report: its value, or why it could not be read. */
export type CloudflarePart<T> =
  | { ok: true; value: T }
  | { ok: false; failure: VendorFailure; message: string; permission?: string };

export interface CloudflareContext {
  opts: VendorCallOptions;
  token: string;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Vendor text (error messages) echoed into ours: never with the token in it, never long. */
export function redact(text: string, token: string): string {
  const clean = token.length >= 4 ? text.split(token).join('[token]') : text;
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

function envelopeErrors(env: Obj, token: string): string {
  const errors = Array.isArray(env.errors) ? env.errors.filter(isObj) : [];
  const parts = errors
    .slice(0, 3)
    .map((e) => {
      const code = typeof e.code === 'number' ? ` (code ${e.code})` : '';
      return typeof e.message === 'string' ? `${redact(e.message, token)}${code}` : '';
    })
    .filter((s) => s !== '');
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}

export interface Enveloped {
  result: unknown;
  resultInfo: Obj | null;
}

/** Unwraps a documented envelope; anything else is 'malformed', naming what was missing. */
export function unwrap(json: unknown, what: string, token: string): Enveloped {
  if (!isObj(json)) {
    throw new VendorError('malformed', `${VENDOR} answered ${what} without a JSON object.`, {
      vendor: VENDOR,
    });
  }
  if (json.success !== true) {
    throw new VendorError(
      'malformed',
      `${VENDOR} answered ${what} with success: false${envelopeErrors(json, token)}.`,
      { vendor: VENDOR },
    );
  }
  if (json.result === undefined || json.result === null) {
    throw new VendorError(
      'malformed',
      `${VENDOR} answered ${what} without a result: not the documented shape.`,
      { vendor: VENDOR },
    );
  }
  return { result: json.result, resultInfo: isObj(json.result_info) ? json.result_info : null };
}

export async function cfGet(
  ctx: CloudflareContext,
  path: string,
  what: string,
  permission?: CloudflarePermission,
): Promise<Enveloped> {
  const { json } = await vendorJson<unknown>(ctx.opts, {
    path,
    headers: { authorization: `Bearer ${ctx.token}` },
    vendor: VENDOR,
    ...(permission ? { permission } : {}),
  });
  return unwrap(json, what, ctx.token);
}

export async function cfPost(
  ctx: CloudflareContext,
  path: string,
  body: unknown,
  permission?: CloudflarePermission,
): Promise<unknown> {
  const { json } = await vendorJson<unknown>(ctx.opts, {
    path,
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${ctx.token}` },
    vendor: VENDOR,
    ...(permission ? { permission } : {}),
  });
  return json;
}

export function malformed(what: string): VendorError {
  return new VendorError('malformed', `${VENDOR} answered ${what}: not the documented shape.`, {
    vendor: VENDOR,
  });
}

/**
 * Runs one part: a VendorError becomes a failed part (the others carry on); anything else, such
 * as the caller's abort, still rejects the whole inspection.
 */
export async function part<T>(token: string, fn: () => Promise<T>): Promise<CloudflarePart<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (!(err instanceof VendorError)) throw err;
    return {
      ok: false,
      failure: err.failure,
      message: redact(err.message, token),
      ...(err.details.permission ? { permission: err.details.permission } : {}),
    };
  }
}
