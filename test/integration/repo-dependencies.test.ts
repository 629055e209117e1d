// The dependency audit against a fake registry and OSV on loopback: the real `npm audit`, the
// bulk route for pnpm/yarn lockfiles, OSV for other ecosystems, and every way the database can
// fail (refused, silent, garbage), none of which may read as a pass.
import http from 'node:http';
import type net from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAdvisoryData, FakeAdvisoryServer } from '../../src/main/core/lab/fake-advisories';
import { startFakeAdvisoryServer } from '../../src/main/core/lab/fake-advisories';
import { ProbeError } from '../../src/main/core/probes/errors';
import { auditDependencies } from '../../src/main/core/repo/dependencies';
import type { Advisory, DependencyAudit } from '../../src/main/core/repo/dependency-types';
import { UNREACHABLE_MESSAGE } from '../../src/main/core/repo/dependency-types';

const GHSA_LODASH = 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm';

const DATA: FakeAdvisoryData = {
  npm: {
    lodash: {
      versions: ['4.17.19', '4.17.20', '4.17.21'],
      advisories: [
        {
          id: 1106913,
          title: 'Command Injection in lodash',
          severity: 'high',
          vulnerable_versions: '<4.17.21',
          url: GHSA_LODASH,
          cwe: ['CWE-77'],
          cvss: { score: 7.2, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
        },
      ],
    },
    '@acme/widget': {
      versions: ['1.0.0', '1.1.0', '2.0.0'],
      advisories: [
        {
          id: 2002,
          title: 'Prototype pollution',
          severity: 'critical',
          vulnerable_versions: '<2.0.0',
        },
      ],
    },
    minimist: {
      versions: ['0.0.8', '0.2.4', '1.2.8'],
      advisories: [
        {
          id: 1179,
          title: 'Prototype Pollution in minimist',
          severity: 'moderate',
          vulnerable_versions: '<0.2.4',
        },
      ],
    },
    mkdirp: { versions: ['0.5.1', '0.5.6'] },
    next: { versions: ['13.5.6', '14.2.0', '15.1.0'] },
    react: { versions: ['18.3.1', '19.0.0'] },
    express: { versions: ['4.21.0', '5.0.0'] },
  },
  osv: [
    {
      id: 'GHSA-xxxx-django-0001',
      summary: 'SQL injection in Django QuerySet',
      modified: '2024-01-01T00:00:00Z',
      database_specific: { severity: 'HIGH' },
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'django' },
          ranges: [
            { type: 'ECOSYSTEM', events: [{ introduced: '3.2' }, { fixed: '3.2.19' }] },
            { type: 'ECOSYSTEM', events: [{ introduced: '4.0' }, { fixed: '4.1.9' }] },
          ],
        },
      ],
    },
    {
      id: 'PYSEC-2023-0002',
      details: 'Flask may cache a session cookie\nfor all clients behind a proxy.',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'Flask' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.2.5' }] }],
        },
      ],
    },
    {
      id: 'GO-2023-1571',
      summary: 'Denial of service via crafted HTTP/2 stream',
      affected: [
        {
          package: { ecosystem: 'Go', name: 'golang.org/x/net' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.7.0' }] }],
        },
      ],
    },
  ],
};

const PACKAGE_JSON = {
  name: 'demo-app',
  version: '1.0.0',
  dependencies: {
    lodash: '^4.17.0',
    '@acme/widget': '^1.0.0',
    mkdirp: '^0.5.1',
    next: '^13.5.0',
    react: '^19.0.0',
  },
  devDependencies: { express: '^4.21.0' },
};

const PACKAGE_LOCK = {
  name: 'demo-app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': PACKAGE_JSON,
    'node_modules/lodash': { version: '4.17.20' },
    'node_modules/@acme/widget': { version: '1.0.0' },
    'node_modules/mkdirp': { version: '0.5.1', dependencies: { minimist: '0.0.8' } },
    'node_modules/mkdirp/node_modules/minimist': { version: '0.0.8' },
    'node_modules/next': { version: '13.5.6' },
    'node_modules/react': { version: '19.0.0' },
    'node_modules/express': { version: '4.21.0', dev: true },
  },
};

let work: string;

