import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { linear, softplus } from './ops.js';

describe('numeric kernels', () => {
  it('linear gives every row the same bits whether rows run together or one at a time', () => {
    const r = createRandom(3);
    const [rows, inDim, outDim] = [7, 33, 5];
    const x = Float32Array.from({ length: rows * inDim }, () => r.normal());
    const w = Float32Array.from({ length: outDim * inDim }, () => r.normal());
    const together = linear(x, rows, inDim, w, outDim); // [rows, out]
    for (let t = 0; t < rows; t++) {
      const alone = linear(x.subarray(t * inDim, (t + 1) * inDim), 1, inDim, w, outDim);
      expect(Array.from(together.subarray(t * outDim, (t + 1) * outDim))).toEqual(Array.from(alone));
      let s = 0;
      for (let i = 0; i < inDim; i++) s += (x[t * inDim + i] as number) * (w[2 * inDim + i] as number);
      expect(together[t * outDim + 2]).toBe(Math.fround(s));
    }
  });

  it('softplus follows torch: x above 20, log1p(exp(x)) otherwise', () => {
    expect(softplus(25)).toBe(25);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(softplus(-30)).toBeCloseTo(Math.exp(-30), 20);
  });
});
