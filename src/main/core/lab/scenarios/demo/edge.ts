import type { LabRoute } from '../../scenario';
import type { ScenarioFragment } from '../compose';
import { demoAudit } from './audit';
import { demoBase } from './base';

const D = 'promptly-ai.test';
const API = `api.${D}`;
const YEAR = 'max-age=31536000';

/**
 * The apex's home page as visitors get it (the audit fragment owns it, with its script tags),
 * else the base page: www serves exactly this, as a second virtual host of the same app would.
 */
const apexHome: LabRoute | undefined =
  demoAudit.sites?.[D]?.routes?.find((r) => r.path === '/' && r.method === undefined) ??
  demoBase.web.sites.find((s) => s.host === D)?.routes.find((r) => r.path === '/');

/** What Cloudflare's proxy adds to every response it forwards. */
const CLOUDFLARE = { server: 'cloudflare', 'cf-ray': '8e4b1c2f9a7d3e10-AMS' };

/**
 * The demo scenario's edge fixtures:
 * - www serves the apex's page instead of redirecting (duplicate content, no canonical host);
 * - the old status host forwards to the apex with a temporary 302 to http://, then the apex
 *   upgrades to https: a two-hop chain through plain HTTP;
 * - every host sends HSTS except app;
 * - only the API is behind Cloudflare's proxy, with a "cache everything" rule that also caches
 *   its admin API (public, max-age=600, served as a cache HIT);
 * - no CAA record; the home page's bundle has no Cache-Control.
 * The app's certificate 12 days from expiry (a warning) is set in base.ts.
 */
export const demoEdge: ScenarioFragment = {
  routes: [{ key: 'admin', host: API, path: '/api/admin/users' }],
  sites: {
    [D]: { headers: { 'strict-transport-security': YEAR } },
    [`www.${D}`]: {
      headers: { 'strict-transport-security': YEAR },
      routes: apexHome ? [apexHome] : [],
    },
    [API]: {
      headers: { 'strict-transport-security': YEAR, ...CLOUDFLARE, 'cf-cache-status': 'DYNAMIC' },
      routes: [
        {
          path: '/api/admin/users',
          status: 401,
          headers: {
            'content-type': 'application/json',
            'cache-control': 'public, max-age=600',
            'cf-cache-status': 'HIT',
            age: '312',
          },
          body: '{"error":"unauthorized"}',
        },
      ],
    },
    [`status.${D}`]: {
      headers: { 'strict-transport-security': YEAR },
      redirect: { to: `http://${D}`, status: 302, schemes: ['https'] },
    },
  },
};
