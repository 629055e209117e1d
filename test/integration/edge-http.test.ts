import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { Route } from '../../src/shared/workspace';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRoute, LabScenario, LabSite } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';

const CANONICAL = 'edge.http.canonical-host';
const REDIRECTS = 'edge.http.redirects';
const HSTS = 'edge.http.hsts';
const CALLBACK = 'edge.auth.callback-host';
const ALL = [CANONICAL, REDIRECTS, HSTS, CALLBACK];
const SHORT = { dnsMs: 400, connectMs: 600, requestMs: 800 };

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function run(
  scenario: LabScenario,
  ids: string[],
  short = false,
): Promise<Record<string, CheckResult>> {
  const lab = await startLab(scenario, { timeouts: short ? SHORT : undefined });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const record = await executeRun(planRun(CATALOGUE, ws, ids), ws, lab.net, {
    checkTimeoutMs: short ? 3000 : undefined,
  });
  return Object.fromEntries(record.results.map((r) => [r.id, r]));
}

type Item = { status: string; note: string; [k: string]: unknown };
function items(r: CheckResult | undefined, key: string): Item[] {
  return (r?.evidence as Record<string, Item[]>)[key] ?? [];
}
function byHost(r: CheckResult | undefined, key = 'hosts'): Record<string, Item> {
  return Object.fromEntries(items(r, key).map((i) => [String(i.host).split('.')[0], i]));
}

const page = (body: string): LabRoute => ({
  path: '/',
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});
const hsts = (value: string) => ({ 'strict-transport-security': value });

/** A small product with the given sites; every host resolves to the lab. */
function product(domain: string, sites: LabSite[], routes: Route[] = []): LabScenario {
  return {
    name: domain.split('.')[0] ?? domain,
    title: domain,
    description: domain,
    domain,
    product: {
      name: domain,
      hosts: sites.map((s) => ({ name: s.host, confirmed: true })),
      routes,
    },
    dns: {
      mode: 'answer',
      zones: [domain],
      records: sites.map((s) => ({ name: s.host, type: 'A' as const, data: '127.0.0.1' })),
    },
    web: { mode: 'serve', sites },
  };
}

const cert = { certificate: { kind: 'valid' as const } };

