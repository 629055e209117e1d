// The prompt-injection check through the built CLI, as a founder runs it: the demo's naive AI
// assistant fails it, the healthy product's guarded one passes, and the lab's credential for
// the AI endpoint never reaches the printed JSON.
import { beforeAll, describe, expect, it } from 'vitest';
import { LAB_LLM_DEMO_TOKEN } from '../../src/main/core/lab/scenarios/demo/ai';
import { LAB_LLM_HEALTHY_TOKEN } from '../../src/main/core/lab/scenarios/healthy/ai';
import { assertCliBuilt, cli } from '../support/run-cli';

beforeAll(assertCliBuilt);

const ID = 'audit.ai.prompt-injection';

interface Doc {
  results: { id: string; stage: number; status: string; impact: string; summary: string }[];
}

describe('launch-ready check and the AI red-team set', () => {
  it.each([
    [
      ['check', '--demo', '--json'],
      'fail',
      /followed instructions hidden in content/,
      LAB_LLM_DEMO_TOKEN,
    ],
    [
      ['check', '--scenario', 'healthy', '--json'],
      'pass',
      /handled all 11 prompt-injection probes safely/,
      LAB_LLM_HEALTHY_TOKEN,
    ],
  ])('%j: %s', async (args, status, summary, token) => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    const result = doc.results.find((x) => x.id === ID);
    expect(result).toMatchObject({ stage: 1, impact: 'critical', status });
    expect(result?.summary).toMatch(summary);
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).not.toContain(token.replace(/^Bearer /, ''));
  });
});
