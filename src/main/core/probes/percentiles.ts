/**
 * Percentiles of measured latencies. Pure: no I/O, no clock, so the math is unit-tested on its
 * own and the probes only collect numbers.
 */

/**
 * The q-quantile (0–1) of ascending-sorted values, by linear interpolation between the two
 * nearest ranks (Hyndman & Fan type 7: the default of NumPy, R and Excel's PERCENTILE.INC), so
 * figures match what a contractor gets from a spreadsheet of the same samples.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside 0–1`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** As quantileSorted, for values in any order (the input is not modified). */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(sortedFinite(values), q);
}

export interface LatencySummary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** n, min, p50, p95, max and mean in ms, rounded to 0.1 ms; null when there is nothing to summarise. */
export function summarize(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const s = sortedFinite(values);
  const mean = s.reduce((sum, v) => sum + v, 0) / s.length;
  return {
    n: s.length,
    min: round1(s[0] as number),
    p50: round1(quantileSorted(s, 0.5)),
    p95: round1(quantileSorted(s, 0.95)),
    max: round1(s[s.length - 1] as number),
    mean: round1(mean),
  };
}

/** |measured − truth| / truth in percent: how far an estimate is from a known value. */
export function relativeErrorPct(measured: number, truth: number): number {
  if (!(truth > 0)) throw new RangeError('the true value must be positive');
  return (Math.abs(measured - truth) / truth) * 100;
}

function sortedFinite(values: readonly number[]): number[] {
  for (const v of values) {
    // A NaN would sort anywhere and silently corrupt every percentile.
    if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  }
  return [...values].sort((a, b) => a - b);
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
