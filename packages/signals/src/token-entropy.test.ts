import { describe, expect, it } from 'vitest';
import { tokenEntropy } from './token-entropy.js';

describe('tokenEntropy', () => {
  it('matches hand-computed values', () => {
    expect(tokenEntropy([0, 0])).toBeCloseTo(Math.LN2, 12);
    expect(tokenEntropy([5, 5, 5, 5])).toBeCloseTo(Math.log(4), 12);
    const p = [Math.exp(1), 1].map((x) => x / (Math.exp(1) + 1));
    expect(tokenEntropy([1, 0])).toBeCloseTo(-p.reduce((s, x) => s + x * Math.log(x), 0), 12);
  });
  it('is stable for huge logits', () => {
    expect(tokenEntropy([1000, -1000])).toBeCloseTo(0, 12);
  });
});
