/**
 * Stage 6 — error tracking: the site's JavaScript reports to an error tracker (seen from
 * outside, no token needed), and with a Sentry token: releases tie errors to deploys, and alert
 * rules tell someone.
 */
import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import type { SentryDsn, SentryReport } from '../integrations/sentry';
import { findSentryDsns, inspectSentry } from '../integrations/sentry';
import { ProbeError } from '../probes/errors';
import type { HomeScan } from './audit-bundles';
import { scanHome } from './audit-bundles';
import { homeRoutes } from './audit-support';
import { vendorOptions, withVendor } from './integration-support';
import { outcome } from './outcome';
import { takeTurn } from './perf-support';

/** Other trackers, recognised by their SDK's script host or global name. */
const OTHER_TRACKERS: { name: string; marker: RegExp }[] = [
  { name: 'Bugsnag', marker: /bugsnag/i },
  { name: 'Rollbar', marker: /rollbar/i },
  { name: 'Datadog RUM', marker: /datadog-rum|DD_RUM/ },
  { name: 'Honeybadger', marker: /honeybadger/i },
  { name: 'Highlight', marker: /highlight\.run/ },
  { name: 'LogRocket', marker: /logrocket/i },
];

/** The release a build names: Sentry's bundler plugin global, or `release:` in the SDK init. */
const RELEASE_PATTERNS = [
  /SENTRY_RELEASE\s*=\s*\{\s*id\s*:\s*["']([^"'\\\n]{1,200})["']/,
  /\brelease\s*:\s*["']([^"'\\\n]{1,200})["']/,
];

export interface ErrorTrackingSeen {
  page: string;
  dsns: SentryDsn[];
  others: string[];
  /** The release the deployed build names; null when it names none. */
  deployedRelease: string | null;
}

/** What the home page and its bundles show of error tracking; read once per run. */
export function seenFromSite(ctx: CheckContext): Promise<ErrorTrackingSeen> {
  const route = homeRoutes(ctx.workspace)[0] ?? {
    key: 'home',
    host: ctx.workspace.domain,
    path: '/',
  };
  return ctx.cache.memo(
    `errors:site:${route.host}${route.path}`,
    async (signal) => {
      // No turn taken here: callers hold one (a nested turn could queue behind the burst).
      const scan: HomeScan = await scanHome(route, { ...ctx, signal });
      const texts = [
        scan.page.body,
        ...scan.bundles.map((b) => (b.response instanceof ProbeError ? '' : b.response.body)),
      ];
      const dsns: SentryDsn[] = [];
      let deployedRelease: string | null = null;
      for (const text of texts) {
        const found = findSentryDsns(text);
        for (const d of found) if (!dsns.some((x) => x.dsn === d.dsn)) dsns.push(d);
        if (found.length > 0 || text.includes('SENTRY_RELEASE')) {
          deployedRelease ??=
            RELEASE_PATTERNS.map((re) => re.exec(text)?.[1]).find(Boolean) ?? null;
        }
      }
      const all = [texts.join('\n'), ...scan.thirdParty].join('\n');
      const others = OTHER_TRACKERS.filter((t) => t.marker.test(all)).map((t) => t.name);
      return { page: scan.finalUrl, dsns, others, deployedRelease };
    },
    ctx.signal,
  );
}

/** A DSN as evidence: where it reports, not its key. */
function dsnEvidence(d: SentryDsn): Record<string, unknown> {
  return { host: d.host, projectId: d.projectId, orgId: d.orgId, region: d.region };
}

async function siteOrError(ctx: CheckContext): Promise<ErrorTrackingSeen | CheckOutcome> {
  try {
    return await seenFromSite(ctx);
  } catch (err) {
    if (!(err instanceof ProbeError) || err.kind === 'aborted') throw err;
    return outcome('error', `Could not decide: the home page could not be read (${err.message}).`, {
      error: err.kind,
    });
  }
}

export const errorTracking: Check = {
  id: 'monitor.errors.tracking',
  stage: 6,
  title: 'Errors in the product reach an error tracker',
  why: 'Without an error tracker, a bug that breaks sign-up for half your visitors is invisible until someone complains — and most people don’t complain, they leave. A tracker such as Sentry shows each error with the page, browser and release it came from.',
  fix: [
    'Create a free Sentry project for your frontend (and one for your backend) and follow its setup wizard: it adds the SDK and its DSN (a public address, fine to ship).',
    'Deploy, then trigger a test error and check it appears in Sentry.',
    'Connect Sentry here with a read-only token so Launch Ready can check releases and alert rules too.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    // Kept out of the load burst's window, like the other reads of the product's hosts.
    const seen = await takeTurn(ctx, 'shared', () => siteOrError(ctx));
    if ('status' in seen) return seen;
    const ev = {
      page: seen.page,
      sentry: seen.dsns.map(dsnEvidence),
      otherTrackers: seen.others,
      deployedRelease: seen.deployedRelease,
    };
    const first = seen.dsns[0];
    if (first) {
      return outcome(
        'pass',
        `Your site reports errors to Sentry (project ${first.projectId} at ${first.host})${seen.deployedRelease ? `, naming release ${seen.deployedRelease}` : ''}.`,
        ev,
      );
    }
    if (seen.others.length > 0) {
      return outcome(
        'pass',
        `Your site loads ${seen.others.join(' and ')} for error tracking.`,
        ev,
      );
    }
    return outcome(
      'fail',
      `No error tracker found in ${seen.page} or the JavaScript it loads: errors your visitors hit are seen by no one. Add Sentry (or another tracker) to the frontend and the backend.`,
      ev,
    );
  },
};

/** The Sentry project the site reports to (by the DSN's project id), read once per run. */
async function sentryReport(
  ctx: CheckContext,
  token: string,
): Promise<{ report: SentryReport; seen: ErrorTrackingSeen | null }> {
  const site = await siteOrError(ctx);
  const seen = 'status' in site ? null : site;
  const projectId = seen?.dsns[0]?.projectId;
  const report = await ctx.cache.memo(
    `sentry:${projectId ?? 'any'}`,
    (signal) =>
      inspectSentry({
        ...vendorOptions(ctx, 'sentry'),
        signal,
        token,
        ...(projectId ? { projectId } : {}),
      }),
    ctx.signal,
  );
  return { report, seen };
}

const RELEASES_SHOWN = 10;

export const errorReleases: Check = {
  id: 'monitor.errors.releases',
  stage: 6,
  title: 'Sentry knows which release is live',
  why: 'When errors jump after a deploy, releases tell you which deploy did it and which commit to roll back. Without them every error looks the same age, and "did the last release break it?" takes an afternoon instead of a glance.',
  fix: [
    'Name a release in the SDK’s init (release: your version or git commit) or let Sentry’s bundler plugin (@sentry/vite-plugin, @sentry/nextjs) inject it.',
    'Create the release and mark the deploy from CI: "sentry-cli releases new $VERSION", "sentry-cli releases finalize $VERSION", "sentry-cli releases deploys $VERSION new -e production".',
    'Re-check here after the next deploy.',
  ],
  impact: 'medium',
  kind: 'integration',
  run: (ctx) =>
    withVendor(ctx, 'sentry', async (token) => {
      const { report, seen } = await sentryReport(ctx, token);
      const deployed = seen?.deployedRelease ?? null;
      const ev = {
        project: report.project,
        latestRelease: report.latestRelease,
        deployedRelease: deployed,
        releases: report.releases.slice(0, RELEASES_SHOWN),
      };
      const name = `${report.project.org}/${report.project.slug}`;
      const latest = report.releases[0];
      if (!latest) {
        return outcome(
          'fail',
          `Sentry has no release for ${name}: errors cannot be tied to a deploy, so you cannot tell whether the last one broke something.`,
          ev,
        );
      }
      if (deployed && deployed !== latest.version) {
        return outcome(
          'warn',
          `The site runs release ${deployed}, but Sentry’s latest release for ${name} is ${latest.version}: the deploy step does not record releases (or the site is behind).`,
          ev,
        );
      }
      const when = latest.lastDeploy?.dateFinished ?? latest.dateReleased ?? latest.dateCreated;
      return outcome(
        'pass',
        `Sentry’s latest release for ${name} is ${latest.version}${when ? ` (${when.slice(0, 10)})` : ''}${deployed ? ', the one the site runs' : ''}.`,
        ev,
      );
    }),
};

export const errorAlerts: Check = {
  id: 'monitor.errors.alerts',
  stage: 6,
  title: 'Sentry alerts someone about new errors',
  why: 'Errors piling up in a dashboard nobody opens help no one. An alert rule that posts new issues and spikes to Slack or e-mail is what makes the error tracker an early warning rather than an archive.',
  fix: [
    'In Sentry → Alerts → Create Alert, add an issue alert "A new issue is created" that notifies your #alerts channel or the on-call e-mail.',
    'Add one for spikes: "more than 100 events in an hour".',
    'Limit the rules to the production environment so staging noise does not wake anyone.',
  ],
  impact: 'medium',
  kind: 'integration',
  run: (ctx) =>
    withVendor(ctx, 'sentry', async (token) => {
      const { report } = await sentryReport(ctx, token);
      const rules = report.alertRules;
      const name = `${report.project.org}/${report.project.slug}`;
      const ev = { project: report.project, alertRules: rules };
      const acting = rules.filter((r) => r.actions > 0);
      if (rules.length === 0) {
        return outcome(
          'fail',
          `${name} has no alert rule in Sentry: new errors notify no one.`,
          ev,
        );
      }
      if (acting.length === 0) {
        return outcome(
          'fail',
          `${name} has ${rules.length} alert rule${rules.length === 1 ? '' : 's'} in Sentry, but none sends a notification.`,
          ev,
        );
      }
      return outcome(
        'pass',
        `${name} has ${acting.length} alert rule${acting.length === 1 ? '' : 's'} that notif${acting.length === 1 ? 'ies' : 'y'} someone (${acting
          .slice(0, 2)
          .map((r) => `"${r.name}"`)
          .join(', ')}).`,
        ev,
      );
    }),
};