async function project(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

const json = (v: unknown): string => JSON.stringify(v, null, 2);
const npmProject = (): Record<string, string> => ({
  'package.json': json(PACKAGE_JSON),
  'package-lock.json': json(PACKAGE_LOCK),
});

function find(audit: DependencyAudit, pkg: string): Advisory {
  const a = audit.advisories.find((x) => x.package === pkg);
  if (!a) throw new Error(`no advisory for ${pkg}: ${json(audit.advisories)}`);
  return a;
}

let fake: FakeAdvisoryServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'launch-ready-deps-'));
  fake = await startFakeAdvisoryServer(DATA);
});

afterAll(async () => {
  await fake.close();
  await rm(work, { recursive: true, force: true });
});

const at = (url: string) => ({ npmRegistry: url, osvApi: url, timeoutMs: 5000 });

describe('npm lockfiles', () => {
  it('runs the real npm audit against the fake registry and reads its report', async () => {
    const dir = await project('npm-audit', npmProject());
    const before = fake.requests.length;
    const audit = await auditDependencies(dir, at(fake.url));

    expect(audit.sources).toEqual([
      expect.objectContaining({ route: 'npm-audit', status: 'ok', file: 'package-lock.json' }),
    ]);
    expect(audit.status).toBe('ok');
    const lodash = find(audit, 'lodash');
    expect(lodash).toMatchObject({
      ecosystem: 'npm',
      installed: ['4.17.20'],
      severity: 'high',
      title: 'Command Injection in lodash',
      url: GHSA_LODASH,
      id: '1106913',
      vulnerableRange: '<4.17.21',
      direct: true,
      // npm says only "fixable"; the version comes from the package's published versions.
      fix: { available: true, package: 'lodash', version: '4.17.21', breaking: false },
    });
    expect(find(audit, '@acme/widget')).toMatchObject({
      severity: 'critical',
      fix: { available: true, package: '@acme/widget', version: '2.0.0', breaking: true },
    });
    expect(find(audit, 'minimist')).toMatchObject({ installed: ['0.0.8'], direct: false });
    // mkdirp is vulnerable only through minimist: reported once, under minimist.
    expect(audit.advisories.map((a) => a.package).sort()).toEqual([
      '@acme/widget',
      'lodash',
      'minimist',
    ]);
    expect(audit.counts).toEqual({
      critical: 1,
      high: 1,
      moderate: 1,
      low: 0,
      unknown: 0,
      total: 3,
    });
    expect(audit.advisories[0]?.severity).toBe('critical');

    // What npm itself asked: one gzip-compressed bulk POST, then package documents.
    const npmAsked = fake.requests.slice(before);
    const first = npmAsked[0];
    expect(first).toMatchObject({
      method: 'POST',
      path: '/-/npm/v1/security/advisories/bulk',
      contentEncoding: 'gzip',
    });
    expect(first?.body).toMatchObject({
      lodash: ['4.17.20'],
      '@acme/widget': ['1.0.0'],
      minimist: ['0.0.8'],
      next: ['13.5.6'],
    });
    const paths = npmAsked.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('GET /@acme%2fwidget');
    expect(paths).toContain('GET /lodash');
  });

  it('asks the bulk endpoint directly when told not to run npm', async () => {
    const dir = await project('npm-bulk', npmProject());
    const before = fake.requests.length;
    const audit = await auditDependencies(dir, { ...at(fake.url), runNpm: false });
    expect(audit.sources[0]).toMatchObject({ route: 'npm-bulk', status: 'ok', packages: 7 });
    expect(find(audit, 'lodash').fix).toEqual({
      available: true,
      package: 'lodash',
      version: '4.17.21',
      breaking: false,
    });
    expect(find(audit, '@acme/widget').fix).toMatchObject({ version: '2.0.0', breaking: true });
    expect(find(audit, 'minimist')).toMatchObject({ installed: ['0.0.8'], direct: false });
    const bulk = fake.requests.slice(before).find((r) => r.path.endsWith('/advisories/bulk'));
    expect(bulk?.contentEncoding).toBeNull();
    expect(bulk?.body).toMatchObject({ minimist: ['0.0.8'], express: ['4.21.0'] });
  });

  it('falls back to the bulk endpoint when npm cannot run, and says so', async () => {
    const dir = await project('npm-missing', npmProject());
    const audit = await auditDependencies(dir, {
      ...at(fake.url),
      npmPath: join(work, 'no-such-npm'),
    });
    expect(audit.sources[0]).toMatchObject({ route: 'npm-bulk', status: 'ok' });
    expect(audit.sources[0]?.message).toMatch(/npm audit failed .*asked directly/);
    expect(audit.counts.total).toBe(3);
  });

  it('reads pnpm (v6 and v9) and yarn (classic and Berry) lockfiles for the bulk route', async () => {
    const pnpm9 = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      lodash:',
      '        specifier: ^4.17.0',
      '        version: 4.17.20',
      'packages:',
      "  '@acme/widget@1.1.0':",
      '    resolution: {integrity: sha512-x}',
      '  lodash@4.17.20:',
      '    resolution: {integrity: sha512-y}',
      'snapshots:',
      '  lodash@4.17.19: {}',
    ].join('\n');
    const pnpm6 = [
      "lockfileVersion: '6.0'",
      'packages:',
      '  /lodash@4.17.19:',
      '    resolution: {integrity: sha512-y}',
      '  /@acme/widget@1.0.0(react@19.0.0):',
      '    dev: false',
    ].join('\n');
    const yarn1 = [
      '# yarn lockfile v1',
      '',
      'lodash@^4.17.0, lodash@^4.17.20:',
      '  version "4.17.20"',
      '  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.20.tgz"',
      '',
      '"@acme/widget@^1.0.0":',
      '  version "1.1.0"',
    ].join('\n');
    const berry = [
      '__metadata:',
      '  version: 8',
      '',
      '"lodash@npm:^4.17.0":',
      '  version: 4.17.19',
      '  resolution: "lodash@npm:4.17.19"',
      '',
      '"demo@workspace:.":',
      '  version: 0.0.0-use.local',
      '  resolution: "demo@workspace:."',
    ].join('\n');
    const root = await project('js-locks', {
      'pnpm9/package.json': json({ dependencies: { lodash: '^4.17.0' } }),
      'pnpm9/pnpm-lock.yaml': pnpm9,
      'pnpm6/pnpm-lock.yaml': pnpm6,
      'yarn1/yarn.lock': yarn1,
      'berry/yarn.lock': berry,
    });
    const before = fake.requests.length;
    const audit = await auditDependencies(root, at(fake.url));
    expect(audit.sources.map((s) => [s.file, s.route, s.status])).toEqual([
      ['berry/yarn.lock', 'npm-bulk', 'ok'],
      ['pnpm6/pnpm-lock.yaml', 'npm-bulk', 'ok'],
      ['pnpm9/pnpm-lock.yaml', 'npm-bulk', 'ok'],
      ['yarn1/yarn.lock', 'npm-bulk', 'ok'],
    ]);
    const bodies = fake.requests
      .slice(before)
      .filter((r) => r.path.endsWith('/advisories/bulk'))
      .map((r) => r.body);
    expect(bodies).toEqual([
      { lodash: ['4.17.19'] },
      { '@acme/widget': ['1.0.0'], lodash: ['4.17.19'] },
      { '@acme/widget': ['1.1.0'], lodash: ['4.17.20'] },
      { '@acme/widget': ['1.1.0'], lodash: ['4.17.20'] },
    ]);
    const pnpm9Lodash = audit.advisories.find(
      (a) => a.source === 'pnpm9/pnpm-lock.yaml' && a.package === 'lodash',
    );
    expect(pnpm9Lodash).toMatchObject({ installed: ['4.17.20'], direct: true });
    expect(audit.counts).toMatchObject({ critical: 3, high: 4, total: 7 });
  });
});

