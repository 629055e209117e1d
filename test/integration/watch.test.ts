/**
 * The schedule's logic against the lab: a healthy product, then the same product after a
 * change plants a fault (DMARC relaxed to p=none). The regression is reported on the run that
 * brought it, and not again on the next one while it stays.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { Regression } from '../../src/main/core/engine/watch';
import { parseInterval, watchLoop } from '../../src/main/core/engine/watch';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { labWorkspace, startLab } from '../../src/main/core/lab/lab';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import type { RunRecord } from '../../src/shared/run';

const HEALTHY = getScenario('healthy');
const RELAXED = composeScenario(HEALTHY, {
  records: [
    {
      name: '_dmarc.steady-ai.test',
      type: 'TXT',
      data: 'v=DMARC1; p=none; rua=mailto:dmarc@steady-ai.test',
    },
  ],
});
const EMAIL = CATALOGUE.filter((c) => c.stage === 5);

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

describe('watch', () => {
  it('reports a regression once, on the run that brought it', async () => {
    const healthy = await startLab(HEALTHY);
    const relaxed = await startLab(RELAXED);
    labs.push(healthy, relaxed);
    // Run 1 on the healthy lab, then runs 2 and 3 after the change.
    const order = [healthy, relaxed, relaxed];
    const seen: { n: number; regressions: Regression[]; run: RunRecord }[] = [];
    const runs = await watchLoop({
      everyMs: 10,
      maxRuns: 3,
      signal: new AbortController().signal,
      runOnce: async (previous) => {
        const lab = order[seen.length] as RunningLab;
        const ws = await labWorkspace(lab, 'steady');
        return executeRun(planRun(EMAIL, ws), ws, lab.net, {
          credentials: lab.credentials,
          previous,
        });
      },
      onRun: (run, regressions, n) => seen.push({ n, regressions, run }),
    });
    expect(runs).toBe(3);
    expect(seen[0]?.regressions).toEqual([]);
    // The relaxed policy, and what depends on it (the bulk-sender rules), each reported once.
    const second = seen[1]?.regressions ?? [];
    expect(second.find((r) => r.id === 'email.dmarc.policy')).toMatchObject({
      before: 'pass',
      after: 'fail',
    });
    expect(second.every((r) => r.id.startsWith('email.'))).toBe(true);
    expect(new Set(second.map((r) => r.id)).size).toBe(second.length);
    expect(seen[2]?.regressions).toEqual([]);
    expect(seen[2]?.run.results.find((r) => r.id === 'email.dmarc.policy')?.status).toBe('fail');
  });

  it('stops between runs when told to, and refuses intervals it cannot keep', async () => {
    const stop = new AbortController();
    let calls = 0;
    const started = Date.now();
    const n = await watchLoop({
      everyMs: 60_000,
      signal: stop.signal,
      runOnce: async () => {
        calls += 1;
        setTimeout(() => stop.abort(), 50);
        const lab = labs[0] as RunningLab;
        const ws = await labWorkspace(lab, 'steady');
        return executeRun(planRun([], ws), ws, lab.net, { credentials: lab.credentials });
      },
      onRun: () => {},
    });
    expect(n).toBe(1);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(parseInterval('6h')).toBe(21_600_000);
    expect(parseInterval('30s')).toBe(30_000);
    expect(() => parseInterval('0s')).toThrow(/between 1s and 30d/);
    expect(() => parseInterval('every day')).toThrow(/not an interval/);
  });
});
