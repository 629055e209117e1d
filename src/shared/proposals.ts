/**
 * The hosts and key pages we propose for a domain, for the founder to confirm. No schema
 * library here: the renderer imports this, and its CSP refuses the eval zod probes for.
 */
import type { Host, Route } from './workspace';

/** The usual hosts of a startup, proposed for the founder to confirm. */
export const USUAL_SUBDOMAINS = ['www', 'app', 'api', 'status', 'docs'] as const;

/** Apex and www confirmed, the rest to confirm. */
export function proposeHosts(domain: string): Host[] {
  return [
    { name: domain, confirmed: true },
    ...USUAL_SUBDOMAINS.map((s) => ({ name: `${s}.${domain}`, confirmed: s === 'www' })),
  ];
}

export function proposeRoutes(domain: string): Route[] {
  const app = `app.${domain}`;
  return [
    { key: 'home', host: domain, path: '/' },
    { key: 'login', host: app, path: '/login' },
    { key: 'dashboard', host: app, path: '/dashboard' },
    { key: 'health', host: `api.${domain}`, path: '/health' },
  ];
}