describe('other ecosystems via OSV', () => {
  it('checks pinned Python requirements and reads severity, title and fix', async () => {
    const dir = await project('python', {
      'requirements.txt': [
        '# web',
        'Django==3.2.0',
        'flask[async]==2.0.1 ; python_version >= "3.8"',
        'requests>=2.31',
        '-r requirements-dev.txt',
      ].join('\n'),
    });
    const before = fake.requests.length;
    const audit = await auditDependencies(dir, at(fake.url));
    expect(audit.sources).toEqual([
      expect.objectContaining({ ecosystem: 'PyPI', route: 'osv', status: 'ok', packages: 2 }),
    ]);
    expect(find(audit, 'django')).toMatchObject({
      severity: 'high',
      title: 'SQL injection in Django QuerySet',
      url: 'https://osv.dev/vulnerability/GHSA-xxxx-django-0001',
      installed: ['3.2.0'],
      vulnerableRange: '>=3.2 <3.2.19',
      fix: { available: true, version: '3.2.19', breaking: false },
    });
    // No severity word: scored from the CVSS vector (7.5 → high); the title is the first line.
    expect(find(audit, 'flask')).toMatchObject({
      severity: 'high',
      title: 'Flask may cache a session cookie',
      fix: { version: '2.2.5' },
    });
    const asked = fake.requests.slice(before);
    expect(asked[0]).toMatchObject({ method: 'POST', path: '/v1/querybatch' });
    expect(asked[0]?.body).toEqual({
      queries: [
        { package: { name: 'django', ecosystem: 'PyPI' }, version: '3.2.0' },
        { package: { name: 'flask', ecosystem: 'PyPI' }, version: '2.0.1' },
      ],
    });
    expect(asked.filter((r) => r.path === '/v1/query')).toHaveLength(2);
    expect(audit.frameworks.map((f) => [f.name, f.installed, f.status])).toEqual([
      ['django', '3.2.0', 'unknown'],
      ['flask', '2.0.1', 'unknown'],
    ]);
  });

  it('sends Ruby, Go and Rust lockfiles with their OSV ecosystem names', async () => {
    const dir = await project('polyglot', {
      'api/go.mod':
        'module example.com/api\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/net v0.6.0 // indirect\n)\n',
      'api/go.sum': 'golang.org/x/net v0.1.0 h1:abc=\n',
      'web/Gemfile.lock': [
        'GEM',
        '  remote: https://rubygems.org/',
        '  specs:',
        '    nokogiri (1.16.0-x86_64-linux)',
        '      racc (~> 1.4)',
        '    rails (7.0.4)',
        '',
        'PLATFORMS',
        '  x86_64-linux',
      ].join('\n'),
      'worker/Cargo.lock': [
        'version = 3',
        '',
        '[[package]]',
        'name = "tokio"',
        'version = "1.28.0"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        '',
        '[[package]]',
        'name = "worker"',
        'version = "0.1.0"',
      ].join('\n'),
    });
    const before = fake.requests.length;
    const audit = await auditDependencies(dir, at(fake.url));
    expect(audit.status).toBe('ok');
    const batches = fake.requests
      .slice(before)
      .filter((r) => r.path === '/v1/querybatch')
      .map((r) => (r.body as { queries: unknown[] }).queries);
    expect(batches).toEqual([
      [{ package: { name: 'golang.org/x/net', ecosystem: 'Go' }, version: '0.6.0' }],
      [
        { package: { name: 'nokogiri', ecosystem: 'RubyGems' }, version: '1.16.0' },
        { package: { name: 'rails', ecosystem: 'RubyGems' }, version: '7.0.4' },
      ],
      [{ package: { name: 'tokio', ecosystem: 'crates.io' }, version: '1.28.0' }],
    ]);
    expect(find(audit, 'golang.org/x/net')).toMatchObject({
      ecosystem: 'Go',
      severity: 'unknown',
      fix: { version: '0.7.0' },
      source: 'api/go.mod',
    });
    expect(audit.counts).toMatchObject({ unknown: 1, total: 1 });
    expect(audit.frameworks).toEqual([
      expect.objectContaining({ name: 'rails', installed: '7.0.4', status: 'unknown' }),
    ]);
  });
});

