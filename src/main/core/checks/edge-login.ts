/**
 * Stage 2 — sign-in lives on a canonical host: the login page, and the callback addresses it
 * reveals to anyone (a redirect_uri in a redirect or in a "Sign in with…" link). What is
 * configured only inside the identity provider cannot be seen from outside and is not guessed.
 */
import { isIP } from 'node:net';
import type { Route } from '../../../shared/workspace';
import type { Check, CheckContext } from '../engine/check';
import type { Finding, Walk } from './edge-support';
import {
  ELSEWHERE_NOTES,
  appHost,
  endHost,
  errorMessage,
  foldFindings,
  hopsEvidence,
  hostnameOf,
  isOwnHost,
  lastResponse,
  perFinding,
  reportedElsewhere,
  routeLabel,
  routeUrl,
  routesWithKeys,
  visitRoot,
  walk,
} from './edge-support';

/** The OAuth 2.0 / OIDC parameter (RFC 6749 §3.1.2), and the spellings some libraries use. */
const CALLBACK_PARAMS = ['redirect_uri', 'redirect_url', 'callback_url'];
/** At most this many callback addresses are judged per login page. */
const MAX_CALLBACKS = 5;

interface Callback {
  url: string;
  /** Where we saw it: a Location header or the login page itself. */
  source: 'redirect' | 'page';
}

function callbacksInUrl(raw: string, source: Callback['source']): Callback[] {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return [];
  }
  return CALLBACK_PARAMS.flatMap((p) => u.searchParams.getAll(p)).map((url) => ({ url, source }));
}

/** redirect_uri=… values in a page's links and forms (HTML-escaped & included). */
function callbacksInPage(html: string): Callback[] {
  const out: Callback[] = [];
  const re = new RegExp(`[?&](?:amp;)?(?:${CALLBACK_PARAMS.join('|')})=([^&"'\\s<>#]+)`, 'gi');
  for (const m of html.matchAll(re)) {
    try {
      out.push({ url: decodeURIComponent(m[1] ?? ''), source: 'page' });
    } catch {
      out.push({ url: m[1] ?? '', source: 'page' });
    }
  }
  return out;
}

function callbacksOf(w: Walk): Callback[] {
  const found: Callback[] = [];
  for (const h of w.hops) {
    if (h.location) {
      try {
        found.push(...callbacksInUrl(new URL(h.location, h.url).href, 'redirect'));
      } catch {
        // A Location that is not a URL reveals nothing; the redirects check reports it.
      }
    }
  }
  if (w.outcome === 'ok') found.push(...callbacksInPage(lastResponse(w).body));
  const seen = new Set<string>();
  return found.filter((c) => !seen.has(c.url) && seen.add(c.url)).slice(0, MAX_CALLBACKS);
}

function isLocal(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || isIP(h) !== 0;
}

/**
 * Whether a callback lands on a host of the product that stays put: a host that redirects
 * elsewhere (www → the apex, say) is not canonical, whatever the rest of the site does.
 */
async function judgeCallback(ctx: CheckContext, login: string, cb: Callback): Promise<Finding> {
  const label = `the sign-in callback ${cb.url}`;
  const evidence = { login, callback: cb.url, source: cb.source };
  const f = (status: Finding['status'], note: string, more: Record<string, unknown> = {}) => ({
    label,
    status,
    note,
    evidence: { ...evidence, ...more },
  });
  let u: URL;
  try {
    u = new URL(cb.url);
  } catch {
    return f('warn', 'is not a full URL, so where sign-in returns cannot be checked');
  }
  const host = u.hostname.toLowerCase();
  if (isLocal(host))
    return f('fail', 'points at a developer machine: sign-in works only on that laptop');
  if (u.protocol !== 'https:')
    return f('fail', 'uses plain http://, so the sign-in code travels unencrypted');
  if (!isOwnHost(ctx.workspace, host))
    return f(
      'warn',
      `is not on your domain (${host}); fine if it belongs to your sign-in provider, otherwise sign-in returns to someone else's site`,
    );
  const v = await visitRoot(ctx, host);
  if (v.kind !== 'walked')
    return v.kind === 'unresolved'
      ? f('fail', `is on ${host}, which does not exist in DNS`)
      : f('skipped', ELSEWHERE_NOTES.certificate);
  const end = endHost(v.walk);
  if (end !== null && end !== host)
    return f(
      'fail',
      `is on ${host}, which redirects to ${end}: sign-in returns to a host that is not canonical (cookies and your sign-in provider’s settings must name ${end})`,
      { hostRedirectsTo: end },
    );
  return f('pass', `stays on ${host}`);
}

