import { createRandom, InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { bootstrapCI, pairedBootstrap, quantile } from './bootstrap.js';

const mean = (s: Float64Array) => s.reduce((a, b) => a + b, 0) / s.length;

/** How often the 95% interval from `interval(rep)` covers `truth` over 200 seeded repetitions. */
function coverage(truth: number, interval: (rep: number) => { lower: number; upper: number }): number {
  let covered = 0;
  for (let rep = 0; rep < 200; rep++) {
    const ci = interval(rep);
    if (ci.lower <= truth && truth <= ci.upper) covered++;
  }
  return covered / 200;
}

describe('quantile', () => {
  it('interpolates between order statistics (type 7)', () => {
    // h = 3 * 0.5 = 1.5 -> 2 + 0.5 * (3 - 2); h = 3 * 0.1 = 0.3 -> 1 + 0.3 * 1
    expect(quantile(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 15);
    expect(quantile([5], 0.975)).toBe(5);
    expect(() => quantile([], 0.5)).toThrow(/sorted is empty/);
    expect(() => quantile([1], 1.5)).toThrow(/q must be in \[0, 1\], got 1.5/);
  });
});

describe('bootstrapCI', () => {
  it('is reproducible for a seed and brackets the estimate', () => {
    const v = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1];
    const a = bootstrapCI(v, 'mean', { seed: 1 });
    expect(bootstrapCI(v, 'mean', { seed: 1 })).toEqual(a);
    const continuous = [0.12, 0.5, 0.33, 0.91, 0.27, 0.64, 0.08, 0.77];
    expect(bootstrapCI(continuous, 'mean', { seed: 2 }).lower).not.toBe(bootstrapCI(continuous, 'mean', { seed: 1 }).lower);
    expect(a).toMatchObject({ value: 0.7, level: 0.95, iterations: 1000, method: 'percentile bootstrap, 1000 resamples' });
    expect(a.lower).toBeLessThan(0.7);
    expect(a.upper).toBeGreaterThan(0.7);
    // constant data: every resample has the same mean
    expect(bootstrapCI([0.25, 0.25, 0.25], 'mean', { seed: 3, alpha: 0.1 })).toMatchObject({ value: 0.25, lower: 0.25, upper: 0.25, level: 0.9 });
  });

  it("the 'mean' fast path draws the same resamples as the general path (a second method)", () => {
    const r = createRandom(11);
    const v = Array.from({ length: 97 }, () => r.next());
    const fast = bootstrapCI(v, 'mean', { seed: 5, iterations: 300 });
    const general = bootstrapCI(v, mean, { seed: 5, iterations: 300 });
    expect(fast.lower).toBeCloseTo(general.lower, 12);
    expect(fast.upper).toBeCloseTo(general.upper, 12);
    // the same with clusters of uneven size (sums and sizes per cluster vs copying the drawn items)
    const clusters = v.map((_, i) => `prompt-${Math.floor(Math.sqrt(i))}`);
    const fastClustered = bootstrapCI(v, 'mean', { seed: 5, iterations: 300, clusters });
    const generalClustered = bootstrapCI(v, mean, { seed: 5, iterations: 300, clusters });
    expect(fastClustered.lower).toBeCloseTo(generalClustered.lower, 12);
    expect(fastClustered.upper).toBeCloseTo(generalClustered.upper, 12);
    // and for the paired difference: mean of differences vs difference of means
    const after = v.map((x, i) => x + (i % 3) / 10);
    const paired = pairedBootstrap(v, after, 'mean', { seed: 5, iterations: 300, clusters });
    const pairedGeneral = pairedBootstrap(v, after, mean, { seed: 5, iterations: 300, clusters });
    expect(paired.lower).toBeCloseTo(pairedGeneral.lower, 12);
    expect(paired.upper).toBeCloseTo(pairedGeneral.upper, 12);
  });

  it('covers the true mean at about the nominal rate over 200 seeded repetitions', () => {
    // Bernoulli(0.3), n = 100: the 95% percentile interval should cover 0.3 in ~95% of repetitions.
    const r = createRandom(2024);
    const rate = coverage(0.3, (rep) => bootstrapCI(Array.from({ length: 100 }, () => (r.next() < 0.3 ? 1 : 0)), 'mean', { seed: rep, iterations: 500 }));
    console.log(`bootstrap coverage of the true mean: ${rate * 200}/200`);
    expect(rate).toBeGreaterThan(0.9);
    expect(rate).toBeLessThan(0.99);
  });

  it('clustered resampling keeps the nominal coverage on grouped items where item resampling does not', () => {
    // 60 prompts, 3 paraphrases each, all three answered alike (right with p = 0.4): effectively n = 60, not 180.
    const r = createRandom(77);
    const clusters = Array.from({ length: 180 }, (_, i) => Math.floor(i / 3));
    const data = Array.from({ length: 200 }, () => Array.from({ length: 60 }, () => (r.next() < 0.4 ? 1 : 0)).flatMap((x) => [x, x, x]));
    const clustered = coverage(0.4, (rep) => bootstrapCI(data[rep]!, 'mean', { seed: rep, iterations: 500, clusters }));
    const naive = coverage(0.4, (rep) => bootstrapCI(data[rep]!, 'mean', { seed: rep, iterations: 500 }));
    console.log(`grouped items: clustered coverage ${clustered * 200}/200, item-level coverage ${naive * 200}/200`);
    expect(clustered).toBeGreaterThan(0.9);
    expect(naive).toBeLessThan(0.85); // about 0.74 expected: the standard error is too small by sqrt(3)
    expect(bootstrapCI(data[0]!, 'mean', { clusters }).method).toBe('clustered percentile bootstrap, 1000 resamples');
  });

  it('defines the edge cases', () => {
    expect(() => bootstrapCI([])).toThrow(/values is empty/);
    expect(() => bootstrapCI([1, Number.NaN])).toThrow(/values\[1\] must be a finite number, got NaN/);
    expect(() => bootstrapCI([1, 2], 'mean', { iterations: 0 })).toThrow(new InputError('bootstrapCI: options.iterations must be a positive integer, got 0'));
    expect(() => bootstrapCI([1, 2], 'mean', { alpha: 1 })).toThrow(/options.alpha must be in \(0, 1\), got 1/);
    expect(() => bootstrapCI([1, 2], 'mean', { clusters: [1] })).toThrow(/options.clusters has 1 ids for 2 values/);
    expect(() => bootstrapCI([1, 2], () => Number.NaN, { iterations: 5 })).toThrow(/the statistic returned NaN on the data/);
    expect(() => bootstrapCI([0, 1], (s) => (s[0] === s[1] ? Number.NaN : 1), { seed: 1 })).toThrow(/the statistic returned NaN on resample \d+/);
  });
});

describe('pairedBootstrap', () => {
  it('keeps the pairing: a difference that is the same on every item has a zero-width interval', () => {
    const before = Array.from({ length: 40 }, (_, i) => i % 7);
    const after = before.map((x) => x + 0.5);
    expect(pairedBootstrap(before, after, 'mean', { seed: 2 })).toMatchObject({ value: 0.5, lower: 0.5, upper: 0.5 });
  });

  it('estimates a before/after difference', () => {
    const before = Array.from({ length: 40 }, (_, i) => (i % 2));
    const after = before.map((x, i) => (i < 10 ? 1 : x)); // 5 items flip 0 -> 1: +5/40
    const d = pairedBootstrap(before, after, 'mean', { seed: 4 });
    expect(d.value).toBeCloseTo(0.125, 12);
    expect(d.lower).toBeGreaterThan(0);
    expect(d.method).toBe('paired percentile bootstrap, 1000 resamples');
    expect(() => pairedBootstrap([1], [1, 2])).toThrow(/before has 1 items, after \(they must be paired\) has 2/);
  });

  it('covers the true difference at about the nominal rate over 200 seeded repetitions', () => {
    // before ~ Bernoulli(0.5); a fix turns a wrong answer right with p = 0.3: true difference 0.5 * 0.3 = 0.15
    const r = createRandom(99);
    const rate = coverage(0.15, (rep) => {
      const before = Array.from({ length: 150 }, () => (r.next() < 0.5 ? 1 : 0));
      const after = before.map((x) => (x === 1 || r.next() < 0.3 ? 1 : 0));
      return pairedBootstrap(before, after, 'mean', { seed: rep, iterations: 500 });
    });
    console.log(`paired bootstrap coverage of the true difference: ${rate * 200}/200`);
    expect(rate).toBeGreaterThan(0.9);
    expect(rate).toBeLessThan(0.99);
  });
});
