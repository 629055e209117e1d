import { describe, expect, it } from 'vitest';
import type { KeyMatch } from '../../src/main/core/probes/secrets/key-patterns';
import { findKeys, KEY_RULES } from '../../src/main/core/probes/secrets/key-patterns';
import { ALNUM, HEX, B32, B64, random } from '../support/random-text';

/**
 * True and false positives for each rule family, through findKeys. Keys are assembled at run
 * time from a seeded generator and split prefixes, so this file holds no provider-shaped literal
 * for repository secret scanners to flag.
 */
const j = (...parts: string[]) => parts.join('');
let seed = 1000;
/** Random material that mixes letters and digits when the alphabet has both, as keys do. */
const rnd = (n: number, alphabet = ALNUM) => {
  const mixed = /[0-9]/.test(alphabet) && /[A-Za-z]/.test(alphabet);
  for (;;) {
    const s = random(n, alphabet, seed++);
    if (mixed && !(/[0-9]/.test(s) && /[A-Za-z]/.test(s))) continue;
    if (!/test|fake|dummy|sample|example/i.test(s)) return s;
  }
};
const uuid = () =>
  [rnd(8, HEX), rnd(4, HEX), `4${rnd(3, HEX)}`, `a${rnd(3, HEX)}`, rnd(12, HEX)].join('-');

function pem(kind: string, escaped: boolean): string {
  const nl = escaped ? '\\n' : '\n';
  const body = Array.from({ length: 8 }, () => rnd(64, B64)).join(nl);
  return j(
    '-----BEGIN ',
    kind,
    'PRIVATE KEY-----',
    nl,
    body,
    nl,
    '-----END ',
    kind,
    'PRIVATE KEY-----',
  );
}

