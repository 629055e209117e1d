/**
 * The vendor side of a lab scenario: the fake Cloudflare, uptime, Sentry and Slack APIs its
 * product is connected to, and the tokens the founder would have saved for them.
 */
import type { Credentials } from '../engine/check';
import type { IntegrationId, VendorEndpoints } from '../integrations/types';
import { NO_CREDENTIALS } from '../engine/check';
import type { FakeBetterStackData } from './fake-betterstack';
import { startFakeBetterStack } from './fake-betterstack';
import type { FakeCloudflareData } from './fake-cloudflare';
import { startFakeCloudflare } from './fake-cloudflare';
import type { FakeSentryData } from './fake-sentry';
import { startFakeSentry } from './fake-sentry';
import type { FakeSlackData, FakeSlackMessage } from './fake-slack';
import { startFakeSlack } from './fake-slack';
import type { FakeUptimeRobotData } from './fake-uptimerobot';
import { startFakeUptimeRobot } from './fake-uptimerobot';

export interface LabVendors {
  cloudflare?: FakeCloudflareData;
  uptimerobot?: FakeUptimeRobotData;
  betterstack?: FakeBetterStackData;
  sentry?: FakeSentryData;
  slack?: FakeSlackData;
  /**
   * What the founder saved per integration: the API token, and for Slack the webhook's path
   * (the lab's Slack origin is prefixed at start). An integration without one is not connected.
   */
  tokens: Partial<Record<IntegrationId, string>>;
}

export interface RunningVendors {
  endpoints: VendorEndpoints;
  credentials: Credentials;
  /** Where the fake Slack listens (webhook URLs are this plus their path); null without one. */
  slackOrigin: string | null;
  /** Slack messages the fake received (the test alert lands here). */
  slackMessages(): readonly FakeSlackMessage[];
  close(): Promise<void>;
}

interface Started {
  url: string;
  close(): Promise<void>;
}

export async function startLabVendors(spec: LabVendors | undefined): Promise<RunningVendors> {
  if (!spec) {
    return {
      endpoints: {},
      credentials: NO_CREDENTIALS,
      slackOrigin: null,
      slackMessages: () => [],
      close: () => Promise.resolve(),
    };
  }
  const started: Started[] = [];
  const endpoints: VendorEndpoints = {};
  let slack: Awaited<ReturnType<typeof startFakeSlack>> | null = null;
  try {
    // One after another: a start that fails leaves only the ones before it to close.
    if (spec.cloudflare) {
      const s = await startFakeCloudflare(spec.cloudflare);
      started.push(s);
      endpoints.cloudflare = s.url;
    }
    if (spec.uptimerobot) {
      const s = await startFakeUptimeRobot(spec.uptimerobot);
      started.push(s);
      endpoints.uptimerobot = s.url;
    }
    if (spec.betterstack) {
      const s = await startFakeBetterStack(spec.betterstack);
      started.push(s);
      endpoints.betterstack = s.url;
    }
    if (spec.sentry) {
      const s = await startFakeSentry(spec.sentry);
      started.push(s);
      endpoints.sentry = s.url;
    }
    if (spec.slack) {
      slack = await startFakeSlack(spec.slack);
      started.push(slack);
    }
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw err;
  }
  const slackOrigin = slack?.url ?? null;
  const tokens = { ...spec.tokens };
  return {
    endpoints,
    credentials: {
      get(id) {
        const saved = tokens[id];
        if (saved === undefined) return Promise.resolve(null);
        return Promise.resolve(id === 'slack' && slackOrigin ? slackOrigin + saved : saved);
      },
    },
    slackOrigin,
    slackMessages: () => slack?.received ?? [],
    async close() {
      await Promise.allSettled(started.map((s) => s.close()));
    },
  };
}
