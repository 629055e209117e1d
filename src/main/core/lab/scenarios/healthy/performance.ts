import type { LabRoute } from '../../scenario';
import type { ScenarioFragment } from '../compose';
import { composeScenario } from '../compose';
import { healthyAudit } from './audit';
import { healthyBase } from './base';
import { healthyEdge } from './edge';

const D = 'steady-ai.test';
const APP = `app.${D}`;

/** What a fingerprinted build file gets: cached for good, a new release gets a new name. */
const IMMUTABLE = { 'cache-control': 'public, max-age=31536000, immutable' };

function dashboardBundle(): string {
  const strings = Array.from(
    { length: 600 },
    (_, i) => `"ui.dashboard.label.${i}":"Dashboard label ${i}: reports and usage for your team"`,
  ).join(',');
  return [
    `const STRINGS={${strings}};`,
    // One call, shared by both widgets.
    'const projects=fetch("/api/projects",{headers:{accept:"application/json"}}).then(r=>r.json());',
    'projects.then(p=>{document.getElementById("count").textContent=String(p.length);});',
    'projects.then(p=>{const ul=document.getElementById("projects");for(const x of p){const li=document.createElement("li");li.textContent=x.name;ul.appendChild(li);}});',
    'document.title=STRINGS["ui.dashboard.label.0"].slice(0,9)+" — Steady";',
    '',
  ].join('\n');
}

const BUNDLE = '/assets/dashboard-5e1f0b.js';

const dashboardPage = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><title>Dashboard — Steady</title>',
  `<script src="${BUNDLE}" defer></script>`,
  '</head><body><h1>Your projects (<span id="count">…</span>)</h1><ul id="projects"></ul></body></html>',
].join('\n');

const reportPage = [
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Usage report — Steady</title></head>',
  '<body><h1>Usage this month</h1><table><tr><th>Team</th><th>Runs</th></tr>',
  ...Array.from(
    { length: 25 },
    (_, i) => `<tr><td>Team ${i + 1}</td><td>${(i * 37) % 500}</td></tr>`,
  ),
  '</table><p><a href="/reports/usage?page=2">Next page</a></p></body></html>',
].join('\n');

/** The scenario as the fragments before this one leave it. */
const earlier = composeScenario(healthyBase, healthyAudit, healthyEdge);

/**
 * The build files the earlier fragments serve (the home page's bundle), re-declared with
 * compression, and with long-lived cache headers where they set none — as a careful team's
 * host serves them. Taken from those fragments rather than copied, and their own headers
 * win, so their content and findings stay theirs.
 */
function compressedAssets(): Record<string, { routes: LabRoute[] }> {
  const out: Record<string, { routes: LabRoute[] }> = {};
  for (const site of earlier.web.sites) {
    const assets = site.routes.filter((r) => r.path.startsWith('/assets/'));
    if (assets.length === 0) continue;
    out[site.host] = {
      routes: assets.map((r) => ({
        ...r,
        compress: true,
        headers: { ...IMMUTABLE, ...r.headers },
      })),
    };
  }
  return out;
}

/**
 * The login page as the earlier fragments left it, re-declared after the POST route so that
 * sign-in attempts reach the latter (the lab answers with the first route that matches, and
 * a route without a method matches every method).
 */
function loginPageRoute(): LabRoute[] {
  const page = earlier.web.sites
    .find((site) => site.host === APP)
    ?.routes.find((r) => r.path === '/login' && r.method === undefined);
  return page ? [page] : [];
}

const assets = compressedAssets();

/**
 * The healthy scenario's performance fixtures (signed-in pages keep the app site's own
 * cache headers): fast pages, compressed and cacheable files,
 * one API call per dashboard view, a report page well inside 1.5 s, and a login that answers
 * 429 after 5 failed attempts a minute.
 */
export const healthyPerformance: ScenarioFragment = {
  // The founder of this lab product agreed to the sign-in burst (compose merges opt-ins).
  optIns: { loginRateLimit: true },
  routes: [
    { key: 'dashboard', host: APP, path: '/dashboard' },
    { key: 'report', host: APP, path: '/reports/usage' },
  ],
  sites: {
    ...assets,
    [APP]: {
      routes: [
        ...(assets[APP]?.routes ?? []),
        {
          path: '/login',
          method: 'POST',
          status: 401,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<p>Invalid email or password.</p>',
          rateLimit: { limit: 5, windowMs: 60_000 },
        },
        ...loginPageRoute(),
        {
          path: '/dashboard',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: dashboardPage,
          compress: true,
          latency: { kind: 'fixed', ms: 30 },
        },
        {
          path: BUNDLE,
          status: 200,
          headers: { 'content-type': 'text/javascript; charset=utf-8', ...IMMUTABLE },
          body: dashboardBundle(),
          compress: true,
        },
        {
          path: '/api/projects',
          method: 'GET',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([
            { id: 1, name: 'Quarterly review' },
            { id: 2, name: 'Churn watch' },
          ]),
          compress: true,
          latency: { kind: 'fixed', ms: 20 },
        },
        {
          path: '/reports/usage',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: reportPage,
          compress: true,
          latency: { kind: 'lognormal', p50Ms: 250, p95Ms: 450, seed: 17 },
        },
      ],
    },
  },
};
