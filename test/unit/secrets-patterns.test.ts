import { describe, expect, it } from 'vitest';
import {
  findKeys,
  KEY_RULES,
  shannonEntropy,
} from '../../src/main/core/probes/secrets/key-patterns';
import { ALNUM, B32, random } from '../support/random-text';

/**
 * Test keys are assembled at run time from a seeded generator and split prefixes, so this file
 * holds no provider-shaped literal for repository secret scanners to flag.
 */
const j = (...parts: string[]) => parts.join('');

const KEYS = {
  openaiProject: j(
    'sk-',
    'proj-',
    random(74, `${ALNUM}_-`, 1),
    'T3Blbk',
    'FJ',
    random(74, ALNUM, 2),
  ),
  openaiLegacy: j('sk-', random(20, ALNUM, 3), 'T3Blbk', 'FJ', random(20, ALNUM, 4)),
  anthropic: j('sk-', 'ant-', 'api03-', random(93, `${ALNUM}_-`, 5), 'AA'),
  stripeLive: j('sk_', 'live_', random(24, ALNUM, 6)),
  stripeRestricted: j('rk_', 'live_', random(24, ALNUM, 7)),
  stripeTest: j('sk_', 'test_', random(24, ALNUM, 8)),
  stripePublishable: j('pk_', 'live_', random(24, ALNUM, 9)),
  awsId: j('AK', 'IA', random(16, B32, 10)),
  awsSecret: random(40, `${ALNUM}/+`, 11),
  google: j('AI', 'za', random(35, `${ALNUM}_-`, 12)),
  githubClassic: j('gh', 'p_', random(36, ALNUM, 13)),
  githubFine: j('github_', 'pat_', random(82, `${ALNUM}_`, 14)),
  slackBot: j('xo', 'xb-', '1234567890123-', '1234567890123-', random(24, ALNUM, 15)),
  slackHook: j('hooks.slack.com/services/', random(44, ALNUM, 16)),
  sendgrid: j('SG', '.', random(22, ALNUM, 17), '.', random(43, ALNUM, 18)),
  huggingface: j('hf', '_', random(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 19)),
};

