import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import { MAX_BUNDLES } from '../../src/main/core/checks/audit-bundles';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRoute, LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { DEMO_PLANTED_SECRETS } from '../../src/main/core/lab/scenarios/demo/audit';

const KEYS = 'audit.secrets.js-bundles';
const MAPS = 'audit.exposure.source-maps';

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function run(scenario: LabScenario, ids: string[], short = false): Promise<CheckResult[]> {
  const lab = await startLab(scenario, {
    timeouts: short ? { dnsMs: 400, connectMs: 600, requestMs: 800 } : undefined,
  });
  labs.push(lab);
  const ws = workspaceFromScenario(scenario, scenario.name);
  const record = await executeRun(planRun(CATALOGUE, ws, ids), ws, lab.net, {
    checkTimeoutMs: short ? 3000 : undefined,
  });
  return record.results;
}
const byId = (results: CheckResult[], id: string): CheckResult => {
  const r = results.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
};

interface PageEvidence {
  status: string;
  note: string;
  bundles: { url: string; httpStatus?: number; truncated?: boolean }[];
  notScanned: string[];
  thirdPartyScripts?: string[];
  keys?: { provider: string; label: string; keyClass: string; last4: string; where: string }[];
  publishableKeys?: { provider: string; last4: string }[];
  maps?: { map: string; via: string; exposed: boolean; withSources: boolean; sources?: number }[];
}
const page = (r: CheckResult): PageEvidence => {
  const p = (r.evidence as { pages: PageEvidence[] }).pages[0];
  if (!p) throw new Error('no page evidence');
  return p;
};

const j = (...parts: string[]) => parts.join('');
const D = 'bundles.test';
const js = (body: string): Pick<LabRoute, 'headers' | 'body'> => ({
  headers: { 'content-type': 'text/javascript' },
  body,
});

/** A product whose home page (on site `name`) loads `scripts`; `files` are served beside it. */
function site(name: string, head: string, files: LabRoute[] = []): LabScenario {
  const host = `${name}.${D}`;
  return {
    name,
    title: name,
    description: name,
    domain: host,
    product: {
      name,
      hosts: [{ name: host, confirmed: true }],
      routes: [{ key: 'home', host, path: '/' }],
    },
    dns: {
      mode: 'answer',
      zones: [D],
      records: [host, `cdn.${D}`].map((n) => ({ name: n, type: 'A' as const, data: '127.0.0.1' })),
    },
    web: {
      mode: 'serve',
      sites: [
        {
          host,
          https: { certificate: { kind: 'valid' } },
          routes: [
            {
              path: '/',
              status: 200,
              headers: { 'content-type': 'text/html' },
              body: `<!doctype html><html><head>${head}</head><body><div id="root"></div></body></html>`,
            },
            ...files,
          ],
        },
        // Another company's CDN, carrying a secret: it is not the product's, so never fetched.
        {
          host: `cdn.${D}`,
          https: { certificate: { kind: 'valid' } },
          routes: [
            { path: '/lib.js', status: 200, ...js(`k="${j('sk_', 'live_', 'Cdn9xQ2mW7vL4kP8')}"`) },
          ],
        },
      ],
    },
  };
}

