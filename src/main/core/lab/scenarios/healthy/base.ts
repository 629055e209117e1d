import type { LabRoute, LabScenario } from '../../scenario';

const D = 'steady-ai.test';
const names = ['', 'www.', 'app.', 'api.', 'status.', 'docs.'].map((p) => `${p}${D}`);

const html = (body: string): Pick<LabRoute, 'headers' | 'body'> => ({
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

/** What each host serves of its own: one site, one app, one API, a status page and docs. */
const ROUTES: Record<string, LabRoute[]> = {
  [D]: [{ path: '/', status: 200, ...html('<h1>Steady</h1>') }],
  // www redirects as a whole (see its site below).
  [`www.${D}`]: [],
  [`app.${D}`]: [
    { path: '/', status: 302, headers: { location: '/login' } },
    { path: '/login', status: 200, body: 'Sign in' },
  ],
  [`api.${D}`]: [
    {
      path: '/',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Steady API","docs":"https://docs.steady-ai.test"}',
    },
    { path: '/health', status: 200, body: 'ok' },
  ],
  [`status.${D}`]: [
    {
      path: '/',
      status: 200,
      ...html('<title>Steady status</title><p>All systems operational</p>'),
    },
  ],
  [`docs.${D}`]: [
    { path: '/', status: 200, ...html('<title>Steady docs</title><h1>Getting started</h1>') },
  ],
};

/**
 * Every automated check passes: the reference a fix is measured against. DNS is on Cloudflare
 * with every web host proxied (Cloudflare's published addresses; the lab maps them onto its
 * loopback servers), CAA names the one issuer, and www redirects to the apex in one hop.
 */
export const healthyBase: LabScenario = {
  name: 'healthy',
  title: 'Steady (healthy)',
  description: 'A startup whose every automated check passes.',
  domain: D,
  product: {
    name: 'Steady (healthy)',
    hosts: names.map((name) => ({ name, confirmed: true })),
    routes: [
      { key: 'home', host: D, path: '/' },
      { key: 'login', host: `app.${D}`, path: '/login' },
      { key: 'health', host: `api.${D}`, path: '/health' },
    ],
  },
  dns: {
    mode: 'answer',
    zones: [D],
    records: [
      { name: D, type: 'NS', data: 'ada.ns.cloudflare.com' },
      { name: D, type: 'NS', data: 'bob.ns.cloudflare.com' },
      { name: D, type: 'A', data: '104.21.48.17' },
      { name: D, type: 'A', data: '172.67.161.40' },
      { name: D, type: 'AAAA', data: '2606:4700:3031::6815:3011' },
      { name: D, type: 'CAA', data: '0 issue "letsencrypt.org"' },
      { name: D, type: 'CAA', data: '0 iodef "mailto:security@steady-ai.test"' },
      { name: `www.${D}`, type: 'CNAME', data: D },
      ...names.slice(2).map((name) => ({ name, type: 'A' as const, data: '104.21.48.17' })),
    ],
  },
  web: {
    mode: 'serve',
    sites: names.map((host) => ({
      host,
      https: { certificate: { kind: 'valid' as const, daysLeft: 300 } },
      http: 'redirect-https' as const,
      ...(host === `www.${D}` ? { redirect: { to: `https://${D}` } } : {}),
      routes: ROUTES[host] ?? [],
    })),
  },
};
