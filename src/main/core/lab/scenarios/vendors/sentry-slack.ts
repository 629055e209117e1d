/**
 * The error-tracking and alerting side of the lab. The demo product (promptly-ai.test) reports
 * to Sentry but has never recorded a release (the planted fault: no way to tell which deploy
 * broke what), with one e-mail alert rule. The healthy product (steady-ai.test) records each
 * release, deploys it to production, and has two alert rules that tell someone. Both have a
 * Slack webhook that answers `ok`. The DSNs go into each site's JavaScript bundle.
 */
import type { FakeSentryData, FakeSentryRule } from '../../fake-sentry';
import type { FakeSlackData } from '../../fake-slack';

// Built at run time and shaped like no real token or hooks.slack.com URL, so the repository's
// own secret scan stays quiet.
export const LAB_SENTRY_DEMO_TOKEN = ['lab', 'sentry', 'demo'].join('-');
export const LAB_SENTRY_HEALTHY_TOKEN = ['lab', 'sentry', 'healthy'].join('-');
export const LAB_SLACK_DEMO_PATH = `/${['services', 'TLAB0DEMO', 'BLAB0DEMO', ['lab', 'slack', 'demo'].join('-')].join('/')}`;
export const LAB_SLACK_HEALTHY_PATH = `/${['services', 'TLAB0STDY', 'BLAB0STDY', ['lab', 'slack', 'healthy'].join('-')].join('/')}`;

/** What an auth token needs for the Sentry check (Sentry's own scope names). */
const LAB_SCOPES = ['org:read', 'project:read', 'project:releases', 'alerts:read'];

export const DEMO_SENTRY_ORG = 'promptly';
export const DEMO_SENTRY_PROJECT = 'promptly-web';
export const DEMO_SENTRY_PROJECT_ID = '4507000000000001';
export const DEMO_SENTRY_ORG_ID = '4506900000000001';
export const HEALTHY_SENTRY_ORG = 'steady';
export const HEALTHY_SENTRY_PROJECT = 'steady-web';
export const HEALTHY_SENTRY_PROJECT_ID = '4507000000000002';
export const HEALTHY_SENTRY_ORG_ID = '4506900000000002';

// DSN public keys are public by design; still assembled, to look like no copied key.
const DEMO_KEY = ['0de1', '0de2', '0de3', '0de4'].join('').repeat(2);
const HEALTHY_KEY = ['57ea', 'd157', 'ead2', '57ea'].join('').repeat(2);

export const DEMO_SENTRY_DSN = `https://${DEMO_KEY}@o${DEMO_SENTRY_ORG_ID}.ingest.us.sentry.io/${DEMO_SENTRY_PROJECT_ID}`;
export const HEALTHY_SENTRY_DSN = `https://${HEALTHY_KEY}@o${HEALTHY_SENTRY_ORG_ID}.ingest.de.sentry.io/${HEALTHY_SENTRY_PROJECT_ID}`;

const DAY = 86_400_000;
/** Relative to when the lab starts, so the healthy releases read as recent on any day. */
const daysAgo = (days: number, hours = 0): string =>
  new Date(Date.now() - days * DAY - hours * 3_600_000).toISOString();

const EMAIL_OWNERS = {
  id: 'sentry.mail.actions.NotifyEmailAction',
  targetType: 'IssueOwners',
  fallthroughType: 'ActiveMembers',
};
const FIRST_SEEN = { id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' };

const DEMO_RULES: FakeSentryRule[] = [
  {
    id: '310001',
    name: 'Send a notification for high priority issues',
    actions: [EMAIL_OWNERS],
    conditions: [FIRST_SEEN],
  },
];

const HEALTHY_RULES: FakeSentryRule[] = [
  {
    id: '320001',
    name: 'New issue in production → #steady-alerts',
    actions: [
      {
        id: 'sentry.integrations.slack.notify_action.SlackNotifyServiceAction',
        workspace: '9001',
        channel: '#steady-alerts',
      },
      EMAIL_OWNERS,
    ],
    conditions: [FIRST_SEEN],
    environment: 'production',
  },
  {
    id: '320002',
    name: 'Error spike (100 events in 1h) → on-call e-mail',
    actions: [
      { id: 'sentry.mail.actions.NotifyEmailAction', targetType: 'Team', targetIdentifier: 42 },
    ],
    conditions: [
      {
        id: 'sentry.rules.conditions.event_frequency.EventFrequencyCondition',
        interval: '1h',
        value: 100,
      },
    ],
  },
];

export const DEMO_SENTRY: FakeSentryData = {
  tokens: { [LAB_SENTRY_DEMO_TOKEN]: LAB_SCOPES },
  projects: [
    {
      id: DEMO_SENTRY_PROJECT_ID,
      slug: DEMO_SENTRY_PROJECT,
      name: 'Promptly Web',
      org: DEMO_SENTRY_ORG,
      platform: 'javascript-react',
      // The planted fault: errors arrive, but no release is ever recorded.
      releases: [],
      rules: DEMO_RULES,
    },
  ],
};

export const HEALTHY_SENTRY: FakeSentryData = {
  tokens: { [LAB_SENTRY_HEALTHY_TOKEN]: LAB_SCOPES },
  projects: [
    {
      id: HEALTHY_SENTRY_PROJECT_ID,
      slug: HEALTHY_SENTRY_PROJECT,
      name: 'Steady Web',
      org: HEALTHY_SENTRY_ORG,
      platform: 'javascript-nextjs',
      releases: [
        {
          version: 'steady@1.4.0',
          dateCreated: daysAgo(2, 1),
          dateReleased: daysAgo(2),
          lastDeploy: {
            environment: 'production',
            dateStarted: daysAgo(2),
            dateFinished: daysAgo(2),
          },
        },
        {
          version: 'steady@1.3.2',
          dateCreated: daysAgo(9, 1),
          dateReleased: daysAgo(9),
          lastDeploy: {
            environment: 'production',
            dateStarted: daysAgo(9),
            dateFinished: daysAgo(9),
          },
        },
        {
          version: 'steady@1.3.1',
          dateCreated: daysAgo(16, 1),
          dateReleased: daysAgo(16),
          lastDeploy: {
            environment: 'production',
            dateStarted: daysAgo(16),
            dateFinished: daysAgo(16),
          },
        },
      ],
      rules: HEALTHY_RULES,
    },
  ],
};

export const DEMO_SLACK: FakeSlackData = { webhooks: { [LAB_SLACK_DEMO_PATH]: 'ok' } };
export const HEALTHY_SLACK: FakeSlackData = { webhooks: { [LAB_SLACK_HEALTHY_PATH]: 'ok' } };