function jwt(claims: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}.${rnd(43, `${ALNUM}_-`)}`;
}

function serviceAccount(email: string): { json: string; key: string } {
  const key = pem('', true);
  const json = JSON.stringify(
    {
      type: 'service_account',
      project_id: 'acme-prod',
      private_key_id: rnd(40, HEX),
      private_key: 'KEY',
      client_email: email,
      client_id: '104729384756102938475',
    },
    null,
    2,
  ).replace('"KEY"', `"${key}\\n"`);
  return { json, key };
}

const repo = (text: string) => findKeys(text, 50, { source: 'repo' });
const docs = (text: string) => findKeys(text, 50, { source: 'repo', documentation: true });

function only(found: KeyMatch[], text: string): KeyMatch {
  expect(found, text.slice(0, 120)).toHaveLength(1);
  return found[0]!;
}

interface Case {
  family: string;
  /** The line of source that holds the key. */
  text: string;
  value: string;
  rule: string;
  provider?: string;
  keyClass?: KeyMatch['keyClass'];
  prefix?: string;
}

const sa = serviceAccount('deployer@acme-prod.iam.gserviceaccount.com');
const fb = serviceAccount('firebase-adminsdk-x1y2z@acme-prod.iam.gserviceaccount.com');
const v = {
  awsId: j('AK', 'IA', rnd(16, B32)),
  awsSecret: rnd(40, B64),
  azureStorage: `${rnd(86, B64)}==`,
  azureQ: j(rnd(3), '8Q', '~', rnd(34, `${ALNUM}_~.-`)),
  azureKw: rnd(40, `${ALNUM}_-`),
  stripeLive: j('sk_', 'live_', rnd(24)),
  stripeRestricted: j('rk_', 'live_', rnd(24)),
  stripeTest: j('sk_', 'test_', rnd(24)),
  openaiProject: j('sk-', 'proj-', rnd(74, `${ALNUM}_-`), 'T3Blbk', 'FJ', rnd(74)),
  openaiSvc: j('sk-', 'svcacct-', rnd(60, `${ALNUM}_-`)),
  openaiLegacy: j('sk-', rnd(20), 'T3Blbk', 'FJ', rnd(20)),
  anthropic: j('sk-', 'ant-', 'api03-', rnd(93, `${ALNUM}_-`), 'AA'),
  google: j('AI', 'za', rnd(35, `${ALNUM}_-`)),
  groq: j('gs', 'k_', rnd(52)),
  huggingface: j('hf', '_', rnd(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')),
  replicate: j('r8', '_', rnd(37)),
  ghp: j('gh', 'p_', rnd(36)),
  gho: j('gh', 'o_', rnd(36)),
  ghu: j('gh', 'u_', rnd(36)),
  ghs: j('gh', 's_', rnd(36)),
  ghr: j('gh', 'r_', rnd(36)),
  githubPat: j('github_', 'pat_', rnd(82, `${ALNUM}_`)),
  gitlab: j('gl', 'pat-', rnd(20, `${ALNUM}_-`)),
  slackBot: j('xo', 'xb-', '2345678901234-', '3456789012345-', rnd(24)),
  slackUser: j('xo', 'xp-', '2345678901234-', '3456789012345-', rnd(32, HEX)),
  slackHook: j('hooks.slack.com/services/', 'T0', rnd(7), '/B0', rnd(7), '/', rnd(24)),
  twilioKey: j('S', 'K', rnd(32, HEX)),
  twilioToken: rnd(32, HEX),
  twilioPairToken: rnd(32, HEX),
  sendgrid: j('SG', '.', rnd(22), '.', rnd(43)),
  mailgun: j('key', '-', rnd(32, HEX)),
  postmark: uuid(),
  resend: j('re', '_', rnd(8), '_', rnd(24)),
  supabaseService: jwt({ iss: 'supabase', ref: 'abcd', role: 'service_role' }),
  supabaseSecret: j('sb_', 'secret_', rnd(32, `${ALNUM}_-`)),
  pgPassword: rnd(24),
  mysqlPassword: rnd(20),
  mongoPassword: rnd(18),
  redisPassword: rnd(32),
  vercelKw: rnd(24),
  vercelPrefixed: j('vc', 'p_', rnd(40)),
  netlify: j('nf', 'p_', rnd(36)),
  netlifyKw: rnd(43, `${ALNUM}_-`),
  cloudflareToken: rnd(40, `${ALNUM}_-`),
  cloudflareGlobal: rnd(37, HEX),
  rsa: pem('RSA ', false),
  openssh: pem('OPENSSH ', false),
  jwtSecret: rnd(48, `${ALNUM}+/=`),
  nextauth: rnd(44, B64),
  keyBase: rnd(128, HEX),
  django: j('django-insecure-', rnd(40, `${ALNUM}!@#%^&*(-_=+)`)),
  generic: rnd(32),
};

