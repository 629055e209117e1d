/**
 * The vendors a backend commonly depends on: how to recognise each (SDK package names per
 * ecosystem, environment variable names, the secret scanner's provider names), where its key
 * usually lives, and how to rotate that key. Order matters: the first entry that claims a
 * package or variable wins, so specific entries come before broad ones (`@langchain/openai` is
 * OpenAI; `UPSTASH_REDIS_URL` is Upstash, not plain Redis).
 */

export type ServiceCategory =
  | 'payments'
  | 'ai'
  | 'email'
  | 'sms'
  | 'database'
  | 'auth'
  | 'storage'
  | 'cloud'
  | 'hosting'
  | 'monitoring'
  | 'analytics'
  | 'search'
  | 'messaging'
  | 'developer';

export const CATEGORY_ORDER: readonly ServiceCategory[] = [
  'payments',
  'ai',
  'email',
  'sms',
  'database',
  'auth',
  'storage',
  'cloud',
  'hosting',
  'monitoring',
  'analytics',
  'search',
  'messaging',
  'developer',
];

export interface ServiceEntry {
  id: string;
  name: string;
  category: ServiceCategory;
  /** npm names; a trailing `*` matches a prefix (`@aws-sdk/*`). */
  npm: readonly string[];
  /** PyPI names, PEP 503 normalised (`huggingface-hub`); `*` as above. */
  pypi: readonly string[];
  gems: readonly string[];
  /** Variable names (after a NEXT_PUBLIC_/VITE_… prefix is removed) that belong to it. */
  env: RegExp | null;
  /** Provider names as the secret scanner reports them (key-patterns.ts), when different. */
  secretProviders: readonly string[];
  /** Where its key usually lives. */
  keyEnv: readonly string[];
  /** How to rotate the key: the dashboard path, in one or two sentences. */
  rotate: string;
}

type Row = Omit<ServiceEntry, 'npm' | 'pypi' | 'gems' | 'secretProviders' | 'env'> &
  Partial<Pick<ServiceEntry, 'npm' | 'pypi' | 'gems' | 'secretProviders' | 'env'>>;

