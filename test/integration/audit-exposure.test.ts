import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { EXPOSURE_PATHS } from '../../src/main/core/checks/audit-exposure';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRoute, LabScenario, LabSite } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { DEMO_PLANTED_SECRETS } from '../../src/main/core/lab/scenarios/demo/audit';
import type { NetworkContext } from '../../src/main/core/probes/net-context';

const ID = 'audit.exposure.sensitive-files';

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function run(
  scenario: LabScenario,
  opts: { short?: boolean; net?: (n: NetworkContext) => NetworkContext } = {},
): Promise<CheckResult> {
  const lab = await startLab(scenario, {
    timeouts: opts.short ? { dnsMs: 400, connectMs: 600, requestMs: 800 } : undefined,
  });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const record = await executeRun(
    planRun(CATALOGUE, ws, [ID]),
    ws,
    opts.net?.(lab.net) ?? lab.net,
    {
      checkTimeoutMs: opts.short ? 3000 : undefined,
    },
  );
  const r = record.results[0];
  if (!r) throw new Error('no result');
  return r;
}

interface HostEvidence {
  host: string;
  status: string;
  note: string;
  scheme?: string;
  exposed?: {
    path: string;
    url: string;
    variables?: string[];
    secretVariables?: string[];
    keys?: { provider: string; last4: string; where: string }[];
  }[];
  softNotFound?: { path: string }[];
}
const hosts = (r: CheckResult) => (r.evidence as { hosts: HostEvidence[] }).hosts;
const host = (r: CheckResult, name: string) => hosts(r).find((h) => h.host === name);

/** Every 8-character window of a value: none may appear in evidence. */
const windows = (v: string) => Array.from({ length: v.length - 7 }, (_, i) => v.slice(i, i + 8));

