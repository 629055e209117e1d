import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { RunEvent } from '../../src/shared/run';
import type { Workspace } from '../../src/shared/workspace';
import type { Check, CheckOutcome } from '../../src/main/core/engine/check';
import { diffRuns } from '../../src/main/core/engine/diff';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import { computeVerdict, score } from '../../src/main/core/engine/verdict';
import { ProbeError } from '../../src/main/core/probes/errors';
import { internetContext } from '../../src/main/core/probes/net-context';

const ws: Workspace = {
  id: 'w',
  name: 'W',
  domain: 'w.example',
  hosts: [],
  routes: [],
  dkimSelectors: [],
  integrations: {},
  answers: {},
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const net = internetContext();

function check(id: string, run: Check['run'], over: Partial<Check> = {}): Check {
  return {
    id,
    stage: 1,
    title: `Check ${id}`,
    why: 'why',
    fix: ['fix'],
    impact: 'high',
    kind: 'probe',
    run,
    ...over,
  };
}
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new ProbeError('aborted', 'stopped'));
    });
  });
const outcome = (status: CheckOutcome['status']): CheckOutcome => ({
  status,
  summary: status,
  evidence: {},
});

describe('engine', () => {
  it('plans automated checks only, in catalogue order', () => {
    const a = check('a', async () => outcome('pass'));
    const q = check('q', async () => outcome('pass'), { kind: 'ask' });
    const b = check('b', async () => outcome('pass'));
    expect(planRun([a, q, b], ws).checks.map((c) => c.id)).toEqual(['a', 'b']);
    expect(planRun([a, q, b], ws, ['b']).checks.map((c) => c.id)).toEqual(['b']);
  });

  it('never runs more checks at once than the concurrency bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const checks = Array.from({ length: 9 }, (_, i) =>
      check(`c${i}`, async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await sleep(20);
        inFlight -= 1;
        return outcome('pass');
      }),
    );
    const record = await executeRun({ checks }, ws, net, { concurrency: 3 });
    expect(peak).toBe(3);
    expect(record.results.map((r) => r.id)).toEqual(checks.map((c) => c.id));
  });

  it('turns an overrunning check into an error at its timeout and aborts its signal', async () => {
    let sawAbort = false;
    const slow = check('slow', async (ctx) => {
      ctx.signal.addEventListener('abort', () => (sawAbort = true));
      await new Promise(() => {}); // never settles, even on abort
      return outcome('pass');
    });
    const fast = check('fast', async () => outcome('pass'));
    const t0 = performance.now();
    const record = await executeRun({ checks: [slow, fast] }, ws, net, { checkTimeoutMs: 150 });
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(1500);
    expect(sawAbort).toBe(true);
    const r = record.results[0]!;
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/did not finish within 0.15 seconds/);
    expect(record.results[1]!.status).toBe('pass');
  });

  it('turns a throwing check into an error naming why, never a pass', async () => {
    const record = await executeRun(
      {
        checks: [
          check('probe', async () => {
            throw new ProbeError('refused', 'api.w.example:443: connection refused');
          }),
          check('bug', async () => {
            throw new TypeError('x is undefined');
          }),
        ],
      },
      ws,
      net,
    );
    expect(record.results.map((r) => r.status)).toEqual(['error', 'error']);
    expect(record.results[0]!.summary).toMatch(/connection refused/);
    expect(record.results[0]!.evidence).toMatchObject({ error: 'refused' });
    expect(record.results[1]!.summary).toMatch(/x is undefined/);
  });

  it('stops every check when the run is aborted', async () => {
    const ac = new AbortController();
    const checks = [1, 2].map((i) =>
      check(`s${i}`, async (ctx) => (await sleep(10_000, ctx.signal), outcome('pass'))),
    );
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    const record = await executeRun({ checks }, ws, net, { signal: ac.signal });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(record.results.every((r) => r.status === 'error' && /stopped/.test(r.summary))).toBe(
      true,
    );
  });

  it('streams progress events in order', async () => {
    const events: RunEvent[] = [];
    await executeRun(
      {
        checks: [check('a', async () => outcome('pass')), check('b', async () => outcome('fail'))],
      },
      ws,
      net,
      {
        onEvent: (e) => events.push(e),
        concurrency: 1,
      },
    );
    expect(events.map((e) => e.type)).toEqual([
      'run-started',
      'check-started',
      'check-finished',
      'check-started',
      'check-finished',
      'run-finished',
    ]);
    const last = events.at(-2);
    expect(last).toMatchObject({ type: 'check-finished', done: 2, total: 2 });
  });
});