const CASES: Case[] = [
  {
    family: 'AWS key id',
    text: `AWS_ACCESS_KEY_ID=${v.awsId}`,
    value: v.awsId,
    rule: 'aws-access-key-id',
    prefix: 'AKIA',
  },
  {
    family: 'AWS secret (credentials file)',
    text: `aws_secret_access_key = ${v.awsSecret}`,
    value: v.awsSecret,
    rule: 'aws-secret-access-key',
  },
  {
    family: 'AWS secret (SDK config)',
    text: `new S3({ secretAccessKey: "${v.awsSecret}" })`,
    value: v.awsSecret,
    rule: 'aws-secret-access-key',
  },
  {
    family: 'GCP service account',
    text: sa.json,
    value: sa.key,
    rule: 'gcp-service-account-key',
    provider: 'Google Cloud',
  },
  {
    family: 'Firebase service account',
    text: fb.json,
    value: fb.key,
    rule: 'gcp-service-account-key',
    provider: 'Firebase',
  },
  {
    family: 'Azure storage',
    text: `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${v.azureStorage};EndpointSuffix=core.windows.net"`,
    value: v.azureStorage,
    rule: 'azure-storage-key',
  },
  {
    family: 'Azure client secret (format)',
    text: `clientSecret: '${v.azureQ}'`,
    value: v.azureQ,
    rule: 'azure-client-secret',
  },
  {
    family: 'Azure client secret (keyword)',
    text: `AZURE_CLIENT_SECRET=${v.azureKw}`,
    value: v.azureKw,
    rule: 'azure-client-secret',
  },
  {
    family: 'Stripe live',
    text: `STRIPE_SECRET_KEY=${v.stripeLive}`,
    value: v.stripeLive,
    rule: 'stripe-live-secret-key',
    prefix: 'sk_live_',
  },
  {
    family: 'Stripe restricted',
    text: `stripe(${JSON.stringify(v.stripeRestricted)})`,
    value: v.stripeRestricted,
    rule: 'stripe-live-secret-key',
    prefix: 'rk_live_',
  },
  {
    family: 'Stripe test',
    text: `STRIPE_SECRET_KEY=${v.stripeTest}`,
    value: v.stripeTest,
    rule: 'stripe-test-secret-key',
    keyClass: 'test-secret',
    prefix: 'sk_test_',
  },
  {
    family: 'OpenAI project',
    text: `OPENAI_API_KEY=${v.openaiProject}`,
    value: v.openaiProject,
    rule: 'openai-project-key',
    prefix: 'sk-proj-',
  },
  {
    family: 'OpenAI service account',
    text: `OPENAI_API_KEY="${v.openaiSvc}"`,
    value: v.openaiSvc,
    rule: 'openai-project-key',
    prefix: 'sk-svcacct-',
  },
  {
    family: 'OpenAI legacy',
    text: `openai.api_key = "${v.openaiLegacy}"`,
    value: v.openaiLegacy,
    rule: 'openai-legacy-key',
    prefix: 'sk-',
  },
  {
    family: 'Anthropic',
    text: `ANTHROPIC_API_KEY=${v.anthropic}`,
    value: v.anthropic,
    rule: 'anthropic-api-key',
    prefix: 'sk-ant-api03-',
  },
  {
    family: 'Google AI',
    text: `const genAI = new GoogleGenerativeAI("${v.google}");`,
    value: v.google,
    rule: 'google-api-key',
  },
  {
    family: 'Google key on a server',
    text: `GOOGLE_API_KEY=${v.google}`,
    value: v.google,
    rule: 'google-api-key',
  },
  {
    family: 'Groq',
    text: `GROQ_API_KEY=${v.groq}`,
    value: v.groq,
    rule: 'groq-api-key',
    prefix: 'gsk_',
  },
  {
    family: 'Hugging Face',
    text: `HF_TOKEN=${v.huggingface}`,
    value: v.huggingface,
    rule: 'huggingface-token',
    prefix: 'hf_',
  },
  {
    family: 'Replicate',
    text: `REPLICATE_API_TOKEN=${v.replicate}`,
    value: v.replicate,
    rule: 'replicate-api-token',
    prefix: 'r8_',
  },
  ...(['ghp', 'gho', 'ghu', 'ghs', 'ghr', 'githubPat'] as const).map((k) => ({
    family: `GitHub ${k}`,
    text: `GITHUB_TOKEN=${v[k]}`,
    value: v[k],
    rule: 'github-token',
  })),
  {
    family: 'GitLab',
    text: `GITLAB_TOKEN=${v.gitlab}`,
    value: v.gitlab,
    rule: 'gitlab-token',
    prefix: 'glpat-',
  },
  {
    family: 'Slack bot token',
    text: `SLACK_BOT_TOKEN=${v.slackBot}`,
    value: v.slackBot,
    rule: 'slack-token',
    prefix: 'xoxb-',
  },
  {
    family: 'Slack user token',
    text: `slack_token: "${v.slackUser}"`,
    value: v.slackUser,
    rule: 'slack-token',
    prefix: 'xoxp-',
  },
  {
    family: 'Slack webhook',
    text: `SLACK_WEBHOOK_URL=https://${v.slackHook}`,
    value: v.slackHook,
    rule: 'slack-webhook',
  },
  {
    family: 'Twilio API key',
    text: `TWILIO_API_KEY=${v.twilioKey}`,
    value: v.twilioKey,
    rule: 'twilio-api-key',
    prefix: 'SK',
  },
  {
    family: 'Twilio auth token (keyword)',
    text: `TWILIO_AUTH_TOKEN=${v.twilioToken}`,
    value: v.twilioToken,
    rule: 'twilio-auth-token',
  },
  {
    family: 'Twilio auth token (after the SID)',
    text: `const client = twilio("${j('A', 'C', rnd(32, HEX))}", "${v.twilioPairToken}");`,
    value: v.twilioPairToken,
    rule: 'twilio-auth-token',
  },
  {
    family: 'SendGrid',
    text: `SENDGRID_API_KEY=${v.sendgrid}`,
    value: v.sendgrid,
    rule: 'sendgrid-api-key',
    prefix: 'SG.',
  },
  {
    family: 'Mailgun',
    text: `MAILGUN_API_KEY=${v.mailgun}`,
    value: v.mailgun,
    rule: 'mailgun-api-key',
    prefix: 'key-',
  },
  {
    family: 'Postmark',
    text: `POSTMARK_SERVER_TOKEN=${v.postmark}`,
    value: v.postmark,
    rule: 'postmark-server-token',
  },
  {
    family: 'Postmark (client)',
    text: `const client = new postmark.ServerClient("${v.postmark}");`,
    value: v.postmark,
    rule: 'postmark-server-token',
  },
  {
    family: 'Resend',
    text: `const resend = new Resend('${v.resend}');`,
    value: v.resend,
    rule: 'resend-api-key',
    prefix: 're_',
  },
  {
    family: 'Supabase service_role',
    text: `SUPABASE_SERVICE_ROLE_KEY=${v.supabaseService}`,
    value: v.supabaseService,
    rule: 'supabase-jwt',
  },
  {
    family: 'Supabase secret key',
    text: `SUPABASE_SECRET_KEY=${v.supabaseSecret}`,
    value: v.supabaseSecret,
    rule: 'supabase-api-key',
    prefix: 'sb_secret_',
  },
  {
    family: 'Postgres URL',
    text: `DATABASE_URL=postgres://app:${v.pgPassword}@db.acme.internal:5432/app`,
    value: v.pgPassword,
    rule: 'database-url',
  },
  {
    family: 'MySQL URL',
    text: `url = "mysql://root:${v.mysqlPassword}@aws.connect.psdb.cloud/acme"`,
    value: v.mysqlPassword,
    rule: 'database-url',
  },
  {
    family: 'MongoDB SRV URL',
    text: `MONGODB_URI=mongodb+srv://acme:${v.mongoPassword}@cluster0.ab1cd.mongodb.net/prod`,
    value: v.mongoPassword,
    rule: 'database-url',
  },
  {
    family: 'Redis URL',
    text: `REDIS_URL=rediss://default:${v.redisPassword}@eu1-cool-cat-12345.upstash.io:6379`,
    value: v.redisPassword,
    rule: 'database-url',
  },
  {
    family: 'Vercel (keyword)',
    text: `VERCEL_TOKEN=${v.vercelKw}`,
    value: v.vercelKw,
    rule: 'vercel-token',
  },
  {
    family: 'Vercel (prefixed)',
    text: `token: "${v.vercelPrefixed}"`,
    value: v.vercelPrefixed,
    rule: 'vercel-token',
    prefix: 'vcp_',
  },
  {
    family: 'Netlify',
    text: `NETLIFY_AUTH_TOKEN=${v.netlify}`,
    value: v.netlify,
    rule: 'netlify-access-token',
    prefix: 'nfp_',
  },
  {
    family: 'Netlify (keyword)',
    text: `netlify_token: ${v.netlifyKw}`,
    value: v.netlifyKw,
    rule: 'netlify-access-token',
  },
  {
    family: 'Cloudflare API token',
    text: `CLOUDFLARE_API_TOKEN=${v.cloudflareToken}`,
    value: v.cloudflareToken,
    rule: 'cloudflare-api-token',
  },
  {
    family: 'Cloudflare global key',
    text: `CLOUDFLARE_API_KEY="${v.cloudflareGlobal}"`,
    value: v.cloudflareGlobal,
    rule: 'cloudflare-global-api-key',
  },
  { family: 'RSA private key', text: v.rsa, value: v.rsa, rule: 'private-key' },
  { family: 'OpenSSH private key', text: v.openssh, value: v.openssh, rule: 'private-key' },
  {
    family: 'JWT secret',
    text: `JWT_SECRET=${v.jwtSecret}`,
    value: v.jwtSecret,
    rule: 'jwt-signing-secret',
  },
  {
    family: 'NextAuth secret',
    text: `NEXTAUTH_SECRET="${v.nextauth}"`,
    value: v.nextauth,
    rule: 'jwt-signing-secret',
  },
  {
    family: 'Rails secret_key_base',
    text: `SECRET_KEY_BASE=${v.keyBase}`,
    value: v.keyBase,
    rule: 'jwt-signing-secret',
  },
  {
    family: 'Django SECRET_KEY',
    text: `SECRET_KEY = '${v.django}'`,
    value: v.django,
    rule: 'django-secret-key',
  },
  {
    family: 'generic',
    text: `const config = { apiKey: "${v.generic}" };`,
    value: v.generic,
    rule: 'generic-secret',
  },
];

