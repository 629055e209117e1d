/** Where to open a connection for host:port, honouring connect rules, DNS and the lab's port map. */
import type { HostResolution } from './dns';
import { resolveHost } from './dns';
import { ProbeError } from './errors';
import type { NetworkContext } from './net-context';
import { findConnectRule, isLoopback } from './net-context';

export interface ConnectTarget {
  host: string;
  address: string;
  port: number;
  via: 'connect-to' | 'dns';
}

export type ResolveFn = (host: string, signal?: AbortSignal) => Promise<HostResolution>;

/**
 * Resolves host:port to one address to connect to. A connect rule bypasses DNS (as curl's
 * --connect-to does); otherwise the first address DNS gave, IPv4 first since that is what
 * most clients try first. `resolve` lets a run share one lookup per host across checks.
 */
export async function resolveTarget(
  host: string,
  port: number,
  net: NetworkContext,
  opts: { signal?: AbortSignal; resolve?: ResolveFn } = {},
): Promise<ConnectTarget> {
  const rule = findConnectRule(net, host, port);
  if (rule)
    return guard(net, { host, address: rule.toAddress, port: rule.toPort, via: 'connect-to' });
  const resolution = opts.resolve
    ? await opts.resolve(host, opts.signal)
    : await resolveHost(host, net, { signal: opts.signal });
  const first =
    resolution.addresses.find((a) => a.family === 4) ?? resolution.addresses[0] ?? undefined;
  if (!first) {
    throw new ProbeError('dns', `${host} has no address to connect to (${resolution.status})`);
  }
  return guard(net, {
    host,
    address: net.addressMap[first.address] ?? first.address,
    port: net.portMap[port] ?? port,
    via: 'dns',
  });
}

function guard(net: NetworkContext, target: ConnectTarget): ConnectTarget {
  if (net.loopbackOnly && !isLoopback(target.address)) {
    throw new ProbeError(
      'unreachable',
      `${target.host} → ${target.address}: the lab only connects to loopback addresses`,
    );
  }
  return target;
}
