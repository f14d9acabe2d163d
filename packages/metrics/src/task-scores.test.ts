import { InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { agreementRate, attackSuccessRate, complianceRate, macroF1, pearson, rate, refusalRate, robustnessScore } from './task-scores.js';

describe('macroF1', () => {
  it('by hand', () => {
    // class a: TP 1, FP 1, FN 0 -> 2/3; class b: TP 1, FP 0, FN 1 -> 2/3; macro 2/3
    expect(macroF1(['a', 'a', 'b'], ['a', 'b', 'b'])).toBeCloseTo(2 / 3, 12);
    // a predicted class absent from gold has F1 0: class a TP 1, FN 1 -> 2/3; class z: 0
    expect(macroF1(['a', 'z'], ['a', 'a'])).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(macroF1([1, 1], [1, 1])).toBe(1); // a single class, all right
    expect(() => macroF1([], [])).toThrow(/empty input/);
    expect(() => macroF1(['a'], [])).toThrow(new InputError('macroF1: predictions has 1 items, gold has 0; they must be the same length'));
  });
});

describe('pearson', () => {
  it('by hand and against scipy, undefined for a constant series', () => {
    // means 2 and 13/3: sxy = 5, sxx = 2, syy = 38/3
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(2 * (38 / 3)), 12);
    expect(pearson([1.5, 2, 3.2, 4, 5.5, 7], [2, 1, 4, 3.5, 6, 8])).toBeCloseTo(0.9636556146308911, 12); // scipy.stats.pearsonr
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(() => pearson([1, 1], [2, 3])).toThrow(/constant/);
    expect(() => pearson([1], [2])).toThrow(/at least 2 pairs, got 1/);
    expect(() => pearson([1, Number.NaN], [2, 3])).toThrow(/x\[1\] must be a finite number, got NaN/);
  });
});

describe('rates', () => {
  it('refusal (RtA), compliance and agreement by hand', () => {
    expect(rate([true, false, true, true])).toBe(0.75);
    expect(refusalRate([true, false, true, true])).toBe(0.75);
    expect(complianceRate([1, 0, 0, 0])).toBe(0.75);
    expect(agreementRate(['yes', 'no', 'yes'], ['yes', 'yes', 'yes'])).toBeCloseTo(2 / 3, 15);
    expect(() => refusalRate([])).toThrow(/empty input/);
    expect(() => rate([1, 'yes' as unknown as 1])).toThrow(/flags\[1\] must be 0, 1, true or false, got "yes"/);
    expect(() => agreementRate([1], [1, 2])).toThrow(/a has 1 items, b has 2/);
    expect(() => agreementRate([], [])).toThrow(/empty input/);
  });

  it('attack success rate and the robustness score by hand', () => {
    // originals right: items 0, 1; of those the attack flips item 0 -> 1/2
    expect(attackSuccessRate([1, 1, 0], [0, 1, 0])).toBe(0.5);
    expect(attackSuccessRate([true, true], [true, true])).toBe(0);
    expect(() => attackSuccessRate([0], [0])).toThrow(/undefined/);
    expect(() => attackSuccessRate([1], [1, 0])).toThrow(/originalCorrect has 1 items, attackedCorrect has 2/);
    // mean adv acc (0.6 + 0.8) / 2 = 0.7, mean ASR (0.2 + 0.1) / 2 = 0.15 -> 0.55
    expect(robustnessScore([{ advAccuracy: 0.6, attackSuccessRate: 0.2 }, { advAccuracy: 0.8, attackSuccessRate: 0.1 }])).toBeCloseTo(0.55, 12);
    expect(() => robustnessScore([])).toThrow(/no tasks/);
    expect(() => robustnessScore([{ advAccuracy: 1.2, attackSuccessRate: 0 }])).toThrow(/tasks\[0\].advAccuracy must be in \[0, 1\], got 1.2/);
  });
});
