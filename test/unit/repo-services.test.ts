// The services inventory: vendors found from manifests, variable names and secret providers,
// each with where its key lives and how to rotate it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATEGORY_ORDER,
  matchesName,
  SERVICE_CATALOGUE,
} from '../../src/main/core/repo/service-catalogue';
import type { ServiceInventory } from '../../src/main/core/repo/services';
import { inventoryServices } from '../../src/main/core/repo/services';

let work: string;

async function repo(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

function service(inv: ServiceInventory, id: string) {
  const s = inv.services.find((x) => x.id === id);
  if (!s) throw new Error(`${id} not found in ${inv.services.map((x) => x.id).join(', ')}`);
  return s;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'launch-ready-services-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('inventoryServices', () => {
  let inv: ServiceInventory;

  beforeAll(async () => {
    const root = await repo('app', {
      'package.json': JSON.stringify({
        dependencies: {
          next: '^15.0.0',
          stripe: '^16.0.0',
          openai: '^4.0.0',
          '@langchain/openai': '^0.3.0',
          '@aws-sdk/client-s3': '^3.600.0',
          '@prisma/client': '^5.0.0',
          pg: '^8.11.0',
        },
        devDependencies: { '@sentry/nextjs': '^8.0.0', prisma: '^5.0.0' },
      }),
      'backend/requirements.txt': '# api\nanthropic==0.30.0\npsycopg2-binary>=2.9\n-e .\n',
      'backend/pyproject.toml': [
        '[project]',
        'name = "api"',
        'dependencies = [',
        '  "Huggingface_Hub>=0.20",',
        '  "google-cloud-storage",',
        ']',
        '[tool.poetry.dependencies]',
        'python = "^3.11"',
        'twilio = "^9.0"',
      ].join('\n'),
      'billing/Gemfile':
        "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"sendgrid-ruby\"\n",
      'node_modules/resend/package.json': JSON.stringify({ dependencies: { resend: '1' } }),
    });
    inv = await inventoryServices(root, {
      envNames: [
        'NEXT_PUBLIC_SUPABASE_URL',
        'SUPABASE_SERVICE_ROLE_KEY',
        'UPSTASH_REDIS_REST_TOKEN',
        'STRIPE_SECRET_KEY',
        'DATABASE_URL',
        'MY_FEATURE_FLAG',
      ],
      secretProviders: [
        'Stripe',
        'Google',
        'Google Cloud',
        'Private key',
        'App secret',
        'Acme Widgets',
      ],
    });
  });

  it('finds vendors from package.json, requirements, pyproject and Gemfile', () => {
    expect(service(inv, 'stripe').evidence).toContainEqual({
      kind: 'dependency',
      name: 'stripe',
      file: 'package.json',
    });
    // LangChain's OpenAI integration is OpenAI's key, not a separate vendor.
    expect(
      service(inv, 'openai')
        .evidence.map((e) => e.name)
        .sort(),
    ).toEqual(['@langchain/openai', 'openai']);
    expect(inv.services.some((s) => s.id === 'langsmith')).toBe(false);
    expect(service(inv, 'aws').evidence[0]).toMatchObject({ name: '@aws-sdk/client-s3' });
    expect(service(inv, 'anthropic').evidence[0]).toMatchObject({
      file: 'backend/requirements.txt',
    });
    expect(service(inv, 'postgres').evidence.map((e) => e.name)).toEqual(['pg', 'psycopg2-binary']);
    expect(service(inv, 'huggingface').evidence[0]?.name).toBe('huggingface-hub');
    expect(service(inv, 'twilio').category).toBe('sms');
    expect(service(inv, 'sendgrid').evidence[0]?.file).toBe('billing/Gemfile');
    expect(service(inv, 'sentry').category).toBe('monitoring');
    expect(service(inv, 'database').evidence.map((e) => e.name)).toEqual([
      '@prisma/client',
      'prisma',
      'DATABASE_URL',
    ]);
    // Installed packages are not the project's own dependencies.
    expect(inv.services.some((s) => s.id === 'resend')).toBe(false);
    expect(inv.manifests).toEqual([
      'package.json',
      'backend/pyproject.toml',
      'backend/requirements.txt',
      'billing/Gemfile',
    ]);
  });

  it('maps variable names to vendors, ignoring browser prefixes', () => {
    const supabase = service(inv, 'supabase');
    expect(supabase.envNames).toEqual(['NEXT_PUBLIC_SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY']);
    expect(supabase.category).toBe('database');
    expect(service(inv, 'upstash').envNames).toEqual(['UPSTASH_REDIS_REST_TOKEN']);
    expect(inv.services.some((s) => s.id === 'redis')).toBe(false);
    expect(service(inv, 'stripe').envNames).toEqual(['STRIPE_SECRET_KEY']);
    expect(inv.services.flatMap((s) => s.envNames)).not.toContain('MY_FEATURE_FLAG');
  });

  it('adds secret findings and says which providers it cannot guide', () => {
    expect(service(inv, 'stripe').evidence).toContainEqual({
      kind: 'secret',
      name: 'Stripe',
      file: null,
    });
    expect(service(inv, 'gcp').evidence.map((e) => [e.kind, e.name])).toEqual([
      ['dependency', 'google-cloud-storage'],
      ['secret', 'Google'],
      ['secret', 'Google Cloud'],
    ]);
    expect(inv.notes).toEqual(['No rotation guide for secrets of "Acme Widgets".']);
  });

  it('says where each key lives and how to rotate it', () => {
    const stripe = service(inv, 'stripe');
    expect(stripe.usualEnv).toContain('STRIPE_SECRET_KEY');
    expect(stripe.rotate).toMatch(/Stripe Dashboard → Developers → API keys → .*Roll key/);
    expect(service(inv, 'aws').rotate).toMatch(/IAM → Users → .*Create access key/);
    expect(service(inv, 'openai').rotate).toMatch(/revoke the old key/);
  });

  it('lists services by category, then name', () => {
    const order = inv.services.map((s) => CATEGORY_ORDER.indexOf(s.category));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(inv.services[0]?.id).toBe('stripe');
  });
});

