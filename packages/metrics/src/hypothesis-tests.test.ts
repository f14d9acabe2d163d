import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, chiSquareIndependence, holm, mcnemarExact, minimumDetectableEffect } from './hypothesis-tests.js';
import { normalCdf, normalQuantile } from './internal/special-functions.js';

// Reference values from scipy 1.x: chi2_contingency(..., correction=False), binomtest, norm.ppf / norm.cdf.
describe('hypothesis tests', () => {
  it('chi-square independence matches scipy', () => {
    const a = chiSquareIndependence([[10, 20], [20, 10]]);
    expect(a.statistic).toBeCloseTo(6.666666666666667, 10);
    expect(a.degreesOfFreedom).toBe(1);
    expect(a.pValue).toBeCloseTo(0.009823274507519235, 12);
    const b = chiSquareIndependence([[12, 5, 9], [7, 14, 3], [0, 0, 0]]); // the empty row is dropped
    expect(b.statistic).toBeCloseTo(8.512567476383268, 10);
    expect(b.pValue).toBeCloseTo(0.014174882222918836, 12);
    expect(() => chiSquareIndependence([[1, 2]])).toThrow(/at least 2 non-empty rows/);
    expect(() => chiSquareIndependence([[1, -2], [1, 1]])).toThrow(/table\[0\]\[1\] must be a non-negative integer count, got -2/);
  });

  it('exact McNemar matches the two-sided binomial test', () => {
    expect(mcnemarExact([1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0])).toEqual({ b: 0, c: 4, pValue: 0.125 });
    const before = [...Array(3).fill(1), ...Array(17).fill(0)];
    const after = [...Array(3).fill(0), ...Array(17).fill(1)]; // b = 3, c = 17
    expect(mcnemarExact(before, after).pValue).toBeCloseTo(0.0025768280029296875, 14);
    expect(mcnemarExact([1, 0], [1, 0]).pValue).toBe(1);
  });

  it('Holm and Benjamini-Hochberg by hand, in input order', () => {
    // sorted 0.01, 0.03, 0.04: Holm 3*0.01, max(0.03, 2*0.03), max(0.06, 1*0.04)
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    // BH: 3*0.04/3 = 0.04, min(0.04, 3*0.03/2 = 0.045) = 0.04, min(0.04, 3*0.01/1) = 0.03
    benjaminiHochberg([0.01, 0.04, 0.03]).forEach((p, i) => expect(p).toBeCloseTo([0.03, 0.04, 0.04][i]!, 12));
    expect(() => holm([1.5])).toThrow(/pValues\[0\] must be in \[0, 1\], got 1.5/);
  });

  it('normal quantiles and the minimum detectable effect match scipy', () => {
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 9);
    expect(normalCdf(-3.1)).toBeCloseTo(0.0009676032132183563, 12);
    expect(minimumDetectableEffect({ n: 100, sd: 0.5 })).toBeCloseTo(0.14007926090564843, 9);
    expect(() => minimumDetectableEffect({ n: 0, sd: 1 })).toThrow(/n > 0/);
  });
});
