import type { LabRoute } from '../../scenario';
import type { ScenarioFragment } from '../compose';
import { composeScenario } from '../compose';
import { demoAudit } from './audit';
import { demoBase } from './base';
import { demoEdge } from './edge';

const D = 'promptly-ai.test';
const APP = `app.${D}`;
const API = `api.${D}`;

/**
 * A dashboard bundle as a build tool leaves it: the app code, then a big table of UI strings
 * (~40 KB of compressible text). Its widgets each fetch the project list on their own, so the
 * same API call goes out twice on every page view.
 */
function dashboardBundle(): string {
  const strings = Array.from(
    { length: 600 },
    (_, i) =>
      `"ui.dashboard.label.${i}":"Dashboard label ${i}: prompts, projects and usage for your team"`,
  ).join(',');
  return [
    `const STRINGS={${strings}};`,
    'async function loadProjects(){const r=await fetch("/api/projects",{headers:{accept:"application/json"}});return r.json();}',
    // Two widgets, two identical calls: the chatty frontend the stage 4 check reports.
    'async function header(){const p=await loadProjects();document.getElementById("count").textContent=String(p.length);}',
    'async function list(){const p=await loadProjects();const ul=document.getElementById("projects");for(const x of p){const li=document.createElement("li");li.textContent=x.name;ul.appendChild(li);}}',
    'header();list();',
    'document.title=STRINGS["ui.dashboard.label.0"].slice(0,9)+" — Promptly";',
    '',
  ].join('\n');
}

const dashboardPage = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><title>Dashboard — Promptly</title>',
  '<script src="/assets/dashboard.js" defer></script>',
  '</head><body><h1>Your projects (<span id="count">…</span>)</h1><ul id="projects"></ul></body></html>',
].join('\n');

const projects = JSON.stringify(
  ['Onboarding emails', 'Sales call prep', 'Support macros', 'Blog drafts'].map((name, i) => ({
    id: i + 1,
    name,
  })),
);

/**
 * Sign-in attempts (POST /login) get their own route, answered 401 forever. It must come
 * before the login page's route: the lab answers with the first route that matches, and a
 * route without a method matches every method. So the page is re-declared after it — the page
 * as the earlier fragments left it, so their content (the OAuth links) stays theirs.
 */
function loginRoutes(): LabRoute[] {
  const earlier = composeScenario(demoBase, demoAudit, demoEdge);
  const page = earlier.web.sites
    .find((site) => site.host === APP)
    ?.routes.find((r) => r.path === '/login' && r.method === undefined);
  return [
    {
      path: '/login',
      method: 'POST',
      status: 401,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<p>Invalid email or password.</p>',
    },
    ...(page ? [page] : []),
  ];
}

/**
 * The demo scenario's performance fixtures: a dashboard (/dashboard redirects to the app page
 * /app/projects) at ~700 ms p95 whose bundle is sent uncompressed and uncached and calls the
 * same API twice; a usage report over 1.5 s at p95
 * that returns a 1.3 MB list in one piece and answers 503 once more than 5 requests are in
 * flight; and a login form that accepts wrong passwords forever (no rate limit).
 */
export const demoPerformance: ScenarioFragment = {
  // The founder of this lab product agreed to the sign-in burst (compose merges opt-ins).
  optIns: { loginRateLimit: true },
  routes: [{ key: 'report', host: API, path: '/v1/reports/usage' }],
  sites: {
    [APP]: {
      routes: [
        ...loginRoutes(),
        // The product's dashboard address leads to the app page, as many apps do.
        { path: '/dashboard', status: 302, headers: { location: '/app/projects' } },
        {
          path: '/app/projects',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: dashboardPage,
          latency: { kind: 'lognormal', p50Ms: 450, p95Ms: 700, seed: 41 },
        },
        {
          // Neither compressed nor cacheable: ~45 KB again on every visit.
          path: '/assets/dashboard.js',
          status: 200,
          headers: { 'content-type': 'text/javascript; charset=utf-8' },
          body: dashboardBundle(),
        },
        {
          path: '/api/projects',
          method: 'GET',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: projects,
          latency: { kind: 'fixed', ms: 40 },
        },
      ],
    },
    [API]: {
      routes: [
        {
          path: '/v1/reports/usage',
          status: 200,
          headers: { 'content-type': 'application/json' },
          bodyBytes: 1_300_000,
          latency: { kind: 'lognormal', p50Ms: 1400, p95Ms: 2000, seed: 43 },
          // Our latency samples (4 at once) plus the size check stay at 5; the burst goes above.
          overload: { inFlightAbove: 5, status: 503 },
        },
      ],
    },
  },
};
