/**
 * End to end: a founder's own product in `launch-ready ui`, from the domain through the
 * confirmation of its hosts and pages, then its token saved through Settings into
 * a real Secret Service (a private gnome-keyring), shown back only as "set" and 4 characters, in
 * Debian's Chromium.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/shared/workspace';
import type { SecretService } from '../support/secret-service';
import { secretServiceUnavailable, startSecretService } from '../support/secret-service';
import type { UiServer } from '../support/ui-server';
import { CHROMIUM, HAS_CHROMIUM, launchChromium, startUiServer } from '../support/ui-server';

const noKeyring = secretServiceUnavailable();
const skip = !HAS_CHROMIUM
  ? `Settings e2e skipped: no Chromium at ${CHROMIUM}`
  : noKeyring
    ? `Settings e2e skipped: ${noKeyring}`
    : null;
const TOKEN = ['sntrys', 'e2e', 'canary', 'Tq62Vn18Lp'].join('-');

describe.skipIf(skip !== null)(skip ?? 'Settings → Integrations in Chromium', () => {
  let service: SecretService;
  let dataDir: string;
  let profileDir: string;
  let shotsDir: string;
  let server: UiServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    service = await startSecretService();
    dataDir = mkdtempSync(join(tmpdir(), 'lr-e2e-settings-data-'));
    profileDir = mkdtempSync(join(tmpdir(), 'lr-e2e-settings-chromium-'));
    shotsDir = mkdtempSync(join(tmpdir(), 'lr-e2e-settings-shots-'));
    // The app's process talks to the private keyring; the browser never sees it.
    server = await startUiServer(
      [],
      service.env({ ...process.env, LAUNCH_READY_DATA_DIR: dataDir }),
    );
    browser = await launchChromium(profileDir);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`Uncaught: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await service?.stop();
    for (const dir of [dataDir, profileDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'saves a token, shows only "set" and 4 characters, and deletes it',
    { timeout: 120_000 },
    async () => {
      await page.goto(server?.url ?? '');
      await page.getByLabel('Enter your domain').fill('example.com');
      await page.getByRole('button', { name: 'Start' }).click();
      // Onboarding, step 2: the usual hosts and pages, proposed for the founder to confirm.
      const confirm = page.getByTestId('confirm-product');
      await confirm.getByRole('heading', { name: 'Confirm example.com' }).waitFor();
      expect(await confirm.getByLabel('www.example.com').isChecked()).toBe(true);
      expect(await confirm.getByLabel('app.example.com').isChecked()).toBe(false);
      await confirm.getByLabel('app.example.com').check();
      expect(await confirm.getByLabel('Login page').inputValue()).toBe('app.example.com/login');
      await confirm.getByLabel('Login page').fill('app.example.com/sign-in');
      await confirm.getByLabel('Dashboard (signed in)').fill('');
      await confirm.getByLabel('Domain your emails come from').fill('mail.example.com');
      await page.screenshot({ path: join(shotsDir, 'onboarding-confirm.png'), fullPage: true });
      await confirm.getByRole('button', { name: 'Create and open' }).click();
      await page.locator('nav [data-page="settings"]').click();
      await page.locator('main h2', { hasText: 'Integrations' }).waitFor();

      const sentry = page.locator('[data-integration="sentry"]');
      await page.locator('[data-integration="sentry"][data-set="no"]').waitFor();
      await sentry.getByLabel('Paste the auth token').fill(TOKEN);
      await sentry.getByRole('button', { name: 'Save' }).click();
      await page.locator('[data-integration="sentry"][data-set="yes"]').waitFor();

      const status = await sentry.locator('.integration-status').innerText();
      expect(status).toContain(`Connected — set in your keychain, ending in …${TOKEN.slice(-4)}`);
      // The field is empty again, and the token is nowhere in the page or its storage.
      expect(await sentry.locator('input[type="password"]').inputValue()).toBe('');
      expect(await page.content()).not.toContain(TOKEN);
      const storage = await page.evaluate(() =>
        JSON.stringify({ ...sessionStorage, ...localStorage }),
      );
      expect(storage).not.toContain(TOKEN);
      await page.screenshot({ path: join(shotsDir, 'settings-set.png'), fullPage: true });

      // Replaced with the field, then deleted.
      await sentry.getByRole('button', { name: 'Delete' }).click();
      await page.locator('[data-integration="sentry"][data-set="no"]').waitFor();
      expect(await sentry.locator('.integration-status').innerText()).toMatch(/Not connected/);
      // What was confirmed is what the workspace file holds.
      const dir = join(dataDir, 'workspaces');
      const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      const docs = files.map(
        (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { workspace: Workspace },
      );
      const ws = docs.find((d) => d.workspace.domain === 'example.com')?.workspace;
      expect(ws?.hosts.find((h) => h.name === 'app.example.com')?.confirmed).toBe(true);
      expect(ws?.routes.find((r) => r.key === 'login')).toMatchObject({
        host: 'app.example.com',
        path: '/sign-in',
      });
      expect(ws?.routes.some((r) => r.key === 'dashboard')).toBe(false);
      expect(ws?.sendingDomain).toBe('mail.example.com');
      for (const d of docs) expect(JSON.stringify(d)).not.toContain(TOKEN);
      expect(consoleErrors).toEqual([]);
    },
  );

  it(
    'edits the product, keeps a refused edit in the form, and deletes another product',
    { timeout: 120_000 },
    async () => {
      const readWorkspaces = () => {
        const dir = join(dataDir, 'workspaces');
        return readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map(
            (f) =>
              (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { workspace: Workspace })
                .workspace,
          );
      };
      await page.locator('.settings-tab[data-section="product"]').click();
      const form = page.getByTestId('confirm-product');
      await form.getByRole('heading', { name: /hosts, pages and folders/ }).waitFor();
      // The saved details come back into the form.
      expect(await form.getByLabel('Login page').inputValue()).toBe('app.example.com/sign-in');
      expect(await form.getByLabel('Domain your emails come from').inputValue()).toBe(
        'mail.example.com',
      );
      // The page emptied at onboarding is offered again, empty.
      expect(await form.getByLabel('Dashboard (signed in)').inputValue()).toBe('');
      // A browser tab has no native folder dialog: the path field is the way.
      expect(await form.getByRole('button', { name: 'Choose…' }).count()).toBe(0);

      // A folder that does not exist: refused with the reason, and nothing typed is lost.
      await form.getByLabel('Another host').fill('billing.example.com');
      await form.getByLabel('Another host').press('Enter');
      await form.getByLabel(/Your code’s folder/).fill('/no/such/folder-here');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByRole('alert').filter({ hasText: 'Folder not found' }).waitFor();
      expect(await form.getByLabel('billing.example.com').isChecked()).toBe(true);
      expect(
        readWorkspaces()
          .find((w) => w.domain === 'example.com')
          ?.hosts.map((h) => h.name),
      ).not.toContain('billing.example.com');

      await form.getByLabel(/Your code’s folder/).fill(dataDir);
      await form.getByLabel('Domain your emails come from').fill('');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved at' }).waitFor();
      const saved = readWorkspaces().find((w) => w.domain === 'example.com');
      expect(saved?.hosts.find((h) => h.name === 'billing.example.com')?.confirmed).toBe(true);
      expect(saved?.repoPath).toBe(dataDir);
      expect(saved?.sendingDomain).toBeUndefined();
      // Probes that send more than a look: off until turned on; the AI endpoint is checked.
      const probes = page.getByTestId('product-probes');
      await probes.getByLabel('Test my AI feature against prompt injection').check();
      await probes.getByRole('button', { name: 'Save these settings' }).click();
      await probes.getByRole('alert').filter({ hasText: 'needs the address' }).waitFor();
      await probes.getByLabel('Address').fill('https://api.openai.com/v1/chat');
      await probes.getByRole('button', { name: 'Save these settings' }).click();
      await probes.getByRole('alert').filter({ hasText: 'not one of this product' }).waitFor();
      await probes.getByLabel('While Launch Ready is open, re-check').selectOption('6h');
      await probes.getByLabel('Address').fill('https://api.example.com/v1/assistant');
      await probes.getByLabel(/Where the reply/).fill('reply');
      await probes.getByRole('button', { name: 'Save these settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved at' }).waitFor();
      await expect
        .poll(() => readWorkspaces().find((w) => w.domain === 'example.com')?.aiEndpoint?.url)
        .toBe('https://api.example.com/v1/assistant');
      const withProbes = readWorkspaces().find((w) => w.domain === 'example.com');
      expect(withProbes?.optIns).toEqual({
        loginRateLimit: false,
        slackTestAlert: false,
        aiRedTeam: true,
      });
      expect(withProbes?.aiEndpoint).toMatchObject({ method: 'POST', replyPath: 'reply' });
      expect(withProbes?.watch).toEqual({ every: '6h' });
      await page.screenshot({ path: join(shotsDir, 'settings-product.png'), fullPage: true });

      // Run history: nothing checked yet for this product.
      await page.locator('.settings-tab[data-section="history"]').click();
      await page.getByText('No runs yet.').waitFor();

      // A second product, then deleted from Your products; the first stays.
      await page.locator('.settings-tab[data-section="products"]').click();
      await page.getByRole('button', { name: 'Add another product' }).click();
      await page.getByLabel('Enter your domain').fill('second.example');
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByRole('button', { name: 'Create and open' }).click();
      await page.locator('nav [data-page="settings"]').click();
      await page.locator('.settings-tab[data-section="products"]').click();
      const other = page
        .locator('.product', { hasText: 'example.com' })
        .filter({ hasNotText: 'second' });
      await other.waitFor();
      await page.screenshot({ path: join(shotsDir, 'settings-products.png'), fullPage: true });
      const second = page.locator('.product', { hasText: 'second.example' });
      await second.getByRole('button', { name: 'Delete…' }).click();
      await second.getByRole('button', { name: /^Delete second/ }).click();
      // The open product was deleted: back to the start, where only the first one is listed.
      await page.getByRole('heading', { name: 'Continue where you left off' }).waitFor();
      expect(readWorkspaces().map((w) => w.domain)).toEqual(['example.com']);
      console.log(`Settings screenshots in ${shotsDir}`);
      // The refused folder was a 400 answer, which the browser logs; nothing else went wrong.
      expect(consoleErrors).toEqual([
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ]);
    },
  );
});
