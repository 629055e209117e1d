/** Stage 1 — the key pages answer, and the admin area is not open to anyone. */
import type { Route, RouteKey } from '../../../shared/workspace';
import type { Check, CheckContext } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { hasPasswordField, pageTitle } from '../probes/html';
import type { RedirectTrail } from '../probes/redirects';
import type { Verdict } from './audit-support';
import {
  foldVerdicts,
  header,
  homeRoutes,
  hopsEvidence,
  perItem,
  routeLabel,
  routeUrl,
  routesWithKeys,
  visit,
} from './audit-support';

/** The pages a founder opens in a demo; report and webhook are probed by later stages. */
export const KEY_ROUTES: readonly RouteKey[] = ['home', 'login', 'dashboard', 'health', 'admin'];
/** Pages that may rightly answer 401/403 to a visitor without a session. */
const PRIVATE_KEYS: ReadonlySet<RouteKey> = new Set(['dashboard', 'admin', 'report', 'webhook']);
const PAGE_BYTES = 64 * 1024;

const LOOP_WORDS: Record<RedirectTrail['outcome'], string> = {
  ok: '',
  loop: 'redirects in a loop and never shows a page',
  'too-many': 'redirects too many times and never shows a page',
  broken: 'redirects to an address that is not a valid URL',
};

function trailEvidence(route: Route, trail: RedirectTrail): Record<string, unknown> {
  return {
    key: route.key,
    url: routeUrl(route),
    hops: hopsEvidence(trail),
    finalUrl: trail.finalUrl,
    finalStatus: trail.final.status,
    elapsedMs: trail.hops.reduce((s, h) => s + h.elapsedMs, 0),
  };
}

/** A route whose host DNS does not know is the DNS check's finding, not this one's. */
function unresolved(route: Route, err: unknown): Verdict | null {
  if (!(err instanceof ProbeError) || err.kind !== 'dns') return null;
  return {
    label: routeLabel(route),
    status: 'skipped',
    note: 'has a host that does not resolve (see "Every host resolves")',
    evidence: { key: route.key, url: routeUrl(route), error: 'dns', message: err.message },
  };
}

async function visitRoute(route: Route, ctx: CheckContext): Promise<RedirectTrail | Verdict> {
  try {
    return await visit(routeUrl(route), ctx, PAGE_BYTES);
  } catch (err) {
    const skipped = unresolved(route, err);
    if (skipped) return skipped;
    throw err;
  }
}

export const keyRoutesAnswer: Check = {
  id: 'audit.http.key-routes',
  stage: 1,
  title: 'Key pages answer without a server error',
  why: 'If your home, login, dashboard, health or admin page shows a server error, a buyer sees a broken product the moment they click — and your monitoring may already be telling you something is wrong.',
  fix: [
    'Open each page listed as failing in a private browser window and note the error.',
    'Look at your hosting platform’s logs (Vercel, Render, Fly, Heroku…) for the matching 500 error and its stack trace; fix or roll back the release that caused it.',
    'For a page "not found", check that the address saved in Launch Ready is the one your app really uses.',
    'Re-check here once it answers normally.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const routes = routesWithKeys(ctx.workspace, KEY_ROUTES);
    const verdicts = await perItem(routes, routeLabel, async (route): Promise<Verdict> => {
      const label = routeLabel(route);
      const trail = await visitRoute(route, ctx);
      if (!('hops' in trail)) return trail;
      const evidence = trailEvidence(route, trail);
      const status = trail.final.status;
      const v = (s: Verdict['status'], note: string): Verdict => ({
        label,
        status: s,
        note,
        evidence,
      });
      if (trail.outcome !== 'ok') return v('fail', LOOP_WORDS[trail.outcome]);
      if (status >= 500) return v('fail', `answers with a server error (HTTP ${status})`);
      if (status === 401 || status === 403) {
        return PRIVATE_KEYS.has(route.key)
          ? v('pass', `asks for a login (HTTP ${status})`)
          : v('warn', `refuses visitors without a password (HTTP ${status})`);
      }
      if (status === 405 && route.method === 'POST')
        return v('pass', 'answers (it only accepts POST, as configured)');
      if (status === 404 || status === 410)
        return v('warn', `is not found (HTTP ${status}); check the address in your workspace`);
      if (status === 429) return v('warn', 'is rate-limiting us (HTTP 429)');
      if (status >= 400) return v('warn', `answers HTTP ${status}`);
      const hops = trail.hops.length - 1;
      return v(
        'pass',
        hops > 0
          ? `answers (HTTP ${status} after ${hops} redirect${hops === 1 ? '' : 's'})`
          : `answers (HTTP ${status})`,
      );
    });
    return foldVerdicts(
      verdicts,
      'routes',
      (n) => `All ${n} key page${n === 1 ? '' : 's'} answer without a server error.`,
      'No key page (home, login, dashboard, health, admin) is set for this product, or none of their hosts resolves.',
    );
  },
};

/**
 * Where a redirect that leads to a sign-in page usually goes: a login path segment, or an
 * identity provider's host (accounts.google.com, login.microsoftonline.com, *.auth0.com…).
 * Whole segments only, so /admin/authors or /admin/accounts are not mistaken for a login.
 */
function looksLikeLogin(u: URL, fromHost: string): boolean {
  const segment =
    /(?:^|[/._-])(?:log-?in|sign-?in|auth|authorize|authenticate|sso|oauth2?|saml|cas)(?:$|[/._-])/i;
  const idpHost =
    /^(?:login|auth|sso|accounts|id|identity|signin)\.|\.auth0\.com$|\.okta\.com$|clerk\./i;
  // A host name only counts when the redirect left the admin's own host for it.
  return segment.test(u.pathname) || (u.hostname !== fromHost && idpHost.test(u.hostname));
}

