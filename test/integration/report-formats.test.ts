/**
 * The CI formats of a real demo run in the lab: SARIF validated against the official 2.1.0
 * schema, JUnit read back by an XML parser, markdown and --fail-on / --only / --skip.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
// The SARIF 2.1.0 schema is JSON Schema draft-04; one of its patterns (the language tag) is
// not valid with the u flag, so patterns are compiled without it.
import Ajv from 'ajv-draft-04';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, catalogueMeta } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { labWorkspace, startLab } from '../../src/main/core/lab/lab';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { failingAt, parseFailOn } from '../../src/main/cli/report/fail-on';
import { renderJunit } from '../../src/main/cli/report/junit';
import { renderMarkdown } from '../../src/main/cli/report/markdown';
import { renderSarif } from '../../src/main/cli/report/sarif';
import { selectChecks } from '../../src/main/cli/report/select';
import type { RunRecord } from '../../src/shared/run';

const SCHEMA = createRequire(import.meta.url).resolve(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);
const meta = new Map(catalogueMeta().map((m) => [m.id, m]));

let lab: RunningLab;
let run: RunRecord;
beforeAll(async () => {
  lab = await startLab(getScenario('demo'));
  const ws = await labWorkspace(lab, 'demo');
  run = await executeRun(planRun(CATALOGUE, ws), ws, lab.net, { credentials: lab.credentials });
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

describe('SARIF 2.1.0', () => {
  it('validates against the official schema, secrets at their file and line', () => {
    const text = renderSarif(run, meta, { version: '0.1.0', anchor: 'launch-ready.json' });
    const doc = JSON.parse(text);
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);

    const results = doc.runs[0].results as {
      ruleId: string;
      level: string;
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
      }[];
    }[];
    const failed = run.results.filter((r) => r.status === 'fail').map((r) => r.id);
    expect(new Set(results.filter((r) => r.level === 'error').map((r) => r.ruleId))).toEqual(
      new Set(failed),
    );
    // The demo's Stripe key in the seed script: one result at its file and line.
    const code = results.filter((r) => r.ruleId === 'deploy.secrets.code');
    expect(code.length).toBeGreaterThan(0);
    for (const r of code) {
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).not.toBe('launch-ready.json');
      expect(r.locations[0]?.physicalLocation.region.startLine).toBeGreaterThan(0);
    }
    // Network results point at the workspace file; passes are not results.
    const tls = results.find((r) => r.ruleId === 'edge.tls.certificate');
    expect(tls?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('launch-ready.json');
    const passed = run.results.filter((r) => r.status === 'pass').map((r) => r.id);
    expect(results.some((r) => passed.includes(r.ruleId))).toBe(false);
    // No secret value: the lab's fake keys all contain this marker.
    expect(text).not.toContain('LAUNCHREADYDEMO');
  });

  it('a hand-broken document fails the same validation (the schema check can fail)', () => {
    const doc = JSON.parse(renderSarif(run, meta, { version: '0.1.0', anchor: 'x.json' }));
    doc.runs[0].results[0].level = 'catastrophic';
    const validate = new Ajv({ strict: false, unicodeRegExp: false }).compile(
      JSON.parse(readFileSync(SCHEMA, 'utf8')),
    );
    expect(validate(doc)).toBe(false);
  });
});

describe('JUnit XML', () => {
  it('is well-formed, one suite per stage, failures and errors counted', () => {
    const xml = renderJunit(run, meta, 'Promptly <&> "demo"');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = [doc.testsuites.testsuite].flat() as {
      name: string;
      tests: string;
      failures: string;
      errors: string;
      testcase: unknown;
    }[];
    const stages = new Set(run.results.map((r) => r.stage));
    expect(suites).toHaveLength(stages.size);
    expect(doc.testsuites.name).toBe('Launch Ready — Promptly <&> "demo"');
    const sum = (k: 'tests' | 'failures' | 'errors') =>
      suites.reduce((a, s) => a + Number(s[k]), 0);
    expect(sum('tests')).toBe(run.results.length);
    expect(sum('failures')).toBe(run.results.filter((r) => r.status === 'fail').length);
    expect(sum('errors')).toBe(run.results.filter((r) => r.status === 'error').length);
    expect(Number(doc.testsuites.failures)).toBe(sum('failures'));
    const cases = suites.flatMap((s) => [s.testcase].flat()) as {
      name: string;
      failure?: unknown;
    }[];
    const tls = cases.find((c) => c.name.startsWith('edge.tls.certificate'));
    expect(tls?.failure).toBeDefined();
  });

  it('keeps text that XML forbids out of the document', () => {
    const bad = structuredClone(run);
    bad.results[0]!.summary = 'nul \u0000 bell \u0007 lone surrogate \uD800 end';
    bad.results[0]!.status = 'fail';
    expect(XMLValidator.validate(renderJunit(bad, meta, 'x'))).toBe(true);
  });
});

describe('markdown', () => {
  it('leads with the verdict and the fix-first table, pipes escaped', () => {
    const md = renderMarkdown(run, meta, 'Promptly | demo');
    expect(md.split('\n')[0]).toBe('## ❌ Launch Ready — Promptly \\| demo');
    expect(md).toContain('### Fix first (');
    const firstRow = md.split('\n').find((l) => l.startsWith('| ❌') || l.startsWith('| ❔'));
    expect(firstRow).toMatch(/\| critical \|/);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ❌'))) {
      expect(line.split(/(?<!\\)\|/).length).toBe(7);
    }
  });
});

describe('--fail-on, --only and --skip', () => {
  it('fails at or above the level, counting could-not-check as failing', () => {
    const results = [
      { id: 'a', status: 'fail' as const, impact: 'medium' as const },
      { id: 'b', status: 'error' as const, impact: 'low' as const },
      { id: 'c', status: 'warn' as const, impact: 'critical' as const },
      { id: 'd', status: 'pass' as const, impact: 'critical' as const },
    ];
    expect(failingAt(results, 'critical')).toEqual([]);
    expect(failingAt(results, 'high')).toEqual([]);
    expect(failingAt(results, 'medium').map((r) => r.id)).toEqual(['a']);
    expect(failingAt(results, 'low').map((r) => r.id)).toEqual(['a', 'b']);
    expect(() => parseFailOn('severe')).toThrow(/critical, high, medium, low/);
  });

  it('selects stages by number or key, skips ids and prefixes, refuses what names nothing', () => {
    const email = selectChecks(CATALOGUE, '5', undefined);
    expect(new Set(email.map((c) => c.stage))).toEqual(new Set([5]));
    expect(selectChecks(CATALOGUE, 'email', undefined)).toEqual(email);
    const noPerf = selectChecks(CATALOGUE, undefined, 'perf.*,edge.tls.certificate');
    expect(noPerf.some((c) => c.id.startsWith('perf.'))).toBe(false);
    expect(noPerf.some((c) => c.id === 'edge.tls.certificate')).toBe(false);
    expect(noPerf.length).toBe(
      CATALOGUE.length - CATALOGUE.filter((c) => c.id.startsWith('perf.')).length - 1,
    );
    expect(() => selectChecks(CATALOGUE, '9', undefined)).toThrow(/not a stage/);
    expect(() => selectChecks(CATALOGUE, undefined, 'edge.tls.certifcate')).toThrow(
      /no check is called "edge.tls.certifcate"/,
    );
  });
});