describe('edge.http.canonical-host, edge.http.redirects and edge.http.hsts', () => {
  it('healthy: one canonical host reached in one 301, HSTS everywhere, sign-in on its host', async () => {
    const r = await run(getScenario('healthy'), ALL);
    for (const id of ALL) expect(r[id], id).toMatchObject({ status: 'pass', stage: 2 });
    expect(r[CANONICAL]?.evidence).toMatchObject({
      canonical: 'steady-ai.test',
      problem: null,
      rules: expect.arrayContaining([
        {
          from: 'https://www.steady-ai.test/',
          to: 'https://steady-ai.test/',
          hops: 1,
          statuses: [301],
        },
      ]),
    });
    expect(r[CANONICAL]?.summary).toBe(
      'One canonical host, steady-ai.test: www.steady-ai.test redirects to it; no two hosts serve the same page.',
    );
    expect(byHost(r[HSTS]).www).toMatchObject({
      status: 'pass',
      httpStatus: 301,
      maxAge: 63072000,
      includeSubDomains: true,
      preload: true,
    });
  });

  it('demo: www duplicates the apex, status takes two hops through http, app has no HSTS', async () => {
    const r = await run(getScenario('demo'), ALL);
    expect(r[CANONICAL]).toMatchObject({ status: 'fail', impact: 'medium' });
    expect(r[CANONICAL]?.summary).toBe(
      'www.promptly-ai.test and promptly-ai.test serve the same page and neither redirects to the other: your site has two addresses (duplicate content) and no canonical one.',
    );
    expect(r[CANONICAL]?.evidence).toMatchObject({ canonical: null, problem: 'duplicate' });

    expect(r[REDIRECTS]).toMatchObject({ status: 'warn', impact: 'high' });
    expect(r[REDIRECTS]?.summary).toBe(
      'status.promptly-ai.test takes 2 redirects to reach https://promptly-ai.test/, one of them through plain http://; moves to promptly-ai.test with a temporary 302 (use 301 or 308).',
    );

    expect(r[HSTS]).toMatchObject({ status: 'fail', impact: 'medium' });
    expect(r[HSTS]?.summary).toMatch(/^app\.promptly-ai\.test sends no Strict-Transport-Security/);
    const h = byHost(r[HSTS]);
    expect(h['promptly-ai']).toMatchObject({
      status: 'pass',
      maxAge: 31536000,
      includeSubDomains: false,
    });
    expect(h.docs).toMatchObject({ status: 'skipped' }); // its certificate is the TLS check's

    expect(r[CALLBACK]).toMatchObject({ status: 'pass', impact: 'high' });
    expect(items(r[CALLBACK], 'checked')).toContainEqual(
      expect.objectContaining({
        callback: 'https://app.promptly-ai.test/auth/callback/google',
        source: 'page',
        status: 'pass',
      }),
    );
  });

  it('grades chains, temporary moves, loops, duplicates and every HSTS shape', async () => {
    const D = 'moves.test';
    const home = '<!doctype html><title>Moves</title><h1>Moves</h1>';
    const s = product(D, [
      {
        host: D,
        https: cert,
        headers: hsts('max-age=86400; includeSubDomains'),
        redirect: { to: `https://www.${D}` },
        routes: [],
      },
      {
        host: `www.${D}`,
        https: cert,
        http: 'redirect-https',
        headers: hsts('max-age=31536000; includeSubDomains; preload'),
        routes: [page(home)],
      },
      // A retired name pointed at the apex, which sends it on to www: two hops.
      { host: `old.${D}`, https: cert, redirect: { to: `https://${D}` }, routes: [] },
      {
        host: `blog.${D}`,
        https: cert,
        headers: hsts('max-age=0'),
        redirect: { to: `https://www.${D}/blog`, status: 302 },
        routes: [],
      },
      // The same page again, nonce aside: a second copy of the site.
      {
        host: `shop.${D}`,
        https: cert,
        headers: hsts('max-age=abc'),
        routes: [page(home.replace('<h1>', '<h1 nonce="r4nd0m">'))],
      },
      {
        host: `api.${D}`,
        https: cert,
        headers: hsts('max-age=31536000'),
        routes: [
          {
            path: '/',
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"ok":true}',
          },
        ],
      },
      {
        host: `status.${D}`,
        https: cert,
        headers: hsts('max-age=31536000'),
        routes: [
          {
            path: '/',
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"ok":true}',
          },
        ],
      },
      {
        host: `loop.${D}`,
        https: cert,
        headers: hsts('max-age=31536000'),
        routes: [
          { path: '/', status: 302, headers: { location: '/a' } },
          { path: '/a', status: 302, headers: { location: '/' } },
        ],
      },
    ]);
    const r = await run(s, [CANONICAL, REDIRECTS, HSTS]);

    expect(r[CANONICAL]?.status).toBe('fail');
    expect(r[CANONICAL]?.summary).toBe(
      'shop.moves.test serves the same page as www.moves.test instead of redirecting to it (duplicate content).',
    );
    expect(r[CANONICAL]?.evidence).toMatchObject({
      canonical: 'www.moves.test',
      rules: expect.arrayContaining([
        {
          from: 'https://old.moves.test/',
          to: 'https://www.moves.test/',
          hops: 2,
          statuses: [301, 301],
        },
      ]),
    });
    const c = byHost(r[CANONICAL], 'findings');
    expect(c.old).toMatchObject({
      status: 'pass',
      note: 'redirects to the canonical host www.moves.test',
    });
    expect(c.api).toMatchObject({ status: 'pass' }); // same JSON as status: not a duplicate page
    expect(c.loop).toMatchObject({ status: 'skipped' });

    expect(r[REDIRECTS]?.status).toBe('fail');
    expect(r[REDIRECTS]?.summary).toBe(
      'loop.moves.test redirects in a loop (https://loop.moves.test/ → https://loop.moves.test/a → https://loop.moves.test/).',
    );
    const red = byHost(r[REDIRECTS]);
    expect(red.old).toMatchObject({
      status: 'warn',
      note: 'takes 2 redirects to reach https://www.moves.test/',
    });
    expect(red.blog).toMatchObject({
      status: 'warn',
      note: 'moves to www.moves.test with a temporary 302 (use 301 or 308)',
    });
    expect(red.moves).toMatchObject({ status: 'pass' });
    // http://www → https://www is the free first hop; it stays clean.
    expect(red.www).toMatchObject({ status: 'pass' });

    const h = byHost(r[HSTS]);
    expect(r[HSTS]?.status).toBe('fail');
    expect(h.www).toMatchObject({ status: 'pass', preload: true, includeSubDomains: true });
    expect(h.moves).toMatchObject({ status: 'warn', note: expect.stringMatching(/only 1 day;/) });
    expect(h.old).toMatchObject({ status: 'fail', note: expect.stringMatching(/sends no Strict/) });
    expect(h.blog).toMatchObject({ status: 'fail', note: 'switches HSTS off (max-age=0)' });
    expect(h.shop).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/browsers ignore/),
    });
  });

  it('warns when the apex and www show different pages: neither is canonical', async () => {
    const D = 'twosites.test';
    const s = product(D, [
      { host: D, https: cert, routes: [page('<h1>Landing</h1>')] },
      { host: `www.${D}`, https: cert, routes: [page('<h1>Old blog</h1>')] },
    ]);
    const r = await run(s, [CANONICAL]);
    expect(r[CANONICAL]).toMatchObject({
      status: 'warn',
      summary:
        'twosites.test and www.twosites.test show different pages: visitors see a different site depending on whether they type www.',
      evidence: expect.objectContaining({ canonical: null, problem: 'different' }),
    });
  });

  it('flags sign-in callbacks on localhost, plain http or a host that redirects away', async () => {
    const D = 'signin.test';
    const link = (callback: string) =>
      `<a href="https://accounts.google.test/o/oauth2/auth?client_id=y&amp;redirect_uri=${encodeURIComponent(callback)}">Google</a>`;
    const s = product(
      D,
      [
        {
          host: D,
          https: cert,
          headers: hsts('max-age=31536000; includeSubDomains'),
          routes: [page('<h1>Signin</h1>')],
        },
        { host: `www.${D}`, https: cert, redirect: { to: `https://${D}` }, routes: [] },
        {
          host: `app.${D}`,
          https: cert,
          routes: [
            {
              path: '/login',
              status: 302,
              headers: {
                location: `https://idp.example-idp.test/authorize?client_id=x&redirect_uri=${encodeURIComponent('http://localhost:3000/callback')}`,
              },
            },
            {
              path: '/signin',
              status: 200,
              headers: { 'content-type': 'text/html' },
              body: link(`https://www.${D}/auth/callback`),
            },
            {
              path: '/auth',
              status: 200,
              headers: { 'content-type': 'text/html' },
              body: link(`http://app.${D}/cb`),
            },
          ],
        },
      ],
      [
        { key: 'login', host: `app.${D}`, path: '/login' },
        { key: 'login', host: `app.${D}`, path: '/signin' },
        { key: 'login', host: `app.${D}`, path: '/auth' },
        { key: 'login', host: `www.${D}`, path: '/login' },
      ],
    );
    const r = await run(s, [CALLBACK, HSTS]);
    expect(r[CALLBACK]?.status).toBe('fail');
    const checked = items(r[CALLBACK], 'checked');
    const cb = (url: string) => checked.find((c) => c.callback === url);
    expect(cb('http://localhost:3000/callback')).toMatchObject({
      status: 'fail',
      source: 'redirect',
      note: 'points at a developer machine: sign-in works only on that laptop',
    });
    expect(cb(`https://www.${D}/auth/callback`)).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/^is on www\.signin\.test, which redirects to signin\.test/),
    });
    expect(cb(`http://app.${D}/cb`)).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/plain http:\/\//),
    });
    // The identity provider is reported, never fetched: the walk stops before it.
    expect(
      checked.find((c) => c.url === `https://app.${D}/login` && !('callback' in c)),
    ).toMatchObject({
      status: 'pass',
      hops: [{ url: `https://app.${D}/login`, status: 302 }],
      finalUrl: expect.stringMatching(/^https:\/\/idp\.example-idp\.test\/authorize/),
    });
    expect(checked.find((c) => c.url === `https://www.${D}/login`)).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/^moves to signin\.test/),
    });
    // app sends no HSTS of its own, but the domain's includeSubDomains covers returning visitors.
    expect(byHost(r[HSTS]).app).toMatchObject({
      status: 'warn',
      note: expect.stringMatching(/covers it only/),
    });
  });

  it('blackhole: every one ends in error within its timeout, none passes', async () => {
    const t0 = performance.now();
    const r = await run(getScenario('blackhole'), ALL, true);
    expect(performance.now() - t0).toBeLessThan(3000 + 1500);
    for (const id of ALL) {
      expect(r[id]?.status, id).toBe('error');
      expect(r[id]?.summary, id).toMatch(/^Could not decide: /);
    }
  });
});
