import { InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { brierScore } from './calibration-error.js';
import { accFromLoglikelihoods, accNormFromLoglikelihoods, logSoftmaxRow, multiclassBrier, negativeLogLikelihood, perplexity } from './multiclass.js';

describe('negativeLogLikelihood', () => {
  it('from probabilities and from logits, by hand', () => {
    expect(negativeLogLikelihood([[0.25, 0.75]], [1], { from: 'probabilities' })).toBeCloseTo(-Math.log(0.75), 12);
    // logits (0, ln 3): softmax = (1/4, 3/4)
    expect(negativeLogLikelihood([[0, Math.log(3)]], [1], { from: 'logits' })).toBeCloseTo(-Math.log(0.75), 12);
    // two items: -(log 0.5 + log 0.2) / 2
    expect(negativeLogLikelihood([[0.5, 0.5], [0.8, 0.2]], [0, 1], { from: 'probabilities' })).toBeCloseTo(-(Math.log(0.5) + Math.log(0.2)) / 2, 12);
    expect(negativeLogLikelihood([[1, 0]], [1], { from: 'probabilities' })).toBe(Number.POSITIVE_INFINITY);
  });

  it('logits agree with probabilities from an explicit softmax (a second method), also for large logits', () => {
    const logits = [[1000, 998, 990], [-3, 2, 0.5], [0, 0, 0]];
    const probs = logits.map((row) => {
      const m = Math.max(...row);
      const e = row.map((z) => Math.exp(z - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / s);
    });
    expect(negativeLogLikelihood(logits, [1, 0, 2], { from: 'logits' })).toBeCloseTo(negativeLogLikelihood(probs, [1, 0, 2], { from: 'probabilities' }), 12);
    expect(logSoftmaxRow([0, Math.log(3)]).map(Math.exp)[0]).toBeCloseTo(0.25, 14);
  });

  it('defines the edge cases', () => {
    expect(() => negativeLogLikelihood([], [], { from: 'logits' })).toThrow(/empty input/);
    expect(() => negativeLogLikelihood([[0.5, 0.5]], [2], { from: 'probabilities' })).toThrow(new InputError('negativeLogLikelihood: labels[0] must be an integer in [0, 2), got 2'));
    expect(() => negativeLogLikelihood([[0.5, 0.6]], [0], { from: 'probabilities' })).toThrow(/scores\[0\] must sum to 1 \(within 0.000001\), got 1.1/);
    expect(() => negativeLogLikelihood([[1.5, -0.5]], [0], { from: 'probabilities' })).toThrow(/scores\[0\]\[0\] must be a probability in \[0, 1\], got 1.5/);
    expect(() => negativeLogLikelihood([[Number.NaN, 0]], [0], { from: 'logits' })).toThrow(/scores\[0\]\[0\] must be a number, got NaN/);
    expect(() => negativeLogLikelihood([[Number.POSITIVE_INFINITY, 0]], [0], { from: 'logits' })).toThrow(/must be a finite logit/);
    expect(() => negativeLogLikelihood([[]], [0], { from: 'logits' })).toThrow(/scores\[0\] is an empty row/);
    expect(() => negativeLogLikelihood([[0]], [0], { from: 'odds' as 'logits' })).toThrow(/options.from must be/);
  });
});

describe('multiclassBrier', () => {
  it('by hand, and twice the binary Brier score with two classes', () => {
    // (0.7 - 1)^2 + 0.2^2 + 0.1^2 = 0.09 + 0.04 + 0.01
    expect(multiclassBrier([[0.7, 0.2, 0.1]], [0])).toBeCloseTo(0.14, 12);
    const p1 = [0.8, 0.3, 0.55];
    const y = [1, 0, 0] as const;
    expect(multiclassBrier(p1.map((p) => [1 - p, p]), [...y])).toBeCloseTo(2 * brierScore(p1, [...y]), 12);
    expect(() => multiclassBrier([[0.7, 0.2]], [0])).toThrow(/must sum to 1/);
  });
});

describe('acc and acc_norm', () => {
  it('by hand', () => {
    expect(accFromLoglikelihoods([[-1, -2], [-3, -0.5]], [0, 0])).toBe(0.5);
    expect(accFromLoglikelihoods([[-1, -1]], [0])).toBe(1); // a tie goes to the first option, as numpy's argmax
    // raw: -4 < -3 picks option 1 (wrong); per character: -4/14 > -3/2 picks option 0 (right)
    expect(accFromLoglikelihoods([[-4, -3]], [0])).toBe(0);
    expect(accNormFromLoglikelihoods([[-4, -3]], [[' a long option', ' b']], [0])).toBe(1);
    // code points, not UTF-16 units: ' 😀😀' has 3 (-3/3 = -1), ' ab' has 3 (-2.9/3): picks 1
    expect(accNormFromLoglikelihoods([[-3, -2.9]], [[' 😀😀', ' ab']], [1])).toBe(1);
  });

  it('defines the edge cases', () => {
    expect(() => accFromLoglikelihoods([[-1, Number.NaN]], [0])).toThrow(/scores\[0\]\[1\] must be a number, got NaN/);
    expect(() => accNormFromLoglikelihoods([[-1, -2]], [['a']], [0])).toThrow(/options\[0\] has 1 strings, loglikelihoods\[0\] has 2/);
    expect(() => accNormFromLoglikelihoods([[-1, -2]], [['a', '']], [0])).toThrow(/options\[0\]\[1\] is an empty string/);
  });
});

describe('perplexity', () => {
  it('by hand', () => {
    expect(perplexity(-Math.log(4) * 10, 10)).toBeCloseTo(4, 12); // every token at p = 1/4
    expect(perplexity(0, 3)).toBe(1);
    expect(() => perplexity(1, 10)).toThrow(/must be <= 0/);
    expect(() => perplexity(-1, 0)).toThrow(/tokens must be a positive integer, got 0/);
    expect(() => perplexity(Number.NaN, 2)).toThrow(/got NaN/);
  });
});
