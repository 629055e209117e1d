import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import {
  gradeHeaders,
  letterGrade,
  parseSetCookie,
  PASS_SCORE,
  WARN_SCORE,
} from '../../src/main/core/checks/audit-headers';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRoute, LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { DEMO_PLANTED_SECRETS } from '../../src/main/core/lab/scenarios/demo/audit';

const ID = 'audit.headers.security';

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function run(scenario: LabScenario, short = false): Promise<CheckResult> {
  const lab = await startLab(scenario, {
    timeouts: short ? { dnsMs: 400, connectMs: 600, requestMs: 800 } : undefined,
  });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const record = await executeRun(planRun(CATALOGUE, ws, [ID]), ws, lab.net, {
    checkTimeoutMs: short ? 3000 : undefined,
  });
  const r = record.results[0];
  if (!r) throw new Error('no result');
  return r;
}

interface PageEvidence {
  page: string;
  status: string;
  score: number;
  grade: string;
  tests: { test: string; result: string; modifier: number }[];
  cookies: { name: string; httpOnly: boolean }[];
}
const pages = (r: CheckResult) => (r.evidence as { pages: PageEvidence[] }).pages;
const results = (p: PageEvidence | undefined) => p?.tests.map((t) => t.result);

const STRONG = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

describe('grading in the spirit of the HTTP Observatory', () => {
  const grade = (headers: Record<string, string | string[]>, setCookies: string[] = []) =>
    gradeHeaders({ headers, setCookies });

  it('a strict policy earns the bonuses: A+', () => {
    const g = grade(STRONG, ['__Host-sid=1; Path=/; Secure; HttpOnly; SameSite=Strict']);
    expect(g.score).toBe(100 + 5 + 5 + 5 + 5);
    expect(g.grade).toBe('A+');
    expect(results(g as unknown as PageEvidence)).toEqual([
      'csp-implemented-with-no-unsafe',
      'x-content-type-options-nosniff',
      'x-frame-options-implemented-via-csp',
      'referrer-policy-private',
      'cookies-secure-with-httponly-sessions-and-samesite',
    ]);
    expect(
      grade({ ...STRONG, 'content-security-policy': "default-src 'none'" }).tests[0],
    ).toMatchObject({
      result: 'csp-implemented-with-no-unsafe-default-src-none',
      modifier: 10,
    });
  });

  it('no headers at all: 50 (C), warn; bonuses never lift a score below 90', () => {
    const g = grade({});
    expect(g.score).toBe(100 - 25 - 5 - 20);
    expect(g.grade).toBe('C');
    const withReferrer = grade({ 'referrer-policy': 'strict-origin' });
    expect(withReferrer.score).toBe(50);
  });

  it('unsafe script sources cost 20, unless a nonce or hash makes browsers ignore unsafe-inline', () => {
    const csp = (v: string) => grade({ ...STRONG, 'content-security-policy': v }).tests[0];
    expect(csp("script-src 'self' 'unsafe-inline'")).toMatchObject({ modifier: -20 });
    expect(csp("script-src 'self' 'unsafe-inline' 'nonce-r4nd0m'")).toMatchObject({ modifier: 5 });
    expect(csp("default-src 'self' https:")).toMatchObject({ modifier: -20 });
    expect(csp("img-src 'self'")).toMatchObject({ modifier: -20 });
    expect(csp("script-src 'self' 'unsafe-eval'")).toMatchObject({ modifier: -10 });
  });

  it('a CSP in <meta> counts, but its frame-ancestors does not (browsers ignore it there)', () => {
    const g = gradeHeaders({
      headers: {},
      setCookies: [],
      metaCsp: "default-src 'self'; frame-ancestors 'none'",
    });
    expect(g.tests[0]?.result).toBe('csp-implemented-with-no-unsafe');
    expect(g.tests[2]?.result).toBe('x-frame-options-not-implemented');
  });

  it('X-Frame-Options ALLOW-FROM and odd referrer policies are penalised', () => {
    expect(grade({ 'x-frame-options': 'ALLOW-FROM https://a.test' }).tests[2]?.modifier).toBe(-20);
    expect(grade({ 'x-frame-options': 'sameorigin' }).tests[2]?.modifier).toBe(0);
    expect(grade({ 'referrer-policy': 'unsafe-url' }).tests[3]?.modifier).toBe(-5);
    expect(grade({ 'referrer-policy': 'no-referrer, bogus' }).tests[3]?.modifier).toBe(5);
    expect(grade({ 'referrer-policy': 'bogus' }).tests[3]?.modifier).toBe(-5);
  });

  it('cookies: the worst one decides, session cookies are judged harder, HSTS softens Secure', () => {
    const cookie = (lines: string[], hsts = false) =>
      grade(hsts ? { 'strict-transport-security': 'max-age=31536000' } : {}, lines).tests[4];
    expect(cookie(['session=1; Path=/; HttpOnly'])).toMatchObject({ modifier: -40 });
    expect(cookie(['session=1; Path=/; HttpOnly'], true)).toMatchObject({ modifier: -10 });
    expect(cookie(['connect.sid=1; Secure'])).toMatchObject({ modifier: -30 });
    expect(cookie(['theme=dark'])).toMatchObject({ result: 'cookies-without-secure-flag' });
    expect(cookie(['csrftoken=1; Secure'])).toMatchObject({
      result: 'cookies-anticsrf-without-samesite-flag',
    });
    expect(cookie(['pref=1; Secure; SameSite=None'])).toMatchObject({ modifier: 0 });
    expect(cookie(['pref=1; Secure; SameSite=Sometimes'])).toMatchObject({ modifier: -20 });
    expect(parseSetCookie('a_session=SECRETVALUE; Secure')).toEqual({
      name: 'a_session',
      secure: true,
      httpOnly: false,
      sameSite: null,
      session: true,
    });
  });

  it('letter grades follow the Observatory chart and the thresholds are documented', () => {
    expect([100, 95, 85, 80, 75, 65, 60, 55, 45, 40, 35, 25, 10].map(letterGrade)).toEqual([
      'A+',
      'A',
      'A-',
      'B+',
      'B',
      'B-',
      'C+',
      'C',
      'C-',
      'D+',
      'D',
      'D-',
      'F',
    ]);
    expect([PASS_SCORE, WARN_SCORE]).toEqual([80, 50]);
  });
});

