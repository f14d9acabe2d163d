import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { bootstrapCI, pairedBootstrap, quantile } from './bootstrap.js';
import { fleissKappa, majorityAnswer, perItemAgreement } from './consistency.js';

describe('bootstrap', () => {
  it('is reproducible for a seed and brackets the estimate', () => {
    const v = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1];
    const a = bootstrapCI(v, 'mean', { seed: 1 });
    expect(bootstrapCI(v, 'mean', { seed: 1 })).toEqual(a);
    expect(a.value).toBe(0.7);
    expect(a.lower).toBeLessThan(0.7);
    expect(a.upper).toBeGreaterThan(0.7);
    expect(a.level).toBe(0.95);
    expect(quantile(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
  });

  it('covers the true mean at about the nominal rate over 200 seeded repetitions', () => {
    // Bernoulli(0.3), n = 100: the 95% percentile interval should cover 0.3 in ~95% of repetitions.
    const r = createRandom(2024);
    let covered = 0;
    for (let rep = 0; rep < 200; rep++) {
      const v = Array.from({ length: 100 }, () => (r.next() < 0.3 ? 1 : 0));
      const ci = bootstrapCI(v, 'mean', { seed: rep, iterations: 500 });
      if (ci.lower <= 0.3 && 0.3 <= ci.upper) covered++;
    }
    console.log(`bootstrap coverage of the true mean: ${covered}/200`);
    expect(covered / 200).toBeGreaterThan(0.9);
    expect(covered / 200).toBeLessThan(0.99);
  });

  it('clustered resampling widens the interval when pairs are correlated', () => {
    // 50 pairs whose two items are identical: effectively n = 50, not 100.
    const r = createRandom(3);
    const pairs = Array.from({ length: 50 }, () => (r.next() < 0.5 ? 1 : 0));
    const values = pairs.flatMap((x) => [x, x]);
    const clusters = pairs.flatMap((_, i) => [i, i]);
    const naive = bootstrapCI(values, 'mean', { seed: 1 });
    const clustered = bootstrapCI(values, 'mean', { seed: 1, clusters });
    expect(clustered.upper - clustered.lower).toBeGreaterThan(1.25 * (naive.upper - naive.lower));
    expect(clustered.method).toMatch(/clustered/);
  });

  it('paired bootstrap of a difference keeps the pairing', () => {
    const before = Array.from({ length: 40 }, (_, i) => (i % 2));
    const after = before.map((x, i) => (i < 10 ? 1 : x)); // 5 items flip 0 -> 1: +0.125
    const d = pairedBootstrap(before, after, 'mean', { seed: 4 });
    expect(d.value).toBeCloseTo(0.125, 12);
    expect(d.lower).toBeGreaterThan(0);
    expect(() => pairedBootstrap([1], [1, 2])).toThrow(/paired/);
  });

  it('runs 1,000 resamples of 100k items in a few seconds at most', () => {
    const r = createRandom(9);
    const v = Array.from({ length: 100_000 }, () => r.next());
    const t = performance.now();
    bootstrapCI(v, 'mean', { iterations: 1000 });
    const ms = performance.now() - t;
    console.log(`bootstrap 1000 x 100k: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(10_000);
  });
});

describe('consistency', () => {
  it('majority, agreement and Fleiss kappa by hand', () => {
    expect(majorityAnswer(['b', 'a', 'b'])).toBe('b');
    expect(majorityAnswer(['a', 'b'])).toBe('a');
    expect(perItemAgreement([['a', 'a', 'b'], ['c', 'c', 'c']])).toEqual([2 / 3, 1]);
    expect(fleissKappa([['a', 'a'], ['b', 'b'], ['a', 'b']])).toBeCloseTo(1 / 3, 12);
    expect(fleissKappa([['a', 'a'], ['a', 'a']])).toBe(1);
    expect(() => fleissKappa([['a', 'a'], ['a']])).toThrow(/item 1 has 1 answers/);
  });
});