function jwt(claims: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}.${random(43, `${ALNUM}_-`, 20)}`;
}

const one = (text: string) => {
  const found = findKeys(text);
  expect(found, text.slice(0, 80)).toHaveLength(1);
  return found[0]!;
};

describe('provider key formats', () => {
  it.each([
    ['openaiProject', 'openai-project-key', 'OpenAI', 'secret'],
    ['openaiLegacy', 'openai-legacy-key', 'OpenAI', 'secret'],
    ['anthropic', 'anthropic-api-key', 'Anthropic', 'secret'],
    ['stripeLive', 'stripe-live-secret-key', 'Stripe', 'secret'],
    ['stripeRestricted', 'stripe-live-secret-key', 'Stripe', 'secret'],
    ['stripeTest', 'stripe-test-secret-key', 'Stripe', 'test-secret'],
    ['stripePublishable', 'stripe-publishable-key', 'Stripe', 'publishable'],
    ['awsId', 'aws-access-key-id', 'AWS', 'secret'],
    ['google', 'google-api-key', 'Google', 'restricted'],
    ['githubClassic', 'github-token', 'GitHub', 'secret'],
    ['githubFine', 'github-token', 'GitHub', 'secret'],
    ['slackBot', 'slack-token', 'Slack', 'secret'],
    ['slackHook', 'slack-webhook', 'Slack', 'secret'],
    ['sendgrid', 'sendgrid-api-key', 'SendGrid', 'secret'],
    ['huggingface', 'huggingface-token', 'Hugging Face', 'secret'],
  ] as const)('finds %s in minified code as %s', (name, rule, provider, keyClass) => {
    const key = KEYS[name];
    const m = one(`!function(){var a={k:"${key}",n:1};return a}();`);
    expect(m).toMatchObject({ rule, provider, keyClass, value: key });
    expect(m.index).toBe(`!function(){var a={k:"`.length);
  });

  it('every rule is exercised by this file or the contextual tests below', () => {
    expect(KEY_RULES).toEqual(
      expect.arrayContaining(['openai-project-key', 'aws-secret-access-key', 'supabase-jwt']),
    );
    expect(KEY_RULES.length).toBeGreaterThanOrEqual(15);
  });

  it('finds keys in a dotenv file, one per line', () => {
    const env = [
      '# production',
      `OPENAI_API_KEY=${KEYS.openaiProject}`,
      `STRIPE_SECRET_KEY="${KEYS.stripeLive}"`,
      `AWS_ACCESS_KEY_ID=${KEYS.awsId}`,
      `aws_secret_access_key = ${KEYS.awsSecret}`,
    ].join('\n');
    expect(findKeys(env).map((m) => m.rule)).toEqual([
      'openai-project-key',
      'stripe-live-secret-key',
      'aws-access-key-id',
      'aws-secret-access-key',
    ]);
  });

  it('tells a Google key apart by its context: Firebase config is public, Gemini is secret', () => {
    const firebase = `const firebaseConfig={apiKey:"${KEYS.google}",authDomain:"demo.firebaseapp.com"}`;
    expect(one(firebase)).toMatchObject({ keyClass: 'publishable', label: 'Firebase web API key' });
    const gemini = `fetch("https://generativelanguage.googleapis.com/v1/models?key=${KEYS.google}")`;
    expect(one(gemini)).toMatchObject({ keyClass: 'secret', label: 'Google AI (Gemini) API key' });
    expect(one(`maps.load("${KEYS.google}")`).keyClass).toBe('restricted');
  });

  it('reads a Supabase key’s role: service_role is secret, anon is publishable, other JWTs are not ours', () => {
    expect(
      one(`createClient(u,"${jwt({ role: 'service_role', iss: 'supabase' })}")`),
    ).toMatchObject({
      rule: 'supabase-jwt',
      keyClass: 'secret',
      label: 'Supabase service_role key',
    });
    expect(one(`createClient(u,"${jwt({ role: 'anon', iss: 'supabase' })}")`).keyClass).toBe(
      'publishable',
    );
    expect(findKeys(`token="${jwt({ sub: 'user-1', exp: 1 })}"`)).toEqual([]);
  });

  it('finds a PEM private key and a database URL with a real password (the password is the value)', () => {
    const body = random(200, `${ALNUM}+/`, 21);
    const pem = j('-----BEGIN ', 'PRIVATE KEY-----\n', body, '\n-----END ', 'PRIVATE KEY-----');
    expect(one(`const k = \`${pem}\`;`).rule).toBe('private-key');
    const password = random(20, ALNUM, 22);
    const m = one(`DATABASE_URL=postgres://app:${password}@db.example.com:5432/app`);
    expect(m).toMatchObject({ rule: 'database-url', value: password });
  });

  it('ignores placeholders, low-entropy fillers and documentation examples', () => {
    const texts = [
      j('OPENAI_API_KEY=sk-', 'proj-', 'x'.repeat(60)),
      j('sk_', 'live_', 'XXXXXXXXXXXXXXXXXXXXXXXX'),
      j('AK', 'IA', 'IOSFODNN7', 'EXAMPLE'),
      j('AK', 'IA', 'AAAAAAAAAAAAAAAA'),
      'DATABASE_URL=postgres://user:password@localhost:5432/app',
      'DATABASE_URL=postgres://user:${DB_PASSWORD}@localhost:5432/app',
      j('gh', 'p_', '<your-token-here-0123456789abcdefghij>'),
    ];
    for (const t of texts) expect(findKeys(t), t).toEqual([]);
  });

  it('does not match inside longer tokens or ordinary code', () => {
    const texts = [
      // CSS and minified identifiers that contain "sk-" or "pk_".
      '.task-list-item{mask-image:none}.desk-top-container-with-a-very-long-class-name-here{}',
      `var risk_live_session=1,xsk-${'proj-'}${random(48, ALNUM, 23)}=2;`,
      j('pk_', 'live_', 'short'),
      'const uuid="3f2504e0-4f89-11d3-9a0c-0305e82c3301";',
      j('my', KEYS.githubClassic),
    ];
    for (const t of texts) expect(findKeys(t), t).toEqual([]);
  });

  it('reports a key found twice once, in the order found, and caps the number of matches', () => {
    const text = `a="${KEYS.stripeLive}";b="${KEYS.openaiProject}";c="${KEYS.stripeLive}"`;
    const found = findKeys(text);
    expect(found.map((m) => m.rule)).toEqual(['stripe-live-secret-key', 'openai-project-key']);
    const many = Array.from({ length: 30 }, (_, i) => j('gh', 'p_', random(36, ALNUM, 100 + i)));
    expect(findKeys(many.join(' '), 5)).toHaveLength(5);
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy(random(64, ALNUM, 24))).toBeGreaterThan(4.5);
  });
});
