import { describe, expect, it } from 'vitest';
import { attackSuccessRate, complianceRate, macroF1, pearson, refusalRate, robustnessScore } from './task-scores.js';

describe('task scores', () => {
  it('macro-F1 by hand', () => {
    expect(macroF1(['a', 'a', 'b'], ['a', 'b', 'b'])).toBeCloseTo(2 / 3, 12);
    // class c never predicted and never gold does not appear; a predicted class absent from gold has F1 0
    expect(macroF1(['a', 'z'], ['a', 'a'])).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });

  it('Pearson by hand, undefined for a constant series', () => {
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(2 * (38 / 3)), 12);
    expect(() => pearson([1, 1], [2, 3])).toThrow(/constant/);
  });

  it('rates, ASR and the robustness score', () => {
    expect(refusalRate([true, false, true, true])).toBe(0.75);
    expect(complianceRate([1, 0, 0, 0])).toBe(0.75);
    expect(attackSuccessRate([1, 1, 0], [0, 1, 0])).toBe(0.5);
    expect(() => attackSuccessRate([0], [0])).toThrow(/undefined/);
    expect(robustnessScore([{ advAccuracy: 0.6, attackSuccessRate: 0.2 }, { advAccuracy: 0.8, attackSuccessRate: 0.1 }])).toBeCloseTo(0.55, 12);
  });
});