describe('audit.secrets.js-bundles', () => {
  it('healthy passes: one clean bundle scanned', async () => {
    const r = byId(await run(getScenario('healthy'), [KEYS]), KEYS);
    expect(r).toMatchObject({ status: 'pass', impact: 'critical', stage: 1 });
    expect(r.summary).toBe('The home page has no secret key in its page or its 1 bundle.');
    expect(page(r).bundles).toEqual([
      {
        url: 'https://steady-ai.test/assets/app-41d8cd.js',
        httpStatus: 200,
        bytes: expect.any(Number),
        truncated: false,
      },
    ]);
  });

  it('demo fails on the OpenAI key in its bundle, mentions the publishable Stripe key, redacts both', async () => {
    const r = byId(await run(getScenario('demo'), [KEYS]), KEYS);
    expect(r.status).toBe('fail');
    const last4 = DEMO_PLANTED_SECRETS.bundleOpenAi.slice(-4);
    expect(r.summary).toBe(
      `home (promptly-ai.test/) sends 1 secret key to every visitor: OpenAI API key ending …${last4} in https://promptly-ai.test/assets/index-7c1e9a.js line 1.`,
    );
    const p = page(r);
    expect(p.keys).toEqual([
      expect.objectContaining({ provider: 'OpenAI', keyClass: 'secret', last4: `…${last4}` }),
    ]);
    expect(p.publishableKeys).toEqual([expect.objectContaining({ provider: 'Stripe' })]);
    expect(p.thirdPartyScripts).toEqual(['https://plausible.io/js/script.js']);
    const json = JSON.stringify(r);
    expect(json).not.toContain(DEMO_PLANTED_SECRETS.bundleOpenAi);
    expect(json).not.toContain(DEMO_PLANTED_SECRETS.bundleOpenAi.slice(8, 24));
  });

  it('publishable keys pass; a test-mode secret or an unrestricted Google key warns', async () => {
    const pub = site('pub', '<script src="/app.js"></script>', [
      {
        path: '/app.js',
        status: 200,
        ...js(`Stripe("${j('pk_', 'live_', 'Hq3Zr8Lm5Xw2Nv7Tb4')}")`),
      },
    ]);
    const r1 = byId(await run(pub, [KEYS]), KEYS);
    expect(r1.status).toBe('pass');
    expect(r1.summary).toMatch(/1 publishable key, which are meant to be public/);

    const test = site('testkey', '<script src="/app.js"></script>', [
      { path: '/app.js', status: 200, ...js(`s="${j('sk_', 'test_', 'Hq3Zr8Lm5Xw2Nv7Tb4')}"`) },
    ]);
    const r2 = byId(await run(test, [KEYS]), KEYS);
    expect(r2.status).toBe('warn');
    expect(r2.summary).toMatch(/test-mode secret key \(Stripe test-mode secret key ending …7Tb4/);

    const google = j('AI', 'za', 'SyKq2Lm7Xw4Nv8Tb3Hr6Jc1Pd5Fg0Zs2Qe7');
    const maps = site('gmaps', '<script src="/m.js"></script>', [
      { path: '/m.js', status: 200, ...js(`loader.init({key:"${google}"})`) },
    ]);
    const r3 = byId(await run(maps, [KEYS]), KEYS);
    expect(r3.status).toBe('warn');
    expect(r3.summary).toMatch(
      /safe only when restricted to your site \(Google API key ending …2Qe7/,
    );
  });

  it('scans inline scripts, skips third-party hosts and bounds the number and size of bundles', async () => {
    const many = Array.from(
      { length: MAX_BUNDLES + 3 },
      (_, i) => `<script src="/c${i}.js"></script>`,
    );
    const huge: LabRoute = { path: '/c0.js', status: 200, bodyBytes: 3 * 1024 * 1024 };
    const s = site(
      'bounded',
      [
        `<script src="https://cdn.${D}/lib.js"></script>`,
        ...many,
        `<script>window.__ENV__={"GITHUB":"${j('gh', 'p_', 'W3rT7yU1iO5pA9sD2fG6hJ0kL4zX8cV3bN7m')}"}</script>`,
      ].join(''),
      [
        huge,
        ...many.slice(1).map((_, i) => ({ path: `/c${i + 1}.js`, status: 200, body: 'ok()' })),
      ],
    );
    const r = byId(await run(s, [KEYS]), KEYS);
    const p = page(r);
    expect(r.status).toBe('fail');
    expect(p.keys?.[0]).toMatchObject({
      provider: 'GitHub',
      where: 'https://bounded.bundles.test/ line 1',
    });
    expect(p.thirdPartyScripts).toEqual([`https://cdn.${D}/lib.js`]);
    expect(p.bundles).toHaveLength(MAX_BUNDLES);
    expect(p.notScanned).toHaveLength(3);
    expect(p.bundles[0]).toMatchObject({ truncated: true, bytes: 2 * 1024 * 1024 });
  });

  it('a bundle that never arrives leaves the page undecided', async () => {
    const s = site('stalled', '<script src="/slow.js"></script>', [
      { path: '/slow.js', status: 200, delayMs: 3000, body: 'x()' },
    ]);
    const r = byId(await run(s, [KEYS], true), KEYS);
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/could not be fully scanned \(.*slow\.js/);
  });

  it('blackhole: error, never a pass', async () => {
    const r = byId(await run(getScenario('blackhole'), [KEYS], true), KEYS);
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/^Could not decide: home \(void-ai\.test\/\) could not be checked/);
  });
});

const map = (withSources: boolean) =>
  JSON.stringify({
    version: 3,
    sources: ['../src/app.ts', '../src/api.ts'],
    ...(withSources ? { sourcesContent: ['export const a = 1;', 'export const b = 2;'] } : {}),
    mappings: 'AAAA',
  });

describe('audit.exposure.source-maps', () => {
  it('healthy passes: the map it announces is not deployed (404)', async () => {
    const r = byId(await run(getScenario('healthy'), [MAPS]), MAPS);
    expect(r).toMatchObject({ status: 'pass', impact: 'medium' });
    expect(page(r).maps).toEqual([
      expect.objectContaining({ via: 'comment', exposed: false, httpStatus: 404 }),
    ]);
  });

  it('demo fails: its map carries the original sources', async () => {
    const r = byId(await run(getScenario('demo'), [MAPS]), MAPS);
    expect(r.status).toBe('fail');
    expect(r.summary).toBe(
      'home (promptly-ai.test/) publishes its original source code: https://promptly-ai.test/assets/index-7c1e9a.js.map.',
    );
    expect(page(r).maps?.[0]).toMatchObject({ exposed: true, withSources: true, sources: 3 });
  });

  it('finds maps by header, by guessing .map and inline; names without sources only warn; a shell is no map', async () => {
    const shell = '<!doctype html><html><body><div id="root"></div></body></html>';
    const warn = site('names', '<script src="/a.js"></script>', [
      { path: '/a.js', status: 200, headers: { sourcemap: '/maps/a.map' }, body: 'a()' },
      { path: '/maps/a.map', status: 200, body: map(false) },
    ]);
    const r1 = byId(await run(warn, [MAPS]), MAPS);
    expect(r1.status).toBe('warn');
    expect(page(r1).maps?.[0]).toMatchObject({ via: 'header', exposed: true, withSources: false });

    const inline = Buffer.from(map(true)).toString('base64');
    const s = site(
      'guess',
      '<script src="/g.js"></script><script src="/i.js"></script><script src="/s.js"></script>',
      [
        { path: '/g.js', status: 200, body: 'g()' },
        { path: '/g.js.map', status: 200, body: map(true) },
        {
          path: '/i.js',
          status: 200,
          body: `i()\n//# sourceMappingURL=data:application/json;base64,${inline}`,
        },
        { path: '/s.js', status: 200, body: 's()\n//# sourceMappingURL=s.js.map' },
        { path: '/s.js.map', status: 200, headers: { 'content-type': 'text/html' }, body: shell },
      ],
    );
    const r2 = byId(await run(s, [MAPS]), MAPS);
    expect(r2.status).toBe('fail');
    const maps = page(r2).maps ?? [];
    expect(maps.map((m) => [m.via, m.exposed, m.withSources]).sort()).toEqual(
      [
        ['comment', false, false],
        ['guess', true, true],
        ['inline', true, true],
      ].sort(),
    );
  });

  it('blackhole: error, never a pass', async () => {
    const r = byId(await run(getScenario('blackhole'), [MAPS], true), MAPS);
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/^Could not decide: /);
  });
});
