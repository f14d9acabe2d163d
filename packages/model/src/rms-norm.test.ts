import { describe, expect, it } from 'vitest';
import { gatedRmsNorm, rmsNorm1p } from './rms-norm.js';

describe('RMSNorms', () => {
  it('rmsNorm1p scales by (1 + w), per row', () => {
    // rows [3, 4] and [0, 2]: rms sqrt(12.5) and sqrt(2)
    const y = rmsNorm1p(Float32Array.of(3, 4, 0, 2), 2, Float32Array.of(0, 1), 0);
    const r = Math.sqrt(12.5);
    expect(Array.from(y)).toEqual([3 / r, (2 * 4) / r, 0, (2 * 2) / Math.sqrt(2)].map(Math.fround));
  });

  it('rmsNorm1p keeps eps inside the root', () => {
    const [y] = rmsNorm1p(Float32Array.of(1), 1, Float32Array.of(0), 3);
    expect(y).toBeCloseTo(1 / Math.sqrt(1 + 3), 7);
  });

  it('gatedRmsNorm uses the plain weight and a SiLU gate after normalising', () => {
    const z = Float32Array.of(0, 2);
    const y = gatedRmsNorm(Float32Array.of(3, 4), z, 2, Float32Array.of(1, 0.5), 0);
    const r = Math.sqrt(12.5);
    const silu2 = 2 / (1 + Math.exp(-2));
    expect(y[0]).toBe(0); // silu(0) = 0
    expect(y[1]).toBeCloseTo((4 / r) * 0.5 * silu2, 6);
  });
});
