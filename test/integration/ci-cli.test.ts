/**
 * The command line as a CI job uses it: report formats, --fail-on exit codes, --only/--skip,
 * a workspace file (init, then check --workspace against the lab standing in for the
 * internet), and watch.
 */
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab } from '../../src/main/core/lab/lab';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { assertCliBuilt, cli, labNetworkArgs } from '../support/run-cli';

const SCHEMA = createRequire(import.meta.url).resolve(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);

interface Doc {
  results: { id: string; stage: number; status: string; impact: string }[];
}

let dir: string;
beforeAll(async () => {
  assertCliBuilt();
  dir = await mkdtemp(join(tmpdir(), 'lr-ci-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('check in CI', () => {
  it('fails the build on the demo’s planted faults, naming them; passes the healthy twin', async () => {
    const demo = await cli([
      'check',
      '--demo',
      '--only',
      'edge',
      '--format',
      'markdown',
      '--fail-on',
      'high',
    ]);
    expect(demo.code, demo.stderr).toBe(1);
    expect(demo.stderr).toMatch(/at or above high did not pass: .*edge\.tls\.certificate/);
    expect(demo.stdout.split('\n')[0]).toMatch(/^## ❌ Launch Ready — /);
    const healthy = await cli([
      'check',
      '--scenario',
      'healthy',
      '--only',
      'edge,email',
      '--format',
      'junit',
      '--fail-on',
      'low',
    ]);
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(XMLValidator.validate(healthy.stdout)).toBe(true);
    expect(healthy.stdout).not.toContain('<failure');
  });

  it('prints SARIF that validates, only for the stages asked, minus the skipped', async () => {
    const r = await cli([
      'check',
      '--demo',
      '--only',
      '1,3',
      '--skip',
      'audit.ai.',
      '--format',
      'sarif',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const validate = new Ajv({ strict: false, unicodeRegExp: false }).compile(
      JSON.parse(await readFile(SCHEMA, 'utf8')),
    );
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const ids = (doc.runs[0].results as { ruleId: string }[]).map((x) => x.ruleId);
    expect(ids.every((id) => id.startsWith('audit.') || id.startsWith('deploy.'))).toBe(true);
    expect(ids.some((id) => id.startsWith('audit.ai.'))).toBe(false);
    expect(ids).toContain('deploy.secrets.code');
  });

  it('writes more reports of the same run with --report FORMAT=FILE', async () => {
    const sarif = join(dir, 'one-run.sarif');
    const md = join(dir, 'one-run.md');
    const r = await cli([
      'check',
      '--demo',
      '--only',
      '5',
      '--format',
      'json',
      '--report',
      `sarif=${sarif}`,
      '--report',
      `markdown=${md}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc & { startedAt: string };
    const fromFile = JSON.parse(await readFile(sarif, 'utf8'));
    // The same run: the SARIF invocation carries the JSON document's start time.
    expect(fromFile.runs[0].invocations[0].startTimeUtc).toBe(doc.startedAt);
    expect(await readFile(md, 'utf8')).toMatch(/^## ❌ Launch Ready/);
    const bad = await cli(['check', '--demo', '--report', 'pdf=x.pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--report wants FORMAT=FILE/);
  });

  it('keeps the JSON format for --json and --format json alike', async () => {
    const a = await cli(['check', '--demo', '--only', '5', '--json']);
    const b = await cli(['check', '--demo', '--only', '5', '--format', 'json']);
    const ids = (s: string) =>
      (JSON.parse(s) as Doc).results.map((x) => `${x.id}:${x.stage}`).sort();
    expect(ids(a.stdout)).toEqual(ids(b.stdout));
    expect((JSON.parse(a.stdout) as Doc).results.every((x) => x.stage === 5)).toBe(true);
  });

  it.each([
    [
      ['check', '--demo', '--format', 'pdf'],
      /--format wants one of table, json, junit, sarif, markdown/,
    ],
    [
      ['check', '--demo', '--fail-on', 'severe'],
      /--fail-on wants one of critical, high, medium, low/,
    ],
    [['check', '--demo', '--only', '8'], /"8" is not a stage/],
    [
      ['check', '--demo', '--skip', 'edge.tls.certifcate'],
      /no check is called "edge\.tls\.certifcate"/,
    ],
    [['check', '--demo', '--json', '--format', 'sarif'], /--json or --format, not both/],
    [['check', 'example.com', '--demo'], /Give one of/],
    [['check', '--workspace', '/no/such/launch-ready.json'], /no such file.*launch-ready init/],
    [['watch', '--demo'], /--every/],
    [['watch', '--demo', '--every', '5 minutes'], /not an interval/],
  ])('exits 2 on bad input: %j', async (args, why) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(r.stdout).toBe('');
  });

  it('lists every check for --skip and --only', async () => {
    const r = await cli(['checks', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; stage: number }[];
    expect(list.map((c) => c.id)).toContain('edge.tls.certificate');
    expect(new Set(list.map((c) => c.stage))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
});

describe('a workspace file', () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startLab(getScenario('healthy'));
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('init writes a starter, refuses to overwrite it, and writes YAML too', async () => {
    const json = join(dir, 'launch-ready.json');
    const r = await cli(['init', 'steady-ai.test', '--out', json]);
    expect(r.code, r.stderr).toBe(0);
    const starter = JSON.parse(await readFile(json, 'utf8'));
    expect(starter).toMatchObject({ schemaVersion: 1, domain: 'steady-ai.test', repo: '.' });
    const again = await cli(['init', 'steady-ai.test', '--out', json]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists.*--force/);
    const yaml = join(dir, 'launch-ready.yaml');
    expect((await cli(['init', 'steady-ai.test', '--out', yaml])).code).toBe(0);
    expect(parseYaml(await readFile(yaml, 'utf8'))).toEqual(starter);
    expect((await cli(['init', 'exa mple', '--out', join(dir, 'x.json')])).code).toBe(2);
  });

  it('check --workspace probes the hosts the file names', async () => {
    const file = join(dir, 'steady.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'Steady from a file',
        domain: 'steady-ai.test',
        hosts: ['steady-ai.test', 'www.steady-ai.test', 'app.steady-ai.test', 'api.steady-ai.test'],
      }),
    );
    const ca = join(dir, 'lab-ca.pem');
    await writeFile(ca, lab.caPem);
    const r = await cli([
      'check',
      '--workspace',
      file,
      '--only',
      '2',
      '--skip',
      'edge.cloudflare.',
      '--format',
      'json',
      '--fail-on',
      'medium',
      ...labNetworkArgs(lab, ca),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      results: (Doc['results'][number] & { evidence: unknown })[];
    };
    const map = doc.results.find((x) => x.id === 'edge.dns.map');
    expect(map?.status).toBe('pass');
    expect(JSON.stringify(map?.evidence)).toContain('api.steady-ai.test');
    expect(doc.results.every((x) => x.stage === 2)).toBe(true);
  });
});

describe('watch', () => {
  it('runs on a schedule, a baseline first, then says nothing got worse', async () => {
    const r = await cli([
      'watch',
      '--scenario',
      'healthy',
      '--only',
      'email',
      '--every',
      '1s',
      '--times',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Watching Steady .* every 1s, 2 runs\./);
    expect(lines[1]).toMatch(/ run 1: .*This is the baseline\.$/);
    expect(lines[2]).toMatch(/ run 2: .*Nothing got worse\.$/);
    expect(lines).toHaveLength(3);
  });
});
