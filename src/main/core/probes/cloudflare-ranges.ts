/**
 * Cloudflare's published edge addresses: an address inside these ranges is Cloudflare's proxy
 * (the "orange cloud"), not the origin server behind it.
 *
 * Source: https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6 (listed on
 * https://www.cloudflare.com/ips/), as published on 2026-11-28. Cloudflare changes them rarely
 * and announces it; update both lists together.
 */
import { BlockList, isIP } from 'node:net';

export const CLOUDFLARE_IPV4 = [
  '173.245.48.0/20',
  '103.21.244.0/22',
  '103.22.200.0/22',
  '103.31.4.0/22',
  '141.101.64.0/18',
  '108.162.192.0/18',
  '190.93.240.0/20',
  '188.114.96.0/20',
  '197.234.240.0/22',
  '198.41.128.0/17',
  '162.158.0.0/15',
  '104.16.0.0/13',
  '104.24.0.0/14',
  '172.64.0.0/13',
  '131.0.72.0/22',
] as const;

export const CLOUDFLARE_IPV6 = [
  '2400:cb00::/32',
  '2606:4700::/32',
  '2803:f800::/32',
  '2405:b500::/32',
  '2405:8100::/32',
  '2a06:98c0::/29',
  '2c0f:f248::/32',
] as const;

const RANGES = new BlockList();
for (const [list, type] of [
  [CLOUDFLARE_IPV4, 'ipv4'],
  [CLOUDFLARE_IPV6, 'ipv6'],
] as const) {
  for (const cidr of list) {
    const [net = '', prefix = ''] = cidr.split('/');
    RANGES.addSubnet(net, Number(prefix), type);
  }
}

export function isCloudflareAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return RANGES.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Cloudflare assigns every zone two nameservers named like `ada.ns.cloudflare.com`. */
export function isCloudflareNameserver(name: string): boolean {
  return /(?:^|\.)ns\.cloudflare\.com\.?$/i.test(name.trim());
}
