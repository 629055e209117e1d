/**
 * Stage 6 — the certificate-expiry horizon: when the next certificate across all hosts expires,
 * and whether anything will warn before it does.
 */
import { isWithin } from '../../../shared/domain';
import type { Check, CheckContext } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { probeTls } from '../probes/tls';
import type { HostVerdict } from './hosts';
import { perReachableHost } from './hosts';
import { isOutcome, readUptime, vendorsInWords } from './monitor-support';
import { outcome } from './outcome';
import { takeTurn } from './perf-support';

/** Two weeks: the usual expiry-alert lead time, and enough to renew by hand if automation broke. */
export const EXPIRY_HORIZON_DAYS = 14;

interface Expiry {
  host: string;
  validTo: string;
  daysLeft: number;
}

export const certificateExpiry: Check = {
  id: 'monitor.tls.expiry',
  stage: 6,
  title: 'No certificate expires soon, and an alert fires before one does',
  why: 'Certificates renew automatically until the day they don’t: a changed DNS record or a failed renewal job, and the site goes dark on a date you could have known. An expiry alert weeks ahead turns that into a calm fix.',
  fix: [
    `Renew any certificate that expires within ${EXPIRY_HORIZON_DAYS} days now (your host’s dashboard, or "certbot renew" on your own server), then re-check here.`,
    'Turn on certificate-expiry alerts in your uptime tool (UptimeRobot: SSL errors and expiry; Better Stack: SSL expiration) for each HTTPS host.',
    'Write down which service renews each certificate (host, Cloudflare, Let’s Encrypt) in the handover.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    // Handshakes on every host: kept out of the load burst's window, like the timing probes.
    const verdicts = await takeTurn(ctx, 'shared', () => readExpiries(ctx));
    const certs: Expiry[] = verdicts
      .filter((v) => v.status === 'pass')
      .map((v) => v.evidence as unknown as Expiry)
      .sort((a, b) => a.daysLeft - b.daysLeft);
    const next = certs[0];
    const ev: Record<string, unknown> = {
      horizonDays: EXPIRY_HORIZON_DAYS,
      certificates: certs,
      unread: verdicts.filter((v) => v.status === 'skipped').map((v) => v.evidence),
    };
    const failed = verdicts.filter((v) => v.status === 'error');
    const soon = certs.filter((c) => c.daysLeft < EXPIRY_HORIZON_DAYS);
    if (failed.length > 0 && soon.length === 0) {
      ev.errors = failed.map((v) => v.evidence);
      return outcome(
        'error',
        `Could not decide: ${failed
          .slice(0, 3)
          .map((v) => `${v.host} ${v.note}`)
          .join('; ')}.`,
        ev,
      );
    }
    if (!next) {
      return outcome('skipped', 'No certificate could be read on any host.', ev);
    }
    if (soon.length > 0) {
      const words = soon
        .slice(0, 3)
        .map((c) => `${c.host} expires in ${c.daysLeft} days (${c.validTo.slice(0, 10)})`);
      return outcome(
        'fail',
        `Within ${EXPIRY_HORIZON_DAYS} days: ${words.join('; ')}${soon.length > 3 ? `; and ${soon.length - 3} more` : ''}. Renew now.`,
        ev,
      );
    }
    const when = `The next certificate to expire is ${next.host}’s, in ${next.daysLeft} days (${next.validTo.slice(0, 10)})`;
    const read = await readUptime(ctx);
    if (isOutcome(read)) {
      ev.alerting = read.status === 'skipped' ? 'not-connected' : 'unreadable';
      return outcome(
        'warn',
        `${when}, and no uptime tool ${read.status === 'skipped' ? 'is connected' : 'could be read'} to warn before it does. Connect UptimeRobot or Better Stack and turn on SSL expiry alerts.`,
        ev,
      );
    }
    const alerted = read.monitors.filter(
      (m) =>
        m.status !== 'paused' &&
        m.sslExpiryAlerts === true &&
        hostOf(m.url) !== null &&
        isWithin(hostOf(m.url) ?? '', ctx.workspace.domain),
    );
    ev.alertingMonitors = alerted.map((m) => ({ name: m.name, url: m.url }));
    const tool = vendorsInWords(read.vendors);
    if (alerted.length === 0) {
      return outcome(
        'warn',
        `${when}, and no ${tool} monitor has certificate-expiry alerts on. Turn them on so a failed renewal warns you weeks ahead.`,
        ev,
      );
    }
    return outcome(
      'pass',
      `${when}; ${tool} warns before a certificate expires (${alerted.length} monitor${alerted.length === 1 ? '' : 's'}).`,
      ev,
    );
  },
};

function hostOf(url: string): string | null {
  try {
    return new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`).hostname;
  } catch {
    return null;
  }
}

function readExpiries(ctx: CheckContext): Promise<HostVerdict[]> {
  return perReachableHost(ctx, 443, async (host, target): Promise<HostVerdict> => {
    try {
      const t = await probeTls(target, ctx.net, { signal: ctx.signal, now: ctx.now });
      const c = t.certificate;
      return {
        host: host.name,
        status: 'pass',
        note: `expires in ${c.daysLeft} days`,
        evidence: { host: host.name, validTo: c.validTo, daysLeft: c.daysLeft },
      };
    } catch (err) {
      // No HTTPS at all is stage 2's finding; here only certificates that exist count.
      // A timeout is not "no certificate": it stays this host's error.
      if (!(err instanceof ProbeError) || (err.kind !== 'refused' && err.kind !== 'tls')) throw err;
      return {
        host: host.name,
        status: 'skipped',
        note: `no certificate read (${err.message})`,
        evidence: { host: host.name, error: err.kind },
      };
    }
  });
}
