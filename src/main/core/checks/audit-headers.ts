/**
 * Stage 1 — browser security headers and cookie flags on the pages visitors land on, graded in
 * the spirit of Mozilla's HTTP Observatory (httpobs/docs/scoring.md, grader.py).
 *
 * Scoring: start at 100, apply the Observatory's modifiers for the tests below; bonuses (+5/+10)
 * count only when the score without them is already ≥ 90 (the Observatory's extra-credit rule).
 * HSTS and redirections, also in the Observatory, are graded by stage 2 and left out here
 * (HSTS still softens the cookie Secure penalty, as in the Observatory).
 *   Content-Security-Policy   missing −25; unsafe script sources (unsafe-inline without a
 *                             nonce/hash, data:, *, http(s): or no script-src/default-src) −20;
 *                             unsafe-eval −10; otherwise +5 (+10 with default-src 'none')
 *   X-Content-Type-Options    missing or not "nosniff" −5
 *   framing                   CSP frame-ancestors +5; X-Frame-Options DENY/SAMEORIGIN 0;
 *                             missing, invalid or ALLOW-FROM (ignored by browsers) −20
 *   Referrer-Policy           private values +5; missing or no-referrer-when-downgrade 0;
 *                             unsafe (origin, origin-when-cross-origin, unsafe-url) or invalid −5
 *   cookies (worst one)       session cookie without Secure −40 (−10 under HSTS); session cookie
 *                             without HttpOnly −30; invalid SameSite −20; anti-CSRF cookie
 *                             without SameSite −20; any cookie without Secure −20 (−5 under
 *                             HSTS); all good with SameSite +5
 * Thresholds per page (the check takes the worst page):
 *   pass  score ≥ 80 (B+ or better: a small gap at most, e.g. a missing nosniff)
 *   warn  50–79 (C to B: e.g. no CSP at all, the biggest single gap, −25 → 75)
 *   fail  < 50 (C- or worse: e.g. no CSP and a session cookie readable by scripts → 45)
 */
import type { Route } from '../../../shared/workspace';
import type { Check } from '../engine/check';
import { metaHttpEquiv } from '../probes/html';
import type { Verdict } from './audit-support';
import {
  foldVerdicts,
  header,
  headerAll,
  homeRoutes,
  hopsEvidence,
  perItem,
  routeLabel,
  routeUrl,
  routesWithKeys,
  visitCollectingCookies,
} from './audit-support';

export const PASS_SCORE = 80;
export const WARN_SCORE = 50;
const BONUS_FLOOR = 90;

export interface HeaderTest {
  test:
    | 'content-security-policy'
    | 'x-content-type-options'
    | 'framing'
    | 'referrer-policy'
    | 'cookies';
  /** The Observatory-style result name, e.g. `csp-not-implemented`. */
  result: string;
  modifier: number;
  /** Plain words for the founder. */
  detail: string;
}

export interface HeaderGrade {
  score: number;
  grade: string;
  tests: HeaderTest[];
}

export interface GradeInput {
  headers: Record<string, string | string[]>;
  /** Set-Cookie lines seen on the way to the page (redirect hops included). */
  setCookies: string[];
  /** A CSP given in <meta http-equiv>, used when no header carries one. */
  metaCsp?: string | null;
}

const GRADES: readonly [number, string][] = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];

export function letterGrade(score: number): string {
  return GRADES.find(([min]) => score >= min)?.[1] ?? 'F';
}

type Policy = Map<string, string[]>;

/** Directives of one or more policies; for a directive set twice, the first wins (as browsers do within one policy). */
export function parseCsp(values: readonly string[]): Policy {
  const policy: Policy = new Map();
  for (const v of values) {
    for (const part of v.split(';')) {
      const [name, ...tokens] = part.trim().split(/\s+/);
      if (!name) continue;
      const key = name.toLowerCase();
      if (!policy.has(key))
        policy.set(
          key,
          tokens.map((t) => t.toLowerCase()),
        );
    }
  }
  return policy;
}

