import { InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, chiSquareIndependence, holm, mcnemarExact, minimumDetectableEffect } from './hypothesis-tests.js';

// Reference values computed with scipy 1.17.1: chi2_contingency(..., correction=False), binomtest,
// false_discovery_control, norm.ppf.
describe('chiSquareIndependence', () => {
  it('matches scipy', () => {
    // by hand: every expected count is 15; X^2 = 4 * 25 / 15 = 6.667, df 1
    const a = chiSquareIndependence([[10, 20], [20, 10]]);
    expect(a.statistic).toBeCloseTo(6.666666666666667, 10);
    expect(a.degreesOfFreedom).toBe(1);
    expect(a.pValue).toBeCloseTo(0.009823274507519235, 12);
    const b = chiSquareIndependence([[12, 5, 9], [7, 14, 3], [0, 0, 0]]); // the empty row is dropped
    expect(b.statistic).toBeCloseTo(8.512567476383268, 10);
    expect(b.degreesOfFreedom).toBe(2);
    expect(b.pValue).toBeCloseTo(0.014174882222918836, 12);
    const c = chiSquareIndependence([[30, 10, 5], [12, 25, 8], [4, 9, 20]]);
    expect(c.statistic).toBeCloseTo(44.78145486485408, 10);
    expect(c.degreesOfFreedom).toBe(4);
    expect(c.pValue / 4.41442719410102e-9).toBeCloseTo(1, 8);
  });

  it('defines the edge cases', () => {
    expect(() => chiSquareIndependence([[1, 2]])).toThrow(/at least 2 non-empty rows/);
    expect(() => chiSquareIndependence([])).toThrow(/at least 2 non-empty rows/);
    expect(() => chiSquareIndependence([[1, 0], [2, 0]])).toThrow(/got 2 and 1/); // one non-empty column
    expect(() => chiSquareIndependence([[1, -2], [1, 1]])).toThrow(new InputError('chiSquareIndependence: table[0][1] must be a non-negative integer count, got -2'));
    expect(() => chiSquareIndependence([[1, 2], [1]])).toThrow(/table\[1\] has 1 columns, table\[0\] has 2/);
    expect(() => chiSquareIndependence([[1, Number.NaN], [1, 1]])).toThrow(/got NaN/);
  });
});

describe('mcnemarExact', () => {
  it('matches the two-sided binomial test', () => {
    // b = 0, c = 4: 2 * P(X <= 0) = 2 * 0.5^4
    expect(mcnemarExact([1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0])).toEqual({ b: 0, c: 4, pValue: 0.125 });
    const before = [...Array<1>(3).fill(1), ...Array<0>(17).fill(0)];
    const after = [...Array<0>(3).fill(0), ...Array<1>(17).fill(1)]; // b = 3, c = 17
    expect(mcnemarExact(before, after).pValue).toBeCloseTo(0.0025768280029296875, 14);
    // b = 9, c = 12: binomtest(9, 21) = 0.6636238098144531
    const pairs = (b: number, c: number, same: number) => ({
      x: [...Array<boolean>(b).fill(true), ...Array<boolean>(c).fill(false), ...Array<boolean>(same).fill(true)],
      y: [...Array<boolean>(b).fill(false), ...Array<boolean>(c).fill(true), ...Array<boolean>(same).fill(true)],
    });
    const p21 = pairs(9, 12, 5);
    expect(mcnemarExact(p21.x, p21.y)).toMatchObject({ b: 9, c: 12 });
    expect(mcnemarExact(p21.x, p21.y).pValue).toBeCloseTo(0.6636238098144531, 13);
    // n = 1040 > 1000: the log-gamma branch; binomtest(480, 1040) = 0.014259079095385853
    const big = pairs(480, 560, 0);
    expect(mcnemarExact(big.x, big.y).pValue).toBeCloseTo(0.014259079095385853, 11);
    expect(mcnemarExact(big.y, big.x).pValue).toBeCloseTo(0.014259079095385853, 11); // symmetric in b and c
  });

  it('defines the edge cases', () => {
    expect(mcnemarExact([1, 0], [1, 0]).pValue).toBe(1); // no discordant pair
    expect(() => mcnemarExact([], [])).toThrow(/empty input/);
    expect(() => mcnemarExact([1], [1, 0])).toThrow(/before has 1 items, after has 2/);
    expect(() => mcnemarExact([1, 2 as 1], [1, 0])).toThrow(/before\[1\] must be 0, 1, true or false, got 2/);
  });
});

describe('multiple-comparison corrections', () => {
  it('Holm and Benjamini-Hochberg by hand, in input order', () => {
    // sorted 0.01, 0.03, 0.04: Holm 3*0.01, max(0.03, 2*0.03), max(0.06, 1*0.04)
    holm([0.01, 0.04, 0.03]).forEach((p, i) => expect(p).toBeCloseTo([0.03, 0.06, 0.06][i]!, 15));
    // BH: 3*0.04/3 = 0.04, min(0.04, 3*0.03/2 = 0.045) = 0.04, min(0.04, 3*0.01/1) = 0.03
    benjaminiHochberg([0.01, 0.04, 0.03]).forEach((p, i) => expect(p).toBeCloseTo([0.03, 0.04, 0.04][i]!, 15));
    // capped at 1: Holm 2 * 0.7 -> 1
    expect(holm([0.7, 0.9])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('Benjamini-Hochberg matches scipy on ten p-values', () => {
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    const ref = [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.1057142857142857, 0.216, 0.216, 0.216];
    benjaminiHochberg([...p].reverse()).forEach((q, i) => expect(q).toBeCloseTo([...ref].reverse()[i]!, 14));
  });

  it('rejects p-values outside [0, 1]', () => {
    expect(() => holm([1.5])).toThrow(new InputError('holm: pValues[0] must be in [0, 1], got 1.5'));
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(/pValues\[1\] must be in \[0, 1\], got NaN/);
  });
});

describe('minimumDetectableEffect', () => {
  it('matches scipy normal quantiles', () => {
    // (norm.ppf(0.975) + norm.ppf(0.8)) * 0.5 / sqrt(100) = (1.959963984540054 + 0.8416212335729143) * 0.05
    expect(minimumDetectableEffect({ n: 100, sd: 0.5 })).toBeCloseTo(0.14007926090564843, 12);
    // alpha 0.01, power 0.9: (2.5758293035489004 + 1.2815515655446004) * 1 / sqrt(25)
    expect(minimumDetectableEffect({ n: 25, sd: 1, alpha: 0.01, power: 0.9 })).toBeCloseTo((2.5758293035489004 + 1.2815515655446004) / 5, 10);
    expect(minimumDetectableEffect({ n: 10, sd: 0 })).toBe(0);
  });

  it('defines the edge cases', () => {
    expect(() => minimumDetectableEffect({ n: 0, sd: 1 })).toThrow(/n > 0/);
    expect(() => minimumDetectableEffect({ n: 10, sd: Number.NaN })).toThrow(/sd >= 0/);
    expect(() => minimumDetectableEffect({ n: 10, sd: 1, alpha: 0 })).toThrow(/alpha must be in \(0, 1\), got 0/);
    expect(() => minimumDetectableEffect({ n: 10, sd: 1, power: 1 })).toThrow(/power must be in \(0, 1\), got 1/);
  });
});
