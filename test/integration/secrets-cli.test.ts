/**
 * `launch-ready secrets` as a founder runs it: the built CLI in a child process, talking to a
 * private real Secret Service (gnome-keyring on its own D-Bus).
 */
import { createRequire } from 'node:module';
import type * as KeytarModule from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cli, cliWithInput } from '../support/run-cli';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';

const skip = secretServiceUnavailable();
const CANARY = 'canary-Vb83Kq1Xz7Mn2Ws5';

// Each CLI run costs about a second of Node start-up; the suite runs on two busy cores.
describe.skipIf(skip !== null)('launch-ready secrets', { timeout: 120_000 }, () => {
  let service: SecretService;
  const keytar = createRequire(import.meta.url)('keytar') as typeof KeytarModule;

  beforeAll(async () => {
    assertCliBuilt();
    service = await startSecretService();
    service.activate(); // cli() children inherit it; so does this process's keytar
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('stores a piped token, lists it without its value, and deletes it', async () => {
    const token = `xoxb-${CANARY}-wxyz`;
    const set = await cliWithInput(['secrets', 'set', 'slack'], `${token}\n`);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Saved the slack token of workspace "cli"');
    expect(set.stdout).toContain('…wxyz');
    expect(set.stdout).not.toContain(CANARY);
    // In the keychain under the workspace of `check DOMAIN`, without the line ending.
    expect(await keytar.getPassword('launch-ready', 'cli/slack')).toBe(token);

    const list = await cli(['secrets', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/slack\s+set \(…wxyz\)/);
    expect(list.stdout).toMatch(/cloudflare\s+not set/);
    expect(list.stdout).not.toContain(CANARY);
    const order = ['cloudflare', 'uptimerobot', 'betterstack', 'slack', 'sentry'].map((n) =>
      list.stdout.indexOf(`  ${n} `),
    );
    expect(order.every((i, k) => i > 0 && (k === 0 || i > (order[k - 1] ?? 0)))).toBe(true);

    const del = await cli(['secrets', 'delete', 'slack']);
    expect(del.code).toBe(0);
    expect(del.stdout).toContain('Deleted the slack token');
    expect(await keytar.getPassword('launch-ready', 'cli/slack')).toBeNull();
    const again = await cli(['secrets', 'delete', 'slack']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No slack token');
    expect((await cli(['secrets', 'list'])).stdout).toMatch(/slack\s+not set/);
  });

  it('keeps workspaces apart with --workspace', async () => {
    expect(
      (
        await cliWithInput(
          ['secrets', 'set', 'sentry', '--workspace', 'acme'],
          'sntrys_acme_token_0001',
        )
      ).code,
    ).toBe(0);
    expect((await cli(['secrets', 'list', '--workspace', 'acme'])).stdout).toMatch(
      /sentry\s+set \(…0001\)/,
    );
    expect((await cli(['secrets', 'list'])).stdout).toMatch(/sentry\s+not set/);
    expect(await keytar.getPassword('launch-ready', 'acme/sentry')).toBe('sntrys_acme_token_0001');
    expect((await cli(['secrets', 'delete', 'sentry', '--workspace', 'acme'])).code).toBe(0);
  });

  it('refuses a value on the command line, without echoing or storing it', async () => {
    for (const args of [
      ['secrets', 'set', 'cloudflare', CANARY],
      ['secrets', 'set', 'cloudflare', '--', CANARY],
      ['secrets', 'set', CANARY, CANARY],
      ['secrets', 'set', 'cloudflare', `--token=${CANARY}`],
    ]) {
      const r = await cliWithInput(args, 'piped-value-000000');
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain(CANARY);
      expect(r.stdout).not.toContain(CANARY);
    }
    const r = await cliWithInput(['secrets', 'set', 'cloudflare', CANARY], '');
    expect(r.stderr).toContain('do not put the value on the command line');
    expect(r.stderr).toContain('| launch-ready secrets set cloudflare');
    expect(await keytar.getPassword('launch-ready', 'cli/cloudflare')).toBeNull();
  });

  it('refuses bad input with exit 2 and says why', async () => {
    const cases: Array<[string[], string, RegExp]> = [
      [
        ['secrets', 'set', 'github'],
        'tok-000000000000',
        /unknown token name: use one of cloudflare/,
      ],
      [['secrets', 'set'], 'tok-000000000000', /name the token/],
      [['secrets', 'set', 'slack'], '', /empty/],
      [['secrets', 'set', 'slack'], `${CANARY}\nsecond line`, /line break/],
      [['secrets', 'set', 'slack'], `${CANARY}\u0007`, /control character/],
      [['secrets', 'set', 'slack'], 'x'.repeat(5000), /longer than 4096/],
      [['secrets', 'set', 'slack'], 'x'.repeat(100_000), /too long/],
      [['secrets', 'set', 'slack', '--workspace', '../etc'], 'tok-000000000000', /workspace id/],
      [['secrets', 'delete', 'nope'], '', /unknown token name/],
      [['secrets', 'list', 'slack'], '', /no names/],
      [['secrets', 'rotate'], '', /use set, list or delete/],
    ];
    for (const [args, input, message] of cases) {
      const r = await cliWithInput(args, input);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain(CANARY);
    }
    expect(await keytar.getPassword('launch-ready', 'cli/slack')).toBeNull();
  });

  it('shows which tokens come from LAUNCH_READY_<NAME>_TOKEN', async () => {
    const env = { ...process.env, LAUNCH_READY_CLOUDFLARE_TOKEN: `cf-${CANARY}-9876` };
    const set = await cliWithInput(['secrets', 'set', 'cloudflare'], 'cf-keychain-token-1111', env);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('LAUNCH_READY_CLOUDFLARE_TOKEN is set and is used instead');
    const list = await cliWithInput(['secrets', 'list'], '', env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/cloudflare\s+set from LAUNCH_READY_CLOUDFLARE_TOKEN \(…9876\)/);
    expect(list.stdout).not.toContain(CANARY);
    const del = await cliWithInput(['secrets', 'delete', 'cloudflare'], '', env);
    expect(del.stdout).toContain('LAUNCH_READY_CLOUDFLARE_TOKEN is still set');
    expect(await keytar.getPassword('launch-ready', 'cli/cloudflare')).toBeNull();
  });

  it('exits 1 with what to do when the keyring is locked', async () => {
    const locked = await startSecretService();
    try {
      const env = locked.env();
      expect(
        (await cliWithInput(['secrets', 'set', 'slack'], 'xoxb-before-lock-0000', env)).code,
      ).toBe(0);
      await locked.lock();
      for (const [args, input] of [
        [['secrets', 'set', 'slack'], `xoxb-${CANARY}`],
        [['secrets', 'list'], ''],
        [['secrets', 'delete', 'slack'], ''],
      ] as const) {
        const r = await cliWithInput([...args], input, env);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('unlock your login keyring');
        expect(r.stderr + r.stdout).not.toContain(CANARY);
      }
    } finally {
      await locked.stop();
    }
  });

  it('exits 1 with what to do when there is no D-Bus session', async () => {
    const env = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/launch-ready-bus',
    };
    const r = await cliWithInput(['secrets', 'set', 'slack'], `xoxb-${CANARY}`, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No D-Bus session was found/);
    expect(r.stderr + r.stdout).not.toContain(CANARY);
    const list = await cliWithInput(['secrets', 'list'], '', env);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/No D-Bus session was found/);
  });
});
