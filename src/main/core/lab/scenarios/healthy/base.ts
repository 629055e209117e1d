import type { LabScenario } from '../../scenario';

const D = 'steady-ai.test';
const page = [
  { path: '/', status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>Steady</h1>' },
];
const names = ['', 'www.', 'app.', 'api.', 'status.', 'docs.'].map((p) => `${p}${D}`);

/** Every automated check passes: the reference a fix is measured against. */
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
      { name: D, type: 'A', data: '127.0.0.1' },
      { name: D, type: 'NS', data: `ns1.${D}` },
      { name: `ns1.${D}`, type: 'A', data: '127.0.0.1' },
      { name: `www.${D}`, type: 'CNAME', data: D },
      ...names.slice(2).map((name) => ({ name, type: 'A' as const, data: '127.0.0.1' })),
    ],
  },
  web: {
    mode: 'serve',
    sites: names.map((host) => ({
      host,
      https: { certificate: { kind: 'valid' as const, daysLeft: 300 } },
      http: 'redirect-https' as const,
      routes: [
        ...page,
        { path: '/login', status: 200, body: 'Sign in' },
        { path: '/health', status: 200, body: 'ok' },
      ],
    })),
  },
};
