import { describe, expect, it } from 'vitest';
import { fleissKappa, majorityAnswer, perItemAgreement } from './consistency.js';

/** Expands a table of counts (items x categories) into per-item answer lists. */
function fromCounts(table: number[][]): number[][] {
  return table.map((row) => row.flatMap((count, category) => Array<number>(count).fill(category)));
}

describe('consistency across runs', () => {
  it('majority answer and per-item agreement by hand', () => {
    expect(majorityAnswer(['b', 'a', 'b'])).toBe('b');
    expect(majorityAnswer(['a', 'b'])).toBe('a'); // a tie goes to the answer seen first
    expect(majorityAnswer(['b', 'a', 'a', 'b'])).toBe('b');
    expect(perItemAgreement([['a', 'a', 'b'], ['c', 'c', 'c']])).toEqual([2 / 3, 1]);
    expect(() => majorityAnswer([])).toThrow(/answers is empty/);
    expect(() => perItemAgreement([['a'], []])).toThrow(/runsPerItem\[1\] has no answers/);
  });

  it('Fleiss kappa by hand', () => {
    // P_i = (4 - 2) / 2 = 1, 1, (2 - 2) / 2 = 0 -> P = 2/3; p = (1/2, 1/2), P_e = 1/2 -> (2/3 - 1/2) / (1/2) = 1/3
    expect(fleissKappa([['a', 'a'], ['b', 'b'], ['a', 'b']])).toBeCloseTo(1 / 3, 12);
    // every pair disagrees: P = 0, P_e = 1/2 -> -1
    expect(fleissKappa([['a', 'b'], ['b', 'a']])).toBeCloseTo(-1, 12);
    expect(fleissKappa([['a', 'a'], ['a', 'a']])).toBe(1); // one category everywhere: defined as 1
  });

  it("Fleiss kappa on Fleiss' worked example (10 items, 14 raters, 5 categories) equals an independent numpy computation", () => {
    const table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]];
    // numpy: P = 0.378021978021978, P_e = 0.21275510204081632, kappa = 0.20993070442195522 (0.210 in the literature)
    expect(fleissKappa(fromCounts(table))).toBeCloseTo(0.20993070442195522, 12);
  });

  it('defines the edge cases', () => {
    expect(() => fleissKappa([])).toThrow(/runsPerItem is empty/);
    expect(() => fleissKappa([['a']])).toThrow(/at least 2 answers, got 1/);
    expect(() => fleissKappa([['a', 'a'], ['a']])).toThrow(/item 1 has 1 answers/);
  });
});