describe('audit.headers.security against the lab', () => {
  it('healthy passes with A+ on home and login', async () => {
    const r = await run(getScenario('healthy'));
    expect(r).toMatchObject({ status: 'pass', impact: 'medium', stage: 1 });
    expect(pages(r).map((p) => [p.page, p.grade])).toEqual([
      ['https://steady-ai.test/', 'A+'],
      ['https://app.steady-ai.test/login', 'A+'],
    ]);
  });

  it('demo fails on the app login (no CSP, session cookie readable by scripts); home only warns', async () => {
    const r = await run(getScenario('demo'));
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^login \(app\.promptly-ai\.test\/login\) grades F \(20\/100\): /);
    const [home, login] = pages(r);
    expect(home).toMatchObject({ status: 'warn', score: 55, grade: 'C' });
    expect(results(login)).toContain('cookies-session-without-httponly-flag');
    expect(login?.cookies).toEqual([
      expect.objectContaining({ name: 'promptly_session', httpOnly: false }),
    ]);
    expect(JSON.stringify(r)).not.toContain(DEMO_PLANTED_SECRETS.sessionCookie);
  });

  it('counts a cookie set on the login redirect, and only warns when CSP alone is missing', async () => {
    const D = 'hdrs.test';
    const page = (over: Partial<LabRoute>): LabRoute => ({
      path: '/',
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<h1>hi</h1>',
      ...over,
    });
    const s: LabScenario = {
      name: 'hdrs',
      title: 'hdrs',
      description: 'hdrs',
      domain: D,
      product: {
        name: 'hdrs',
        hosts: [{ name: D, confirmed: true }],
        routes: [
          { key: 'home', host: D, path: '/' },
          { key: 'login', host: D, path: '/login' },
        ],
      },
      dns: { mode: 'answer', zones: [D], records: [{ name: D, type: 'A', data: '127.0.0.1' }] },
      web: {
        mode: 'serve',
        sites: [
          {
            host: D,
            https: { certificate: { kind: 'valid' } },
            headers: { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' },
            routes: [
              page({}),
              {
                path: '/login',
                status: 302,
                headers: { location: '/signin', 'set-cookie': 'sessionid=abc; Path=/; Secure' },
              },
              page({ path: '/signin' }),
            ],
          },
        ],
      },
    };
    const r = await run(s);
    const [home, login] = pages(r);
    expect(home).toMatchObject({ status: 'warn', score: 75, grade: 'B' });
    expect(login).toMatchObject({ status: 'fail', score: 45 });
    expect(login?.cookies).toEqual([expect.objectContaining({ name: 'sessionid' })]);
    expect(r.status).toBe('fail');
  });

  it('blackhole: error, never a pass', async () => {
    const r = await run(getScenario('blackhole'), true);
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/^Could not decide: home \(void-ai\.test\/\) could not be checked/);
  });
});
