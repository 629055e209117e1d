import type { LabScenario } from '../../scenario';

const D = 'promptly-ai.test';
const ok = [
  { path: '/', status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>Promptly</h1>' },
];

/** Sign in with a password or with Google; the Google link shows the OAuth callback address. */
const loginPage = [
  '<!doctype html><html><head><title>Sign in — Promptly</title></head><body>',
  '<h1>Sign in</h1><form method="post" action="/login"><input name="email" type="email">',
  '<input name="password" type="password"><button>Sign in</button></form>',
  '<a href="https://accounts.google.test/o/oauth2/v2/auth?client_id=promptly-web.apps.googleusercontent.test',
  `&amp;response_type=code&amp;scope=openid%20email&amp;redirect_uri=https%3A%2F%2Fapp.${D}%2Fauth%2Fcallback%2Fgoogle">`,
  'Continue with Google</a></body></html>',
].join('');

/**
 * A plausible AI-writing startup two weeks before its first enterprise demo: DNS is fine and on
 * Cloudflare, but only the API goes through Cloudflare's proxy; the app's certificate expires in
 * 12 days, docs serve someone else's certificate, and the API still answers plain HTTP.
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
      // DNS moved to Cloudflare, but the proxy is on for the API only (the others are "grey").
      { name: D, type: 'NS', data: 'kai.ns.cloudflare.com' },
      { name: D, type: 'NS', data: 'uma.ns.cloudflare.com' },
      { name: `www.${D}`, type: 'CNAME', data: D },
      { name: `app.${D}`, type: 'A', data: '127.0.0.1' },
      // A Cloudflare edge address (104.16.0.0/13); the lab maps it onto its loopback servers.
      { name: `api.${D}`, type: 'A', data: '104.18.26.97' },
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
        https: { certificate: { kind: 'valid', daysLeft: 12 } },
        http: 'redirect-https',
        routes: [
          {
            path: '/login',
            status: 200,
            headers: { 'content-type': 'text/html; charset=utf-8' },
            body: loginPage,
          },
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
          {
            path: '/',
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"name":"Promptly API","version":"v1"}',
          },
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
