import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { fitIsotonic, isotonicCalibrator } from './isotonic-regression.js';

/** Isotonic fit at each distinct confidence by the max-min formula: max_{j <= i} min_{k >= i} mean(y_j..y_k). */
function isotonicByMaxMin(c: number[], y: number[]): Map<number, number> {
  const xs = [...new Set(c)].sort((a, b) => a - b);
  const sum = xs.map((x) => y.filter((_, i) => c[i] === x).reduce((s, v) => s + v, 0));
  const cnt = xs.map((x) => c.filter((v) => v === x).length);
  const mean = (j: number, k: number) => sum.slice(j, k + 1).reduce((s, v) => s + v, 0) / cnt.slice(j, k + 1).reduce((s, v) => s + v, 0);
  return new Map(xs.map((x, i) => {
    let best = -Infinity;
    for (let j = 0; j <= i; j++) {
      let m = Infinity;
      for (let k = i; k < xs.length; k++) m = Math.min(m, mean(j, k));
      best = Math.max(best, m);
    }
    return [x, best];
  }));
}

describe('isotonic regression (PAV)', () => {
  it('by hand', () => {
    // y 0, 1, 0, 1: the violation (1, 0) at 0.2, 0.3 pools into 0.5
    expect(fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]).params).toEqual({ method: 'isotonic', thresholds: [0.1, 0.2, 0.4], values: [0, 0.5, 1] });
    // tied confidences pool first: 0.5 -> (1 + 0) / 2; then 0.7 -> 0 violates and pools: (1 + 0 + 0) / 3
    expect(fitIsotonic([0.5, 0.5, 0.7], [1, 0, 0]).params).toEqual({ method: 'isotonic', thresholds: [0.5], values: [1 / 3] });
    const cal = isotonicCalibrator([0.1, 0.2, 0.4], [0, 0.5, 1]);
    expect(cal.apply([0, 0.1, 0.3, 0.39, 0.4, 1])).toEqual([0, 0, 0.5, 0.5, 1, 1]); // below the first threshold: first value
  });

  it('equals the max-min formula on random data with ties (a second method)', () => {
    const r = createRandom(21);
    for (let trial = 0; trial < 10; trial++) {
      const c = Array.from({ length: 40 }, () => Math.round(r.next() * 20) / 20);
      const y = c.map((x) => (r.next() < x ? 1 : 0));
      const ref = isotonicByMaxMin(c, y);
      const fitted = fitIsotonic(c, y as (0 | 1)[]).apply(c);
      fitted.forEach((p, i) => expect(p).toBeCloseTo(ref.get(c[i]!)!, 12));
    }
  });

  it('defines the edge cases', () => {
    expect(fitIsotonic([0.3], [1]).apply([0.9])).toEqual([1]);
    expect(() => fitIsotonic([], [])).toThrow(/empty input/);
    expect(() => fitIsotonic([Number.NaN], [1])).toThrow(/confidences\[0\] must be a number in \[0, 1\], got NaN/);
    expect(() => isotonicCalibrator([0.2, 0.1], [0, 1])).toThrow(/thresholds must be strictly ascending in \[0, 1\], got thresholds\[1\] = 0.1 after 0.2/);
    expect(() => isotonicCalibrator([0.1, 0.2], [0.6, 0.5])).toThrow(/values must be non-decreasing in \[0, 1\], got values\[1\] = 0.5 after 0.6/);
    expect(() => isotonicCalibrator([], [])).toThrow(/non-empty and of equal length, got 0 and 0/);
    expect(() => isotonicCalibrator([0.1], [0.5]).apply([2])).toThrow(/confidences\[0\] must be a number in \[0, 1\], got 2/);
  });
});