function result(
  id: string,
  status: CheckResult['status'],
  impact: CheckResult['impact'] = 'high',
  stage: CheckResult['stage'] = 1,
): CheckResult {
  return { id, stage, impact, status, summary: `${id} ${status}`, evidence: {}, durationMs: 1 };
}

describe('verdict', () => {
  const meta = new Map([
    ['a', { title: 'Alpha' }],
    ['b', { title: 'Beta' }],
  ]);

  it('weights by impact and ignores skipped and unanswered', () => {
    // critical pass (8), low fail (1), medium warn (2 × 0.5): (8 + 0 + 1) / 11
    expect(
      score([
        result('a', 'pass', 'critical'),
        result('b', 'fail', 'low'),
        result('c', 'warn', 'medium'),
        result('d', 'skipped'),
        result('e', 'unanswered'),
      ]),
    ).toBe(82);
    expect(score([result('d', 'skipped')])).toBeNull();
  });

  it('is demo-ready only without a fail or error on a critical or high check', () => {
    expect(
      computeVerdict([result('a', 'pass'), result('b', 'fail', 'medium')], meta).demoReady,
    ).toBe(true);
    const v = computeVerdict([result('a', 'pass'), result('b', 'error', 'critical')], meta);
    expect(v.demoReady).toBe(false);
    expect(v.blockers).toEqual([{ id: 'b', title: 'Beta', status: 'error', summary: 'b error' }]);
    expect(v.headline).toBe('Not ready to demo: 1 blocker — fix first: Beta.');
    expect(computeVerdict([], meta).demoReady).toBe(false);
  });

  it('ranks every fail, error and warn by impact, then severity', () => {
    const v = computeVerdict(
      [
        result('a', 'warn', 'critical'),
        result('b', 'fail', 'low'),
        result('c', 'pass', 'critical'),
        result('d', 'error', 'high'),
        result('e', 'fail', 'critical'),
        result('f', 'skipped', 'critical'),
      ],
      meta,
    );
    expect(v.risks.map((r) => [r.id, r.status])).toEqual([
      ['e', 'fail'],
      ['a', 'warn'],
      ['d', 'error'],
      ['b', 'fail'],
    ]);
    expect(v.risks[1]).toMatchObject({ title: 'Alpha', impact: 'critical', stage: 1 });
  });

  it('scores each stage on its own', () => {
    const v = computeVerdict(
      [result('a', 'pass', 'high', 1), result('b', 'fail', 'high', 2)],
      meta,
    );
    expect(v.stages.find((s) => s.stage === 1)?.score).toBe(100);
    expect(v.stages.find((s) => s.stage === 2)?.score).toBe(0);
    expect(v.stages.find((s) => s.stage === 5)?.score).toBeNull();
    expect(v.score).toBe(50);
  });
});

describe('diff', () => {
  const meta = new Map<string, { title: string }>();
  it('lists new failures, fixes and other changes against the previous run', () => {
    const prev = {
      runId: 'r1',
      results: [
        result('a', 'pass'),
        result('b', 'fail'),
        result('c', 'warn'),
        result('d', 'pass'),
        result('gone', 'pass'),
      ],
    };
    const now = [
      result('a', 'fail'),
      result('b', 'pass'),
      result('c', 'pass'),
      result('d', 'pass'),
      result('new', 'error'),
    ];
    const d = diffRuns(prev, now, meta);
    expect(d.previousRunId).toBe('r1');
    expect(d.newFailures.map((e) => e.id)).toEqual(['a', 'new']);
    expect(d.fixed.map((e) => e.id)).toEqual(['b']);
    expect(d.changed.map((e) => [e.id, e.before, e.after])).toEqual([
      ['c', 'warn', 'pass'],
      ['gone', 'pass', null],
    ]);
    expect(d.unchanged).toBe(1);
  });

  it('treats a first run as all new', () => {
    const d = diffRuns(null, [result('a', 'fail'), result('b', 'pass')], meta);
    expect(d.previousRunId).toBeNull();
    expect(d.newFailures.map((e) => e.id)).toEqual(['a']);
    expect(d.changed.map((e) => e.id)).toEqual(['b']);
  });
});
