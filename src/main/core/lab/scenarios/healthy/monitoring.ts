/**
 * The healthy product's stage 6 side: Cloudflare set up as the checks recommend, Better Stack
 * watching every address that matters, Sentry with the deployed release and alert rules, and a
 * Slack alerts channel.
 */
import type { ScenarioFragment } from '../compose';
import { HEALTHY_CLOUDFLARE, LAB_CLOUDFLARE_HEALTHY_TOKEN } from '../vendors/cloudflare';
import {
  HEALTHY_SENTRY,
  HEALTHY_SLACK,
  LAB_SENTRY_HEALTHY_TOKEN,
  LAB_SLACK_HEALTHY_PATH,
} from '../vendors/sentry-slack';
import { HEALTHY_UPTIME, LAB_BETTERSTACK_TOKEN } from '../vendors/uptime';
import { stripeWebhookRoutes } from '../webhook';

const API = 'api.steady-ai.test';

export const healthyMonitoring: ScenarioFragment = {
  sites: { [API]: { routes: stripeWebhookRoutes } },
  routes: [{ key: 'webhook', host: API, path: '/webhooks/stripe', method: 'POST' }],
  // The lab's Slack is a stand-in: its test alert posts nowhere real.
  optIns: { slackTestAlert: true },
  vendors: {
    cloudflare: HEALTHY_CLOUDFLARE,
    betterstack: HEALTHY_UPTIME,
    sentry: HEALTHY_SENTRY,
    slack: HEALTHY_SLACK,
    tokens: {
      cloudflare: LAB_CLOUDFLARE_HEALTHY_TOKEN,
      betterstack: LAB_BETTERSTACK_TOKEN,
      sentry: LAB_SENTRY_HEALTHY_TOKEN,
      slack: LAB_SLACK_HEALTHY_PATH,
    },
  },
};
