/** Stage 4 — the dashboard in a real browser: repeated API calls, failed requests, slow third parties. */
import type { Check } from '../engine/check';
import type { ObservedRequest, PageLoad } from '../probes/browser';
import { PAGE_LIMITS, chromiumPath, isExecutable, loadPage } from '../probes/browser';
import { isProductHost, ms, perfRoutes, routeLabel, routeUrl } from './perf-support';

/** A third-party request slower than this, with nothing cutting it short, holds the page up. */
export const SLOW_THIRD_PARTY_MS = 2_000;
const API_TYPES = new Set(['fetch', 'xhr']);

export interface FrontendCheckOptions {
  /** Chromium to use; default $LAUNCH_READY_CHROMIUM, else /usr/bin/chromium. */
  executablePath?: string;
  /** Navigation plus waiting for the page to go quiet, ms (capped). */
  budgetMs?: number;
}

const short = (r: ObservedRequest): string => {
  const u = new URL(r.url);
  return `${r.method} ${u.hostname}${u.pathname}${u.search}`;
};

// The browser asks for the icon on its own; a missing one is not the app's request.
const isFavicon = (r: ObservedRequest): boolean => new URL(r.url).pathname === '/favicon.ico';

export function createFrontendCheck(opts: FrontendCheckOptions = {}): Check {
  return {
    id: 'perf.frontend.chatty',
    stage: 4,
    title: 'The dashboard loads without repeated or failing requests',
    why: 'We open your dashboard in a real browser and watch what it asks for. The same API call made twice doubles the load on your server and the wait for your users; a failing request is a broken widget in front of a buyer; a slow outside service (chat widget, analytics, an AI API) without a time limit can hold the whole page up.',
    fix: [
      'Repeated calls: fetch each piece of data once and share it (React Query/SWR deduplicate for you; in React dev mode StrictMode runs effects twice — check the production build).',
      'Failed requests: open the dashboard with the developer tools’ Network tab, click the red lines and fix or remove those calls.',
      'Slow third parties: load widgets and analytics with `async`/`defer`, and give every call to an outside API a timeout (`AbortSignal.timeout(5000)` with fetch) and a fallback.',
      'Re-check after deploying.',
    ],
    impact: 'medium',
    kind: 'probe',
    async run(ctx) {
      const executablePath = opts.executablePath ?? chromiumPath();
      if (!(await isExecutable(executablePath))) {
        return {
          status: 'skipped',
          summary: `Not run: this check needs Chromium, and none was found at ${executablePath} (install the "chromium" package, or set LAUNCH_READY_CHROMIUM to its path).`,
          evidence: { executablePath },
        };
      }
      const route =
        perfRoutes(ctx.workspace, ['dashboard']).find((r) => r.method !== 'POST') ??
        perfRoutes(ctx.workspace, ['home'])[0];
      if (!route || !isProductHost(ctx.workspace, route.host)) {
        return {
          status: 'skipped',
          summary:
            'No dashboard or home page is set on your own hosts, so there is nothing to open.',
          evidence: {},
        };
      }
      const load = await loadPage(routeUrl(route), ctx.net, {
        executablePath,
        signal: ctx.signal,
        resolve: ctx.cache.resolve,
        budgetMs: opts.budgetMs,
      });
      return judge(load, routeLabel(route), (h) => isProductHost(ctx.workspace, h));
    },
  };
}

function judge(
  load: PageLoad,
  label: string,
  own: (host: string) => boolean,
): {
  status: 'pass' | 'warn' | 'fail' | 'error';
  summary: string;
  evidence: Record<string, unknown>;
} {
  const doc = load.document;
  const requests = load.requests.map((r) => ({
    method: r.method,
    url: r.url,
    type: r.resourceType,
    status: r.status,
    error: r.error,
    ms: r.ms,
    startedMs: r.startedMs,
    thirdParty: !own(r.host),
  }));

  const groups = new Map<string, ObservedRequest[]>();
  for (const r of load.requests) {
    if (!API_TYPES.has(r.resourceType)) continue;
    const key = `${r.method} ${r.url} ${r.bodyHash ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const repeated = [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => ({ request: short(g[0] as ObservedRequest), times: g.length }));
  const failed = load.requests.filter(
    (r) =>
      r !== doc && !isFavicon(r) && ((r.status !== null && r.status >= 400) || r.error !== null),
  );
  const failedOwn = failed.filter((r) => own(r.host));
  const failedThird = failed.filter((r) => !own(r.host));
  const slowThird = load.requests.filter(
    (r) => !own(r.host) && r.error === null && (r.ms === null || r.ms > SLOW_THIRD_PARTY_MS),
  );

  const evidence = {
    page: load.url,
    browser: load.browserVersion,
    loaded: load.loaded,
    elapsedMs: load.elapsedMs,
    budgetMs: PAGE_LIMITS.maxBudgetMs,
    requestCount: load.requests.length,
    requestsCapped: load.requestsCapped,
    repeatedCalls: repeated,
    failedRequests: failed.map((r) => ({ request: short(r), status: r.status, error: r.error })),
    slowThirdParties: slowThird.map((r) => ({
      request: short(r),
      ms: r.ms,
      stillLoading: r.ms === null,
    })),
    requests: requests.slice(0, 100),
  };

  if (!doc || doc.status === null) {
    return {
      status: 'error',
      summary: `Could not decide: ${label} did not answer in the browser (${doc?.error ?? 'no answer'}).`,
      evidence,
    };
  }
  if (doc.status >= 500)
    return {
      status: 'fail',
      summary: `${label} answered the browser with a server error (HTTP ${doc.status}).`,
      evidence,
    };
  const problems: string[] = [];
  const list = (rs: ObservedRequest[]): string =>
    rs.slice(0, 3).map(short).join(', ') + (rs.length > 3 ? ` and ${rs.length - 3} more` : '');
  if (failedOwn.length > 0)
    problems.push(
      `${failedOwn.length} request${failedOwn.length === 1 ? '' : 's'} to your own servers failed (${list(failedOwn)})`,
    );
  if (repeated.length > 0)
    problems.push(
      `it repeats identical API calls (${repeated
        .slice(0, 3)
        .map((r) => `${r.request} ×${r.times}`)
        .join(', ')})`,
    );
  if (slowThird.length > 0)
    problems.push(
      `it waits on a slow outside service with no time limit (${slowThird
        .slice(0, 3)
        .map(
          (r) =>
            `${short(r)} ${r.ms === null ? `still loading after ${ms(load.elapsedMs)}` : `took ${ms(r.ms)}`}`,
        )
        .join(', ')})`,
    );
  if (failedThird.length > 0)
    problems.push(
      `${failedThird.length} request${failedThird.length === 1 ? '' : 's'} to outside services failed (${list(failedThird)})`,
    );
  if (!load.loaded) problems.push(`the page did not finish loading within ${ms(load.elapsedMs)}`);
  if (doc.status >= 400) problems.push(`the page itself answered HTTP ${doc.status}`);

  if (problems.length === 0) {
    const api = load.requests.filter((r) => API_TYPES.has(r.resourceType)).length;
    return {
      status: 'pass',
      summary: `${label} loads in the browser with ${load.requests.length} request${load.requests.length === 1 ? '' : 's'} (${api} API call${api === 1 ? '' : 's'}), none repeated or failing.`,
      evidence,
    };
  }
  return {
    status: failedOwn.length > 0 ? 'fail' : 'warn',
    summary: `In the browser, ${label}: ${problems.join('; ')}.`,
    evidence,
  };
}

export const chattyFrontend = createFrontendCheck();
