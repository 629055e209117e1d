import { describe, expect, it } from 'vitest';
import { latencyQuantile, latencySampler } from '../../src/main/core/lab/latency';
import {
  quantile,
  quantileSorted,
  relativeErrorPct,
  summarize,
} from '../../src/main/core/probes/percentiles';

describe('percentiles', () => {
  it('interpolates between ranks as NumPy and spreadsheets do (type 7)', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    // numpy.percentile(range(1, 101), [50, 95, 99]) → 50.5, 95.05, 99.01
    expect(quantileSorted(hundred, 0.5)).toBeCloseTo(50.5, 10);
    expect(quantileSorted(hundred, 0.95)).toBeCloseTo(95.05, 10);
    expect(quantileSorted(hundred, 0.99)).toBeCloseTo(99.01, 10);
    expect(quantileSorted(hundred, 0)).toBe(1);
    expect(quantileSorted(hundred, 1)).toBe(100);
    // numpy.percentile([15, 20, 35, 40, 50], 40) → 29.0
    expect(quantileSorted([15, 20, 35, 40, 50], 0.4)).toBeCloseTo(29, 10);
  });

  it('sorts unsorted input without changing it', () => {
    const values = [700, 120, 95, 480, 130];
    expect(quantile(values, 0.5)).toBe(130);
    expect(values).toEqual([700, 120, 95, 480, 130]);
  });

  it('a single sample is every percentile', () => {
    expect(summarize([42])).toEqual({ n: 1, min: 42, p50: 42, p95: 42, max: 42, mean: 42 });
  });

  it('summarises 20 samples: p95 sits between the two slowest', () => {
    const samples = [
      110, 95, 130, 101, 99, 640, 120, 105, 98, 115, 125, 100, 97, 108, 112, 118, 700, 103, 107,
      111,
    ];
    const s = summarize(samples);
    expect(s).not.toBeNull();
    expect(s?.n).toBe(20);
    expect(s?.min).toBe(95);
    expect(s?.max).toBe(700);
    // Sorted ranks 19 and 20 are 640 and 700: 640 + 0.05 × 60 = 643.
    expect(s?.p95).toBe(643);
    expect(s?.p50).toBe(109); // numpy.percentile(samples, [50, 95]) → 109, 643
    expect(s?.mean).toBe(164.7);
  });

  it('refuses what would corrupt a figure', () => {
    expect(summarize([])).toBeNull();
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, Number.NaN, 3], 0.5)).toThrow(/finite/);
    expect(() => quantile([1, Number.POSITIVE_INFINITY], 0.5)).toThrow(/finite/);
    expect(() => quantile([1, 2], 1.5)).toThrow(/outside/);
    expect(() => quantile([1, 2], -0.1)).toThrow(/outside/);
    expect(() => relativeErrorPct(1, 0)).toThrow(RangeError);
  });

  it('relative error in percent', () => {
    expect(relativeErrorPct(735, 700)).toBeCloseTo(5, 10);
    expect(relativeErrorPct(665, 700)).toBeCloseTo(5, 10);
  });

  it('recovers the lab ground truth from many seeded draws', () => {
    // 20 000 draws: the sample p95 must land within 2 % of the distribution's true p95.
    const spec = { kind: 'lognormal', p50Ms: 400, p95Ms: 700, seed: 11 } as const;
    const draw = latencySampler(spec);
    const values = Array.from({ length: 20_000 }, () => draw());
    expect(relativeErrorPct(quantile(values, 0.95), latencyQuantile(spec, 0.95))).toBeLessThan(2);
    expect(relativeErrorPct(quantile(values, 0.5), latencyQuantile(spec, 0.5))).toBeLessThan(2);
  });
});
