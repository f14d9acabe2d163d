import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { fitPlatt, plattCalibrator } from './platt-scaling.js';

const logit = (c: number) => Math.log(c / (1 - c));

describe('Platt scaling', () => {
  it('by hand', () => {
    expect(plattCalibrator(0.5, 0).apply([0.9])[0]).toBeCloseTo(0.75, 12); // sigmoid(ln 9 / 2) = 3/4
    expect(plattCalibrator(1, 0).apply([0.2])[0]).toBeCloseTo(0.2, 12); // the identity
    expect(plattCalibrator(1, Math.log(3)).apply([0.5])[0]).toBeCloseTo(0.75, 12); // sigmoid(ln 3) = 3/4
  });

  it('the fit solves the likelihood equations with Platt targets (a second check of the optimum)', () => {
    const c = [0.9, 0.8, 0.3, 0.6, 0.95, 0.55, 0.7, 0.2];
    const y = [1, 1, 0, 0, 1, 1, 0, 0] as const;
    const fitted = fitPlatt(c, [...y]);
    const { a, b } = fitted.params as { a: number; b: number };
    // targets: 4 positives -> 5/6, 4 negatives -> 1/6
    const t = y.map((v) => (v ? 5 / 6 : 1 / 6));
    const p = fitted.apply(c);
    const g0 = p.reduce((s, pi, i) => s + (pi - t[i]!), 0);
    const g1 = p.reduce((s, pi, i) => s + (pi - t[i]!) * logit(c[i]!), 0);
    expect(Math.abs(g0)).toBeLessThan(1e-9);
    expect(Math.abs(g1)).toBeLessThan(1e-9);
    expect(a).toBeGreaterThan(0);
    expect(Number.isFinite(b)).toBe(true);
  });

  it('recovers the parameters that generated the data', () => {
    // true probability sigmoid(0.6 logit(c) - 0.4)
    const r = createRandom(12);
    const c = Array.from({ length: 20_000 }, () => 0.02 + 0.96 * r.next());
    const y = c.map((x) => (r.next() < 1 / (1 + Math.exp(-(0.6 * logit(x) - 0.4))) ? 1 : 0) as 0 | 1);
    const { a, b } = fitPlatt(c, y).params as { a: number; b: number };
    expect(a).toBeCloseTo(0.6, 1);
    expect(b).toBeCloseTo(-0.4, 1);
  });

  it('stays finite on separable data and defines the edge cases', () => {
    const sep = fitPlatt([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]).params as { a: number; b: number };
    expect(Number.isFinite(sep.a) && Number.isFinite(sep.b)).toBe(true);
    expect(() => fitPlatt([], [])).toThrow(/empty input/);
    expect(() => fitPlatt([0.5], [1, 0])).toThrow(/confidences has 1 items, correct has 2/);
    expect(() => fitPlatt([-0.5], [1])).toThrow(/confidences\[0\] must be a number in \[0, 1\], got -0.5/);
    expect(() => fitPlatt([0.5], ['yes' as unknown as 1])).toThrow(/correct\[0\] must be 0, 1, true or false, got "yes"/);
    expect(() => plattCalibrator(Number.NaN, 0)).toThrow(/a must be a finite number, got NaN/);
  });
});