function normalisedBody(body: string): string {
  return body.replace(/\s+/g, ' ').trim();
}

/**
 * The admin addresses to try: the founder's admin routes, else the usual `/admin` on the
 * primary domain and on the app host — the address an attacker tries first.
 */
function adminTargets(ctx: CheckContext): { route: Route; guessed: boolean }[] {
  const set = routesWithKeys(ctx.workspace, ['admin']);
  if (set.length > 0) return set.map((route) => ({ route, guessed: false }));
  const app = `app.${ctx.workspace.domain}`;
  const hosts = [ctx.workspace.domain];
  if (ctx.workspace.hosts.some((h) => h.name === app)) hosts.push(app);
  return hosts.map((host) => ({ route: { key: 'admin', host, path: '/admin' }, guessed: true }));
}

export const adminProtected: Check = {
  id: 'audit.http.admin-auth',
  stage: 1,
  title: 'Admin pages ask for a login',
  why: 'An admin page that opens without a password lets anyone on the internet see your customers’ data, change settings or delete accounts. It is one of the first addresses attackers and curious buyers try.',
  fix: [
    'Put the admin area behind your normal login and check the user is an admin on the server, for every admin page and API call — hiding the link is not protection.',
    'If you use a framework admin (Django, Rails, Laravel, Retool…), make sure its authentication is switched on in production.',
    'For a quick stopgap, restrict the admin address by IP or with your host’s password protection (Vercel, Netlify and Cloudflare Access offer one).',
    'Open the admin address in a private browser window: you should land on a login page, not on data.',
  ],
  impact: 'critical',
  kind: 'probe',
  async run(ctx) {
    const targets = adminTargets(ctx);
    let homeBody: Promise<string | null> | null = null;
    // The home page, fetched once and only when needed: a single-page app answers every
    // address with the same shell, which is not the admin data itself.
    const home = (): Promise<string | null> =>
      (homeBody ??= (async () => {
        const first = homeRoutes(ctx.workspace)[0];
        if (!first) return null;
        try {
          const t = await visit(routeUrl(first), ctx, PAGE_BYTES);
          return t.final.status < 300 ? normalisedBody(t.final.body) : null;
        } catch {
          return null;
        }
      })());

    const labelOf = (t: { route: Route; guessed: boolean }): string =>
      t.guessed ? `the usual admin address ${t.route.host}${t.route.path}` : routeLabel(t.route);
    const verdicts = await perItem(
      targets,
      labelOf,
      async ({ route, guessed }): Promise<Verdict> => {
        const label = labelOf({ route, guessed });
        const trail = await visitRoute(route, ctx);
        if (!('hops' in trail)) return trail;
        const final = trail.final;
        const first = trail.hops[0];
        const evidence = {
          ...trailEvidence(route, trail),
          guessed,
          title: pageTitle(final.body),
          contentType: header(final.headers, 'content-type'),
          bodyBytes: final.bodyBytes,
        };
        const v = (s: Verdict['status'], note: string): Verdict => ({
          label,
          status: s,
          note,
          evidence,
        });
        if (first && (first.status === 401 || first.status === 403))
          return v('pass', `asks for credentials (HTTP ${first.status})`);
        if (trail.outcome !== 'ok') return v('warn', LOOP_WORDS[trail.outcome]);
        const redirected = trail.hops.length > 1;
        if (redirected) {
          const u = new URL(trail.finalUrl);
          const where = `${u.hostname}${u.pathname}`;
          if (final.status === 401 || final.status === 403)
            return v('pass', `redirects to a page that asks for credentials (${where})`);
          if (looksLikeLogin(u, route.host) || hasPasswordField(final.body))
            return v('pass', `redirects to the login page (${where})`);
        }
        if (final.status === 404 || final.status === 410) {
          return guessed
            ? v('pass', `does not exist (HTTP ${final.status})`)
            : v(
                'warn',
                `is not found (HTTP ${final.status}); check the admin address in your workspace`,
              );
        }
        if (final.status >= 500)
          return v(
            'warn',
            `answers with a server error (HTTP ${final.status}), so whether it is protected could not be seen`,
          );
        if (final.status >= 400) return v('pass', `refuses the visit (HTTP ${final.status})`);
        if (final.status >= 300) return v('warn', `answers HTTP ${final.status} without a page`);
        // A 2xx page, open to anyone: what is on it?
        if (hasPasswordField(final.body)) return v('pass', 'shows a login form');
        const body = normalisedBody(final.body);
        if (body === '') return v('warn', `answers HTTP ${final.status} with an empty page`);
        if (body === (await home())) {
          return guessed
            ? v('pass', 'serves the same page as your home page (there is no separate admin page)')
            : v(
                'warn',
                'serves the same page as your home page (a single-page app): the admin data may still be protected by your API — open it in a private window to be sure',
              );
        }
        if (guessed && !/admin/i.test(final.body))
          return v('pass', 'answers a page that does not look like an admin area');
        return v(
          'fail',
          `opens for anyone, without a login (HTTP ${final.status}${evidence.title ? `, "${evidence.title}"` : ''})`,
        );
      },
    );
    return foldVerdicts(
      verdicts,
      'routes',
      (n) =>
        targets[0]?.guessed
          ? `No admin page is set for this product; the usual /admin address${n === 1 ? '' : 'es'} ${n === 1 ? 'is' : 'are'} not open to visitors (add your admin route to check it).`
          : n === 1
            ? 'The admin page asks for a login before showing anything.'
            : `All ${n} admin pages ask for a login before showing anything.`,
      'No admin address could be checked: their hosts do not resolve.',
    );
  },
};