describe('rule families: true positives in source files', () => {
  it.each(CASES.map((c) => [c.family, c] as const))('%s', (_family, c) => {
    const m = only(repo(`# settings\n${c.text}\n`), c.text);
    expect(m).toMatchObject({ rule: c.rule, value: c.value, keyClass: c.keyClass ?? 'secret' });
    if (c.provider) expect(m.provider).toBe(c.provider);
    if (c.prefix) expect(m.prefix).toBe(c.prefix);
  });

  it('every rule id is exercised by a case above or below', () => {
    const covered = new Set([...CASES.map((c) => c.rule), 'stripe-publishable-key']);
    expect(KEY_RULES.filter((r) => !covered.has(r))).toEqual([]);
  });

  it('labels keys by what they are: OpenSSH, Gemini, Firebase Admin', () => {
    expect(only(repo(v.openssh), 'openssh').label).toBe('Private key (OpenSSH)');
    expect(only(repo(`new GoogleGenerativeAI("${v.google}")`), 'gemini').label).toMatch(/Gemini/);
    expect(only(repo(fb.json), 'firebase').label).toMatch(/Firebase Admin/);
  });
});

describe('rule families: what is not a leak', () => {
  const publishable = [
    [
      'Supabase anon key',
      `NEXT_PUBLIC_SUPABASE_ANON_KEY=${jwt({ iss: 'supabase', role: 'anon' })}`,
    ],
    ['Supabase publishable key', `SUPABASE_KEY=${j('sb_', 'publishable_', rnd(32))}`],
    [
      'Firebase web config',
      `const firebaseConfig = { apiKey: "${v.google}", authDomain: "acme.firebaseapp.com" };`,
    ],
    ['Stripe publishable key', `NEXT_PUBLIC_STRIPE_KEY=${j('pk_', 'live_', rnd(24))}`],
  ] as const;
  it.each(publishable)('%s is publishable', (_name, text) => {
    expect(only(repo(text), text).keyClass).toBe('publishable');
  });

  it('a Google Maps key in a repository is restricted, not secret', () => {
    const m = only(repo(`NEXT_PUBLIC_GOOGLE_MAPS_API_KEY=${v.google}`), 'maps');
    expect(m).toMatchObject({ keyClass: 'restricted', label: 'Google Maps API key' });
  });

  it('a local database password is a test secret', () => {
    const m = only(repo(`DATABASE_URL=postgres://app:${v.pgPassword}@localhost:5432/app`), 'db');
    expect(m).toMatchObject({ rule: 'database-url', keyClass: 'test-secret' });
    expect(
      only(repo(`url: postgresql://app:${v.pgPassword}@db:5432/app`), 'compose').keyClass,
    ).toBe('test-secret');
  });

  const negatives: [string, string][] = [
    ['AWS documentation key', j('AWS_ACCESS_KEY_ID=AK', 'IA', 'IOSFODNN7', 'EXAMPLE')],
    [
      'AWS secret placeholder',
      'aws_secret_access_key = YOUR_SECRET_ACCESS_KEY_HERE_0123456789abcd',
    ],
    ['service account without a private key', sa.json.replace(/"private_key": ".*",\n/, '')],
    [
      'Azurite emulator key',
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${v.azureStorage};`,
    ],
    ['Azure client secret of x', j('client_secret=bP88Q', '~', 'x'.repeat(34))],
    ['Stripe key in an identifier', `var risk_${'live'}_session_${rnd(24)} = 1;`],
    ['OpenAI placeholder', j('OPENAI_API_KEY=sk-', 'proj-', 'your-api-key-here-', 'x'.repeat(40))],
    ['Google key inside a longer token', j('data', 'AI', 'za', rnd(35))],
    ['Groq placeholder', j('GROQ_API_KEY=gs', 'k_', 'x'.repeat(52))],
    ['GitLab filler', j('gl', 'pat-', 'XXXXXXXXXXX-XXXXXXXX')],
    ['Slack placeholder', j('xo', 'xb-', '<your-bot-token-goes-here>')],
    ['Twilio account SID alone', j('TWILIO_ACCOUNT_SID=A', 'C', rnd(32, HEX))],
    ['hex run named key- without a provider', j('const id = "key', '-', rnd(32, HEX), '";')],
    ['bare UUID', `const requestId = "${uuid()}";`],
    ['Resend-shaped Python identifier', 're_compile_patterns_for_long_identifier_names = None'],
    ['database URL placeholders', 'DATABASE_URL=postgres://user:password@localhost:5432/app'],
    ['database URL variable', 'DATABASE_URL=postgres://user:${DB_PASSWORD}@db.acme.io:5432/app'],
    ['Vercel token of identifier letters', 'VERCEL_TOKEN=abcdefghijklmnopqrstuvwx'],
    ['Cloudflare token placeholder', j('CLOUDFLARE_API_TOKEN=', 'changeme_', 'a'.repeat(31))],
    ['PEM placeholder', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
    ['JWT secret from the environment', 'JWT_SECRET=process.env.JWT_SECRET_FROM_VAULT'],
    ['JWT secret placeholder', 'NEXTAUTH_SECRET=your-nextauth-secret-here'],
    ['JWT secret name', 'jwtSecretName: prod-jwt-secret-2024-rotation'],
    ['Django from the environment', "SECRET_KEY = os.environ['DJANGO_SECRET_KEY_VALUE']"],
    [
      'a list of variable names',
      "keyEnv: ['AZURE_CLIENT_SECRET', 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_OPENAI_API_KEY'],",
    ],
  ];
  it.each(negatives)('%s', (_name, text) => {
    expect(repo(text)).toEqual([]);
  });
});

describe('the generic rule (gitleaks-style, repositories only)', () => {
  const secret = () => rnd(28);
  const positives: [string, string][] = [
    ['dotenv', `PAYMENT_PROVIDER_SECRET=${secret()}`],
    ['JSON', `{ "client_secret": "${rnd(64, HEX)}" }`],
    ['YAML', `  api_key: ${secret()}`],
    ['Python', `ACCESS_TOKEN = '${secret()}'`],
    ['Ruby hash', `:auth_token => "${secret()}"`],
    ['Go', `password := "${rnd(20, `${ALNUM}!@#$%^&*`)}"`],
    ['TypeScript', `private readonly encryptionKey = '${secret()}';`],
    ['Makefile', `DB_PASSWD ?= ${secret()}`],
  ];
  it.each(positives)('finds a hard-coded secret in %s', (_name, text) => {
    expect(only(repo(text), text).rule).toBe('generic-secret');
  });

  const negatives: [string, string][] = [
    ['a type', 'token: string;'],
    ['a call', 'const token = await getSessionToken2(req);'],
    ['a member expression', 'const token = req.headers.authorization2;'],
    ['a variable', 'password: hashedPassword2024Value,'],
    ['an environment read', 'const secret = process.env.APP_SECRET_VALUE_2;'],
    ['a public key', `"publicKey": "${rnd(44)}"`],
    ['a CSRF token', `csrfToken: "${rnd(32)}"`],
    ['a token URL', 'tokenUrl: "https://oauth2.acme.io/v1/token/refresh2"'],
    ['a key id', `keyId: "${rnd(24)}"`],
    ['a UUID', `apiToken: "${uuid()}"`],
    ['a bcrypt hash', `password: "$2b$10$${rnd(53, `${ALNUM}./`)}"`],
    ['a secret name', 'secretName: acme-app-secrets-2024-prod'],
    ['a token limit', 'max_tokens: 4096'],
    ['a test value', 'accessToken: "test-token-1234567890abcdef"'],
    ['low entropy', 'password: "aaaaaaaabbbbbbbb1111"'],
    ['a sequence', 'secret=abcdefghijklmnop1'],
    ['too short', 'password: "Pa55word!"'],
    ['a placeholder', 'api_key: "<your-api-key-goes-here-123>"'],
    ['a GitHub Actions secret', 'token: ${{ secrets.DEPLOY_TOKEN_2 }}'],
    ['letters only', 'auth_secret_name_value: abcdefghijklmnopqrstuvwxyzABCD'],
    ['a file path', 'private_key: ./certs/prod-2024/server.pem'],
    ['an author', 'author: "Jane Doe <jane2024@acme.io>"'],
    ['a tokenizer', 'tokenizer: bert-base-uncased-2024-v2'],
  ];
  it.each(negatives)('ignores %s', (_name, text) => {
    expect(repo(text)).toEqual([]);
  });

  it('does not run on website bundles, where minified code is full of such names', () => {
    const text = `!function(){var e={apiKey:"${rnd(32)}",token:"${rnd(40)}"};}();`;
    expect(repo(text).map((m) => m.rule)).toEqual(['generic-secret', 'generic-secret']);
    expect(findKeys(text)).toEqual([]);
  });

  it('a provider key assigned to a secret-sounding name is reported once, as the provider key', () => {
    const found = repo(`STRIPE_SECRET_KEY=${v.stripeLive}\nPASSWORD_TOKEN=${v.groq}`);
    expect(found.map((m) => m.rule)).toEqual(['stripe-live-secret-key', 'groq-api-key']);
  });
});

describe('documentation files (.env.example and friends)', () => {
  it('ignores placeholders and keyword values, but reports a pasted real-format key', () => {
    const text = [
      'OPENAI_API_KEY=sk-your-key-here',
      'STRIPE_SECRET_KEY=sk_live_...',
      `JWT_SECRET=${rnd(40)}`,
      `SESSION_TOKEN=${rnd(40)}`,
      'DATABASE_URL=postgresql://johndoe:randompassword@localhost:5432/mydb',
      `NEXT_PUBLIC_SUPABASE_ANON_KEY=${jwt({ role: 'anon' })}`,
      `ANTHROPIC_API_KEY=${v.anthropic}`,
    ].join('\n');
    const m = only(docs(text), 'example file');
    expect(m).toMatchObject({ rule: 'anthropic-api-key', value: v.anthropic });
  });

  it('reports a real remote database URL pasted into an example', () => {
    const password = rnd(24);
    const m = only(docs(`DATABASE_URL=postgres://app:${password}@db.acme-prod.io:5432/app`), 'db');
    expect(m).toMatchObject({ rule: 'database-url', value: password, keyClass: 'secret' });
  });
});
