import { describe, expect, it } from 'vitest';
import { attentionStats } from './attention-stats.js';

describe('attentionStats', () => {
  it('averages entropy, sink, max and span over query rows 1..T-1 of |a| normalised per row', () => {
    // Row 1: [0.5, 0.5]; row 2: signed coefficients [-1, 0, 3] -> p = [0.25, 0, 0.75].
    const s = attentionStats([1, 0, 0, 0.5, 0.5, 0, -1, 0, 3], 3);
    expect(s.entropy).toBeCloseTo((Math.LN2 - (0.25 * Math.log(0.25) + 0.75 * Math.log(0.75))) / 2, 12);
    expect(s.sink).toBeCloseTo((0.5 + 0.25) / 2, 12);
    expect(s.max).toBeCloseTo((0.5 + 0.75) / 2, 12);
    expect(s.span).toBeCloseTo((0.5 + 0.25 * 2) / 2, 12);
  });

  it('uses row 0 for a single token, skips all-zero rows, and checks the shape', () => {
    expect(attentionStats([2], 1)).toEqual({ entropy: 0, sink: 1, max: 1, span: 0 });
    expect(attentionStats([1, 0, 0, 0], 2).entropy).toBeNaN();
    expect(() => attentionStats([1, 0, 0], 2)).toThrow(/\[2, 2\] matrix \(4 values/);
  });
});
