import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { aurc, auprc, auroc, riskCoverageCurve } from './ranking.js';

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

describe('ranking metrics', () => {
  it('AUROC by ranks equals AUROC by pair counting, ties included', () => {
    expect(auroc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])).toBe(0.75);
    const r = createRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const c = Array.from({ length: 60 }, () => Math.round(r.next() * 10) / 10); // many ties
      const y = c.map((x) => (r.next() < x ? 1 : 0));
      if (!y.includes(0) || !y.includes(1)) continue;
      expect(auroc(c, y)).toBeCloseTo(aurocByPairs(c, y), 12);
    }
    expect(() => auroc([0.2, 0.3], [1, 1])).toThrow(/needs both correct and incorrect items, got 2 correct and 0 incorrect/);
  });

  it('AUPRC, risk-coverage and AURC by hand', () => {
    expect(auprc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    expect(riskCoverageCurve([0.9, 0.2], [0, 1])).toEqual([{ coverage: 0.5, risk: 1 }, { coverage: 1, risk: 0.5 }]);
    expect(aurc([0.9, 0.2], [0, 1])).toBeCloseTo(0.75, 12);
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