describe('audit.exposure.sensitive-files', () => {
  it('healthy passes: the lab answers 404 for every sensitive path on all six hosts', async () => {
    const r = await run(getScenario('healthy'));
    expect(r).toMatchObject({ status: 'pass', stage: 1, impact: 'critical' });
    expect(r.summary).toBe(
      `None of 6 hosts publishes .env, git or backup files (${EXPOSURE_PATHS.length} addresses each).`,
    );
    expect(hosts(r).every((h) => h.exposed?.length === 0)).toBe(true);
  });

  it('demo fails on the apex .env, naming variables and redacted keys, never their values', async () => {
    const r = await run(getScenario('demo'));
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(
      /^promptly-ai\.test lets anyone download \/\.env — with 3 secrets in it \(Database URL with a password, OpenAI API key, Stripe live secret or restricted key\)/,
    );
    const apex = host(r, 'promptly-ai.test');
    const env = apex?.exposed?.[0];
    expect(env).toMatchObject({ path: '/.env', url: 'https://promptly-ai.test/.env' });
    expect(env?.variables).toEqual([
      'NODE_ENV',
      'APP_URL',
      'DATABASE_URL',
      'OPENAI_API_KEY',
      'STRIPE_SECRET_KEY',
      'SESSION_SECRET',
    ]);
    expect(env?.secretVariables).toEqual([
      'DATABASE_URL',
      'OPENAI_API_KEY',
      'STRIPE_SECRET_KEY',
      'SESSION_SECRET',
    ]);
    expect(env?.keys?.map((k) => [k.provider, k.last4, k.where])).toEqual([
      ['Database', `…${DEMO_PLANTED_SECRETS.envDatabasePassword.slice(-4)}`, '/.env line 4'],
      ['OpenAI', `…${DEMO_PLANTED_SECRETS.envOpenAi.slice(-4)}`, '/.env line 5'],
      ['Stripe', `…${DEMO_PLANTED_SECRETS.envStripe.slice(-4)}`, '/.env line 6'],
    ]);
    const json = JSON.stringify(r);
    for (const secret of Object.values(DEMO_PLANTED_SECRETS))
      for (const w of windows(secret)) expect(json).not.toContain(w);
    // The other hosts publish nothing; docs cannot be read over trusted HTTPS at all.
    expect(host(r, 'app.promptly-ai.test')?.status).toBe('pass');
    expect(host(r, 'docs.promptly-ai.test')?.status).toBe('error');
  });

  it('a soft 404 (the app shell or a "not found" text with status 200) is not a leak', async () => {
    const shell = '<!doctype html><html><body><div id="root"></div></body></html>';
    const D = 'soft.test';
    const s = scenario(D, [
      {
        host: `shell.${D}`,
        routes: EXPOSURE_PATHS.map((e) => ({
          path: e.path,
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: shell,
        })),
      },
      {
        host: `text.${D}`,
        routes: EXPOSURE_PATHS.map((e) => ({ path: e.path, status: 200, body: 'Not Found\n' })),
      },
    ]);
    const r = await run(s);
    expect(r.status).toBe('pass');
    expect(host(r, `shell.${D}`)?.softNotFound).toHaveLength(EXPOSURE_PATHS.length);
    expect(host(r, `text.${D}`)?.softNotFound).toHaveLength(EXPOSURE_PATHS.length);
  });

  it('recognises git metadata, archives, dumps and configuration backups by their content', async () => {
    const D = 'leaky.test';
    const token = ['gh', 'p_', 'R8mQ2vX7kL4pT9wZ3nB6cY1hJ5dF0aS8eU2i'].join('');
    const s = scenario(D, [
      {
        host: `git.${D}`,
        routes: [
          { path: '/.git/HEAD', status: 200, body: 'ref: refs/heads/main\n' },
          {
            path: '/.git/config',
            status: 200,
            body: `[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://bot:${token}@github.com/acme/app.git\n`,
          },
        ],
      },
      {
        host: `backup.${D}`,
        routes: [
          {
            path: '/backup.zip',
            status: 200,
            headers: { 'content-type': 'application/zip' },
            body: 'PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000site/index.php',
          },
          {
            path: '/db.sql',
            status: 200,
            body: '-- MySQL dump 10.13\nCREATE TABLE `users` (`id` int);\nINSERT INTO `users` VALUES (1);\n',
          },
          {
            path: '/wp-config.php.bak',
            status: 200,
            body: "<?php\ndefine('DB_USER', 'wp');\ndefine('DB_PASSWORD', 'Zq8!x');\n",
          },
        ],
      },
    ]);
    const r = await run(s);
    expect(r.status).toBe('fail');
    const git = host(r, `git.${D}`);
    expect(git?.exposed?.map((e) => e.path)).toEqual(['/.git/HEAD', '/.git/config']);
    expect(git?.exposed?.[1]?.keys).toEqual([
      expect.objectContaining({ provider: 'GitHub', last4: `…${token.slice(-4)}` }),
    ]);
    expect(JSON.stringify(r)).not.toContain(token.slice(4, 16));
    expect(host(r, `backup.${D}`)?.exposed?.map((e) => e.path)).toEqual([
      '/backup.zip',
      '/db.sql',
      '/wp-config.php.bak',
    ]);
  });

  it('a host without HTTPS is checked over plain HTTP', async () => {
    const D = 'plain.test';
    const s = scenario(D, [
      {
        host: `old.${D}`,
        routes: [{ path: '/.env', status: 200, body: 'DEBUG=true\nPORT=3000\n' }],
      },
    ]);
    s.web.sites[0] = { ...(s.web.sites[0] as LabSite), https: undefined, http: 'serve' };
    // Nothing listens on this port: HTTPS is refused, as on a server without TLS.
    const closed = await closedPort();
    const r = await run(s, {
      net: (n) => ({
        ...n,
        connectTo: [{ host: `old.${D}`, port: 443, toAddress: '127.0.0.1', toPort: closed }],
      }),
    });
    expect(r.status).toBe('fail');
    expect(host(r, `old.${D}`)).toMatchObject({ scheme: 'http' });
    expect(host(r, `old.${D}`)?.exposed?.[0]).toMatchObject({
      url: `http://old.${D}/.env`,
      variables: ['DEBUG', 'PORT'],
    });
  });

  it('one address that never answers makes the host undecided, not clean', async () => {
    const D = 'slow.test';
    const s = scenario(D, [
      { host: `slow.${D}`, routes: [{ path: '/.git/config', status: 200, delayMs: 3000 }] },
    ]);
    const r = await run(s, { short: true });
    expect(r.status).toBe('error');
    expect(host(r, `slow.${D}`)?.note).toMatch(
      /^could not be checked completely \(.*\/\.git\/config/,
    );
  });

  it('blackhole: error, never a pass', async () => {
    const r = await run(getScenario('blackhole'), { short: true });
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/^Could not decide: void-ai\.test could not be checked/);
  });
});

describe('the safety rule: evidence never carries a secret', () => {
  it('no result of a whole demo run repeats any part of a planted secret', async () => {
    const lab = await startLab(getScenario('demo'));
    labs.push(lab);
    const ws = workspaceFromScenario(lab.scenario, 'demo');
    const record = await executeRun(planRun(CATALOGUE, ws), ws, lab.net);
    const json = JSON.stringify(record);
    // The run did find them (so the absence below means something)…
    expect(json).toContain(`…${DEMO_PLANTED_SECRETS.envOpenAi.slice(-4)}`);
    expect(json).toContain(`…${DEMO_PLANTED_SECRETS.bundleOpenAi.slice(-4)}`);
    // …yet no 8 consecutive characters of any of them appear anywhere.
    for (const [name, secret] of Object.entries(DEMO_PLANTED_SECRETS))
      for (const w of windows(secret)) expect(json, name).not.toContain(w);
  });
});

function scenario(D: string, sites: { host: string; routes: LabRoute[] }[]): LabScenario {
  return {
    name: D,
    title: D,
    description: D,
    domain: D,
    product: {
      name: D,
      hosts: sites.map((s) => ({ name: s.host, confirmed: true })),
      routes: [],
    },
    dns: {
      mode: 'answer',
      zones: [D],
      records: sites.map((s) => ({ name: s.host, type: 'A' as const, data: '127.0.0.1' })),
    },
    web: {
      mode: 'serve',
      sites: sites.map((s) => ({
        host: s.host,
        https: { certificate: { kind: 'valid' as const } },
        http: 'redirect-https' as const,
        routes: s.routes,
      })),
    },
  };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