describe('frameworks', () => {
  it('flags a framework two majors behind and leaves current ones alone', async () => {
    const dir = await project('frameworks', npmProject());
    const audit = await auditDependencies(dir, { ...at(fake.url), runNpm: false });
    const byName = new Map(audit.frameworks.map((f) => [f.name, f]));
    expect(byName.get('next')).toMatchObject({
      installed: '13.5.6',
      latest: '15.1.0',
      majorsBehind: 2,
      status: 'behind',
    });
    expect(byName.get('express')).toMatchObject({ majorsBehind: 1, status: 'one-behind' });
    expect(byName.get('react')).toMatchObject({ majorsBehind: 0, status: 'current' });
  });

  it('reads versions from package.json ranges when there is no lockfile, and says nothing was audited', async () => {
    const dir = await project('no-lock', {
      'package.json': json({ dependencies: { next: '^15.0.0', react: '~18.3.0' } }),
    });
    const audit = await auditDependencies(dir, at(fake.url));
    expect(audit.status).toBe('none');
    expect(audit.sources).toEqual([]);
    expect(audit.notes.join(' ')).toMatch(/package\.json has no lockfile/);
    expect(audit.frameworks.map((f) => [f.name, f.installed, f.status])).toEqual([
      ['next', '15.0.0', 'current'],
      ['react', '18.3.0', 'one-behind'],
    ]);
  });
});