function loginTargets(ctx: CheckContext): { route: Route; guessed: boolean }[] {
  const set = routesWithKeys(ctx.workspace, ['login']);
  if (set.length > 0) return set.map((route) => ({ route, guessed: false }));
  return [{ route: { key: 'login', host: appHost(ctx.workspace), path: '/login' }, guessed: true }];
}

export const callbackOnCanonical: Check = {
  id: 'edge.auth.callback-host',
  stage: 2,
  title: 'Sign-in and its callback stay on a canonical host',
  why: 'Signing in with Google, GitHub or your own login ends with a redirect back to a "callback" address. If that address is on a host that redirects elsewhere, on plain http:// or on localhost, sign-in fails or loses the session — typically in front of a buyer on their first try.',
  fix: [
    'Decide the one host your app signs in on (often app.your-domain or the canonical host) and save the login route with it.',
    'In your sign-in provider (Google Cloud console, GitHub OAuth app, Auth0, Clerk, Supabase…), set the allowed callback/redirect URLs to https:// addresses on that host only; remove localhost and old hosts from production.',
    'Set your auth library’s base URL (NEXTAUTH_URL, AUTH_URL, APP_URL…) to the same https:// address in production.',
    'Sign in once in a private window from the canonical address to confirm.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const targets = loginTargets(ctx);
    const groups = await Promise.all(
      targets.map(async (t): Promise<Finding[]> => {
        const label = t.guessed
          ? `the usual login address ${t.route.host}${t.route.path}`
          : routeLabel(t.route);
        const url = routeUrl(t.route);
        const base = { key: 'login', url, guessed: t.guessed };
        let w: Walk;
        try {
          w = await walk(ctx, url);
        } catch (err) {
          const elsewhere = reportedElsewhere(err);
          if (elsewhere)
            return [{ label, status: 'skipped', note: ELSEWHERE_NOTES[elsewhere], evidence: base }];
          return [
            {
              label,
              status: 'error',
              note: `could not be checked (${errorMessage(err)})`,
              evidence: { ...base, message: errorMessage(err) },
            },
          ];
        }
        const loginEvidence = { ...base, hops: hopsEvidence(w), finalUrl: w.finalUrl };
        if (w.outcome === 'loop' || w.outcome === 'too-many' || w.outcome === 'broken')
          return [
            {
              label,
              status: 'skipped',
              note: 'never shows a page (see "Redirects take one permanent hop")',
              evidence: loginEvidence,
            },
          ];
        if (w.outcome === 'failed' && w.error && !reportedElsewhere(w.error))
          return [
            {
              label,
              status: 'error',
              note: `redirects to ${w.finalUrl}, which could not be loaded (${w.error.message})`,
              evidence: loginEvidence,
            },
          ];
        const page = lastResponse(w);
        if (t.guessed && w.outcome === 'ok' && (page.status === 404 || page.status === 410))
          return [
            {
              label,
              status: 'skipped',
              note: 'does not exist (add your login route to check sign-in)',
              evidence: loginEvidence,
            },
          ];
        const callbacks = callbacksOf(w);
        const host = t.route.host.toLowerCase();
        // Where the login address really lives (an identity provider's host is not a move).
        const ownEnd = w.outcome === 'ok' || w.outcome === 'failed' ? endHost(w) : null;
        const loginFinding: Finding =
          ownEnd !== null && ownEnd !== host && isOwnHost(ctx.workspace, ownEnd)
            ? {
                label,
                status: 'warn',
                note: `moves to ${ownEnd}: save that address as your login route and use it in your sign-in provider`,
                evidence: loginEvidence,
              }
            : {
                label,
                status: 'pass',
                note: `is on ${host}`,
                evidence: { ...loginEvidence, callbacks: callbacks.map((c) => c.url) },
              };
        const judged = await perFinding(
          callbacks,
          (c) => `the sign-in callback ${c.url}`,
          (c) => judgeCallback(ctx, url, c),
        );
        return [loginFinding, ...judged];
      }),
    );
    const findings = groups.flat();
    const callbacks = findings.filter((f) => 'callback' in f.evidence);
    return foldFindings(findings, {
      evidenceKey: 'checked',
      pass: () => {
        const hosts = [
          ...new Set([
            ...targets.map((t) => t.route.host.toLowerCase()),
            ...callbacks.map((c) => hostnameOf(String(c.evidence.callback))),
          ]),
        ];
        const stays = `${hosts.join(', ')}, which ${hosts.length === 1 ? 'does' : 'do'} not redirect elsewhere`;
        return callbacks.length > 0
          ? `The login page and its ${callbacks.length === 1 ? 'sign-in callback' : `${callbacks.length} sign-in callbacks`} stay on ${stays}.`
          : `The login page is on ${stays}; it reveals no callback address from outside (check the allowed callback URLs in your sign-in provider).`;
      },
      none: 'No login page could be checked: add your login route.',
    });
  },
};
