/**
 * The demo's stage 6 side: the vendor accounts its founder connected, with the planted faults
 * (Cloudflare SSL mode Flexible, no uptime monitor on login or the Stripe webhook, a health
 * monitor every 15 minutes that alerts no one, Sentry without a single release), and the
 * Stripe webhook route monitors should watch.
 */
import type { ScenarioFragment } from '../compose';
import { DEMO_CLOUDFLARE, LAB_CLOUDFLARE_DEMO_TOKEN } from '../vendors/cloudflare';
import {
  DEMO_SENTRY,
  DEMO_SLACK,
  LAB_SENTRY_DEMO_TOKEN,
  LAB_SLACK_DEMO_PATH,
} from '../vendors/sentry-slack';
import { DEMO_UPTIME, LAB_UPTIMEROBOT_TOKEN } from '../vendors/uptime';
import { stripeWebhookRoutes } from '../webhook';

const API = 'api.promptly-ai.test';

export const demoMonitoring: ScenarioFragment = {
  sites: { [API]: { routes: stripeWebhookRoutes } },
  routes: [{ key: 'webhook', host: API, path: '/webhooks/stripe', method: 'POST' }],
  // The lab's Slack is a stand-in: its test alert posts nowhere real.
  optIns: { slackTestAlert: true },
  vendors: {
    cloudflare: DEMO_CLOUDFLARE,
    uptimerobot: DEMO_UPTIME,
    sentry: DEMO_SENTRY,
    slack: DEMO_SLACK,
    tokens: {
      cloudflare: LAB_CLOUDFLARE_DEMO_TOKEN,
      uptimerobot: LAB_UPTIMEROBOT_TOKEN,
      sentry: LAB_SENTRY_DEMO_TOKEN,
      slack: LAB_SLACK_DEMO_PATH,
    },
  },
};