function gradeCsp(headerValues: string[], meta: string | null | undefined): HeaderTest {
  const test = 'content-security-policy' as const;
  const values = headerValues.length > 0 ? headerValues : meta ? [meta] : [];
  if (values.length === 0)
    return {
      test,
      result: 'csp-not-implemented',
      modifier: -25,
      detail: 'No Content-Security-Policy: any injected script runs with full access to the page.',
    };
  const policy = parseCsp(values);
  const scripts = policy.get('script-src') ?? policy.get('default-src');
  if (!scripts)
    return {
      test,
      result: 'csp-implemented-with-unsafe-inline',
      modifier: -20,
      detail: 'The CSP does not restrict where scripts come from (no script-src or default-src).',
    };
  // CSP level 2+: a nonce or hash makes browsers ignore 'unsafe-inline'.
  const nonceOrHash = scripts.some((t) => /^'(?:nonce-|sha256-|sha384-|sha512-)/.test(t));
  if (scripts.includes("'unsafe-inline'") && !nonceOrHash)
    return {
      test,
      result: 'csp-implemented-with-unsafe-inline',
      modifier: -20,
      detail: "The CSP allows 'unsafe-inline' scripts, which undoes most of its protection.",
    };
  const broad = scripts.find((t) => t === '*' || t === 'data:' || t === 'https:' || t === 'http:');
  if (broad)
    return {
      test,
      result: 'csp-implemented-with-unsafe-inline',
      modifier: -20,
      detail: `The CSP lets scripts load from ${broad} — almost anywhere.`,
    };
  if (scripts.includes("'unsafe-eval'"))
    return {
      test,
      result: 'csp-implemented-with-unsafe-eval',
      modifier: -10,
      detail: "The CSP allows 'unsafe-eval'.",
    };
  const defaultNone = (policy.get('default-src') ?? []).join(' ') === "'none'";
  return defaultNone
    ? {
        test,
        result: 'csp-implemented-with-no-unsafe-default-src-none',
        modifier: 10,
        detail: "A strict CSP with default-src 'none'.",
      }
    : {
        test,
        result: 'csp-implemented-with-no-unsafe',
        modifier: 5,
        detail: 'A CSP without unsafe script sources.',
      };
}

function gradeNosniff(value: string | null): HeaderTest {
  const test = 'x-content-type-options' as const;
  if (value === null)
    return {
      test,
      result: 'x-content-type-options-not-implemented',
      modifier: -5,
      detail: 'No X-Content-Type-Options: browsers may guess file types.',
    };
  return value.trim().toLowerCase() === 'nosniff'
    ? { test, result: 'x-content-type-options-nosniff', modifier: 0, detail: 'nosniff is set.' }
    : {
        test,
        result: 'x-content-type-options-header-invalid',
        modifier: -5,
        detail: `X-Content-Type-Options is "${value}", not "nosniff".`,
      };
}

function gradeFraming(xfo: string | null, headerCsp: string[]): HeaderTest {
  const test = 'framing' as const;
  // frame-ancestors only counts from a header: browsers ignore it in <meta>.
  if (parseCsp(headerCsp).has('frame-ancestors'))
    return {
      test,
      result: 'x-frame-options-implemented-via-csp',
      modifier: 5,
      detail: 'Framing is controlled by CSP frame-ancestors.',
    };
  if (xfo === null)
    return {
      test,
      result: 'x-frame-options-not-implemented',
      modifier: -20,
      detail:
        'Any site can show this page inside a frame (clickjacking): no X-Frame-Options or frame-ancestors.',
    };
  const v = xfo.trim().toLowerCase();
  if (v === 'deny' || v === 'sameorigin')
    return {
      test,
      result: 'x-frame-options-sameorigin-or-deny',
      modifier: 0,
      detail: `X-Frame-Options is ${xfo.trim().toUpperCase()}.`,
    };
  return {
    test,
    result: 'x-frame-options-header-invalid',
    modifier: -20,
    detail: v.startsWith('allow-from')
      ? 'X-Frame-Options ALLOW-FROM is ignored by current browsers: framing is not restricted.'
      : `X-Frame-Options "${xfo}" is not a value browsers understand.`,
  };
}

const PRIVATE_REFERRER = [
  'no-referrer',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
];
const UNSAFE_REFERRER = ['origin', 'origin-when-cross-origin', 'unsafe-url'];

function gradeReferrer(value: string | null): HeaderTest {
  const test = 'referrer-policy' as const;
  if (value === null)
    return {
      test,
      result: 'referrer-policy-not-implemented',
      modifier: 0,
      detail: 'No Referrer-Policy (browsers default to strict-origin-when-cross-origin).',
    };
  // The last value a browser understands wins (a fallback list).
  const known = [...PRIVATE_REFERRER, ...UNSAFE_REFERRER, 'no-referrer-when-downgrade'];
  const policy = value
    .toLowerCase()
    .split(',')
    .map((t) => t.trim())
    .filter((t) => known.includes(t))
    .pop();
  if (policy && PRIVATE_REFERRER.includes(policy))
    return {
      test,
      result: 'referrer-policy-private',
      modifier: 5,
      detail: `Referrer-Policy is ${policy}.`,
    };
  if (policy === 'no-referrer-when-downgrade')
    return {
      test,
      result: 'referrer-policy-no-referrer-when-downgrade',
      modifier: 0,
      detail: 'Referrer-Policy is no-referrer-when-downgrade.',
    };
  if (policy)
    return {
      test,
      result: 'referrer-policy-unsafe',
      modifier: -5,
      detail: `Referrer-Policy "${policy}" sends your page addresses to other sites.`,
    };
  return {
    test,
    result: 'referrer-policy-header-invalid',
    modifier: -5,
    detail: `Referrer-Policy "${value}" is not a value browsers understand.`,
  };
}

export interface CookieFlags {
  name: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
  session: boolean;
}

/** Names that carry a login: the Observatory's "sess"/"login", plus today's usual names. */
const SESSION_NAME = /sess|login|auth|token|jwt|^sid$|[._-]sid$|^sid[._-]/i;
const CSRF_NAME = /csrf|xsrf/i;

/** Cookie name and flags of one Set-Cookie line; the value is dropped here. */
export function parseSetCookie(line: string): CookieFlags {
  const [pair = '', ...attrs] = line.split(';');
  const name = pair.split('=')[0]?.trim() ?? '';
  let secure = false;
  let httpOnly = false;
  let sameSite: string | null = null;
  for (const a of attrs) {
    const [k = '', ...rest] = a.split('=');
    const key = k.trim().toLowerCase();
    if (key === 'secure') secure = true;
    else if (key === 'httponly') httpOnly = true;
    else if (key === 'samesite') sameSite = rest.join('=').trim().toLowerCase();
  }
  // An anti-CSRF token is meant to be read by the page's scripts (double-submit): not a login.
  const session = SESSION_NAME.test(name) && !CSRF_NAME.test(name);
  return { name, secure, httpOnly, sameSite, session };
}

function gradeCookies(cookies: CookieFlags[], hsts: boolean): HeaderTest {
  const test = 'cookies' as const;
  if (cookies.length === 0)
    return { test, result: 'cookies-not-found', modifier: 0, detail: 'No cookies are set.' };
  // Worst first, as the Observatory's "goodness" order.
  const checks: [(c: CookieFlags) => boolean, string, number, (c: CookieFlags) => string][] = [
    [
      (c) => c.session && !c.secure && !hsts,
      'cookies-session-without-secure-flag',
      -40,
      (c) => `The login cookie "${c.name}" lacks Secure: it can travel over plain HTTP.`,
    ],
    [
      (c) => c.session && !c.httpOnly,
      'cookies-session-without-httponly-flag',
      -30,
      (c) =>
        `The login cookie "${c.name}" lacks HttpOnly: any script on the page can steal the session.`,
    ],
    [
      (c) =>
        c.sameSite !== null &&
        !(c.sameSite === 'strict' || c.sameSite === 'lax' || (c.sameSite === 'none' && c.secure)),
      'cookies-samesite-flag-invalid',
      -20,
      (c) => `The cookie "${c.name}" has SameSite=${c.sameSite}, which browsers reject or ignore.`,
    ],
    [
      (c) => CSRF_NAME.test(c.name) && c.sameSite === null,
      'cookies-anticsrf-without-samesite-flag',
      -20,
      (c) => `The anti-CSRF cookie "${c.name}" has no SameSite flag.`,
    ],
    [
      (c) => !c.secure && !hsts,
      'cookies-without-secure-flag',
      -20,
      (c) => `The cookie "${c.name}" lacks Secure.`,
    ],
    [
      (c) => c.session && !c.secure,
      'cookies-session-without-secure-flag-but-protected-by-hsts',
      -10,
      (c) =>
        `The login cookie "${c.name}" lacks Secure (HSTS keeps it on HTTPS for returning visitors).`,
    ],
    [
      (c) => !c.secure,
      'cookies-without-secure-flag-but-protected-by-hsts',
      -5,
      (c) => `The cookie "${c.name}" lacks Secure (HSTS keeps it on HTTPS for returning visitors).`,
    ],
  ];
  for (const [bad, result, modifier, words] of checks) {
    const c = cookies.find(bad);
    if (c) return { test, result, modifier, detail: words(c) };
  }
  return cookies.some((c) => c.sameSite === 'strict' || c.sameSite === 'lax')
    ? {
        test,
        result: 'cookies-secure-with-httponly-sessions-and-samesite',
        modifier: 5,
        detail: 'Cookies are Secure, login cookies HttpOnly, with SameSite.',
      }
    : {
        test,
        result: 'cookies-secure-with-httponly-sessions',
        modifier: 0,
        detail: 'Cookies are Secure and login cookies HttpOnly.',
      };
}

/** Grades one response: the Observatory's arithmetic over the tests this check covers. */
export function gradeHeaders(input: GradeInput): HeaderGrade & { cookies: CookieFlags[] } {
  const h = input.headers;
  const csp = headerAll(h, 'content-security-policy');
  const cookies = input.setCookies.map(parseSetCookie).filter((c) => c.name !== '');
  const hsts = /max-age\s*=\s*"?[1-9]/i.test(header(h, 'strict-transport-security') ?? '');
  const tests = [
    gradeCsp(csp, input.metaCsp),
    gradeNosniff(header(h, 'x-content-type-options')),
    gradeFraming(header(h, 'x-frame-options'), csp),
    gradeReferrer(header(h, 'referrer-policy')),
    gradeCookies(cookies, hsts),
  ];
  const base = 100 + tests.reduce((s, t) => s + Math.min(0, t.modifier), 0);
  const bonus = base >= BONUS_FLOOR ? tests.reduce((s, t) => s + Math.max(0, t.modifier), 0) : 0;
  const score = Math.max(0, base + bonus);
  return { score, grade: letterGrade(score), tests, cookies };
}

/** The home and login pages: what a visitor (and a buyer's security reviewer) opens first. */
function pagesToGrade(routes: Route[]): Route[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const k = `${r.host}${r.path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const PAGE_BYTES = 256 * 1024;

export const securityHeaders: Check = {
  id: 'audit.headers.security',
  stage: 1,
  title: 'Browser security headers and cookie flags are set',
  why: 'A few response headers tell browsers to block injected scripts, refuse to show your pages inside other sites (clickjacking) and keep login cookies away from scripts. Without them one small bug becomes a stolen session — and a buyer’s security questionnaire will ask for them.',
  fix: [
    "Add a Content-Security-Policy, starting from: default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none' — then allow the few outside domains you really use.",
    'Add X-Content-Type-Options: nosniff, X-Frame-Options: DENY and Referrer-Policy: strict-origin-when-cross-origin (most hosts have a "headers" setting: vercel.json, netlify.toml _headers, Cloudflare Transform Rules, or helmet for Express).',
    'Set your login cookie with Secure; HttpOnly; SameSite=Lax (your auth library usually has an option for each).',
    'Re-check here; aim for a grade of B+ or better on every page listed.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const pages = pagesToGrade([
      ...homeRoutes(ctx.workspace),
      ...routesWithKeys(ctx.workspace, ['login']),
    ]);
    const verdicts = await perItem(pages, routeLabel, async (route): Promise<Verdict> => {
      const { trail, setCookies } = await visitCollectingCookies(routeUrl(route), ctx, PAGE_BYTES);
      const final = trail.final;
      const g = gradeHeaders({
        headers: final.headers,
        setCookies,
        metaCsp: metaHttpEquiv(final.body, 'content-security-policy'),
      });
      const status: Verdict['status'] =
        g.score >= PASS_SCORE ? 'pass' : g.score >= WARN_SCORE ? 'warn' : 'fail';
      const worst = g.tests.filter((t) => t.modifier < 0).sort((a, b) => a.modifier - b.modifier);
      const evidence = {
        page: routeUrl(route),
        finalUrl: trail.finalUrl,
        hops: hopsEvidence(trail),
        httpStatus: final.status,
        score: g.score,
        grade: g.grade,
        tests: g.tests,
        cookies: g.cookies,
        thresholds: { pass: PASS_SCORE, warn: WARN_SCORE },
      };
      const gaps = worst
        .slice(0, 2)
        .map((t) => t.detail.replace(/\.$/, '').replace(/^[A-Z](?=[a-z ])/, (c) => c.toLowerCase()))
        .join('; ');
      return {
        label: routeLabel(route),
        status,
        note:
          status === 'pass'
            ? `grades ${g.grade} (${g.score}/100)`
            : `grades ${g.grade} (${g.score}/100): ${gaps}`,
        evidence,
      };
    });
    return foldVerdicts(
      verdicts,
      'pages',
      (n) =>
        `${n === 1 ? 'The page grades' : `All ${n} pages grade`} ${PASS_SCORE}/100 (B+) or better: ${verdicts
          .map((v) => `${v.label.split(' ')[0]} ${v.note.replace(/^grades /, '')}`)
          .join(', ')}.`,
      'No page could be graded: their hosts do not resolve.',
      { scale: 'Mozilla HTTP Observatory modifiers; pass ≥ 80 (B+), warn 50–79, fail < 50' },
    );
  },
};
