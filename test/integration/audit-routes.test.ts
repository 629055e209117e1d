import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { Route } from '../../src/shared/workspace';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRoute, LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';

const KEY_ROUTES = 'audit.http.key-routes';
const ADMIN = 'audit.http.admin-auth';

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

/** Runs the named checks against a scenario in the lab, over real sockets. */
async function run(scenario: LabScenario, ids: string[], short = false): Promise<CheckResult[]> {
  const lab = await startLab(scenario, {
    timeouts: short ? { dnsMs: 400, connectMs: 600, requestMs: 800 } : undefined,
  });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const record = await executeRun(planRun(CATALOGUE, ws, ids), ws, lab.net, {
    checkTimeoutMs: short ? 3000 : undefined,
  });
  return record.results;
}
const byId = (results: CheckResult[], id: string): CheckResult => {
  const r = results.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
};
type RouteEvidence = { key: string; status: string; note: string; finalStatus?: number };
const routes = (r: CheckResult) => (r.evidence as { routes: RouteEvidence[] }).routes;

/** A one-host product with the given routes and lab pages. */
function product(name: string, productRoutes: Route[], pages: LabRoute[]): LabScenario {
  const D = `${name}.test`;
  return {
    name,
    title: name,
    description: name,
    domain: D,
    product: {
      name,
      hosts: [{ name: D, confirmed: true }],
      routes: productRoutes.map((r) => ({ ...r, host: D })),
    },
    dns: { mode: 'answer', zones: [D], records: [{ name: D, type: 'A', data: '127.0.0.1' }] },
    web: {
      mode: 'serve',
      sites: [
        {
          host: D,
          https: { certificate: { kind: 'valid' } },
          http: 'redirect-https',
          routes: pages,
        },
      ],
    },
  };
}
const html = (body: string): Pick<LabRoute, 'headers' | 'body'> => ({
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

describe('audit.http.key-routes', () => {
  it('healthy passes; the demo passes too, following dashboard → login', async () => {
    const healthy = byId(await run(getScenario('healthy'), [KEY_ROUTES]), KEY_ROUTES);
    expect(healthy).toMatchObject({ status: 'pass', stage: 1, impact: 'high' });
    expect(
      routes(healthy)
        .map((r) => r.key)
        .sort(),
    ).toEqual(['admin', 'dashboard', 'health', 'home', 'login']);
    const demo = byId(await run(getScenario('demo'), [KEY_ROUTES]), KEY_ROUTES);
    expect(demo.status).toBe('pass');
    const dashboard = routes(demo).find((r) => r.key === 'dashboard');
    expect(dashboard).toMatchObject({ status: 'pass', finalStatus: 200 });
    expect(dashboard?.note).toMatch(/after 1 redirect/);
  });

  it('fails on a 5xx, warns on a 404, passes a 401 on the dashboard, skips absent keys', async () => {
    const s = product(
      'routes5xx',
      [
        { key: 'home', host: '', path: '/' },
        { key: 'login', host: '', path: '/login' },
        { key: 'dashboard', host: '', path: '/dashboard' },
        { key: 'health', host: '', path: '/healthz' },
        { key: 'report', host: '', path: '/report' },
      ],
      [
        { path: '/', status: 200, ...html('<h1>Home</h1>') },
        { path: '/login', status: 502, body: 'Bad gateway' },
        { path: '/dashboard', status: 401 },
        { path: '/report', status: 500 },
      ],
    );
    const r = byId(await run(s, [KEY_ROUTES]), KEY_ROUTES);
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('login (routes5xx.test/login) answers with a server error (HTTP 502).');
    const byKey = Object.fromEntries(routes(r).map((x) => [x.key, x]));
    expect(byKey.home?.status).toBe('pass');
    expect(byKey.dashboard).toMatchObject({ status: 'pass', note: 'asks for a login (HTTP 401)' });
    expect(byKey.health).toMatchObject({ status: 'warn', finalStatus: 404 });
    // Report is not a key page of this check; admin is absent: neither is probed.
    expect(Object.keys(byKey).sort()).toEqual(['dashboard', 'health', 'home', 'login']);
  });

  it('a redirect loop fails: the page never shows', async () => {
    const s = product(
      'routesloop',
      [{ key: 'login', host: '', path: '/login' }],
      [
        { path: '/login', status: 302, headers: { location: '/signin' } },
        { path: '/signin', status: 302, headers: { location: '/login' } },
      ],
    );
    const r = byId(await run(s, [KEY_ROUTES]), KEY_ROUTES);
    expect(r).toMatchObject({ status: 'fail' });
    expect(r.summary).toMatch(/redirects in a loop/);
  });

  it('blackhole: error, never a pass', async () => {
    const r = byId(await run(getScenario('blackhole'), [KEY_ROUTES], true), KEY_ROUTES);
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/^Could not decide: home \(void-ai\.test\/\) could not be checked/);
  });
});

describe('audit.http.admin-auth', () => {
  it('healthy passes: /admin redirects to the login page', async () => {
    const r = byId(await run(getScenario('healthy'), [ADMIN]), ADMIN);
    expect(r).toMatchObject({ status: 'pass', impact: 'critical', stage: 1 });
    expect(routes(r)[0]?.note).toBe('redirects to the login page (app.steady-ai.test/login)');
  });

  it('demo fails: the admin page opens without a login', async () => {
    const r = byId(await run(getScenario('demo'), [ADMIN]), ADMIN);
    expect(r.status).toBe('fail');
    expect(r.summary).toBe(
      'admin (app.promptly-ai.test/admin) opens for anyone, without a login (HTTP 200, "Promptly admin").',
    );
  });

  it('grades each way an admin page can answer', async () => {
    const home =
      '<!doctype html><html><head><title>App</title></head><body><div id="root"></div></body></html>';
    const names = ['basic', 'form', 'shell', 'sso', 'idp', 'accounts', 'gone', 'broken'];
    const D = 'admins.test';
    const s: LabScenario = {
      ...product('admins', [], []),
      product: {
        name: 'admins',
        hosts: names.map((n) => ({ name: `${n}.${D}`, confirmed: true })),
        routes: [
          { key: 'home', host: `shell.${D}`, path: '/' },
          ...names.map((n) => ({ key: 'admin' as const, host: `${n}.${D}`, path: '/admin' })),
        ],
      },
      dns: {
        mode: 'answer',
        zones: [D],
        records: [...names, 'login'].map((n) => ({
          name: `${n}.${D}`,
          type: 'A' as const,
          data: '127.0.0.1',
        })),
      },
      web: {
        mode: 'serve',
        sites: [...names, 'login'].map((n) => ({
          host: `${n}.${D}`,
          https: { certificate: { kind: 'valid' as const } },
          routes: (
            {
              basic: [{ path: '/admin', status: 401, headers: { 'www-authenticate': 'Basic' } }],
              form: [
                {
                  path: '/admin',
                  status: 200,
                  ...html('<form><input type="email"><input type="password"></form>'),
                },
              ],
              shell: [
                { path: '/', status: 200, ...html(home) },
                { path: '/admin', status: 200, ...html(`${home}\n`) },
              ],
              sso: [
                { path: '/admin', status: 302, headers: { location: '/auth/sso?next=/admin' } },
              ],
              // Redirecting to another admin page that is open is no protection.
              accounts: [
                { path: '/admin', status: 302, headers: { location: '/admin/accounts' } },
                { path: '/admin/accounts', status: 200, ...html('<h1>All accounts</h1>') },
              ],
              // An identity provider on its own host: its name says "login".
              idp: [
                { path: '/admin', status: 302, headers: { location: `https://login.${D}/?c=1` } },
              ],
              login: [{ path: '/', status: 200, body: 'Continue with your company account' }],
              gone: [],
              broken: [{ path: '/admin', status: 503 }],
            } as Record<string, LabRoute[]>
          )[n] as LabRoute[],
        })),
      },
    };
    const r = byId(await run(s, [ADMIN]), ADMIN);
    const notes = Object.fromEntries(
      (r.evidence as { routes: { url: string; status: string; note: string }[] }).routes.map(
        (x) => [new URL(x.url).hostname.split('.')[0], [x.status, x.note]],
      ),
    );
    expect(notes).toEqual({
      basic: ['pass', 'asks for credentials (HTTP 401)'],
      form: ['pass', 'shows a login form'],
      shell: ['warn', expect.stringMatching(/same page as your home page/)],
      sso: ['pass', 'redirects to the login page (sso.admins.test/auth/sso)'],
      idp: ['pass', 'redirects to the login page (login.admins.test/)'],
      accounts: ['fail', 'opens for anyone, without a login (HTTP 200)'],
      gone: ['warn', expect.stringMatching(/not found \(HTTP 404\)/)],
      broken: ['warn', expect.stringMatching(/server error \(HTTP 503\)/)],
    });
    expect(r.status).toBe('fail');
  });

  it('without an admin route, tries the usual /admin address', async () => {
    const open = product(
      'noadminroute',
      [{ key: 'home', host: '', path: '/' }],
      [
        { path: '/', status: 200, ...html('<h1>Home</h1>') },
        { path: '/admin', status: 200, ...html('<title>Admin</title><h1>Admin panel</h1>') },
      ],
    );
    const r = byId(await run(open, [ADMIN]), ADMIN);
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(
      /^the usual admin address noadminroute\.test\/admin opens for anyone/,
    );
    const absent = product('noadminpage', [], [{ path: '/', status: 200, body: 'home' }]);
    const r2 = byId(await run(absent, [ADMIN]), ADMIN);
    expect(r2.status).toBe('pass');
    expect(r2.summary).toMatch(/No admin page is set for this product/);
  });

  it('blackhole: error, never a pass', async () => {
    const r = byId(await run(getScenario('blackhole'), [ADMIN], true), ADMIN);
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/^Could not decide: /);
  });
});