describe('inventoryServices edge cases', () => {
  it('returns nothing for a folder without manifests or names', async () => {
    const dir = await repo('empty', { 'README.md': '# hi\n' });
    await expect(inventoryServices(dir)).resolves.toEqual({
      services: [],
      manifests: [],
      notes: [],
    });
  });

  it('tolerates an invalid package.json and still uses the variable names', async () => {
    const dir = await repo('broken', { 'package.json': '{ not json' });
    const inv = await inventoryServices(dir, { envNames: ['OPENAI_API_KEY', 'VITE_POSTHOG_KEY'] });
    expect(inv.services.map((s) => s.id)).toEqual(['openai', 'posthog']);
    expect(inv.services.every((s) => s.evidence.every((e) => e.kind === 'env'))).toBe(true);
  });

  it('stops when aborted', async () => {
    const dir = await repo('abort', { 'package.json': '{}' });
    const controller = new AbortController();
    controller.abort();
    await expect(inventoryServices(dir, { signal: controller.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
  });
});

describe('service catalogue', () => {
  it('has unique ids, a category in the order, key names and a rotation guide for each entry', () => {
    const ids = SERVICE_CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of SERVICE_CATALOGUE) {
      expect(CATEGORY_ORDER, e.id).toContain(e.category);
      expect(e.keyEnv.length, e.id).toBeGreaterThan(0);
      expect(e.rotate.length, e.id).toBeGreaterThan(40);
      expect(e.npm.length + e.pypi.length + e.gems.length, e.id).toBeGreaterThan(0);
    }
  });

  it('matches exact names and prefix patterns only', () => {
    expect(matchesName('@aws-sdk/client-ses', ['@aws-sdk/*'])).toBe(true);
    expect(matchesName('aws-sdk-s3', ['aws-sdk-*'])).toBe(true);
    expect(matchesName('stripe-mock', ['stripe'])).toBe(false);
    expect(matchesName('openai', ['@ai-sdk/openai'])).toBe(false);
  });

  it('does not claim common unrelated variable names', () => {
    for (const name of ['PORT', 'NODE_ENV', 'API_URL', 'SECRET_KEY', 'PAGE_SIZE', 'PGX_MODE']) {
      expect(
        SERVICE_CATALOGUE.filter((e) => e.env?.test(name)).map((e) => e.id),
        name,
      ).toEqual([]);
    }
  });
});
