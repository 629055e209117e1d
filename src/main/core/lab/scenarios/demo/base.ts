import type { LabScenario } from '../../scenario';

const D = 'promptly-ai.test';
const ok = [
  { path: '/', status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>Promptly</h1>' },
];

/**
 * A plausible AI-writing startup two weeks before its first enterprise demo: DNS is fine, but
 * the app's certificate expires in 5 days, docs serve someone else's certificate, and the API
 * still answers plain HTTP.
 */
export const demoBase: LabScenario = {
  name: 'demo',
  title: 'Promptly (demo)',
  description: 'An AI-writing startup with a realistic mix of passes and failures.',
  domain: D,
  product: {
    name: 'Promptly (demo)',
    hosts: ['', 'www.', 'app.', 'api.', 'status.', 'docs.'].map((p) => ({
      name: `${p}${D}`,
      confirmed: true,
    })),
    routes: [
      { key: 'home', host: D, path: '/' },
      { key: 'login', host: `app.${D}`, path: '/login' },
      { key: 'dashboard', host: `app.${D}`, path: '/dashboard' },
      { key: 'health', host: `api.${D}`, path: '/health' },
    ],
  },
  dns: {
    mode: 'answer',
    zones: [D, 'statuspage-vendor.test', 'docs-host.test'],
    records: [
      { name: D, type: 'A', data: '127.0.0.1' },
      { name: D, type: 'NS', data: `ns1.${D}` },
      { name: `ns1.${D}`, type: 'A', data: '127.0.0.1' },
      { name: `www.${D}`, type: 'CNAME', data: D },
      { name: `app.${D}`, type: 'A', data: '127.0.0.1' },
      { name: `api.${D}`, type: 'A', data: '127.0.0.1' },
      { name: `status.${D}`, type: 'CNAME', data: 'promptly.statuspage-vendor.test' },
      { name: 'promptly.statuspage-vendor.test', type: 'A', data: '127.0.0.1' },
      { name: `docs.${D}`, type: 'CNAME', data: 'promptly.docs-host.test' },
      { name: 'promptly.docs-host.test', type: 'A', data: '127.0.0.1' },
    ],
  },
  web: {
    mode: 'serve',
    sites: [
      {
        host: D,
        https: { certificate: { kind: 'valid', daysLeft: 80 } },
        http: 'redirect-https',
        routes: ok,
      },
      {
        host: `www.${D}`,
        https: { certificate: { kind: 'valid', daysLeft: 80 } },
        http: 'redirect-https',
        routes: ok,
      },
      {
        host: `app.${D}`,
        https: { certificate: { kind: 'valid', daysLeft: 5 } },
        http: 'redirect-https',
        routes: [
          { path: '/login', status: 200, body: 'Sign in' },
          { path: '/dashboard', status: 302, headers: { location: '/login' } },
        ],
      },
      {
        host: `api.${D}`,
        https: { certificate: { kind: 'valid', daysLeft: 80 } },
        http: 'serve',
        routes: [
          {
            path: '/health',
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"ok":true}',
          },
          ...ok,
        ],
      },
      {
        host: `status.${D}`,
        https: { certificate: { kind: 'valid', daysLeft: 60 } },
        http: 'redirect-https',
        routes: ok,
      },
      {
        host: `docs.${D}`,
        https: { certificate: { kind: 'wrong-host', names: ['*.docs-host.test'] } },
        http: 'redirect-https',
        routes: ok,
      },
    ],
  },
};
