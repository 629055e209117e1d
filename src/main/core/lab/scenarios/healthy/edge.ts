import type { LabRoute } from '../../scenario';
import type { ScenarioFragment } from '../compose';
import { healthyAudit } from './audit';

const D = 'steady-ai.test';
const NAMES = ['', 'www.', 'app.', 'api.', 'status.', 'docs.'].map((p) => `${p}${D}`);

/** HSTS for two years, ready for the preload list, plus what Cloudflare's proxy adds. */
const EDGE_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  server: 'cloudflare',
  'cf-ray': '8e4b1c2f9a7d3e11-FRA',
  'cf-cache-status': 'DYNAMIC',
};

const IMMUTABLE = {
  'cache-control': 'public, max-age=31536000, immutable',
  'cf-cache-status': 'HIT',
  age: '5120',
};

/**
 * The built files of every site, as the audit fragment defines them, served the way a bundler's
 * fingerprinted files should be: cacheable for a year. The routes are re-declared (the
 * fragments replace a route as a whole), so their bodies stay the audit fragment's.
 */
const assets: Record<string, LabRoute[]> = Object.fromEntries(
  Object.entries(healthyAudit.sites ?? {}).map(([host, site]) => [
    host,
    (site.routes ?? [])
      .filter((r) => r.path.startsWith('/assets/'))
      .map((r) => ({ ...r, headers: { ...r.headers, ...IMMUTABLE } })),
  ]),
);

/**
 * The healthy scenario's edge fixtures: Cloudflare in front of every host with HSTS, signed-in
 * pages marked private, static files cacheable for a year. DNS (Cloudflare nameservers and
 * addresses, CAA) and the www → apex redirect are in base.ts.
 */
export const healthyEdge: ScenarioFragment = {
  sites: Object.fromEntries(
    NAMES.map((host) => [
      host,
      {
        headers: {
          ...EDGE_HEADERS,
          // The app is all signed-in pages: nothing there may be stored by a shared cache.
          ...(host === `app.${D}` ? { 'cache-control': 'private, no-store' } : {}),
        },
        routes: assets[host] ?? [],
      },
    ]),
  ),
};