describe('when the advisory database fails', () => {
  const failing = async (
    mode: FakeAdvisoryData['mode'],
    name: string,
    timeoutMs = 5000,
  ): Promise<{ audit: DependencyAudit; ms: number; server: FakeAdvisoryServer }> => {
    const server = await startFakeAdvisoryServer({ ...DATA, mode });
    try {
      const dir = await project(name, {
        ...npmProject(),
        'backend/requirements.txt': 'django==3.2.0\n',
      });
      const started = performance.now();
      const audit = await auditDependencies(dir, { ...at(server.url), timeoutMs });
      return { audit, ms: performance.now() - started, server };
    } finally {
      await server.close();
    }
  };

  it('refused connections are "unreachable", never a pass', async () => {
    const { audit } = await failing('refuse', 'refused');
    expect(audit.status).toBe('unreachable');
    expect(audit.message).toBe(UNREACHABLE_MESSAGE);
    expect(audit.sources.map((s) => [s.route, s.status, s.message])).toEqual([
      ['npm-audit', 'unreachable', UNREACHABLE_MESSAGE],
      ['osv', 'unreachable', UNREACHABLE_MESSAGE],
    ]);
    expect(audit.sources[0]?.detail).toMatch(/ECONNREFUSED/);
    expect(audit.counts.total).toBe(0);
    expect(audit.frameworks.every((f) => f.status === 'unknown')).toBe(true);
  });

  it('a server that never answers times out within the bound', async () => {
    const { audit, ms, server } = await failing('hang', 'hanging', 1500);
    expect(audit.status).toBe('unreachable');
    expect(audit.sources.map((s) => s.status)).toEqual(['unreachable', 'unreachable']);
    // npm's own fetch timeout (1.5 s) plus its start-up, then one OSV request of 1.5 s.
    expect(ms).toBeLessThan(12_000);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/-/npm/v1/security/advisories/bulk',
      '/v1/querybatch',
    ]);
  });

  it('garbage answers are an error, not a pass', async () => {
    const { audit } = await failing('garbage', 'garbage');
    expect(audit.status).toBe('error');
    expect(audit.sources.map((s) => [s.route, s.status])).toEqual([
      ['npm-audit', 'error'],
      ['osv', 'error'],
    ]);
    expect(audit.sources[0]?.detail).toMatch(/invalid json/i);
    expect(audit.message).toMatch(/not an advisory list/);
  });

  it('JSON of the wrong shape is an error on the bulk and OSV routes', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('[1,2,3]');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const dir = await project('wrong-shape', {
        ...npmProject(),
        'requirements.txt': 'django==3.2.0\n',
      });
      const audit = await auditDependencies(dir, { ...at(url), runNpm: false });
      expect(audit.status).toBe('error');
      expect(audit.sources.map((s) => [s.route, s.status])).toEqual([
        ['npm-bulk', 'error'],
        ['osv', 'error'],
      ]);
      expect(audit.frameworks.every((f) => f.status === 'unknown')).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it.each([
    ['OSV', { 'requirements.txt': 'django==3.2.0\n' }],
    ['the npm CLI (killed)', npmProject()],
    ['the bulk endpoint', { 'yarn.lock': 'lodash@^4.17.0:\n  version "4.17.20"\n' }],
  ])('stops promptly when aborted while waiting for %s', async (what, files) => {
    const server = await startFakeAdvisoryServer({ mode: 'hang' });
    try {
      const dir = await project(`aborted-${what.replace(/\W+/g, '-')}`, files);
      const controller = new AbortController();
      // Long enough for npm to start and send its request.
      setTimeout(() => controller.abort(), 700);
      const started = performance.now();
      const err = await auditDependencies(dir, {
        ...at(server.url),
        timeoutMs: 30_000,
        signal: controller.signal,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProbeError);
      expect((err as ProbeError).kind).toBe('aborted');
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      await server.close();
    }
  });

  it('an empty folder has nothing to audit', async () => {
    const dir = await project('empty', { 'README.md': '# nothing\n' });
    const audit = await auditDependencies(dir, at(fake.url));
    expect(audit).toMatchObject({ status: 'none', sources: [], advisories: [], frameworks: [] });
  });
});
