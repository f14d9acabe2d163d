import { describe, expect, it } from 'vitest';
import { accFromLoglikelihoods, accNormFromLoglikelihoods, multiclassBrier, negativeLogLikelihood, perplexity } from './multiclass.js';

describe('multi-class metrics', () => {
  it('NLL from probabilities and from logits agree', () => {
    expect(negativeLogLikelihood([[0.25, 0.75]], [1], { from: 'probabilities' })).toBeCloseTo(-Math.log(0.75), 12);
    // logits (0, ln 3): softmax = (1/4, 3/4)
    expect(negativeLogLikelihood([[0, Math.log(3)]], [1], { from: 'logits' })).toBeCloseTo(-Math.log(0.75), 12);
    expect(() => negativeLogLikelihood([[0.5, 0.5]], [2], { from: 'probabilities' })).toThrow(/labels\[0\] must be an integer in \[0, 2\), got 2/);
  });

  it('multi-class Brier, acc, acc_norm and perplexity by hand', () => {
    expect(multiclassBrier([[0.7, 0.2, 0.1]], [0])).toBeCloseTo(0.14, 12);
    expect(accFromLoglikelihoods([[-1, -2], [-3, -0.5]], [0, 0])).toBe(0.5);
    // raw: -4 < -3 picks option 1 (wrong); per character: -4/14 > -3/2 picks option 0 (right)
    expect(accFromLoglikelihoods([[-4, -3]], [0])).toBe(0);
    expect(accNormFromLoglikelihoods([[-4, -3]], [[' a long option', ' b']], [0])).toBe(1);
    expect(perplexity(-Math.log(4) * 10, 10)).toBeCloseTo(4, 12);
    expect(() => perplexity(1, 10)).toThrow(/must be <= 0/);
  });
});
