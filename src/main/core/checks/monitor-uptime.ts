/**
 * Stage 6 — uptime monitors (UptimeRobot, Better Stack): every address a customer would notice
 * is watched and up, often enough, and someone is told.
 */
import type { Check } from '../engine/check';
import type { UptimeMonitor } from '../integrations/uptime-monitors';
import { MAX_INTERVAL_SECONDS } from '../integrations/uptime-monitors';
import type { WatchTarget } from './monitor-support';
import {
  coverage,
  isOutcome,
  monitorEvidence,
  readUptime,
  vendorsInWords,
  watchTargets,
} from './monitor-support';
import { outcome } from './outcome';
import { count, firstFew } from './words';

const NO_TARGETS =
  'No home, login, health or webhook address is set for this product, so there is nothing to match monitors against. Add them in the workspace routes.';

function targetEvidence(c: ReturnType<typeof coverage>[number]): Record<string, unknown> {
  return {
    key: c.key,
    url: c.url,
    covered: c.covered,
    up: c.up,
    intervalOk: c.intervalOk,
    hasAlerts: c.hasAlerts,
    sslAlerts: c.sslAlerts,
    monitors: c.monitors.map((m) => m.id),
  };
}

export const uptimeCoverage: Check = {
  id: 'monitor.uptime.coverage',
  stage: 6,
  title: 'An uptime monitor watches every page customers rely on, and sees it up',
  why: 'Your home page being up says nothing about the login page, the health endpoint or the payment webhook. When one of them breaks unwatched, the first alert is a customer screenshot, a failed sign-up or a payment that never activated an account.',
  fix: [
    'In your uptime tool (UptimeRobot or Better Stack), add an HTTP monitor for each address listed as unwatched: the home page, the login page, the health endpoint and each webhook route.',
    'For a webhook that only accepts POST, monitor it with the method it expects or accept the status it answers to a plain GET (often 405) as "up".',
    'Resume paused monitors, and look into any monitor that shows the address as down right now.',
  ],
  impact: 'high',
  kind: 'integration',
  async run(ctx) {
    const targets = watchTargets(ctx);
    const read = await readUptime(ctx);
    if (isOutcome(read)) return read;
    const tool = vendorsInWords(read.vendors);
    const monitors = read.monitors.map(monitorEvidence);
    if (targets.length === 0) return outcome('warn', NO_TARGETS, { monitors, targets: [] });
    const cov = coverage(read, targets);
    const ev = { tool, monitors, targets: cov.map(targetEvidence) };
    const unwatched = cov.filter((c) => !c.covered);
    const down = cov.filter((c) => c.covered && !c.up);
    if (unwatched.length > 0) {
      return outcome(
        'fail',
        `${tool} does not watch ${firstFew(unwatched.map((c) => `${c.label} (${c.url})`))}: an outage there reaches you through a customer first. Add a monitor for ${unwatched.length === 1 ? 'it' : 'each'}.`,
        ev,
      );
    }
    if (down.length > 0) {
      return outcome(
        'fail',
        `${tool} currently sees ${firstFew(down.map((c) => `${c.label} (${c.url})`))} as not up (down, paused or pending). Look at it now.`,
        ev,
      );
    }
    return outcome(
      'pass',
      `${tool} watches all ${count(cov.length, 'address', 'addresses')} customers rely on, and sees them up.`,
      ev,
    );
  },
};

function late(label: string, seconds: number | null): string {
  return seconds === null ? label : `${label} (every ${Math.round(seconds / 60)} min)`;
}

/** The most frequent running monitor's interval; null when none says. */
function shortestInterval(c: { monitors: readonly UptimeMonitor[] }): number | null {
  const every = c.monitors
    .filter((m) => m.status !== 'paused')
    .map((m) => m.intervalSeconds)
    .filter((s): s is number => s !== null);
  return every.length > 0 ? Math.min(...every) : null;
}

export const uptimeAlerting: Check = {
  id: 'monitor.uptime.alerting',
  stage: 6,
  title: 'Monitors check every 5 minutes, alert a person and warn before certificates expire',
  why: 'A monitor that checks every 15 minutes misses short outages and tells you a quarter of an hour late; one without an alert contact records the outage and tells nobody. Certificate-expiry alerts are the cheapest insurance against the whole site going dark on a known date.',
  fix: [
    `Set the check interval to ${MAX_INTERVAL_SECONDS / 60} minutes or less (1 minute for the health endpoint when your plan allows).`,
    'Attach an alert contact to every monitor: the on-call person’s email and phone app, and your #alerts Slack channel.',
    'Turn on SSL/certificate expiry alerts (UptimeRobot: "SSL errors and expiry" in the monitor; Better Stack: "SSL expiration" in the monitor’s advanced settings).',
  ],
  impact: 'high',
  kind: 'integration',
  async run(ctx) {
    const targets: WatchTarget[] = watchTargets(ctx);
    const read = await readUptime(ctx);
    if (isOutcome(read)) return read;
    const tool = vendorsInWords(read.vendors);
    if (targets.length === 0) return outcome('warn', NO_TARGETS, { targets: [] });
    const cov = coverage(read, targets).filter((c) => c.covered);
    const ev = { tool, maxIntervalSeconds: MAX_INTERVAL_SECONDS, targets: cov.map(targetEvidence) };
    if (cov.length === 0) {
      return outcome(
        'skipped',
        `Skipped: ${tool} watches none of the product’s addresses yet (see the coverage check above).`,
        ev,
      );
    }
    const tooRare = cov.filter((c) => !c.intervalOk).map((c) => late(c.label, shortestInterval(c)));
    const silent = cov.filter((c) => !c.hasAlerts);
    const noSsl = cov.filter((c) => c.sslAlerts === false);
    const problems: string[] = [];
    if (tooRare.length > 0)
      problems.push(
        `${firstFew(tooRare)} ${tooRare.length === 1 ? 'is' : 'are'} checked less often than every ${MAX_INTERVAL_SECONDS / 60} minutes`,
      );
    if (silent.length > 0)
      problems.push(
        `${firstFew(silent.map((c) => c.label))} alert${silent.length === 1 ? 's' : ''} no one`,
      );
    if (problems.length > 0) return outcome('fail', `${problems.join('; ')}.`, ev);
    if (noSsl.length > 0) {
      return outcome(
        'warn',
        `No certificate-expiry alert on ${firstFew(noSsl.map((c) => c.label))}: turn on SSL expiry alerts so a lapsed renewal warns you weeks ahead.`,
        ev,
      );
    }
    return outcome(
      'pass',
      `Every watched address is checked at least every ${MAX_INTERVAL_SECONDS / 60} minutes, alerts someone, and warns before its certificate expires.`,
      ev,
    );
  },
};
