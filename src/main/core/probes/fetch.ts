/** One HTTP(S) exchange for a URL: resolves where to connect (rules, DNS, lab ports), then one hop. */
import type { ResolveFn } from './connect';
import { resolveTarget } from './connect';
import { ProbeError } from './errors';
import type { HttpProbeResult, HttpRequest } from './http';
import { httpRequest } from './http';
import type { NetworkContext } from './net-context';

export interface FetchOptions {
  signal?: AbortSignal;
  /** A per-run DNS cache (CheckContext.cache.resolve). */
  resolve?: ResolveFn;
  method?: HttpRequest['method'];
  headers?: Record<string, string>;
  body?: string;
  maxBodyBytes?: number;
}

export async function fetchUrl(
  url: string,
  net: NetworkContext,
  opts: FetchOptions = {},
): Promise<HttpProbeResult> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ProbeError('malformed', `"${url}" is not a URL`);
  }
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const target = await resolveTarget(u.hostname, port, net, {
    signal: opts.signal,
    resolve: opts.resolve,
  });
  return httpRequest(
    {
      url: u.href,
      address: target.address,
      port: target.port,
      method: opts.method,
      headers: opts.headers,
      body: opts.body,
    },
    net,
    { signal: opts.signal, maxBodyBytes: opts.maxBodyBytes },
  );
}