const ROWS: Row[] = [
  // Payments
  {
    id: 'stripe',
    name: 'Stripe',
    category: 'payments',
    npm: ['stripe', '@stripe/*'],
    pypi: ['stripe'],
    gems: ['stripe'],
    env: /^STRIPE_/,
    keyEnv: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PUBLISHABLE_KEY'],
    rotate:
      'Stripe Dashboard → Developers → API keys → ⋯ next to the secret key → Roll key (pick when the old key stops working), then update STRIPE_SECRET_KEY and redeploy. Webhook signing secrets: Developers → Webhooks → the endpoint → Roll secret.',
  },
  {
    id: 'lemonsqueezy',
    name: 'Lemon Squeezy',
    category: 'payments',
    npm: ['@lemonsqueezy/*'],
    env: /^LEMON_?SQUEEZY_/,
    keyEnv: ['LEMONSQUEEZY_API_KEY', 'LEMONSQUEEZY_WEBHOOK_SECRET'],
    rotate:
      'Lemon Squeezy → Settings → API → create a new API key, update the app, then delete the old key.',
  },
  {
    id: 'paddle',
    name: 'Paddle',
    category: 'payments',
    npm: ['@paddle/*'],
    pypi: ['paddle-python-sdk'],
    env: /^PADDLE_/,
    keyEnv: ['PADDLE_API_KEY', 'PADDLE_WEBHOOK_SECRET'],
    rotate:
      'Paddle → Developer tools → Authentication → create a new API key, update the app, then revoke the old one.',
  },
  // AI
  {
    id: 'openai',
    name: 'OpenAI',
    category: 'ai',
    npm: ['openai', '@ai-sdk/openai', '@langchain/openai'],
    pypi: ['openai', 'langchain-openai'],
    gems: ['ruby-openai', 'openai'],
    env: /^OPENAI_/,
    keyEnv: ['OPENAI_API_KEY'],
    rotate:
      'platform.openai.com → API keys → Create new secret key, update OPENAI_API_KEY and redeploy, then revoke the old key (keys cannot be rolled in place).',
  },
  {
    id: 'anthropic',
    name: 'Anthropic',
    category: 'ai',
    npm: ['@anthropic-ai/*', '@ai-sdk/anthropic', '@langchain/anthropic'],
    pypi: ['anthropic', 'langchain-anthropic'],
    gems: ['anthropic'],
    env: /^(ANTHROPIC_|CLAUDE_API_KEY$)/,
    keyEnv: ['ANTHROPIC_API_KEY'],
    rotate:
      'console.anthropic.com → Settings → API keys → Create Key, update ANTHROPIC_API_KEY and redeploy, then disable and delete the old key.',
  },
  {
    id: 'gemini',
    name: 'Google Gemini',
    category: 'ai',
    npm: ['@google/generative-ai', '@google/genai', '@ai-sdk/google', '@langchain/google-genai'],
    pypi: ['google-generativeai', 'google-genai', 'langchain-google-genai'],
    env: /^(GEMINI_|GOOGLE_GENERATIVE_AI_|GOOGLE_AI_)/,
    keyEnv: ['GEMINI_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY'],
    rotate:
      'Google AI Studio → Get API key → create a new key, update the app, then delete the old key in Google Cloud Console → APIs & Services → Credentials.',
  },
  {
    id: 'mistral',
    name: 'Mistral AI',
    category: 'ai',
    npm: ['@mistralai/*', '@ai-sdk/mistral'],
    pypi: ['mistralai'],
    env: /^MISTRAL_/,
    keyEnv: ['MISTRAL_API_KEY'],
    rotate:
      'console.mistral.ai → API Keys → create a new key, update the app, then delete the old key.',
  },
  {
    id: 'cohere',
    name: 'Cohere',
    category: 'ai',
    npm: ['cohere-ai'],
    pypi: ['cohere'],
    env: /^(COHERE_|CO_API_KEY$)/,
    keyEnv: ['COHERE_API_KEY'],
    rotate:
      'dashboard.cohere.com → API keys → create a new key, update the app, then delete the old key.',
  },
  {
    id: 'groq',
    name: 'Groq',
    category: 'ai',
    npm: ['groq-sdk', '@ai-sdk/groq'],
    pypi: ['groq'],
    env: /^GROQ_/,
    keyEnv: ['GROQ_API_KEY'],
    rotate:
      'console.groq.com → API Keys → Create API Key, update the app, then delete the old key.',
  },
  {
    id: 'replicate',
    name: 'Replicate',
    category: 'ai',
    npm: ['replicate'],
    pypi: ['replicate'],
    env: /^REPLICATE_/,
    keyEnv: ['REPLICATE_API_TOKEN'],
    rotate:
      'replicate.com → Account settings → API tokens → create a new token, update REPLICATE_API_TOKEN, then delete the old token.',
  },
  {
    id: 'huggingface',
    name: 'Hugging Face',
    category: 'ai',
    npm: ['@huggingface/*'],
    pypi: ['huggingface-hub'],
    env: /^(HF_|HUGGING_?FACE)/,
    keyEnv: ['HF_TOKEN', 'HUGGINGFACE_API_KEY'],
    rotate:
      'huggingface.co → Settings → Access Tokens → the token’s menu → Invalidate and refresh, then update HF_TOKEN.',
  },
  {
    id: 'langsmith',
    name: 'LangChain / LangSmith',
    category: 'ai',
    npm: ['langchain', '@langchain/*', 'langsmith'],
    pypi: ['langchain', 'langchain-*', 'langsmith'],
    env: /^(LANGCHAIN_|LANGSMITH_)/,
    keyEnv: ['LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY'],
    rotate:
      'LangChain itself has no key: rotate the keys of the model providers it calls. LangSmith tracing: smith.langchain.com → Settings → API Keys → create a new key, update LANGSMITH_API_KEY, then delete the old one.',
  },
  {
    id: 'pinecone',
    name: 'Pinecone',
    category: 'database',
    npm: ['@pinecone-database/*'],
    pypi: ['pinecone', 'pinecone-client'],
    env: /^PINECONE_/,
    keyEnv: ['PINECONE_API_KEY'],
    rotate:
      'Pinecone console → API Keys → Create API key, update PINECONE_API_KEY, then delete the old key.',
  },
  // Email and SMS
  {
    id: 'sendgrid',
    name: 'SendGrid',
    category: 'email',
    npm: ['@sendgrid/*'],
    pypi: ['sendgrid'],
    gems: ['sendgrid-ruby'],
    env: /^SENDGRID_/,
    keyEnv: ['SENDGRID_API_KEY'],
    rotate:
      'SendGrid → Settings → API Keys → Create API Key with the same permissions, update SENDGRID_API_KEY, then delete the old key.',
  },
  {
    id: 'postmark',
    name: 'Postmark',
    category: 'email',
    npm: ['postmark'],
    pypi: ['postmarker'],
    gems: ['postmark', 'postmark-rails'],
    env: /^POSTMARK_/,
    keyEnv: ['POSTMARK_SERVER_TOKEN', 'POSTMARK_API_TOKEN'],
    rotate:
      'Postmark → Servers → your server → API Tokens → add a new Server API token, update the app, then delete the old token.',
  },
  {
    id: 'resend',
    name: 'Resend',
    category: 'email',
    npm: ['resend'],
    pypi: ['resend'],
    gems: ['resend'],
    env: /^RESEND_/,
    keyEnv: ['RESEND_API_KEY'],
    rotate:
      'resend.com → API Keys → Create API Key, update RESEND_API_KEY, then delete the old key.',
  },
  {
    id: 'mailgun',
    name: 'Mailgun',
    category: 'email',
    npm: ['mailgun.js', 'mailgun-js'],
    gems: ['mailgun-ruby'],
    env: /^MAILGUN_/,
    keyEnv: ['MAILGUN_API_KEY'],
    rotate:
      'Mailgun → account menu → API Security → create a new API key, update MAILGUN_API_KEY, then delete the old key.',
  },
  {
    id: 'twilio',
    name: 'Twilio',
    category: 'sms',
    npm: ['twilio'],
    pypi: ['twilio'],
    gems: ['twilio-ruby'],
    env: /^TWILIO_/,
    keyEnv: ['TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET'],
    rotate:
      'Twilio Console → Account → API keys & tokens: create a new API key (or request a secondary Auth Token and promote it), update the app, then delete the old key.',
  },
  // Databases and backends
  {
    id: 'supabase',
    name: 'Supabase',
    category: 'database',
    npm: ['@supabase/*'],
    pypi: ['supabase'],
    env: /SUPABASE/,
    keyEnv: ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_SECRET_KEY', 'SUPABASE_ANON_KEY'],
    rotate:
      'Supabase Dashboard → Project Settings → API Keys → create a new secret key, update the app, then delete the old one (projects still on the legacy anon/service_role keys rotate them under Project Settings → JWT Keys). Database password: Project Settings → Database → Reset database password.',
  },
  {
    id: 'firebase',
    name: 'Firebase',
    category: 'database',
    npm: ['firebase', 'firebase-admin', 'firebase-functions'],
    pypi: ['firebase-admin'],
    gems: ['firebase-admin-sdk'],
    env: /^FIREBASE_/,
    keyEnv: ['FIREBASE_SERVICE_ACCOUNT', 'FIREBASE_PRIVATE_KEY', 'FIREBASE_API_KEY'],
    rotate:
      'Firebase Console → Project settings → Service accounts → Generate new private key, update the app, then delete the old key in Google Cloud Console → IAM & Admin → Service Accounts → the account → Keys. The web apiKey is public by design: restrict it under APIs & Services → Credentials.',
  },
  {
    id: 'upstash',
    name: 'Upstash',
    category: 'database',
    npm: ['@upstash/*'],
    pypi: ['upstash-redis', 'upstash-ratelimit', 'upstash-vector'],
    env: /^UPSTASH_/,
    keyEnv: ['UPSTASH_REDIS_REST_TOKEN', 'UPSTASH_REDIS_REST_URL'],
    rotate:
      'Upstash Console → the database → reset its credentials (password and REST token), then update UPSTASH_REDIS_REST_TOKEN and redeploy.',
  },
  {
    id: 'neon',
    name: 'Neon',
    category: 'database',
    npm: ['@neondatabase/*'],
    env: /^NEON_/,
    keyEnv: ['DATABASE_URL'],
    rotate:
      'Neon Console → the project → Roles → the role → Reset password, then update DATABASE_URL everywhere and redeploy.',
  },
  {
    id: 'planetscale',
    name: 'PlanetScale',
    category: 'database',
    npm: ['@planetscale/*'],
    env: /^PLANETSCALE_/,
    keyEnv: ['DATABASE_URL'],
    rotate:
      'PlanetScale → the database → Settings → Passwords → create a new password, update DATABASE_URL, then delete the old password.',
  },
  {
    id: 'turso',
    name: 'Turso',
    category: 'database',
    npm: ['@libsql/*'],
    pypi: ['libsql-client', 'libsql'],
    env: /^(TURSO_|LIBSQL_)/,
    keyEnv: ['TURSO_AUTH_TOKEN', 'TURSO_DATABASE_URL'],
    rotate:
      'Run `turso db tokens invalidate <database>` (this ends every existing token), then `turso db tokens create <database>` and update TURSO_AUTH_TOKEN.',
  },
  {
    id: 'mongodb',
    name: 'MongoDB',
    category: 'database',
    npm: ['mongodb', 'mongoose'],
    pypi: ['pymongo', 'motor', 'mongoengine'],
    gems: ['mongo', 'mongoid'],
    env: /^MONGO/,
    keyEnv: ['MONGODB_URI'],
    rotate:
      'MongoDB Atlas → Database Access → the user → Edit → Edit Password, then update MONGODB_URI everywhere and redeploy.',
  },
  {
    id: 'postgres',
    name: 'PostgreSQL',
    category: 'database',
    npm: ['pg', 'postgres', '@vercel/postgres'],
    pypi: ['psycopg2', 'psycopg2-binary', 'psycopg', 'asyncpg'],
    gems: ['pg'],
    env: /^(PG[A-Z]*$|POSTGRES)/,
    keyEnv: ['DATABASE_URL', 'POSTGRES_URL', 'PGPASSWORD'],
    rotate:
      'Change the database user’s password at your database host (Neon, Supabase, RDS, Railway…), then update DATABASE_URL wherever it is set and redeploy.',
  },
  {
    id: 'mysql',
    name: 'MySQL',
    category: 'database',
    npm: ['mysql2', 'mysql'],
    pypi: ['pymysql', 'mysqlclient', 'mysql-connector-python'],
    gems: ['mysql2'],
    env: /^MYSQL/,
    keyEnv: ['DATABASE_URL', 'MYSQL_PASSWORD'],
    rotate:
      'Change the database user’s password at your database host (PlanetScale, RDS, Railway…), then update DATABASE_URL wherever it is set and redeploy.',
  },
  {
    id: 'redis',
    name: 'Redis',
    category: 'database',
    npm: ['redis', 'ioredis'],
    pypi: ['redis'],
    gems: ['redis'],
    env: /^(REDIS|KV_URL$)/,
    keyEnv: ['REDIS_URL'],
    rotate:
      'At your Redis host (Upstash, Redis Cloud, Railway…), reset the password or token, then update REDIS_URL and redeploy.',
  },
  {
    id: 'database',
    name: 'Database (connection string)',
    category: 'database',
    npm: ['prisma', '@prisma/client', 'drizzle-orm', 'knex', 'sequelize', 'typeorm', 'kysely'],
    pypi: ['prisma', 'sqlalchemy', 'sqlmodel'],
    gems: ['activerecord'],
    env: /^(DATABASE_URL|DB_(URL|PASSWORD|PASS)|DIRECT_URL)$/,
    secretProviders: ['Database'],
    keyEnv: ['DATABASE_URL'],
    rotate:
      'Change the database user’s password at your database host, then update DATABASE_URL wherever it is set (hosting env vars, CI) and redeploy.',
  },
  // Auth
  {
    id: 'clerk',
    name: 'Clerk',
    category: 'auth',
    npm: ['@clerk/*'],
    pypi: ['clerk-backend-api'],
    env: /^CLERK_/,
    keyEnv: ['CLERK_SECRET_KEY', 'CLERK_PUBLISHABLE_KEY'],
    rotate:
      'Clerk Dashboard → API keys → add a new secret key, update CLERK_SECRET_KEY and redeploy, then delete the old key.',
  },
  {
    id: 'authjs',
    name: 'Auth.js (NextAuth)',
    category: 'auth',
    npm: ['next-auth', '@auth/*'],
    env: /^(NEXTAUTH_|AUTH_SECRET$|AUTH_URL$)/,
    keyEnv: ['AUTH_SECRET', 'NEXTAUTH_SECRET'],
    rotate:
      'Generate a new secret (`npx auth secret` or `openssl rand -base64 32`), set AUTH_SECRET / NEXTAUTH_SECRET in the hosting env vars and redeploy: everyone is signed out once. OAuth client secrets are rotated at each provider (GitHub, Google…).',
  },
  {
    id: 'auth0',
    name: 'Auth0',
    category: 'auth',
    npm: ['auth0', '@auth0/*'],
    pypi: ['auth0-python'],
    gems: ['omniauth-auth0', 'auth0'],
    env: /^AUTH0_/,
    keyEnv: ['AUTH0_CLIENT_SECRET', 'AUTH0_SECRET'],
    rotate:
      'Auth0 Dashboard → Applications → the application → Settings → Rotate (next to Client Secret), then update AUTH0_CLIENT_SECRET and redeploy.',
  },
  // Storage and cloud
  {
    id: 'cloudinary',
    name: 'Cloudinary',
    category: 'storage',
    npm: ['cloudinary', 'next-cloudinary'],
    pypi: ['cloudinary'],
    gems: ['cloudinary'],
    env: /^CLOUDINARY_/,
    keyEnv: ['CLOUDINARY_URL', 'CLOUDINARY_API_SECRET'],
    rotate:
      'Cloudinary Console → Settings → API Keys → Generate New API Key, update CLOUDINARY_URL, then deactivate and delete the old key.',
  },
  {
    id: 'uploadthing',
    name: 'UploadThing',
    category: 'storage',
    npm: ['uploadthing', '@uploadthing/*'],
    env: /^UPLOADTHING_/,
    keyEnv: ['UPLOADTHING_TOKEN', 'UPLOADTHING_SECRET'],
    rotate:
      'UploadThing dashboard → the app → API Keys → create a new key, update UPLOADTHING_TOKEN, then delete the old key.',
  },
  {
    id: 'aws',
    name: 'AWS',
    category: 'cloud',
    npm: ['@aws-sdk/*', 'aws-sdk'],
    pypi: ['boto3', 'botocore', 'aiobotocore'],
    gems: ['aws-sdk', 'aws-sdk-*'],
    env: /^AWS_/,
    keyEnv: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    rotate:
      'AWS Console → IAM → Users → the user → Security credentials → Create access key, update the app, then Deactivate and Delete the old key.',
  },
  {
    id: 'gcp',
    name: 'Google Cloud',
    category: 'cloud',
    npm: ['@google-cloud/*', 'googleapis'],
    pypi: ['google-cloud-*', 'google-api-python-client'],
    gems: ['google-cloud-*'],
    env: /^(GOOGLE_APPLICATION_CREDENTIALS$|GOOGLE_CLOUD_|GCP_|GCLOUD_|GOOGLE_API_KEY$)/,
    secretProviders: ['Google'],
    keyEnv: ['GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_API_KEY'],
    rotate:
      'Google Cloud Console → IAM & Admin → Service Accounts → the account → Keys → Add key → Create new key, update the app, then delete the old key. API keys: APIs & Services → Credentials → create a new key and delete the old one.',
  },
  {
    id: 'azure',
    name: 'Microsoft Azure',
    category: 'cloud',
    npm: ['@azure/*'],
    pypi: ['azure-*'],
    gems: ['azure-*'],
    env: /^AZURE_/,
    keyEnv: ['AZURE_CLIENT_SECRET', 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_OPENAI_API_KEY'],
    rotate:
      'Azure Portal → the resource → Access keys (Storage) or Keys and Endpoint (Azure OpenAI, AI services) → switch the app to the second key, then Regenerate the first. App registrations: Certificates & secrets → New client secret, then delete the old one.',
  },
  // Hosting
  {
    id: 'vercel',
    name: 'Vercel',
    category: 'hosting',
    npm: ['@vercel/*', 'vercel'],
    env: /^(VERCEL_|BLOB_READ_WRITE_TOKEN$|KV_REST_API_)/,
    keyEnv: ['VERCEL_TOKEN', 'BLOB_READ_WRITE_TOKEN'],
    rotate:
      'Vercel → Account Settings → Tokens → create a new token, update CI, then delete the old one. Storage tokens (Blob, KV) are reissued from the store’s page under Storage and reach the app on the next deploy.',
  },
  {
    id: 'netlify',
    name: 'Netlify',
    category: 'hosting',
    npm: ['@netlify/*', 'netlify', 'netlify-cli'],
    env: /^NETLIFY_/,
    keyEnv: ['NETLIFY_AUTH_TOKEN'],
    rotate:
      'Netlify → User settings → Applications → Personal access tokens → New access token, update CI, then delete the old token.',
  },
  {
    id: 'cloudflare',
    name: 'Cloudflare',
    category: 'hosting',
    npm: ['wrangler', '@cloudflare/*', 'cloudflare'],
    pypi: ['cloudflare'],
    env: /^(CLOUDFLARE_|CF_API_)/,
    keyEnv: ['CLOUDFLARE_API_TOKEN'],
    rotate:
      'Cloudflare Dashboard → My Profile → API Tokens → the token → Roll, then update CLOUDFLARE_API_TOKEN.',
  },
  // Monitoring, analytics, search, messaging
  {
    id: 'sentry',
    name: 'Sentry',
    category: 'monitoring',
    npm: ['@sentry/*'],
    pypi: ['sentry-sdk'],
    gems: ['sentry-ruby', 'sentry-rails', 'sentry-raven'],
    env: /^SENTRY_/,
    keyEnv: ['SENTRY_AUTH_TOKEN', 'SENTRY_DSN'],
    rotate:
      'The DSN is meant to be public. The auth token (SENTRY_AUTH_TOKEN, for source-map uploads): Sentry → Settings → Organization Tokens (or Personal Tokens) → create a new token, update CI, then revoke the old one.',
  },
  {
    id: 'datadog',
    name: 'Datadog',
    category: 'monitoring',
    npm: ['dd-trace', '@datadog/*'],
    pypi: ['ddtrace', 'datadog'],
    gems: ['ddtrace', 'datadog'],
    env: /^(DD_|DATADOG_)/,
    keyEnv: ['DD_API_KEY', 'DD_APP_KEY'],
    rotate:
      'Datadog → Organization Settings → API Keys → New Key, update DD_API_KEY, then revoke the old key.',
  },
  {
    id: 'posthog',
    name: 'PostHog',
    category: 'analytics',
    npm: ['posthog-js', 'posthog-node'],
    pypi: ['posthog'],
    gems: ['posthog-ruby'],
    env: /^POSTHOG_/,
    keyEnv: ['POSTHOG_KEY', 'POSTHOG_PERSONAL_API_KEY'],
    rotate:
      'The project API key (phc_…) is public by design. Personal API keys (phx_…): PostHog → Settings → User → Personal API keys → create a new key, update the app, then delete the old one.',
  },
  {
    id: 'algolia',
    name: 'Algolia',
    category: 'search',
    npm: ['algoliasearch', '@algolia/*'],
    pypi: ['algoliasearch'],
    gems: ['algolia', 'algoliasearch-rails'],
    env: /^ALGOLIA_/,
    keyEnv: ['ALGOLIA_ADMIN_KEY', 'ALGOLIA_SEARCH_KEY'],
    rotate:
      'Algolia Dashboard → Settings → API Keys → regenerate the Admin API key (keys you created: All API Keys → delete and create a new one), update the app and redeploy.',
  },
  {
    id: 'slack',
    name: 'Slack',
    category: 'messaging',
    npm: ['@slack/*'],
    pypi: ['slack-sdk', 'slack-bolt'],
    gems: ['slack-ruby-client'],
    env: /^SLACK_/,
    keyEnv: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_WEBHOOK_URL'],
    rotate:
      'api.slack.com/apps → your app: Basic Information → App Credentials → Regenerate the signing secret; OAuth & Permissions → revoke the token and reinstall the app for a new one. Webhook URLs: Incoming Webhooks → remove the URL and add a new one.',
  },
  {
    id: 'pusher',
    name: 'Pusher',
    category: 'messaging',
    npm: ['pusher', 'pusher-js'],
    pypi: ['pusher'],
    gems: ['pusher'],
    env: /^PUSHER_/,
    keyEnv: ['PUSHER_SECRET', 'PUSHER_KEY'],
    rotate:
      'Pusher dashboard → the app → App Keys → create a new key, update the app, then delete the old key.',
  },
  {
    id: 'github',
    name: 'GitHub',
    category: 'developer',
    npm: ['@octokit/*', 'octokit'],
    pypi: ['pygithub'],
    gems: ['octokit'],
    env: /^(GITHUB_(TOKEN|PAT|CLIENT_SECRET|APP_)|GH_TOKEN$)/,
    keyEnv: ['GITHUB_TOKEN'],
    rotate:
      'GitHub → Settings → Developer settings → Personal access tokens → Regenerate token (or delete it and create a fine-grained one); OAuth/GitHub App client secrets: the app’s settings → Generate a new client secret, then delete the old one.',
  },
  {
    id: 'gitlab',
    name: 'GitLab',
    category: 'developer',
    npm: ['@gitbeaker/*'],
    pypi: ['python-gitlab'],
    gems: ['gitlab'],
    env: /^(GITLAB_(TOKEN|PAT|API_TOKEN)|GL_TOKEN$)/,
    keyEnv: ['GITLAB_TOKEN'],
    rotate:
      'GitLab → User settings (or the project/group) → Access tokens → Rotate next to the token (or revoke it and add a new one), then update GITLAB_TOKEN.',
  },
];

export const SERVICE_CATALOGUE: readonly ServiceEntry[] = ROWS.map((r) => ({
  npm: [],
  pypi: [],
  gems: [],
  secretProviders: [],
  env: null,
  ...r,
}));

/** A package name against a catalogue list: exact, or a `prefix*` pattern. */
export function matchesName(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}
