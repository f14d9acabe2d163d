import { createRandom, InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { aurc, auprc, auroc, averageRanks, riskCoverageCurve } from './ranking.js';

/** AUROC by counting pairs: P(score of a correct item > score of a wrong one) + 1/2 P(tie). */
function aurocByPairs(c: number[], y: number[]): number {
  let s = 0, n = 0;
  c.forEach((ci, i) => c.forEach((cj, j) => {
    if (y[i] === 1 && y[j] === 0) {
      n++;
      s += ci > cj ? 1 : ci === cj ? 0.5 : 0;
    }
  }));
  return s / n;
}

/** Average precision without ties: mean over right items of the precision among items ranked at or above it. */
function apByPrecisionAtHits(c: number[], y: number[]): number {
  const order = c.map((_, i) => i).sort((a, b) => c[b]! - c[a]!);
  let hits = 0, sum = 0;
  order.forEach((i, k) => {
    if (y[i] === 1) sum += ++hits / (k + 1);
  });
  return sum / hits;
}

/** AURC averaged over every ordering of the items that sorts the confidences descending (all tie orders). */
function aurcOverTieOrders(c: number[], y: number[]): number {
  const perms: number[][] = [];
  const permute = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) perms.push(prefix);
    rest.forEach((x, k) => permute([...prefix, x], [...rest.slice(0, k), ...rest.slice(k + 1)]));
  };
  permute([], c.map((_, i) => i));
  const sorted = perms.filter((p) => p.every((i, k) => k === 0 || c[p[k - 1]!]! >= c[i]!));
  const aurcOf = (p: number[]) => {
    let errors = 0;
    return p.reduce((s, i, k) => s + (errors += 1 - y[i]!) / (k + 1), 0) / p.length;
  };
  return sorted.reduce((s, p) => s + aurcOf(p), 0) / sorted.length;
}

describe('averageRanks', () => {
  it('gives ties their average rank', () => {
    // sorted 10, 10, 20: the two 10s share ranks 1 and 2 -> 1.5; 20 -> 3
    expect(Array.from(averageRanks([10, 20, 10]))).toEqual([1.5, 3, 1.5]);
    expect(() => averageRanks([1, Number.NaN])).toThrow(/values\[1\] must be a finite number, got NaN/);
  });
});

describe('auroc', () => {
  it('by ranks equals AUROC by pair counting, ties included', () => {
    // pairs (right, wrong): (0.9, 0.8) (0.9, 0.1) (0.3, 0.8) (0.3, 0.1) -> 1 + 1 + 0 + 1 = 3 of 4
    expect(auroc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])).toBe(0.75);
    // one tie (0.5 right vs 0.5 wrong) counts 1/2: pairs (0.5,0.5) (0.5,0.2) -> (0.5 + 1) / 2
    expect(auroc([0.5, 0.5, 0.2], [true, false, false])).toBe(0.75);
    const r = createRandom(5);
    let checked = 0;
    for (let trial = 0; trial < 20; trial++) {
      const c = Array.from({ length: 60 }, () => Math.round(r.next() * 10) / 10); // many ties
      const y = c.map((x) => (r.next() < x ? 1 : 0));
      if (!y.includes(0) || !y.includes(1)) continue;
      expect(auroc(c, y)).toBeCloseTo(aurocByPairs(c, y), 12);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('is undefined for a single class and rejects bad input', () => {
    expect(() => auroc([0.2, 0.3], [1, 1])).toThrow(new InputError('auroc: needs both correct and incorrect items, got 2 correct and 0 incorrect'));
    expect(() => auroc([], [])).toThrow(/empty input/);
    expect(() => auroc([0.2, Number.NaN], [1, 0])).toThrow(/confidences\[1\]/);
    expect(() => auroc([0.2, -0.1], [1, 0])).toThrow(/confidences\[1\] must be in \[0, 1\], got -0.1/);
  });

  it('handles 100k items well under a second', () => {
    const r = createRandom(1);
    const c = Array.from({ length: 100_000 }, () => r.next());
    const y = c.map((x) => (r.next() < x ? 1 : 0));
    const t = performance.now();
    auroc(c, y);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('auprc', () => {
  it('by hand, with tied scores entering together', () => {
    // thresholds 0.9 (R 1/2, P 1), 0.8 (R 1/2, P 1/2), 0.3 (R 1, P 2/3), 0.1 (R 1, P 1/2): 0.5 * 1 + 0.5 * 2/3
    expect(auprc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    // tie at 0.8 enters together: R 1/2, P 1/2 -> 0.25; then 0.3: R 1, P 2/3 -> + 1/3
    expect(auprc([0.8, 0.8, 0.3], [1, 0, 1])).toBeCloseTo(0.25 + 1 / 3, 12);
    expect(auprc([0.2, 0.4], [1, 1])).toBe(1);
    expect(() => auprc([0.2, 0.4], [0, 0])).toThrow(/needs at least one correct item/);
  });

  it('equals the mean precision at each hit when there are no ties', () => {
    const r = createRandom(6);
    for (let trial = 0; trial < 10; trial++) {
      const c = Array.from({ length: 200 }, () => r.next());
      const y = c.map((x) => (r.next() < x ? 1 : 0));
      expect(auprc(c, y)).toBeCloseTo(apByPrecisionAtHits(c, y), 12);
    }
  });
});

describe('risk-coverage and AURC', () => {
  it('by hand', () => {
    expect(riskCoverageCurve([0.9, 0.2], [0, 1])).toEqual([{ coverage: 0.5, risk: 1 }, { coverage: 1, risk: 0.5 }]);
    expect(aurc([0.9, 0.2], [0, 1])).toBeCloseTo(0.75, 12);
    // 0.9 right first; then the tie {0.5 right, 0.5 wrong}: expected risk at k = 2 is (0 + 1/2) / 2 = 0.25; k = 3: 1/3
    expect(riskCoverageCurve([0.5, 0.5, 0.9], [1, 0, 1]).map((p) => p.risk)).toEqual([0, 0.25, 1 / 3]);
    expect(aurc([0.5, 0.5, 0.9], [1, 0, 1])).toBeCloseTo((0 + 0.25 + 1 / 3) / 3, 12);
    expect(aurc([0.5, 0.5, 0.9], [0, 1, 1])).toBeCloseTo((0 + 0.25 + 1 / 3) / 3, 12); // input order does not matter
  });

  it('equals the AURC averaged over all tie orders', () => {
    const r = createRandom(8);
    for (let trial = 0; trial < 10; trial++) {
      const c = Array.from({ length: 6 }, () => Math.round(r.next() * 3) / 3); // 4 levels: many ties
      const y = c.map(() => (r.next() < 0.6 ? 1 : 0));
      expect(aurc(c, y)).toBeCloseTo(aurcOverTieOrders(c, y), 12);
    }
  });
});
