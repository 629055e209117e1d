/** Stage 6 — the alerts channel works: one clearly labelled test message through the Slack webhook. */
import type { Check } from '../engine/check';
import { sendSlackTestAlert } from '../integrations/slack';
import { isLoopback } from '../probes/net-context';
import { withVendor } from './integration-support';
import { outcome } from './outcome';

export const slackTestAlert: Check = {
  id: 'monitor.alerts.slack',
  stage: 6,
  title: 'A test alert reaches your Slack alerts channel',
  why: 'Alert webhooks break silently: the channel gets archived, the app is removed, someone rotates the URL. Sending one labelled test message proves the path works before the night it has to.',
  fix: [
    'In Slack, open Apps → Incoming Webhooks, add a webhook for your #alerts channel and save its URL in Settings → Integrations (or "launch-ready secrets set slack").',
    'Use the same webhook in your uptime tool and in Sentry, so every alert lands in one place.',
    'If the test fails, the webhook was probably revoked or its channel archived: create a new one.',
  ],
  impact: 'medium',
  kind: 'integration',
  run: (ctx) =>
    withVendor(ctx, 'slack', async (webhook) => {
      // It posts into a channel people read: only on request, never as a side effect of a re-check.
      if (ctx.workspace.optIns?.slackTestAlert !== true) {
        return outcome(
          'skipped',
          'Not run: this check posts one labelled test message to your alerts channel. Turn on "Send a Slack test alert" in the workspace settings (optIns.slackTestAlert) to run it.',
          { integration: 'slack', optIn: 'slackTestAlert' },
        );
      }
      if (ctx.net.loopbackOnly && !isLoopbackUrl(webhook)) {
        return outcome(
          'error',
          'Could not decide: the saved Slack webhook is not part of this lab.',
          {
            integration: 'slack',
          },
        );
      }
      const sent = await sendSlackTestAlert(webhook, {
        timeoutMs: ctx.net.timeouts.requestMs,
        signal: ctx.signal,
        extraCa: ctx.net.extraCa,
        product: ctx.workspace.name,
        now: ctx.now,
      });
      return outcome(
        'pass',
        `Slack confirmed delivery of a labelled test alert to your channel in ${sent.ms} ms.`,
        { integration: 'slack', delivered: true, ms: sent.ms },
      );
    }),
};

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopback(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}
