/**
 * The uptime vendors' side of the lab. The demo product (promptly-ai.test) uses UptimeRobot and
 * watches too little: the home page properly, the health endpoint only every 15 minutes with no
 * one alerted, and the login page (the planted fault) and the Stripe webhook not at all. The
 * healthy product (steady-ai.test) uses Better Stack and watches every address that matters.
 */
import type { FakeBetterStackData } from '../../fake-betterstack';
import type { FakeUptimeRobotData } from '../../fake-uptimerobot';

// Built at run time and shaped like no real key, so the repository's own secret scan stays quiet.
export const LAB_UPTIMEROBOT_TOKEN = ['lab', 'uptimerobot', 'demo'].join('-');
/** Shaped like a monitor-specific key (m<digits>-…): lists the home-page monitor only. */
export const LAB_UPTIMEROBOT_MONITOR_TOKEN = ['m790001', 'lab', 'monitor', 'only'].join('-');
export const LAB_BETTERSTACK_TOKEN = ['lab', 'betterstack', 'healthy'].join('-');
/** Known to the Better Stack fake but answered 403. */
export const LAB_BETTERSTACK_FORBIDDEN_TOKEN = ['lab', 'betterstack', 'no', 'access'].join('-');

/** 2033-05-18: far past any test run, so no certificate reads as expiring. */
const CERT_EXPIRES = 2_000_000_000;

export const DEMO_UPTIME: FakeUptimeRobotData = {
  keys: {
    [LAB_UPTIMEROBOT_TOKEN]: 'account',
    [LAB_UPTIMEROBOT_MONITOR_TOKEN]: 790001,
  },
  monitors: [
    {
      id: 790001,
      friendly_name: 'Promptly home',
      url: 'https://promptly-ai.test/',
      type: 1,
      interval: 300,
      status: 2,
      alert_contacts: [
        { id: '4101', type: 2, value: 'founder@promptly-ai.test', threshold: 0, recurrence: 0 },
      ],
      ssl: {
        brand: 'Launch Ready Lab CA',
        product: 'Lab TLS',
        expires: CERT_EXPIRES,
        ignore_errors: 0,
        disable_notifications: 0,
      },
    },
    {
      // Up, but checked every 15 minutes and nobody is told when it fails.
      id: 790002,
      friendly_name: 'Promptly API health',
      url: 'https://api.promptly-ai.test/health',
      type: 1,
      interval: 900,
      status: 2,
      alert_contacts: [],
      ssl: {
        brand: 'Launch Ready Lab CA',
        product: 'Lab TLS',
        expires: CERT_EXPIRES,
        ignore_errors: 0,
        disable_notifications: 0,
      },
    },
  ],
};

/** The demo product's addresses an uptime monitor should watch. */
export const DEMO_UPTIME_TARGETS = [
  { key: 'home', url: 'https://promptly-ai.test/' },
  { key: 'login', url: 'https://app.promptly-ai.test/login' },
  { key: 'health', url: 'https://api.promptly-ai.test/health' },
  { key: 'webhook:stripe', url: 'https://api.promptly-ai.test/webhooks/stripe' },
];

function steady(
  id: string,
  name: string,
  url: string,
  check_frequency: number,
  monitor_type = 'status',
): FakeBetterStackData['monitors'][number] {
  return {
    id,
    attributes: {
      url,
      pronounceable_name: name,
      monitor_type,
      status: 'up',
      check_frequency,
      email: true,
      sms: false,
      call: false,
      push: true,
      verify_ssl: true,
      ssl_expiration: 14,
      domain_expiration: 14,
      policy_id: null,
      required_keyword: monitor_type === 'keyword' ? 'ok' : null,
      regions: ['us', 'eu'],
      paused: false,
    },
  };
}

export const HEALTHY_UPTIME: FakeBetterStackData = {
  tokens: {
    [LAB_BETTERSTACK_TOKEN]: 'ok',
    [LAB_BETTERSTACK_FORBIDDEN_TOKEN]: 'forbidden',
  },
  monitors: [
    steady('2260101', 'Steady home', 'https://steady-ai.test/', 180),
    steady('2260102', 'Steady login', 'https://app.steady-ai.test/login', 60),
    steady('2260103', 'Steady API health', 'https://api.steady-ai.test/health', 60, 'keyword'),
    steady('2260104', 'Steady Stripe webhook', 'https://api.steady-ai.test/webhooks/stripe', 180),
  ],
};

/** The healthy product's addresses an uptime monitor should watch. */
export const HEALTHY_UPTIME_TARGETS = [
  { key: 'home', url: 'https://steady-ai.test/' },
  { key: 'login', url: 'https://app.steady-ai.test/login' },
  { key: 'health', url: 'https://api.steady-ai.test/health' },
  { key: 'webhook:stripe', url: 'https://api.steady-ai.test/webhooks/stripe' },
];
