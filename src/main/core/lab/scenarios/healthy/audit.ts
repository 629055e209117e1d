import type { ScenarioFragment } from '../compose';
import { HEALTHY_SENTRY_DSN } from '../vendors/sentry-slack';

const D = 'steady-ai.test';
const APP = `app.${D}`;
const NAMES = ['', 'www.', 'app.', 'api.', 'status.', 'docs.'].map((p) => `${p}${D}`);

/** What a careful team sends on every response: grades A+ on the stage 1 header check. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const home = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><title>Steady</title>',
  '<script type="module" src="/assets/app-41d8cd.js"></script>',
  '</head><body><h1>Steady</h1><div id="root"></div></body></html>',
].join('\n');

// A clean bundle: no keys, and its source map is announced but not deployed (uploaded to the
// error tracker only), so the map address answers 404.
const bundle = [
  // As Sentry's bundler plugin injects it: the release this build is, then the SDK's init.
  'var _g=typeof window<"u"?window:globalThis;_g.SENTRY_RELEASE={id:"steady@1.4.0"};',
  `Sentry.init({dsn:"${HEALTHY_SENTRY_DSN}",environment:"production"});`,
  'const e={apiBase:"/api"};',
  'document.getElementById("root").textContent="Steady";export{e as config};',
  '//# sourceMappingURL=app-41d8cd.js.map',
  '',
].join('\n');

const loginPage = [
  '<!doctype html><html><head><title>Sign in — Steady</title></head><body>',
  '<form method="post" action="/login"><input name="email" type="email">',
  '<input name="password" type="password" autocomplete="current-password">',
  '<button>Sign in</button></form></body></html>',
].join('\n');

/**
 * The healthy scenario's audit fixtures: strong headers on every site, a clean bundle, an admin
 * area that redirects to the login page, a session cookie with every flag. Unknown paths (/.env,
 * /.git/HEAD…) get the lab's plain 404.
 */
export const healthyAudit: ScenarioFragment = {
  routes: [{ key: 'admin', host: APP, path: '/admin' }],
  sites: {
    ...Object.fromEntries(NAMES.map((name) => [name, { headers: SECURITY_HEADERS }])),
    [D]: {
      headers: SECURITY_HEADERS,
      routes: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: home,
        },
        {
          path: '/assets/app-41d8cd.js',
          status: 200,
          headers: { 'content-type': 'text/javascript; charset=utf-8' },
          body: bundle,
        },
      ],
    },
    [APP]: {
      headers: {
        ...SECURITY_HEADERS,
        'set-cookie': '__Host-steady_session=0f3c9a7d2b; Path=/; Secure; HttpOnly; SameSite=Lax',
      },
      routes: [
        {
          path: '/login',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: loginPage,
        },
        { path: '/admin', status: 302, headers: { location: '/login?next=%2Fadmin' } },
      ],
    },
  },
};
